"""The organization screens, used as a committee office, a coordinator and an outsider."""

import datetime

from django.urls import reverse

from hienmau.orgs.models import AuditEntry, Membership, Organization
from hienmau.orgs.roles import Role


def test_tree_shows_the_users_subtree(client_for, coordinator, tree):
    response = client_for(coordinator).get(reverse("orgs:tree"))
    assert response.status_code == 200
    assert "BCĐ huyện Một" in response.text
    assert "BCĐ huyện Hai" not in response.text and "BCĐ tỉnh A" not in response.text


def test_children_load_on_demand(client_for, office, tree):
    response = client_for(office).get(reverse("orgs:children",
                                              kwargs={"code": tree["district_one"].code}))
    assert "Công ty Một" in response.text


def test_search_ignores_diacritics_and_scope(client_for, office, outsider, tree):
    response = client_for(office).get(reverse("orgs:tree"), {"q": "cong ty mot"})
    assert "Công ty Một" in response.text
    response = client_for(outsider).get(reverse("orgs:tree"), {"q": "cong ty mot"})
    assert "Công ty Một" not in response.text
    assert "Không tìm thấy tổ chức nào" in response.text


def test_ended_units_are_hidden_unless_asked(client_for, office, tree):
    tree["district_two"].valid_to = datetime.date(2025, 6, 30)
    tree["district_two"].save()
    client = client_for(office)
    url = reverse("orgs:children", kwargs={"code": tree["province"].code})
    assert "BCĐ huyện Hai" not in client.get(url).text
    assert "BCĐ huyện Hai" in client.get(url, {"ended": "1"}).text


def test_creating_a_look_alike_name_asks_for_confirmation(client_for, office, tree):
    client = client_for(office)
    url = reverse("orgs:create") + f"?parent={tree['province'].code}"
    data = {"name": "BCĐ huyen Mot", "kind": "commune_committee", "parent": tree["province"].code}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "gần giống tên một đơn vị đã có" in response.text
    assert "BCĐ huyện Một" in response.text
    assert Organization.objects.filter(name="BCĐ huyen Mot").count() == 0
    response = client.post(url, {**data, "confirm_not_duplicate": "on"})
    assert response.status_code == 302
    created = Organization.objects.get(name="BCĐ huyen Mot")
    assert created.parent_org() == tree["province"]


def test_an_acronym_spelling_of_an_existing_committee_asks_for_confirmation(client_for, office,
                                                                           tree):
    from hienmau.orgs import services

    services.create_organization(
        actor=office, parent=tree["province"], kind="commune_committee",
        name="Ban Chỉ đạo vận động hiến máu tình nguyện phường Hiến Nam")
    url = reverse("orgs:create") + f"?parent={tree['province'].code}"
    response = client_for(office).post(url, {
        "name": "BCĐ vận động HMTM phường Hiến Nam", "kind": "commune_committee",
        "parent": tree["province"].code})
    assert response.status_code == 200 and 'data-testid="similar-names"' in response.text
    assert "Ban Chỉ đạo vận động hiến máu tình nguyện phường Hiến Nam" in response.text
    assert not Organization.objects.filter(name__startswith="BCĐ vận động").exists()


def test_form_keeps_input_and_explains_a_bad_commune(client_for, office, tree):
    response = client_for(office).post(
        reverse("orgs:edit", kwargs={"code": tree["company"].code}),
        {"name": "Công ty Một", "kind": "company", "province_code": "33",
         "commune_code": "6712", "address": "Số 1 đường A"})
    assert response.status_code == 200
    assert "Số 1 đường A" in response.text
    assert list(response.context["form"].errors) == ["commune_code"]  # not a Hưng Yên commune


def test_coordinator_edits_own_unit_and_dates_are_day_first(client_for, coordinator, tree):
    response = client_for(coordinator).post(
        reverse("orgs:edit", kwargs={"code": tree["company"].code}),
        {"name": "Công ty Một", "kind": "company", "headcount": "1500",
         "valid_from": "05/06/2020"})
    assert response.status_code == 302
    company = Organization.objects.get(pk=tree["company"].pk)
    assert (company.headcount, company.valid_from) == (1500, datetime.date(2020, 6, 5))
    entry = AuditEntry.objects.latest("pk")
    assert entry.actor == coordinator and entry.action == "hienmau.org.changed"


def test_move_screen_offers_only_targets_outside_the_subtree(client_for, office, tree):
    client = client_for(office)
    url = reverse("orgs:move", kwargs={"code": tree["district_one"].code})
    options = client.get(url).context["form"].fields["parent"].queryset
    assert tree["company"] not in options and tree["district_two"] in options
    response = client.post(url, {"parent": tree["district_two"].code})
    assert response.status_code == 302
    assert Organization.objects.get(pk=tree["district_one"].pk).parent_org() == tree["district_two"]


def test_merge_screen_records_successor(client_for, office, tree):
    response = client_for(office).post(
        reverse("orgs:merge", kwargs={"code": tree["district_one"].code}),
        {"successor": tree["district_two"].code, "last_day": "30/06/2025",
         "move_children": "on"})
    assert response.status_code == 302
    old = Organization.objects.get(pk=tree["district_one"].pk)
    assert old.successor == tree["district_two"] and old.valid_to == datetime.date(2025, 6, 30)
    page = client_for(office).get(reverse("orgs:detail", kwargs={"code": old.code})).text
    assert "30/06/2025" in page and "BCĐ huyện Hai" in page


def test_duplicates_page_lists_look_alike_siblings(client_for, office, coordinator, tree):
    from hienmau.orgs import services

    services.create_organization(actor=office, parent=tree["province"], name="BCĐ huyện Mộy",
                                 kind="commune_committee")
    response = client_for(office).get(reverse("orgs:duplicates"))
    assert "BCĐ huyện Mộy" in response.text and "BCĐ huyện Một" in response.text
    assert client_for(coordinator).get(reverse("orgs:duplicates")).status_code == 403


def test_audit_page_is_for_the_office_and_scoped(client_for, office, coordinator, tree):
    from hienmau.orgs import services

    services.update_organization(tree["company"], actor=coordinator, headcount=10)
    services.update_organization(tree["institute"], actor=None, headcount=99)
    response = client_for(office).get(reverse("orgs:audit"))
    assert response.status_code == 200
    assert "Sửa thông tin tổ chức" in response.text and "Số cán bộ, nhân viên: — → 10" in (
        response.text)
    assert "Viện Huyết học" not in response.text
    assert client_for(coordinator).get(reverse("orgs:audit")).status_code == 403


def test_office_gives_a_role_to_an_existing_user_by_email(client_for, office, tree,
                                                          django_user_model):
    user = django_user_model.objects.create_user(username="lan", email="Lan@Example.vn",
                                                 password="x" * 12)
    response = client_for(office).post(
        reverse("orgs:members", kwargs={"code": tree["company"].code}),
        {"action": "add", "add-user": "lan@example.vn", "add-role": Role.COORDINATOR})
    assert response.status_code == 302
    assert Membership.objects.get(user=user).role == Role.COORDINATOR


def test_office_creates_an_account_with_a_role(client_for, office, tree, django_user_model):
    url = reverse("orgs:members", kwargs={"code": tree["company"].code})
    data = {"action": "new", "new-full_name": "Đỗ Thị Mai", "new-username": "mai",
            "new-email": "mai@x.vn", "new-role": Role.VIEWER, "new-password": "12345678"}
    response = client_for(office).post(url, data)
    assert response.status_code == 200  # too short and all digits: refused, input kept
    assert "Đỗ Thị Mai" in response.text
    assert not django_user_model.objects.filter(username="mai").exists()
    response = client_for(office).post(url, {**data, "new-password": "hien-mau-cuu-nguoi-2025"})
    assert response.status_code == 302
    assert Membership.objects.get(user__username="mai").organization == tree["company"]


def test_communes_follow_the_chosen_province(client_for, office):
    response = client_for(office).get(reverse("orgs:communes"), {"province_code": "33"})
    assert "Xã Khoái Châu" in response.text and "Phường Móng Cái 1" not in response.text


def test_home_lists_roles_and_what_they_allow(client_for, coordinator):
    response = client_for(coordinator).get(reverse("home"))
    assert "BCĐ huyện Một" in response.text
    assert "Điều phối viên đơn vị" in response.text
    assert "Cập nhật thông tin, thêm đơn vị trực thuộc" in response.text


def test_pages_use_no_external_assets(client_for, office):
    html = client_for(office).get(reverse("home")).text
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html and 'src="//' not in html and 'href="//' not in html


def test_a_unit_with_many_children_links_to_the_full_list(client_for, office, tree, monkeypatch):
    from hienmau.orgs import services, views

    monkeypatch.setattr(views, "CHILDREN_SHOWN", 2)
    for n in range(3):
        services.create_organization(actor=office, parent=tree["district_two"],
                                     name=f"Trường số {n}", kind="university")
    client = client_for(office)
    code = tree["district_two"].code
    partial = client.get(reverse("orgs:children", kwargs={"code": code})).text
    assert partial.count('data-testid="tree-node"') == 2
    assert f"?parent={code}" in partial
    detail = client.get(reverse("orgs:detail", kwargs={"code": code})).text
    assert "Trường số 0" not in detail and ">3<" in detail  # a count instead of a long list
    listing = client.get(reverse("orgs:tree"), {"parent": code, "q": "so 2"}).text
    assert "Trường số 2" in listing and "Trường số 1" not in listing


def test_full_list_of_an_invisible_parent_is_404(client_for, outsider, tree):
    response = client_for(outsider).get(reverse("orgs:tree"),
                                        {"parent": tree["district_one"].code})
    assert response.status_code == 404


def test_office_clears_a_pair_from_the_duplicates_list(client_for, office, tree):
    from hienmau.orgs import services

    look_alike = services.create_organization(actor=office, parent=tree["province"],
                                              name="BCĐ huyện Mộy", kind="commune_committee")
    client = client_for(office)
    response = client.post(reverse("orgs:not_duplicate"),
                           {"first": look_alike.code, "second": tree["district_one"].code})
    assert response.status_code == 302
    pair_row = 'data-testid="duplicate-pair"'
    assert pair_row not in client.get(reverse("orgs:duplicates")).text
    assert pair_row in client.get(reverse("orgs:duplicates"), {"reviewed": "1"}).text
    assert AuditEntry.objects.latest("pk").action == "hienmau.org.not_duplicate"


def test_confirming_a_look_alike_name_on_create_clears_the_pair(client_for, office, tree):
    client = client_for(office)
    client.post(reverse("orgs:create") + f"?parent={tree['province'].code}",
                {"name": "BCĐ huyen Mot", "kind": "commune_committee",
                 "confirm_not_duplicate": "on"})
    assert 'data-testid="duplicate-pair"' not in client.get(reverse("orgs:duplicates")).text


def test_forbidden_and_missing_pages_explain_in_vietnamese(client_for, coordinator, tree):
    client = client_for(coordinator)
    response = client.get(reverse("orgs:audit"))
    assert response.status_code == 403 and "Bạn không có quyền" in response.text
    response = client.get(reverse("orgs:detail", kwargs={"code": tree["institute"].code}))
    assert response.status_code == 404 and "Không tìm thấy" in response.text


def test_an_activity_ending_before_it_starts_is_said_on_the_end_date(client_for, office, tree):
    response = client_for(office).post(
        reverse("orgs:edit", kwargs={"code": tree["company"].code}),
        {"name": "Công ty Một", "kind": "company", "valid_from": "01/07/2025",
         "valid_to": "30/06/2025"})
    assert response.status_code == 200 and "Constraint" not in response.text
    assert response.context["form"].errors["valid_to"] == [
        "Ngày kết thúc hoạt động không được trước ngày bắt đầu."]
