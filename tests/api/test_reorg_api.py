"""The API across a reorganization: huyện Hai ended on 30/06/2025, succeeded by xã Mới
(from 01/07/2025). The same rule as the screens: a record names the units in activity
on its date, and the successor's office keeps the ended unit's records."""

import datetime

import pytest

from hienmau.orgs import services as orgs
from hienmau.orgs.models import Kind
from hienmau.orgs.roles import Role
from hienmau.plans import services
from tests.conftest import make_user

D = datetime.date
ENDED = ("“BCĐ huyện Hai” đã kết thúc hoạt động ngày 30/06/2025: không thể giao việc cho đơn "
         "vị này vào ngày 05/08/2025. Đơn vị kế thừa: “BCĐ xã Mới”.")


@pytest.fixture
def commune(tree, office):
    commune = orgs.create_organization(actor=office, parent=tree["province"], name="BCĐ xã Mới",
                                       kind=Kind.COMMUNE_COMMITTEE, valid_from=D(2025, 7, 1))
    orgs.merge_into_successor(tree["district_two"], successor=commune, last_day=D(2025, 6, 30),
                              move_children=False, actor=office)
    tree["district_two"].refresh_from_db()
    return commune


@pytest.fixture
def commune_office(commune, django_user_model):
    return make_user(django_user_model, "xamoi", commune, Role.OFFICE)


def drive_body(organizer, day, **extra):
    return {"organizer": str(organizer.code), "date": day, "venue": "Nhà văn hóa",
            "expected_units": 300, **extra}


def test_a_drive_names_the_units_of_its_date(api, office, tree, commune):
    refused = api(office, "POST", "/drives", drive_body(tree["district_two"], "2025-08-05"))
    assert refused.status_code == 422
    assert refused.json() == {"detail": ENDED, "code": "unit_period", "field": "organizer"}
    early = api(office, "POST", "/drives", drive_body(commune, "2025-06-15"))
    assert early.status_code == 422 and early.json()["detail"] == (
        "“BCĐ xã Mới” chỉ hoạt động từ ngày 01/07/2025: không thể giao việc cho đơn vị này "
        "vào ngày 15/06/2025.")
    made = api(office, "POST", "/drives", drive_body(tree["district_two"], "2025-06-15"))
    assert made.status_code == 201, made.content
    shared = api(office, "POST", "/drives", drive_body(
        commune, "2025-08-05", coordinating_units=[str(tree["district_two"].code)]))
    assert shared.status_code == 422 and shared.json()["field"] == "coordinating_units"


def test_an_old_drive_of_an_ended_unit_is_corrected_without_losing_it(api, commune_office,
                                                                       coordinator, tree,
                                                                       commune):
    drive = services.create_drive(actor=None, date=D(2024, 3, 7), venue="Sân vận động",
                                  expected_units=150, organizer=tree["district_two"],
                                  coordinating=[tree["district_two"]],
                                  shares=[(tree["district_two"], 150)])
    path = f"/drives/{drive.code}"
    response = api(commune_office, "PATCH", path, {"notes": "Sửa lại địa điểm", "venue": "Sân"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["organizer_code"] == str(tree["district_two"].code)
    assert [s["expected_units"] for s in body["shares"]] == [150]
    moved = api(commune_office, "PATCH", path, {"date": "2025-08-05"})
    assert moved.status_code == 422 and moved.json()["detail"] == ENDED
    assert api(coordinator, "GET", path).status_code == 404  # huyện Một's: still outside


def test_the_successors_office_plans_for_the_ended_committee_in_its_years(
        api, commune_office, coordinator, tree, commune):
    body = {"committee": str(tree["district_two"].code), "title": "Kế hoạch 2024",
            "starts_on": "2023-12-01", "ends_on": "2024-11-30"}
    created = api(commune_office, "POST", "/plans", body)
    assert created.status_code == 201, created.content
    code = created.json()["code"]
    assert api(commune_office, "PATCH", f"/plans/{code}",
               {"document_number": "12/KH-BCĐ"}).status_code == 200
    assert api(coordinator, "GET", f"/plans/{code}").status_code == 404
    later = api(commune_office, "POST", "/plans",
                {**body, "starts_on": "2025-12-01", "ends_on": "2026-11-30"})
    assert later.status_code == 422 and later.json()["code"] == "unit_period"
    assert "đã kết thúc hoạt động ngày 30/06/2025" in later.json()["detail"]


def test_organizations_valid_on_a_date(api, office, tree, commune):
    def names(day):
        response = api(office, "GET", "/organizations", {"valid_on": day})
        assert response.status_code == 200
        return {item["name"] for item in response.json()["items"]}

    assert {"BCĐ huyện Hai"} <= names("2025-06-15") and "BCĐ xã Mới" not in names("2025-06-15")
    assert "BCĐ xã Mới" in names("2025-07-01") and "BCĐ huyện Hai" not in names("2025-07-01")
