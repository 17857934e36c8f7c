"""A drive's registrations on screen: the list and its counts, a coordinator adding people,
editing and cancelling, and the public pages (drive list, sign-up, confirmation) with
their abuse limits. Another unit's user is refused everywhere."""

import datetime
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from hienmau.donors import services as donors
from hienmau.donors.models import Consent, Donor
from hienmau.drives import registrations
from hienmau.drives.models import Donation, Registration, RegistrationStatus
from hienmau.plans.models import Drive

D = datetime.date


@pytest.fixture
def drive(tree):
    return Drive.objects.create(date=timezone.localdate() + datetime.timedelta(days=20),
                                venue="Nhà văn hóa huyện Một", organizer=tree["district_one"],
                                expected_units=100, registration_target=120,
                                title="Ngày hội hiến máu huyện Một")


def register(drive, donor, actor, **extra):
    return registrations.register(drive, donor, source="coordinator", actor=actor,
                                  today=timezone.localdate(), **extra)[0]


def test_the_list_shows_counts_masks_numbers_and_who_will_not_be_eligible(
        client_for, drive, hung, coordinator, tree):
    Donation.objects.create(donor=hung, date=drive.date - datetime.timedelta(days=20),
                            volume_ml=350, receiving_institution=tree["institute"])
    registration = register(drive, hung, coordinator)
    page = client_for(coordinator).get(reverse("drives:registrations", args=[drive.code]))
    html = page.content.decode()
    assert 'data-testid="registered-count">1<' in html and "chỉ tiêu 120" in html
    assert registration.reference in html and "0912 *** 678" in html
    assert "001090012345" not in html
    not_eligible = html.split('data-testid="not-eligible"')[1]
    next_day = drive.date - datetime.timedelta(days=20) + datetime.timedelta(days=84)
    assert "Nguyễn Văn Hùng" in not_eligible and next_day.strftime("%d/%m/%Y") in not_eligible
    # The drive page shows the count too.
    page = client_for(coordinator).get(reverse("plans:drive", args=[drive.code]))
    assert 'data-testid="registrations-card"' in page.content.decode()


def test_a_coordinator_finds_a_person_and_registers_them_once(client_for, drive, hung,
                                                              coordinator, tree):
    client = client_for(coordinator)
    url = reverse("drives:registration_add", args=[drive.code])
    found = client.get(url, {"q": "nguyen van hung"}).content.decode()
    assert "Nguyễn Văn Hùng" in found
    data = {"action": "existing", "donor": hung.code, "mobilized_by": tree["company"].code}
    response = client.post(url, data)
    assert response.status_code == 302
    registration = Registration.objects.get(drive=drive, donor=hung)
    assert registration.mobilized_by == tree["company"] and registration.source == "coordinator"
    client.post(url, data, follow=True)
    assert Registration.objects.filter(drive=drive).count() == 1
    found = client.get(url, {"q": "0912345678"}).content.decode()
    assert "Đã đăng ký" in found


def test_a_coordinator_registers_a_new_person_with_inline_identity_checks(
        client_for, drive, coordinator, tree):
    client = client_for(coordinator)
    url = reverse("drives:registration_add", args=[drive.code])
    data = {"action": "new", "full_name": "Đỗ Minh Tuấn", "birth_date": "04/05/1985",
            "sex": "M", "id_type": "cccd", "id_number": "001098012345", "phone": "0912000111",
            "consent": "on", "mobilized_by": tree["district_one"].code}
    page = client.post(url, data)
    assert page.status_code == 200  # the CCCD says 1998: a clear message, nothing saved
    assert "năm sinh 1998" in page.content.decode() and not Donor.objects.exists()
    response = client.post(url, data | {"birth_date": "04/05/1998"})
    assert response.status_code == 302
    donor = Donor.objects.get()
    assert donor.home == tree["district_one"]
    assert donor.consents.filter(purpose=Consent.Purpose.REGISTRY).exists()
    assert Registration.objects.get().donor == donor


def test_edit_and_cancel_a_registration(client_for, drive, hung, coordinator):
    registration = register(drive, hung, coordinator)
    client = client_for(coordinator)
    response = client.post(reverse("drives:registration_edit",
                                   args=[drive.code, registration.reference]),
                           {"status": "confirmed", "note": "Gọi xác nhận 10/6"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "confirmed" and registration.note == "Gọi xác nhận 10/6"
    client.post(reverse("drives:registration_cancel", args=[drive.code,
                                                            registration.reference]))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    # Registering again reuses the row and its reference.
    again = register(drive, hung, coordinator)
    assert again.pk == registration.pk and again.status == RegistrationStatus.REGISTERED


def test_another_units_user_is_refused(client_for, drive, hung, coordinator, outsider):
    registration = register(drive, hung, coordinator)
    client = client_for(outsider)
    for url in (reverse("drives:registrations", args=[drive.code]),
                reverse("drives:registration_add", args=[drive.code]),
                reverse("drives:registration_edit", args=[drive.code,
                                                          registration.reference])):
        assert client.get(url).status_code == 404, url
    url = reverse("drives:registration_cancel", args=[drive.code, registration.reference])
    assert client.post(url).status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED


def test_a_joint_drives_unit_sees_only_the_people_it_mobilized(
        client_for, drive, hung, office, coordinator, outsider, tree):
    drive.executing_units.add(tree["district_two"])
    other = donors.create_donor(actor=office, full_name="Phạm Thị Hoa", birth_year=1992,
                                home=tree["district_two"], phone="0987111222")
    register(drive, hung, coordinator, mobilized_by=tree["district_one"])
    register(drive, other, office, mobilized_by=tree["district_two"])
    html = client_for(outsider).get(reverse("drives:registrations", args=[drive.code])
                                    ).content.decode()
    assert "Phạm Thị Hoa" in html and "Nguyễn Văn Hùng" not in html


PERSON = {"full_name": "Lê Thị Mai", "birth_date": "01/02/1995", "sex": "F",
          "id_number": "001195012345", "phone": "0912 345 679", "consent": "on"}


def test_public_sign_up_registers_and_confirms_with_a_code_and_a_qr_code(client, drive):
    response = client.post(reverse("drives:sign_up", args=[drive.code]),
                           PERSON | {"reminders": "on"})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.source == "online" and registration.drive == drive
    donor = registration.donor
    assert donor.home == drive.organizer and donor.phone == "+84912345679"
    # The box names SMS and Zalo on the phone given (no e-mail was given).
    assert set(donor.consents.values_list("purpose", flat=True)) == {
        "registry", "reminders", "sms", "zalo"}
    page = client.get(response["Location"]).content.decode()
    assert registration.reference in page and "<svg" in page
    # A full QR code (21 modules and more, quiet zone 4), not a Micro QR, which phone
    # cameras and browser decoders do not read: at scale 6, at least 174 px wide.
    width = int(re.search(r'<svg[^>]*width="(\d+)"', page).group(1))
    assert width >= (21 + 8) * 6
    assert "Lê T. M." in page and "Lê Thị Mai" not in page


@pytest.fixture
def fresh_limits():
    """The sign-up limits count from zero (they live in the cache, across tests)."""
    from django.core.cache import cache

    cache.clear()


def _answer(client, response):
    """The page a sign-up ends on, as its visitor sees it (the confirmation after a
    redirect), with the reference codes and CSRF tokens taken out (they differ between
    two sign-ups)."""
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    page = re.sub(r'(CSRFToken": "|csrfmiddlewaretoken" value=")\w+', "TOKEN", page)
    return re.sub(r"[A-Z0-9]{4}-?[A-Z0-9]{4}|<svg.*?</svg>", "CODE", page, flags=re.S)


def test_public_sign_up_does_not_tell_a_cccd_is_on_record_under_another_name(
        client, drive, hung, fresh_limits):
    """The public page is no oracle: a known CCCD typed with another name gets the answer
    a new person gets; the desk finds the number in the new record's notes."""
    stranger = PERSON | {"full_name": "Lê Văn Tám", "birth_date": "04/05/1990", "sex": "M",
                         "id_number": "001090099999"}
    new_answer = _answer(client, client.post(reverse("drives:sign_up", args=[drive.code]),
                                             stranger))
    known_answer = _answer(client, client.post(
        reverse("drives:sign_up", args=[drive.code]),
        stranger | {"id_number": hung.id_number, "phone": "0912000333"}))
    assert known_answer == new_answer
    assert "đã có trong hồ sơ" not in known_answer and "Nguyễn" not in known_answer
    assert not hung.registrations.exists()
    tam = Registration.objects.get(donor__phone="+84912000333").donor
    assert tam.id_number is None and hung.id_number in tam.notes


def test_public_sign_up_does_not_show_a_known_persons_eligibility(client, drive, hung, tree,
                                                                   fresh_limits):
    """Name + CCCD + birth year of a known donor do not show when they last gave nor when
    they may give again: the answer is the confirmation a new person gets, and the desk
    applies the history on the day."""
    given = drive.date - datetime.timedelta(days=30)
    Donation.objects.create(donor=hung, date=given, volume_ml=350,
                            receiving_institution=tree["institute"])
    response = client.post(reverse("drives:sign_up", args=[drive.code]),
                           PERSON | {"full_name": "Nguyễn Văn Hùng", "birth_date": "04/05/1990",
                                     "sex": "M", "id_number": hung.id_number})
    html = _answer(client, response)
    again = (given + datetime.timedelta(weeks=12)).strftime("%d/%m/%Y")
    assert 'data-testid="not-eligible-result"' not in html
    assert again not in html and given.strftime("%d/%m/%Y") not in html
    assert Registration.objects.get().donor == hung and Donor.objects.count() == 1


def test_public_sign_up_still_refuses_by_what_was_typed(client, drive, fresh_limits):
    """Eligibility by age, from the birth date typed, is told as before (it says nothing
    about any record)."""
    html = client.post(reverse("drives:sign_up", args=[drive.code]),
                       PERSON | {"birth_date": "04/05/1940", "id_number": "001140012345"}
                       ).content.decode()
    assert 'data-testid="not-eligible-result"' in html
    assert not Registration.objects.exists()


@override_settings(PUBLIC_SIGNUPS_PER_IP_HOUR=3, PUBLIC_SIGNUPS_PER_PHONE_DAY=2)
def test_public_sign_up_is_limited_per_ip_and_per_phone(client, drive):
    from django.core.cache import cache

    cache.clear()
    url = reverse("drives:sign_up", args=[drive.code])
    assert client.post(url, PERSON).status_code == 302
    assert client.post(url, PERSON).status_code == 302  # the same person again: no new row
    assert Registration.objects.count() == 1
    third = client.post(url, PERSON | {"id_number": "001195012346"})
    assert third.status_code == 429 and "Số điện thoại này" in third.content.decode()
    fourth = client.post(url, PERSON | {"phone": "0912000222", "id_number": "001195012347"})
    assert fourth.status_code == 429 and "quá nhiều lượt" in fourth.content.decode()
    # A bot filling the hidden field gets nothing.
    cache.clear()
    assert client.post(url, PERSON | {"website": "x"}).status_code == 400


def test_the_public_drive_list_filters_by_province_and_month(client, drive, tree):
    Drive.objects.filter(pk=drive.pk).update(title="Ngày hội A")
    tree["district_one"].province_code = 33
    tree["district_one"].save()
    month = drive.date.strftime("%Y-%m")
    html = client.get(reverse("drives:public_drives"), {"province": 33, "month": month}
                      ).content.decode()
    assert "Ngày hội A" in html
    html = client.get(reverse("drives:public_drives"), {"province": 1}).content.decode()
    assert "Ngày hội A" not in html and 'data-testid="no-drives"' in html


def test_a_returning_donor_signing_up_online_is_matched_to_their_record(client, drive, hung):
    response = client.post(reverse("drives:sign_up", args=[drive.code]),
                           PERSON | {"full_name": "nguyễn văn hùng", "birth_date": "04/05/1990",
                                     "sex": "M", "id_number": hung.id_number,
                                     "phone": "0987 654 321", "reminders": "on"})
    assert response.status_code == 302
    assert Donor.objects.count() == 1 and Registration.objects.get().donor == hung
    hung.refresh_from_db()
    assert hung.phone == "+84912345678"  # a public form does not change a record
    assert hung.consents.filter(purpose=Consent.Purpose.REMINDERS, channel="online").exists()
