"""The plan and drive endpoints: same scoping as the screens, writes through the services."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hienmau.plans import services
from hienmau.plans.models import Drive, DriveStatus, Plan, Quota

D = datetime.date


@pytest.fixture
def plan(tree, office):
    plan = services.create_plan(actor=office, committee=tree["province"], title="KH 2024",
                                starts_on=D(2023, 12, 1), ends_on=D(2024, 11, 30))
    section = services.save_section(plan, actor=office, number="I", title="Các huyện")
    services.save_quota(plan, actor=office, organization=tree["district_one"], units=500,
                        section=section)
    services.save_quota(plan, actor=office, organization=tree["district_two"], units=300,
                        section=section)
    return plan


@pytest.fixture
def drives(tree, office, plan):
    one = services.create_drive(actor=office, date=D(2024, 3, 6), venue="Nhà văn hóa",
                                expected_units=200, organizer=tree["district_one"],
                                receiving_institution=tree["institute"])
    company = services.create_drive(actor=office, date=D(2024, 4, 10), venue="Nhà máy",
                                    expected_units=100, organizer=tree["company"])
    two = services.create_drive(actor=office, date=D(2024, 3, 7), venue="Sân vận động",
                                expected_units=150, organizer=tree["district_two"])
    return {"one": one, "company": company, "two": two}


def drive_body(tree, **extra):
    body = {"organizer": str(tree["district_one"].code), "date": "2024-03-06",
            "venue": "Nhà văn hóa huyện", "expected_units": 500}
    body.update(extra)
    return body


# ---- plans -------------------------------------------------------------------------


def test_office_creates_reads_and_updates_a_plan(api, office, tree):
    response = api(office, "POST", "/plans", {
        "committee": str(tree["province"].code), "title": "Kế hoạch năm 2025",
        "starts_on": "2024-12-01", "ends_on": "2025-11-30", "provincial_quota": 14000,
        "population_target_percent": "1.8"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["committee_code"] == str(tree["province"].code)
    assert body["starts_on"] == "2024-12-01" and body["status"] == "draft"
    assert body["status_label"] == "Dự thảo" and body["can_manage"] is True
    assert body["population_target_percent"] == 1.8
    assert body["sections"] == [] and body["total_units"] == 0

    code = body["code"]
    response = api(office, "PATCH", f"/plans/{code}", {"status": "approved",
                                                      "document_number": "12/KH-BCĐ"})
    assert response.status_code == 200, response.content
    plan = Plan.objects.get(code=code)
    assert plan.status == "approved" and plan.document_number == "12/KH-BCĐ"
    assert plan.title == "Kế hoạch năm 2025"  # left out, so unchanged

    listed = api(office, "GET", "/plans").json()
    assert listed["count"] == 1 and listed["items"][0]["code"] == code
    assert api(office, "GET", f"/plans/{code}").json()["status_label"] == "Đã ban hành"


def test_plan_detail_computes_section_and_grand_totals(api, office, tree, plan, drives):
    body = api(office, "GET", f"/plans/{plan.code}").json()
    [section] = body["sections"]
    assert section["number"] == "I" and section["title"] == "Các huyện"
    assert section["total_units"] == 800 and body["total_units"] == 800
    by_unit = {q["organization_name"]: q for q in section["quotas"]}
    # District one's quota counts its own drive and its company's.
    assert by_unit["BCĐ huyện Một"]["planned_units"] == 300
    assert by_unit["BCĐ huyện Một"]["coverage_percent"] == 60
    assert by_unit["BCĐ huyện Hai"]["planned_units"] == 150


def test_quota_put_and_delete_recompute_the_totals(api, office, tree, plan):
    path = f"/plans/{plan.code}/quotas/{tree['company'].code}"
    response = api(office, "PUT", path, {"units": 120, "section": "I",
                                         "registration_target": 200,
                                         "staff_share_percent": 50})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total_units"] == 920 and body["sections"][0]["total_units"] == 920
    quota = Quota.objects.get(plan=plan, organization=tree["company"])
    assert (quota.units, quota.registration_target, quota.staff_share_percent) == (120, 200, 50)

    # Without a section the quota moves to the block outside every section.
    body = api(office, "PUT", path, {"units": 100}).json()
    assert [(s["number"], s["total_units"]) for s in body["sections"]] == [("I", 800),
                                                                           (None, 100)]
    assert body["total_units"] == 900

    response = api(office, "DELETE", path)
    assert response.status_code == 200
    assert response.json()["total_units"] == 800
    assert not Quota.objects.filter(plan=plan, organization=tree["company"]).exists()
    assert api(office, "DELETE", path).status_code == 404


def test_quota_rules_give_422_with_the_message(api, office, tree, plan):
    response = api(office, "PUT", f"/plans/{plan.code}/quotas/{tree['institute'].code}",
                   {"units": 10})
    assert response.status_code == 404  # the institute is not in the office's tree
    response = api(office, "PUT", f"/plans/{plan.code}/quotas/{tree['company'].code}",
                   {"units": 10, "section": "IX"})
    assert response.status_code == 422
    assert response.json() == {"detail": "Kế hoạch không có mục IX.", "code": "unknown_section",
                               "field": "section"}
    response = api(office, "PUT", f"/plans/{plan.code}/quotas/{tree['province'].code}",
                   {"units": 10})
    assert response.status_code == 422 and response.json()["code"] == "outside_committee"
    assert response.json()["detail"] == (
        "Chỉ giao chỉ tiêu cho đơn vị trực thuộc Ban Chỉ đạo lập kế hoạch.")
    response = api(office, "PUT", f"/plans/{plan.code}/quotas/{tree['company'].code}",
                   {"units": -1})
    assert response.status_code == 422  # input validation, in django-ninja's format


def test_plan_validation_errors_are_422_in_vietnamese(api, office, tree, plan):
    response = api(office, "PATCH", f"/plans/{plan.code}", {"ends_on": "2023-01-01"})
    assert response.status_code == 422
    assert response.json() == {"detail": "Ngày kết thúc năm kế hoạch phải sau ngày bắt đầu.",
                               "code": "invalid_year", "field": "ends_on"}
    response = api(office, "POST", "/plans", {
        "committee": str(tree["province"].code), "title": "Trùng",
        "starts_on": "2023-12-01", "ends_on": "2024-11-30"})
    assert response.status_code == 422 and response.json()["code"] == "duplicate_plan"
    # A field that cannot be empty refuses null; a field left out is not changed.
    assert api(office, "PATCH", f"/plans/{plan.code}", {"title": None}).status_code == 422
    assert Plan.objects.get(pk=plan.pk).title == "KH 2024"


def test_plan_writes_need_the_office(api, viewer, coordinator, outsider, tree, plan):
    # The viewer sees the plan but may not change it.
    assert api(viewer, "GET", f"/plans/{plan.code}").status_code == 200
    response = api(viewer, "PATCH", f"/plans/{plan.code}", {"title": "Không được"})
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Chỉ Văn phòng thường trực Ban Chỉ đạo được sửa kế hoạch.",
        "code": "forbidden", "field": None}
    assert api(viewer, "PUT", f"/plans/{plan.code}/quotas/{tree['company'].code}",
               {"units": 1}).status_code == 403
    assert api(viewer, "POST", "/plans", {
        "committee": str(tree["province"].code), "title": "X",
        "starts_on": "2024-12-01", "ends_on": "2025-11-30"}).status_code == 403
    # A coordinator sees the plan through its quota; a plan for another district is 404.
    assert api(coordinator, "GET", f"/plans/{plan.code}").status_code == 200
    assert api(outsider, "POST", "/plans", {
        "committee": str(tree["district_one"].code), "title": "X",
        "starts_on": "2024-12-01", "ends_on": "2025-11-30"}).status_code == 404
    assert Plan.objects.count() == 1


def test_plans_of_other_committees_are_404(api, outsider, office, tree):
    other = services.create_plan(actor=office, committee=tree["district_one"], title="KH huyện",
                                 starts_on=D(2023, 12, 1), ends_on=D(2024, 11, 30))
    assert api(outsider, "GET", f"/plans/{other.code}").status_code == 404
    assert api(outsider, "GET", "/plans").json()["count"] == 0


def test_requests_without_auth_are_401(api, plan, drives):
    for path in ("/plans", f"/plans/{plan.code}", "/drives", f"/drives/{drives['one'].code}"):
        assert api(None, "GET", path).status_code == 401
    assert api(None, "POST", "/drives", {}).status_code == 401


# ---- drives ------------------------------------------------------------------------


def test_coordinator_creates_drives_for_its_district_only(api, coordinator, tree, plan):
    response = api(coordinator, "POST", "/drives", drive_body(
        tree, receiving_institution=str(tree["institute"].code), start_time="07:30",
        coordinating_units=[str(tree["company"].code)],
        executing_units=[str(tree["institute"].code)]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organizer_code"] == str(tree["district_one"].code)
    assert body["plan_code"] == str(plan.code)  # joined the plan covering its date
    assert body["date"] == "2024-03-06" and body["start_time"] == "07:30:00"
    # The institute lies outside the coordinator's tree: institutions are shared.
    assert body["receiving_institution_code"] == str(tree["institute"].code)
    assert body["coordinating_unit_codes"] == [str(tree["company"].code)]
    assert body["executing_unit_codes"] == [str(tree["institute"].code)]
    assert body["can_change"] is True

    response = api(coordinator, "POST", "/drives",
                   drive_body(tree, organizer=str(tree["district_two"].code)))
    assert response.status_code == 404  # district two does not exist for this user
    assert Drive.objects.count() == 1


def test_viewer_cannot_write_drives(api, viewer, tree, drives):
    assert api(viewer, "GET", f"/drives/{drives['one'].code}").status_code == 200
    assert api(viewer, "POST", "/drives", drive_body(tree)).status_code == 403
    one = f"/drives/{drives['one'].code}"
    assert api(viewer, "PATCH", one, {"venue": "Khác"}).status_code == 403
    assert api(viewer, "POST", f"{one}/cancel", {"reason": "Mưa bão"}).status_code == 403
    assert Drive.objects.get(pk=drives["one"].pk).venue == "Nhà văn hóa"


def test_coordinator_edits_own_drives_not_another_districts(api, coordinator, tree, drives):
    response = api(coordinator, "PATCH", f"/drives/{drives['one'].code}",
                   {"expected_units": 650, "weekday_text": "Thứ Tư"})
    assert response.status_code == 200, response.content
    assert response.json()["expected_units"] == 650
    assert Drive.objects.get(pk=drives["one"].pk).expected_units == 650
    response = api(coordinator, "PATCH", f"/drives/{drives['two'].code}", {"venue": "X"})
    assert response.status_code == 404
    # Nor may it move its own drive to another district.
    response = api(coordinator, "PATCH", f"/drives/{drives['one'].code}",
                   {"organizer": str(tree["district_two"].code)})
    assert response.status_code == 404
    assert Drive.objects.get(pk=drives["one"].pk).organizer == tree["district_one"]
    # Detaching a drive from its plan, and a misspelt field, which is refused.
    response = api(coordinator, "PATCH", f"/drives/{drives['one'].code}", {"plan": None})
    assert response.status_code == 200 and response.json()["plan_code"] is None
    response = api(coordinator, "PATCH", f"/drives/{drives['one'].code}", {"venu": "X"})
    assert response.status_code == 422


def test_outsider_gets_404_on_district_ones_drives(api, outsider, tree, plan, drives):
    # The province plan gives district two a quota, so the outsider sees the plan…
    assert api(outsider, "GET", f"/plans/{plan.code}").status_code == 200
    # …and its own drive in it, but nothing of district one.
    body = api(outsider, "GET", "/drives", {"plan": str(plan.code)}).json()
    assert [d["code"] for d in body["items"]] == [str(drives["two"].code)]
    response = api(outsider, "GET", "/drives", {"plan": str(plan.code),
                                                "organizer": str(tree["district_one"].code)})
    assert response.status_code == 404
    assert api(outsider, "GET", f"/drives/{drives['one'].code}").status_code == 404
    assert api(outsider, "PATCH", f"/drives/{drives['one'].code}",
               {"venue": "X"}).status_code == 404


def test_institution_staff_sees_the_drives_it_collects(api, staff, tree, drives):
    body = api(staff, "GET", "/drives").json()
    assert [d["code"] for d in body["items"]] == [str(drives["one"].code)]
    assert body["items"][0]["receiving_institution_name"] == "Viện Huyết học"
    detail = api(staff, "GET", f"/drives/{drives['one'].code}").json()
    assert detail["can_change"] is False
    assert api(staff, "GET", f"/drives/{drives['two'].code}").status_code == 404
    assert api(staff, "PATCH", f"/drives/{drives['one'].code}",
               {"venue": "X"}).status_code == 403


def test_drive_list_filters(api, office, tree, plan, drives):
    def codes(**params):
        response = api(office, "GET", "/drives", params)
        assert response.status_code == 200, response.content
        return [d["code"] for d in response.json()["items"]]

    one, company, two = (str(drives[k].code) for k in ("one", "company", "two"))
    assert codes() == [one, two, company]  # by date
    assert codes(organizer=str(tree["district_one"].code)) == [one, company]  # subtree
    assert codes(month="2024-03") == [one, two]
    assert codes(institution=str(tree["institute"].code)) == [one]
    assert codes(date_from="2024-03-07", date_to="2024-04-30") == [two, company]
    assert codes(plan=str(plan.code), status="planned") == [one, two, company]
    services.cancel_drive(drives["two"], actor=office, reason="Mưa bão")
    assert codes(status="cancelled") == [two]
    assert api(office, "GET", "/drives", {"month": "2024-13"}).status_code == 422


def test_drive_validation_errors_are_422_in_vietnamese(api, office, tree, drives):
    response = api(office, "POST", "/drives", drive_body(
        tree, expected_units=500, shares=[
            {"organization": str(tree["district_one"].code), "expected_units": 200},
            {"organization": str(tree["company"].code), "expected_units": 100}]))
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Tổng phần đóng góp (300) phải bằng số đơn vị máu dự kiến của đợt (500).",
        "code": "shares_mismatch", "field": "expected_units"}
    response = api(office, "POST", "/drives", drive_body(tree, start_time="09:00",
                                                         end_time="08:00"))
    assert response.status_code == 422
    assert response.json()["detail"] == "Giờ kết thúc phải sau giờ bắt đầu."
    # A unit of another kind is not an institution; an unknown code is not found.
    response = api(office, "POST", "/drives", drive_body(
        tree, receiving_institution=str(tree["company"].code)))
    assert response.status_code == 422 and response.json()["code"] == "not_an_institution"
    response = api(office, "POST", "/drives", drive_body(
        tree, receiving_institution="00000000-0000-0000-0000-000000000000"))
    assert response.status_code == 422 and response.json()["code"] == "unknown_institution"
    response = api(office, "POST", "/drives", drive_body(tree, status="cancelled"))
    assert response.status_code == 422 and response.json()["code"] == "use_cancel"
    assert Drive.objects.count() == 3  # nothing half-saved

    cancel = f"/drives/{drives['one'].code}/cancel"
    response = api(office, "POST", cancel, {"reason": "   "})
    assert response.status_code == 422
    assert response.json() == {"detail": "Hãy ghi lý do hủy để các đơn vị được thông báo rõ.",
                               "code": "reason_required", "field": "reason"}


def test_joint_drive_and_cancel(api, coordinator, tree, plan):
    response = api(coordinator, "POST", "/drives", drive_body(
        tree, expected_units=300, shares=[
            {"organization": str(tree["district_one"].code), "expected_units": 200},
            {"organization": str(tree["company"].code), "expected_units": 100}]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert sorted((s["organization_name"], s["expected_units"]) for s in body["shares"]) == [
        ("BCĐ huyện Một", 200), ("Công ty Một", 100)]
    response = api(coordinator, "POST", f"/drives/{body['code']}/cancel",
                   {"reason": "Trùng lịch"})
    assert response.status_code == 200
    assert response.json()["status"] == DriveStatus.CANCELLED
    assert "Hủy: Trùng lịch" in response.json()["notes"]


def test_list_query_count_does_not_grow_with_rows(api, office, tree, plan, drives,
                                                  django_assert_max_num_queries):
    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert api(office, "GET", path).status_code == 200
        return len(queries)

    api(office, "GET", "/me")  # issue the token outside the counts
    before = {path: count(path) for path in ("/plans", "/drives")}
    for day in range(1, 8):
        services.create_drive(actor=office, date=D(2024, 5, day), venue="V",
                              expected_units=10, organizer=tree["company"],
                              receiving_institution=tree["institute"])
    services.create_plan(actor=office, committee=tree["district_one"], title="KH huyện",
                         starts_on=D(2023, 12, 1), ends_on=D(2024, 11, 30))
    after = {path: count(path) for path in ("/plans", "/drives")}
    assert after == before
    for path in ("/plans", "/drives"):
        with django_assert_max_num_queries(5):  # token, memberships, count, page (+ touch)
            assert api(office, "GET", path).status_code == 200


def test_openapi_lists_the_plan_and_drive_paths(client_for, coordinator):
    paths = client_for(coordinator).get("/api/openapi.json").json()["paths"]
    for path in ("/api/plans", "/api/plans/{code}",
                 "/api/plans/{code}/quotas/{organization_code}",
                 "/api/drives", "/api/drives/{code}", "/api/drives/{code}/cancel"):
        assert path in paths
    assert set(paths["/api/plans/{code}/quotas/{organization_code}"]) == {"put", "delete"}
    assert paths["/api/drives"]["get"]["tags"] == ["drives"]


# Changes to a Decimal or a time must reach the audit trail too.
def test_changing_a_plans_population_target(api, office, tree, plan):
    services.update_plan(plan, actor=office, population_target_percent="1.50")
    api(office, "PATCH", f"/plans/{plan.code}", {"population_target_percent": "1.8"})


def test_changing_a_drives_times(api, office, drives):
    api(office, "PATCH", f"/drives/{drives['one'].code}", {"start_time": "07:00"})


def test_documents_download_through_the_api_with_the_same_scope(api, office, outsider, staff,
                                                                   tree, plan, drives):
    response = api(office, "GET", f"/plans/{plan.code}/documents/bang-chi-tieu-xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert api(office, "GET", f"/plans/{plan.code}/documents/khac").status_code == 404
    # The institution collects drives but has no quota in the plan: the plan is not its.
    assert api(staff, "GET",
               f"/plans/{plan.code}/documents/bang-chi-tieu-docx").status_code == 404
    announcement = f"/drives/{drives['one'].code}/announcement"
    response = api(office, "GET", announcement)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="thong-bao-')
    assert api(outsider, "GET", announcement).status_code == 404
    assert api(None, "GET", announcement).status_code == 401
