"""Registrations through the API: the same rules and scoping as the screens and the
spreadsheet import."""

import datetime

import pytest
from django.utils import timezone

from hienmau.drives.models import Registration, RegistrationImport
from hienmau.plans.models import Drive


@pytest.fixture
def drive(tree):
    return Drive.objects.create(date=timezone.localdate() + datetime.timedelta(days=25),
                                venue="Nhà văn hóa", organizer=tree["district_one"],
                                expected_units=100)


def url(drive, rest=""):
    return f"/drives/{drive.code}/registrations{rest}"


PEOPLE = [
    {"full_name": "Nguyễn Văn An", "birth_date": "1990-05-04", "sex": "Nam",
     "id_number": "001090012399", "phone": "0912 345 601"},
    {"full_name": "Trần Thị Bình", "birth_date": "31/02/1995", "sex": "Nữ",
     "phone": "0912 345 602"},
    {"full_name": "Lê Văn Cường", "birth_date": "1988", "phone": "+84 912 345 603"},
]


def test_a_batch_registers_the_valid_people_and_says_why_not_the_others(api, coordinator,
                                                                          drive, tree):
    response = api(coordinator, "POST", url(drive, "/batch"),
                   {"people": PEOPLE, "mobilized_by": str(tree["company"].code)})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["counts"]["error"] == 1 and body["counts"]["to_register"] == 2
    first, second, third = body["results"]
    assert first["status"] == "ok" and first["reference"].startswith("HM-")
    assert second["status"] == "error" and second["reference"] is None
    assert second["messages"][0]["field"] == "birth_date"
    assert third["reference"]
    assert Registration.objects.filter(drive=drive, mobilized_by=tree["company"]).count() == 2
    # Kept in the drive's import history; sending it again creates nothing.
    assert RegistrationImport.objects.filter(drive=drive).count() == 1
    again = api(coordinator, "POST", url(drive, "/batch"), {"people": PEOPLE}).json()
    assert again["counts"]["already_registered"] == 2
    assert [r["reference"] for r in again["results"]] == [r["reference"]
                                                           for r in body["results"]]
    assert Registration.objects.filter(drive=drive).count() == 2


def test_register_a_known_donor_list_and_cancel(api, coordinator, drive, hung):
    response = api(coordinator, "POST", url(drive), {"donor": str(hung.code)})
    assert response.status_code == 201
    reference = response.json()["reference"]
    assert api(coordinator, "POST", url(drive), {"donor": str(hung.code)}).status_code == 200
    listing = api(coordinator, "GET", url(drive)).json()
    assert listing["count"] == 1
    item = listing["items"][0]
    assert item["donor"]["id_number_masked"] == "********2345"
    assert item["donor"]["phone_masked"] == "0912 *** 678"
    response = api(coordinator, "POST", url(drive, f"/{reference}/cancel"))
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_another_units_user_and_viewers_are_refused(api, coordinator, outsider, viewer, drive,
                                                    hung):
    assert api(outsider, "GET", url(drive)).status_code == 404
    assert api(outsider, "POST", url(drive, "/batch"), {"people": PEOPLE}).status_code == 404
    assert api(viewer, "GET", url(drive)).status_code == 403
    assert api(viewer, "POST", url(drive), {"donor": str(hung.code)}).status_code == 403
    assert api(None, "GET", url(drive)).status_code == 401
    assert not Registration.objects.exists()


def test_a_batch_too_large_or_for_a_past_drive_is_refused(api, coordinator, drive):
    too_many = {"people": [PEOPLE[0]] * 1001}
    assert api(coordinator, "POST", url(drive, "/batch"), too_many).status_code == 422
    Drive.objects.filter(pk=drive.pk).update(date=timezone.localdate() - datetime.timedelta(
        days=1))
    response = api(coordinator, "POST", url(drive, "/batch"), {"people": PEOPLE})
    assert response.status_code == 422 and "đã diễn ra" in response.json()["detail"]
    assert not RegistrationImport.objects.exists()
