"""Every door into the registry asks donors.matching who the person is: the same person
typed at the public sign-up, a coordinator's entry, the walk-in desk, a list import, the
API batch and a club's members page is the same record (tests/donors/test_matching.py
holds the rule's table). And two imports of one list at once never make two records of
one person."""

import datetime
import json
import threading

import pytest
from django.core.cache import cache
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from hienmau.accounts.models import ApiToken
from hienmau.donors import services as donors
from hienmau.donors.models import Donor
from hienmau.drives.models import ImportStatus, Registration, RegistrationImport, Source
from hienmau.imports import registration_import as ri
from hienmau.orgs import services as orgs
from hienmau.orgs.models import Kind
from hienmau.orgs.roles import Role
from hienmau.plans.models import Drive

# Lan is on record without a document; at every door she now gives a new CCCD (the
# public page asks for one), her name in capitals and her phone as people type it.
TYPED = {"full_name": "TRẦN THỊ LAN", "birth_date": "01/02/1995", "sex": "F",
         "id_type": "cccd", "id_number": "001195099999", "phone": "0913 000 111"}


@pytest.fixture
def lan(office, tree):
    return donors.create_donor(actor=office, full_name="Trần Thị Lan", birth_year=1995,
                               sex="F", phone="0913000111", home=tree["district_one"])


@pytest.fixture
def drive(tree):
    return Drive.objects.create(date=timezone.localdate() + datetime.timedelta(days=20),
                                venue="Nhà văn hóa huyện Một", organizer=tree["district_one"],
                                expected_units=100, title="Ngày hội")


def test_public_sign_up(client, drive, lan):
    cache.clear()
    response = client.post(reverse("drives:sign_up", args=[drive.code]),
                           TYPED | {"consent": "on"})
    assert response.status_code == 302
    assert Registration.objects.get().donor == lan and Donor.objects.count() == 1


def test_coordinator_entry(client_for, coordinator, drive, lan, tree):
    page = client_for(coordinator).post(
        reverse("drives:registration_add", args=[drive.code]),
        TYPED | {"action": "new", "consent": "on", "mobilized_by": tree["district_one"].code})
    # Not a second record: the page names hers and offers to register her.
    assert page.context["new_form"].existing == lan
    assert "Trần Thị Lan đã có hồ sơ" in page.content.decode()
    assert Donor.objects.count() == 1


def test_walk_in(client_for, coordinator, lan, tree):
    today = Drive.objects.create(date=timezone.localdate(), venue="Hội trường",
                                 organizer=tree["district_one"], expected_units=10)
    url = reverse("drives:registration_add", args=[today.code]) + "?tai_cho=1"
    page = client_for(coordinator).post(url, TYPED | {
        "action": "new", "tai_cho": "1", "consent": "on",
        "mobilized_by": tree["district_one"].code})
    assert page.context["new_form"].existing == lan and Donor.objects.count() == 1


def test_registration_import(drive, lan, coordinator):
    names = ["full_name", "birth_date", "sex", "id_number", "phone"]
    sheet = ri.Sheet([names, [TYPED[n] for n in names]], 0, names, dict(enumerate(names)))
    review = ri.review(drive, sheet, sheet.mapping, actor=coordinator,
                       today=timezone.localdate())
    assert [plan.donor for plan in review.planned] == [lan]


def test_api_batch(client, drive, lan, coordinator):
    token = ApiToken.issue(coordinator, "test")[1]
    person = {n: TYPED[n] for n in ("full_name", "birth_date", "sex", "id_number", "phone")}
    response = client.post(f"/api/drives/{drive.code}/registrations/batch",
                           json.dumps({"people": [person]}), content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.content
    assert Registration.objects.get().donor == lan and Donor.objects.count() == 1


def test_club_members(client_for, lan, tree, django_user_model):
    club = orgs.create_organization(actor=None, parent=tree["district_one"], name="CLB",
                                    kind=Kind.CLUB)
    office = django_user_model.objects.create_user(username="o1", password="x" * 12)
    orgs.add_membership(actor=None, organization=tree["district_one"], user=office,
                        role=Role.COORDINATOR)
    client_for(office).post(reverse("outreach:club_members", kwargs={"code": club.code}), {
        "full_name": TYPED["full_name"], "birth_year": "1995", "phone": TYPED["phone"],
        "sex": "F", "consents": [], "consent_channel": "paper"})
    assert list(club.club_donors.all()) == [lan] and Donor.objects.count() == 1


# ---- two imports of one list at once -------------------------------------------------

PEOPLE = [[f"Người Số {'ABCDEFGHIJ'[n]}", "01/02/1995", "Nữ", f"0913 000 {n:03d}"]
          for n in range(10)]  # no CCCD: matched by name, birth year and phone


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_list_at_once_make_one_record_per_person(django_user_model):
    unit = orgs.create_organization(actor=None, parent=None, name="Tỉnh",
                                    kind=Kind.PROVINCIAL_COMMITTEE, province_code=33)
    user = django_user_model.objects.create_user(username="c", password="x" * 12)
    orgs.add_membership(actor=None, organization=unit, user=user, role=Role.COORDINATOR)
    drive = Drive.objects.create(date=timezone.localdate() + datetime.timedelta(days=20),
                                 venue="Hội trường", organizer=unit, expected_units=10)
    names = ["full_name", "birth_date", "sex", "phone"]
    sheet = ri.Sheet([names, *PEOPLE], 0, names, dict(enumerate(names)))
    today = timezone.localdate()
    reviews = [ri.review(drive, sheet, sheet.mapping, actor=user, today=today)
               for _ in range(2)]
    assert all(r.counts["new_donors"] == 10 for r in reviews)  # both read before any wrote
    records = [RegistrationImport.objects.create(drive=drive, file_name=f"{n}.xlsx",
                                                 file_sha256="x", file_data=b"x",
                                                 created_by=user) for n in range(2)]
    outcomes, barrier = [], threading.Barrier(2)

    def run(record, review):
        barrier.wait()
        try:
            ri.write(record, review, actor=user, today=today)
            outcomes.append("done")
        except ri.ImportRefused as error:
            outcomes.append(error.message)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=pair) for pair in zip(records, reviews,
                                                                       strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Donor.objects.count() == 10 and Registration.objects.count() == 10
    assert outcomes.count("done") == 1
    refusal = next(o for o in outcomes if o != "done")
    assert "cùng lúc" in refusal and "duplicate" not in refusal and "UNIQUE" not in refusal
    # The refused import run again finds everyone: no third copy.
    again = ri.review(drive, sheet, sheet.mapping, actor=user, today=today)
    assert again.counts["new_donors"] == 0 and again.counts["already_registered"] == 10
    ri.write(RegistrationImport.objects.create(drive=drive, file_name="3.xlsx",
                                               file_sha256="x", file_data=b"x",
                                               created_by=user), again, actor=user,
             today=today)
    assert Donor.objects.count() == 10 and Registration.objects.filter(
        source=Source.IMPORT).count() == 10
    assert RegistrationImport.objects.filter(status=ImportStatus.DONE).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_public_sign_ups_of_one_new_person_at_once_make_one_record():
    """A person pressing the button twice (or on two phones): both answers are the
    confirmation, and the registry holds one person registered once."""
    from django.test import Client

    unit = orgs.create_organization(actor=None, parent=None, name="Tỉnh",
                                    kind=Kind.PROVINCIAL_COMMITTEE, province_code=33)
    drive = Drive.objects.create(date=timezone.localdate() + datetime.timedelta(days=20),
                                 venue="Hội trường", organizer=unit, expected_units=10)
    cache.clear()
    url = reverse("drives:sign_up", args=[drive.code])
    statuses, barrier = [], threading.Barrier(2)

    def sign_up():
        client = Client()
        barrier.wait()
        try:
            statuses.append(client.post(url, TYPED | {"consent": "on"}).status_code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=sign_up) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert Donor.objects.count() == 1 and Registration.objects.count() == 1
