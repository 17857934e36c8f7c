"""The write functions: business rules, and one audit entry per change."""

import datetime

import pytest

from hienmau.orgs import services
from hienmau.orgs.models import AuditEntry, Kind, Membership, Organization
from hienmau.orgs.roles import Role


def last_entry():
    return AuditEntry.objects.order_by("-pk").first()


def test_create_stores_nfc_name_and_records_who(office, tree):
    import unicodedata

    org = services.create_organization(
        actor=office, parent=tree["province"], kind=Kind.UNIVERSITY,
        name=unicodedata.normalize("NFD", "  Trường  Đại học Sư phạm Kỹ thuật "))
    assert org.name == "Trường Đại học Sư phạm Kỹ thuật"
    assert org.parent_org() == tree["province"]
    entry = last_entry()
    assert (entry.action, entry.actor, entry.actor_name) == (
        "hienmau.org.created", office, "Office (office)")
    assert entry.data["fields"]["kind"] == Kind.UNIVERSITY
    assert entry.data["parent"] == "BCĐ tỉnh A"


def test_update_records_old_and_new_values(office, tree):
    services.update_organization(tree["company"], actor=office, headcount=1200,
                                 name="Công ty Một TNHH")
    entry = last_entry()
    assert entry.action == "hienmau.org.changed"
    assert entry.data["changes"] == {"name": ["Công ty Một", "Công ty Một TNHH"],
                                     "headcount": [None, 1200]}


def test_update_without_change_writes_no_entry(office, tree):
    before = AuditEntry.objects.count()
    services.update_organization(tree["company"], actor=office, name="Công ty Một")
    assert AuditEntry.objects.count() == before


def test_commune_must_belong_to_the_province(office, tree):
    with pytest.raises(services.OrganizationError) as excinfo:
        # 6712 is phường Móng Cái 1, in Quảng Ninh (22), not Hưng Yên (33).
        services.update_organization(tree["province"], actor=office, commune_code=6712)
    assert excinfo.value.code == "invalid_place"
    assert Organization.objects.get(pk=tree["province"].pk).commune_code is None


def test_move_keeps_the_subtree_together(office, tree):
    services.move_organization(tree["district_one"], tree["district_two"], actor=office)
    company = Organization.objects.get(pk=tree["company"].pk)
    assert [a.name for a in company.ancestors()] == ["BCĐ tỉnh A", "BCĐ huyện Hai",
                                                         "BCĐ huyện Một"]
    assert last_entry().data == {"from": "BCĐ tỉnh A", "to": "BCĐ huyện Hai"}


def test_cannot_move_a_unit_below_itself(office, tree):
    with pytest.raises(services.OrganizationError) as excinfo:
        services.move_organization(tree["district_one"], tree["company"], actor=office)
    assert excinfo.value.code == "move_into_subtree"


def test_merge_ends_the_unit_keeps_its_name_and_moves_active_children(office, tree):
    last_day = datetime.date(2025, 6, 30)
    ended = services.create_organization(actor=office, parent=tree["district_one"],
                                         name="Công ty đã đóng cửa", kind=Kind.COMPANY,
                                         valid_to=datetime.date(2020, 1, 1))
    services.merge_into_successor(tree["district_one"], successor=tree["district_two"],
                                  last_day=last_day, move_children=True, actor=office)
    old = Organization.objects.get(pk=tree["district_one"].pk)
    assert (old.name, old.valid_to, old.successor) == (
        "BCĐ huyện Một", last_day, tree["district_two"])
    assert not old.is_active_on(datetime.date(2025, 7, 1))
    assert Organization.objects.get(pk=tree["company"].pk).parent_org() == tree["district_two"]
    assert Organization.objects.get(pk=ended.pk).parent_org() == old  # history stays
    actions = list(AuditEntry.objects.order_by("-pk").values_list("action", flat=True)[:2])
    assert actions == ["hienmau.org.received_merge", "hienmau.org.merged"]


def test_successor_cannot_be_inside_the_merged_unit(office, tree):
    with pytest.raises(services.OrganizationError) as excinfo:
        services.merge_into_successor(tree["district_one"], successor=tree["company"],
                                      last_day=datetime.date(2025, 6, 30),
                                      move_children=False, actor=office)
    assert excinfo.value.code == "successor_in_subtree"


def test_successor_must_be_active_after_the_last_day(office, tree):
    services.update_organization(tree["district_two"], actor=office,
                                 valid_from=datetime.date(2026, 1, 1))
    with pytest.raises(services.OrganizationError) as excinfo:
        services.merge_into_successor(tree["district_one"], successor=tree["district_two"],
                                      last_day=datetime.date(2025, 6, 30),
                                      move_children=False, actor=office)
    assert excinfo.value.code == "successor_inactive"


def test_delete_refuses_a_unit_with_children_and_logs_under_the_parent(office, tree):
    with pytest.raises(services.OrganizationError) as excinfo:
        services.delete_organization(tree["district_one"], actor=office)
    assert excinfo.value.code == "has_children"
    services.delete_organization(tree["company"], actor=office)
    entry = last_entry()
    assert (entry.action, entry.organization, entry.object_repr) == (
        "hienmau.org.deleted", tree["district_one"], "Công ty Một")


def test_delete_refuses_a_merged_unit(office, tree):
    services.merge_into_successor(tree["company"], successor=tree["district_two"],
                                  last_day=datetime.date(2025, 6, 30), move_children=False,
                                  actor=office)
    for org in (tree["company"], tree["district_two"]):
        with pytest.raises(services.OrganizationError) as excinfo:
            services.delete_organization(Organization.objects.get(pk=org.pk), actor=office)
        assert excinfo.value.code in ("has_history", "is_successor")


def test_membership_changes_are_audited(office, tree, django_user_model):
    user = django_user_model.objects.create_user(username="moi", password="x" * 12)
    membership = services.add_membership(actor=office, organization=tree["company"],
                                         user=user, role=Role.VIEWER)
    with pytest.raises(services.OrganizationError) as excinfo:
        services.add_membership(actor=office, organization=tree["company"], user=user,
                                role=Role.COORDINATOR)
    assert excinfo.value.code == "already_member"
    services.change_membership_role(membership, Role.COORDINATOR, actor=office)
    services.remove_membership(membership, actor=office)
    assert not Membership.objects.filter(user=user).exists()
    entries = AuditEntry.objects.filter(object_type="membership").order_by("pk")
    assert [(e.action, e.data.get("role") or e.data["changes"]["role"]) for e in entries
            if e.data.get("user") == "moi"] == [
        ("hienmau.membership.added", "viewer"),
        ("hienmau.membership.changed", ["viewer", "coordinator"]),
        ("hienmau.membership.removed", "coordinator"),
    ]


def test_a_failed_change_leaves_no_audit_entry(office, tree):
    before = AuditEntry.objects.count()
    with pytest.raises(services.OrganizationError):
        services.update_organization(tree["company"], actor=office, province_code=999)
    assert AuditEntry.objects.count() == before


def test_not_duplicate_is_recorded_once_whatever_the_order(office, tree):
    from hienmau.orgs.models import DuplicateReview

    services.mark_not_duplicate(tree["district_two"], tree["district_one"], actor=office)
    services.mark_not_duplicate(tree["district_one"], tree["district_two"], actor=office)
    review = DuplicateReview.objects.get()
    assert (review.first_id, review.second_id, review.reviewed_by) == (
        tree["district_one"].pk, tree["district_two"].pk, office)
    assert AuditEntry.objects.filter(action="hienmau.org.not_duplicate").count() == 1
