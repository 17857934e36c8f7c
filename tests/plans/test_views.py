"""Plan and drive screens, as the province office, a district coordinator and outsiders."""

import datetime

import pytest
from django.urls import reverse

from hienmau.plans import services
from hienmau.plans.models import Drive, DriveStatus, InstitutionCapacity, Plan

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


def drive_data(tree, **extra):
    data = {"date": "06/03/2024", "venue": "Nhà văn hóa huyện", "organizer":
            tree["district_one"].code, "expected_units": "500", "status": "planned",
            "shares-TOTAL_FORMS": "3", "shares-INITIAL_FORMS": "0"}
    data.update(extra)
    return data


def test_plan_page_computes_section_and_grand_totals(client_for, office, plan):
    response = client_for(office).get(reverse("plans:detail", kwargs={"code": plan.code}))
    assert response.status_code == 200
    table = response.context["table"]
    assert [b.total for b in table.blocks] == [800] and table.total == 800
    assert "Cộng mục I" in response.text


def test_coordinator_creates_a_drive_for_its_district_only(client_for, coordinator, tree, plan):
    client = client_for(coordinator)
    response = client.post(reverse("plans:drive_create"), drive_data(tree))
    assert response.status_code == 302
    drive = Drive.objects.get()
    assert drive.plan == plan  # joined the plan covering its date by itself
    response = client.post(reverse("plans:drive_create"),
                           drive_data(tree, organizer=tree["district_two"].code))
    assert response.status_code == 200 and "organizer" in response.context["form"].errors
    assert Drive.objects.count() == 1


def test_coordinator_edits_own_drives_not_another_districts(client_for, coordinator, office,
                                                            tree, plan):
    own = services.create_drive(actor=office, date=D(2024, 3, 6), venue="A", expected_units=100,
                                organizer=tree["district_one"])
    other = services.create_drive(actor=office, date=D(2024, 3, 7), venue="B",
                                  expected_units=100, organizer=tree["district_two"])
    client = client_for(coordinator)
    response = client.post(reverse("plans:drive_edit", kwargs={"code": own.code}),
                           drive_data(tree, expected_units="650"))
    assert response.status_code == 302
    assert Drive.objects.get(pk=own.pk).expected_units == 650
    assert client.get(reverse("plans:drive_edit", kwargs={"code": other.code})
                      ).status_code == 404


def test_saving_a_drive_warns_about_weekday_and_plan_year(client_for, office, tree, plan):
    response = client_for(office).post(
        reverse("plans:drive_create"),
        drive_data(tree, date="16/06/2025", weekday_text="Chủ nhật", plan=plan.pk), follow=True)
    text = response.text
    assert "Ngày 16/06/2025 là Thứ Hai, không phải Chủ nhật." in text
    assert "nằm ngoài năm kế hoạch" in text


def test_joint_drive_shares_must_add_up(client_for, office, tree, plan):
    data = drive_data(tree, expected_units="500", **{
        "shares-0-organization": tree["district_one"].code, "shares-0-expected_units": "200",
        "shares-1-organization": tree["district_two"].code, "shares-1-expected_units": "200"})
    response = client_for(office).post(reverse("plans:drive_create"), data)
    assert response.status_code == 200
    assert "phải bằng số đơn vị máu dự kiến" in response.text
    assert not Drive.objects.exists()
    data["shares-1-expected_units"] = "300"
    assert client_for(office).post(reverse("plans:drive_create"), data).status_code == 302
    table = client_for(office).get(reverse("plans:detail", kwargs={"code": plan.code})
                                   ).context["table"]
    assert [row.planned for row in table.blocks[0].rows] == [200, 300]


def test_cancelling_needs_a_reason_and_keeps_the_drive(client_for, coordinator, office, tree):
    drive = services.create_drive(actor=office, date=D(2024, 3, 6), venue="A",
                                  expected_units=100, organizer=tree["district_one"])
    client = client_for(coordinator)
    url = reverse("plans:drive_cancel", kwargs={"code": drive.code})
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Trùng lịch thi"}).status_code == 302
    drive.refresh_from_db()
    assert drive.status == DriveStatus.CANCELLED and "Trùng lịch thi" in drive.notes


def test_calendar_and_list_show_the_drive_with_filters(client_for, office, tree, plan):
    services.create_drive(actor=office, date=D(2024, 3, 6), venue="A", expected_units=100,
                          organizer=tree["district_one"])
    services.create_drive(actor=office, date=D(2024, 4, 2), venue="B", expected_units=100,
                          organizer=tree["district_two"])
    client = client_for(office)
    calendar = client.get(reverse("plans:calendar"), {"month": "2024-03"})
    assert calendar.text.count('data-testid="calendar-drive"') == 1
    listing = client.get(reverse("plans:drives"), {"unit": tree["district_two"].code})
    assert listing.text.count('data-testid="drive-row"') == 1
    assert client.get(reverse("plans:drives"), {"month": "2024-04"}).text.count(
        'data-testid="drive-row"') == 1


def test_outsider_sees_none_of_the_districts_drives(client_for, outsider, office, tree):
    services.create_drive(actor=office, date=D(2024, 3, 6), venue="A", expected_units=100,
                          organizer=tree["district_one"])
    response = client_for(outsider).get(reverse("plans:drives"))
    assert 'data-testid="drive-row"' not in response.text


def test_plan_page_lists_the_checks_that_fire(client_for, office, tree, plan):
    services.create_drive(actor=office, plan=plan, date=D(2024, 3, 6), venue="A",
                          expected_units=400, organizer=tree["district_one"],
                          receiving_institution=tree["institute"], weekday_text="Chủ nhật")
    services.create_drive(actor=office, plan=plan, date=D(2024, 3, 6), venue="B",
                          expected_units=400, organizer=tree["district_two"],
                          receiving_institution=tree["institute"])
    InstitutionCapacity.objects.create(institution=tree["institute"], units_per_day=600)
    codes = {w.code for w in client_for(office).get(
        reverse("plans:detail", kwargs={"code": plan.code})).context["warnings"]}
    assert codes == {"weekday_mismatch", "quota_not_covered", "institution_over_capacity"}


def test_office_starts_next_years_plan_from_this_one(client_for, office, plan):
    response = client_for(office).post(reverse("plans:copy", kwargs={"code": plan.code}))
    new = Plan.objects.exclude(pk=plan.pk).get()
    assert response["Location"] == reverse("plans:detail", kwargs={"code": new.code})
    assert (new.starts_on, new.ends_on, new.previous) == (D(2024, 12, 1), D(2025, 11, 30), plan)
    assert sorted(new.quotas.values_list("units", flat=True)) == [300, 500]
    assert new.sections.get().number == "I"


def test_office_changes_and_removes_a_quota(client_for, office, tree, plan):
    client = client_for(office)
    url = reverse("plans:quota_edit", kwargs={"code": plan.code})
    section = plan.sections.get()
    client.post(url, {"organization": tree["company"].code, "units": "150",
                      "section": section.pk})
    assert plan.quotas.get(organization=tree["company"]).units == 150
    client.post(url, {"organization": tree["company"].code, "delete": "1"})
    assert not plan.quotas.filter(organization=tree["company"]).exists()


def test_office_creates_a_plan_for_its_committee(client_for, office, tree):
    response = client_for(office).post(reverse("plans:create"), {
        "committee": tree["province"].code, "title": "KH 2026", "starts_on": "01/12/2025",
        "ends_on": "30/11/2026", "status": "draft"})
    assert response.status_code == 302
    assert Plan.objects.get().committee == tree["province"]


def test_coordinator_cannot_create_plans(client_for, coordinator):
    assert client_for(coordinator).get(reverse("plans:create")).status_code == 403


def test_campaigns_of_committees_above_are_visible_and_offices_add_their_own(
        client_for, office, coordinator, outsider, tree):
    services.save_campaign(actor=office, owner=tree["province"], name="Chủ nhật đỏ",
                           usual_month=12)
    response = client_for(coordinator).get(reverse("plans:campaigns"))
    assert "Chủ nhật đỏ" in response.text and response.context["form"] is None
    assert client_for(coordinator).post(reverse("plans:campaigns"),
                                        {"name": "X"}).status_code == 403
    response = client_for(office).post(reverse("plans:campaigns"), {
        "owner": tree["province"].code, "name": "Hành trình đỏ", "usual_month": "6"})
    assert response.status_code == 302
    assert "Hành trình đỏ" in client_for(outsider).get(reverse("plans:campaigns")).text


def test_audit_log_reads_drive_changes_in_vietnamese(client_for, office, tree):
    drive = services.create_drive(actor=office, date=D(2024, 3, 6), venue="A",
                                  expected_units=100, organizer=tree["district_one"])
    services.update_drive(drive, actor=office, expected_units=150,
                          status=DriveStatus.CONFIRMED)
    text = client_for(office).get(reverse("orgs:audit")).text
    assert "Thêm đợt hiến máu" in text and "Sửa đợt hiến máu" in text
    assert "Số đơn vị máu dự kiến: 100 → 150" in text
    assert "Trạng thái: Dự kiến → Đã xác nhận" in text
    assert "hienmau.drive" not in text and "expected_units" not in text


def test_a_plan_year_ending_before_it_starts_is_said_on_the_end_date(client_for, office, tree,
                                                                     plan):
    """The database's rule, said in Vietnamese beside the field (not “Constraint
    "plan_year_ordered" is violated.”), when creating and when editing."""
    client = client_for(office)
    created = client.post(reverse("plans:create"), {
        "committee": tree["province"].code, "title": "KH 2026", "starts_on": "01/12/2025",
        "ends_on": "30/11/2025", "status": "draft"})
    edited = client.post(reverse("plans:edit", kwargs={"code": plan.code}), {
        "title": "KH 2024", "starts_on": "01/12/2023", "ends_on": "30/11/2023",
        "status": "draft"})
    for response in (created, edited):
        assert response.status_code == 200 and "Constraint" not in response.text
        assert response.context["form"].errors == {
            "ends_on": ["Ngày kết thúc năm kế hoạch phải sau ngày bắt đầu."]}
    assert Plan.objects.get().ends_on == D(2024, 11, 30)
    again = client.post(reverse("plans:create"), {
        "committee": tree["province"].code, "title": "Trùng", "starts_on": "01/12/2023",
        "ends_on": "30/11/2024", "status": "draft"})
    assert again.status_code == 200 and again.context["form"].errors == {
        "starts_on": ["Ban Chỉ đạo này đã có kế hoạch cho năm kế hoạch này."]}


def test_a_drive_ending_before_it_starts_is_said_on_the_end_time(client_for, coordinator, tree,
                                                                 plan):
    response = client_for(coordinator).post(reverse("plans:drive_create"), drive_data(
        tree, start_time="11:00", end_time="07:30"))
    assert response.status_code == 200 and "Constraint" not in response.text
    assert response.context["form"].errors == {"end_time": ["Giờ kết thúc phải sau giờ bắt đầu."]}
    assert not Drive.objects.exists()
