"""Role × endpoint matrix (docs/architecture.md §3).

Every URL that acts on one organization is listed with the permission it needs.
For each: anonymous users are sent to log in, a coordinator of a sibling unit gets
404 (the unit does not exist for them), a user inside the subtree whose role lacks
the permission gets 403, and a user whose role has it gets the page. A new view that
is missing here fails `test_every_url_is_in_the_matrix`.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hienmau.orgs import roles, services
from hienmau.orgs.roles import Role

# (url name, method, permission, expected status with permission)
ORG_URLS = [
    ("orgs:detail", "get", roles.VIEW, 200),
    ("orgs:children", "get", roles.VIEW, 200),
    ("orgs:create", "get", roles.CHANGE, 200),
    ("orgs:edit", "get", roles.CHANGE, 200),
    ("orgs:move", "get", roles.MANAGE_TREE, 200),
    ("orgs:merge", "get", roles.MANAGE_TREE, 200),
    ("orgs:delete", "get", roles.MANAGE_TREE, 200),
    ("orgs:members", "get", roles.MANAGE_MEMBERS, 200),
    ("orgs:change_role", "post", roles.MANAGE_MEMBERS, 302),
    ("orgs:remove_member", "post", roles.MANAGE_MEMBERS, 302),
    ("orgs:audit", "get", roles.VIEW_AUDIT, 200),
    ("orgs:not_duplicate", "post", roles.MANAGE_TREE, 302),
]
# URLs about one plan or one drive (of district one, in the province's plan).
# (url name, method, permission, expected status with permission)
PLAN_URLS = [
    ("plans:detail", "get", roles.VIEW, 200),
    ("plans:edit", "get", roles.MANAGE_PLANS, 200),
    ("plans:copy", "get", roles.MANAGE_PLANS, 200),
    ("plans:quota_edit", "get", roles.MANAGE_PLANS, 200),
    ("plans:section_edit", "get", roles.MANAGE_PLANS, 200),
    ("plans:import", "get", roles.MANAGE_PLANS, 200),
    ("plans:document", "get", roles.VIEW, 200),
    ("plans:drive", "get", roles.VIEW, 200),
    ("plans:drive_edit", "get", roles.CHANGE_DRIVES, 200),
    ("plans:drive_cancel", "get", roles.CHANGE_DRIVES, 200),
    ("plans:drive_announcement", "get", roles.VIEW, 200),
]
# URLs about one receiving institution (the province's blood centre).
INSTITUTION_URLS = [
    ("plans:institution_settings", "get", roles.MANAGE_PLANS, 200),
]
# URLs about one donor (kept by district one).
DONOR_URLS = [
    ("donors:detail", "get", roles.VIEW_DONORS, 200),
    ("donors:edit", "get", roles.CHANGE_DONORS, 200),
    ("donors:export", "get", roles.CHANGE_DONORS, 200),
    ("donors:erase", "get", roles.MANAGE_DONORS, 200),
]
# URLs about one drive's registrations (a drive of district one, a month ahead).
REGISTRATION_URLS = [
    ("drives:registrations", "get", roles.VIEW_DONORS, 200),
    ("drives:registration_add", "get", roles.REGISTER_DONORS, 200),
    ("imports:upload", "get", roles.REGISTER_DONORS, 200),
    ("imports:history", "get", roles.REGISTER_DONORS, 200),
]
# Pages that are not about one object; each has its own tests.
OTHER_URLS = {
    "home", "orgs:tree", "orgs:duplicates", "orgs:communes",
    "accounts:login", "accounts:logout", "accounts:profile", "accounts:password_change",
    "accounts:revoke_token",
    "plans:list", "plans:create", "plans:campaigns", "plans:drives", "plans:calendar",
    "plans:drive_create", "donors:list", "donors:create", "donors:duplicates",
    "donors:merge", "donors:undo_merge",  # tests/donors/test_merge.py
    "donors:consent",  # tests/donors/test_registry.py
    "donors:prior_donations",  # tests/donors/test_milestones.py
    "donors:household",  # tests/donors/test_households.py
    # tests/honors/test_views.py
    "honors:rounds", "honors:round_create", "honors:round", "honors:propose", "honors:decide",
    "honors:add", "honors:approve", "honors:record_awards", "honors:export",
    "honors:award_create", "honors:award_delete",  # tests/honors/test_awards.py
    "honors:emulation", "honors:emulation_xlsx",  # tests/honors/test_emulation.py
    "honors:certificates",  # tests/honors/test_views.py
    "honors:tiers",  # tests/honors/test_tiers.py
    # tests/drives/test_registration_views.py, tests/imports/test_import_views.py
    "drives:registration_edit", "drives:registration_cancel", "drives:public_drives",
    "drives:sign_up", "drives:confirmation", "imports:detail", "imports:progress",
    "imports:rejected", "imports:undo", "imports:template",
    # tests/drives/test_drive_day_views.py
    "drives:station", "drives:station_person", "drives:tally", "drives:close",
    "drives:public_tally", "drives:certificate", "drives:drive_certificates",
    "drives:verify_certificate",
    "reports:dashboard", "reports:file",  # tests/reports/test_views.py
    # tests/outreach/test_mailing_views.py, test_club_views.py, test_appeal_views.py,
    # test_public_views.py, test_consent.py, test_callbacks.py
    "outreach:mailings", "outreach:mailing_create", "outreach:appeals",
    "outreach:appeal_create", "outreach:club_member_remove", "outreach:opt_out",
    "outreach:answer", "outreach:delivery_callback", "outreach:inbound_sms",
}
# URLs about one mailing, appeal or club of district one.
OUTREACH_URLS = [
    ("outreach:mailing", "get", roles.VIEW_DONORS, 200),
    ("outreach:mailing_cancel", "post", roles.MESSAGE_DONORS, 302),
    ("outreach:appeal", "get", roles.VIEW_DONORS, 200),
    ("outreach:appeal_responses", "get", roles.VIEW_DONORS, 200),
    ("outreach:appeal_wave", "post", roles.SEND_APPEALS, 302),
    ("outreach:appeal_close", "post", roles.SEND_APPEALS, 302),
    ("outreach:club_members", "get", roles.VIEW_DONORS, 200),
]


@pytest.fixture
def member(tree, office, django_user_model):
    user = django_user_model.objects.create_user(username="member", password="x" * 12)
    return services.add_membership(actor=office, organization=tree["company"], user=user,
                                   role=Role.VIEWER)


@pytest.fixture
def plan_objects(tree, office):
    import datetime

    from hienmau.plans import services as plans

    plan = plans.create_plan(actor=office, committee=tree["province"], title="KH 2024",
                             starts_on=datetime.date(2023, 12, 1),
                             ends_on=datetime.date(2024, 11, 30))
    plans.save_quota(plan, actor=office, organization=tree["district_one"], units=500)
    drive = plans.create_drive(actor=office, plan=plan, date=datetime.date(2024, 3, 6),
                               venue="Nhà văn hóa", organizer=tree["district_one"],
                               expected_units=500)
    return {"plan": plan, "drive": drive}


def plan_request(client, name, method, objects):
    obj = objects["drive"] if name.startswith("plans:drive") else objects["plan"]
    kwargs = {"code": obj.code}
    if name == "plans:document":
        kwargs["kind"] = "bang-chi-tieu-xlsx"
    return getattr(client, method)(reverse(name, kwargs=kwargs))


@pytest.mark.parametrize(("name", "method", "perm", "status"), PLAN_URLS)
def test_plan_urls_follow_the_same_rule(client, tree, plan_objects, outsider, viewer, office,
                                        coordinator, name, method, perm, status):
    response = plan_request(client, name, method, plan_objects)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(outsider)
    assert plan_request(client, name, method, plan_objects).status_code == 404
    if perm != roles.VIEW:
        client.force_login(viewer)
        assert plan_request(client, name, method, plan_objects).status_code == 403
    client.force_login(user_with(perm, office, coordinator))
    assert plan_request(client, name, method, plan_objects).status_code == status


@pytest.mark.parametrize(("name", "method", "perm", "status"), INSTITUTION_URLS)
def test_institution_urls_follow_the_same_rule(client, tree, outsider, viewer, office,
                                               coordinator, name, method, perm, status):
    centre = services.create_organization(actor=office, parent=tree["province"],
                                          name="Trung tâm Huyết học tỉnh A",
                                          kind="receiving_institution")

    def fetch():
        return getattr(client, method)(reverse(name, kwargs={"code": centre.code}))

    assert_the_rule(client, fetch, outsider, viewer, user_with(perm, office, coordinator),
                    status)


DEFERRAL_REASON = "Huyết áp cao"  # health data: the institution's staff only


@pytest.fixture
def donor(tree, office):
    """Deferred once by the institute, which alone may read why."""
    import datetime

    from hienmau.donors import services as donors
    from hienmau.drives.models import Donation, Outcome

    donor = donors.create_donor(actor=office, full_name="Nguyễn Văn Hùng", birth_year=1990,
                                home=tree["district_one"])
    Donation.objects.create(donor=donor, date=datetime.date(2024, 3, 6),
                            outcome=Outcome.DEFERRED, deferral_reason=DEFERRAL_REASON,
                            deferred_until=datetime.date(2024, 3, 20),
                            receiving_institution=tree["institute"])
    return donor


@pytest.mark.parametrize(("name", "method", "perm", "status"), DONOR_URLS)
def test_donor_urls_follow_the_same_rule(client, donor, outsider, viewer, office, coordinator,
                                         name, method, perm, status):
    def fetch():
        return getattr(client, method)(reverse(name, kwargs={"code": donor.code}))

    assert_the_rule(client, fetch, outsider, viewer, user_with(perm, office, coordinator),
                    status)
    # What the member gets (page or export) holds no health data.
    assert DEFERRAL_REASON not in fetch().content.decode()


def request(client, name, method, org, member):
    if name in ("orgs:change_role", "orgs:remove_member"):
        url = reverse(name, kwargs={"code": org.code, "pk": member.pk})
        return client.post(url, {"role": Role.COORDINATOR})
    if name == "orgs:not_duplicate":
        return client.post(reverse(name), {"first": org.code, "second": org.parent_org().code})
    if name == "orgs:create":
        return client.get(reverse(name), {"parent": org.code})
    if name == "orgs:audit":
        return client.get(reverse(name), {"org": org.code})
    return getattr(client, method)(reverse(name, kwargs={"code": org.code}))


def user_with(perm, office, coordinator):
    """The least powerful of our named users whose role grants `perm` on the company."""
    return coordinator if Role.COORDINATOR in roles.roles_with(perm) else office


def assert_the_rule(client, fetch, outsider, viewer, member, status):
    """Anonymous → login; another unit's user → 404 (nothing revealed); the province's
    viewer, who sees the object but no people → 403; the member whose role allows it →
    `status`."""
    response = fetch()
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(outsider)
    assert fetch().status_code == 404
    client.force_login(viewer)
    assert fetch().status_code == 403
    client.force_login(member)
    assert fetch().status_code == status


@pytest.mark.parametrize(("name", "method", "perm", "status"), ORG_URLS)
def test_anonymous_is_sent_to_login(client, tree, member, name, method, perm, status):
    response = request(client, name, method, tree["company"], member)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "method", "perm", "status"), ORG_URLS)
def test_other_units_user_gets_404(client, tree, member, outsider, name, method, perm, status):
    client.force_login(outsider)
    assert request(client, name, method, tree["company"], member).status_code == 404


@pytest.mark.parametrize(("name", "method", "perm", "status"),
                         [u for u in ORG_URLS if u[2] != roles.VIEW])
def test_role_without_permission_gets_403(client, tree, member, viewer, name, method, perm,
                                          status):
    client.force_login(viewer)
    assert request(client, name, method, tree["company"], member).status_code == 403


@pytest.mark.parametrize(("name", "method", "perm", "status"), ORG_URLS)
def test_role_with_permission_gets_the_page(client, tree, member, office, coordinator,
                                            name, method, perm, status):
    client.force_login(user_with(perm, office, coordinator))
    assert request(client, name, method, tree["company"], member).status_code == status


def _names(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in ("admin", "api") or p.app_name == "admin":
                continue
            yield from _names(p.url_patterns, f"{p.namespace}:" if p.namespace else namespace)
        elif isinstance(p, URLPattern) and p.name and p.name != "set_language":
            yield namespace + p.name


@pytest.fixture
def upcoming_drive(tree, office):
    import datetime

    from django.utils import timezone

    from hienmau.plans import services as plans

    return plans.create_drive(actor=office, plan=None,
                              date=timezone.localdate() + datetime.timedelta(days=30),
                              venue="Nhà văn hóa", organizer=tree["district_one"],
                              expected_units=100)


@pytest.mark.parametrize(("name", "method", "perm", "status"), REGISTRATION_URLS)
def test_registration_urls_follow_the_same_rule(client, upcoming_drive, outsider, viewer,
                                                office, coordinator, name, method, perm,
                                                status):
    def fetch():
        return getattr(client, method)(reverse(name, kwargs={"code": upcoming_drive.code}))

    assert_the_rule(client, fetch, outsider, viewer, user_with(perm, office, coordinator),
                    status)


def test_every_url_is_in_the_matrix():
    listed = {name for name, *_rest in ORG_URLS + PLAN_URLS + DONOR_URLS
              + REGISTRATION_URLS + OUTREACH_URLS + INSTITUTION_URLS} | OTHER_URLS
    assert set(_names(get_resolver().url_patterns)) == listed


@pytest.fixture
def outreach_objects(tree, office):
    import datetime

    from django.utils import timezone

    from hienmau.outreach.models import Appeal, Mailing

    mailing = Mailing.objects.create(sender=tree["district_one"], title="Tin",
                                     channels=["sms"], body="Chào {ten}")
    appeal = Appeal.objects.create(
        requester=tree["district_one"], blood_group="O", needed=2, place="Bệnh viện huyện",
        needed_by=timezone.now() + datetime.timedelta(hours=6), channels=["sms"],
        body="Cần máu nhóm {nhom_mau}: {lien_ket}")
    club = services.create_organization(actor=office, parent=tree["district_one"],
                                        name="CLB Hiến máu huyện Một", kind="club")
    return {"mailing": mailing, "appeal": appeal, "club": club}


@pytest.mark.parametrize(("name", "method", "perm", "status"), OUTREACH_URLS)
def test_outreach_urls_follow_the_same_rule(client, outreach_objects, outsider, viewer, office,
                                            coordinator, name, method, perm, status):
    kind = name.split(":")[1].split("_")[0]
    obj = outreach_objects[kind]

    def fetch():
        return getattr(client, method)(reverse(name, kwargs={"code": obj.code}))

    assert_the_rule(client, fetch, outsider, viewer, user_with(perm, office, coordinator),
                    status)
