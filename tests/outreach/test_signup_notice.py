"""A person on record signing up on the public page: the page answers as for anyone, and
when their record says they may not give on the drive's date, one message tells them the
day they may give again, on the phone on record (never the one typed)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from hienmau.donors import services as donors
from hienmau.donors.models import Consent
from hienmau.drives.models import Donation, Registration
from hienmau.outreach.models import Mailing, MailingKind, Message
from hienmau.plans.models import Drive

HUNG = {"full_name": "Nguyễn Văn Hùng", "birth_date": "04/05/1990", "sex": "M",
        "id_number": "001090012345", "phone": "0987 654 321", "consent": "on"}


@pytest.fixture(autouse=True)
def fresh_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def drive(tree):
    return Drive.objects.create(date=timezone.localdate() + datetime.timedelta(days=20),
                                venue="Nhà văn hóa huyện Một", organizer=tree["district_one"],
                                expected_units=100, title="Ngày hội hiến máu huyện Một")


@pytest.fixture
def hung_sms(hung, office):
    """Hùng on record (phone 0912 345 678) with his consent to SMS, given on paper."""
    donors.give_consent(hung, actor=office, purpose=Consent.Purpose.SMS,
                        channel=Consent.Channel.PAPER)
    return hung


def _gave(donor, tree, day):
    Donation.objects.create(donor=donor, date=day, volume_ml=350,
                            receiving_institution=tree["institute"])


def _sign_up(client, drive, data, capture):
    """The page the person ends on (the confirmation), reference codes taken out."""
    with capture(execute=True):
        response = client.post(reverse("drives:sign_up", args=[drive.code]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    page = re.sub(r'(CSRFToken": "|csrfmiddlewaretoken" value=")\w+', "TOKEN", page)
    return re.sub(r"[A-Z0-9]{4}-?[A-Z0-9]{4}|<svg.*?</svg>", "CODE", page, flags=re.S)


def test_a_known_donor_not_eligible_gets_the_date_on_the_phone_on_record_only(
        client, drive, hung_sms, tree, django_capture_on_commit_callbacks):
    given = drive.date - datetime.timedelta(days=30)
    _gave(hung_sms, tree, given)
    again = (given + datetime.timedelta(weeks=12)).strftime("%d/%m/%Y")

    page = _sign_up(client, drive, HUNG, django_capture_on_commit_callbacks)
    # The same confirmation anyone gets: the registration, no date from the record.
    new_person = _sign_up(client, drive, HUNG | {"id_number": "001090099999",
                                                 "birth_date": "01/01/1990",
                                                 "phone": "0912000444"},
                          django_capture_on_commit_callbacks)
    assert page == new_person
    assert again not in page and given.strftime("%d/%m/%Y") not in page
    assert 'data-testid="not-eligible-result"' not in page
    assert Registration.objects.filter(donor=hung_sms, drive=drive).exists()

    message = Message.objects.get()
    assert message.donor == hung_sms and message.mailing.kind == MailingKind.SIGNUP_ELIGIBILITY
    assert (message.channel, message.address) == ("sms", "+84912345678")  # not 0987 654 321
    assert f"có thể hiến lại từ ngày {again}" in message.body
    assert "Nguyễn Văn Hùng" in message.body and drive.date.strftime("%d/%m/%Y") in message.body
    assert given.strftime("%d/%m/%Y") not in message.body  # no detail beyond the date

    # Signing up again registers nothing new and queues nothing twice.
    _sign_up(client, drive, HUNG, django_capture_on_commit_callbacks)
    assert Message.objects.count() == 1
    assert Registration.objects.filter(donor=hung_sms).count() == 1


def test_a_known_donor_eligible_on_the_drives_date_gets_no_such_message(
        client, drive, hung_sms, tree, django_capture_on_commit_callbacks):
    _gave(hung_sms, tree, drive.date - datetime.timedelta(weeks=13))
    _sign_up(client, drive, HUNG, django_capture_on_commit_callbacks)
    assert Registration.objects.get().donor == hung_sms
    assert not Message.objects.exists()
    assert not Mailing.objects.filter(kind=MailingKind.SIGNUP_ELIGIBILITY).exists()


def test_a_new_person_gets_no_such_message(client, drive, hung_sms,
                                           django_capture_on_commit_callbacks):
    _sign_up(client, drive, HUNG | {"id_number": "001090099999", "birth_date": "01/01/1990",
                                    "phone": "0912000444", "reminders": "on"},
             django_capture_on_commit_callbacks)
    assert Registration.objects.get().donor != hung_sms
    assert not Message.objects.exists()


def test_without_a_channel_consent_on_record_nothing_is_sent(
        client, drive, hung, tree, django_capture_on_commit_callbacks):
    """The message follows the outbox's rule: only on a channel the person consented to
    (the form's reminders box, unticked here, would give SMS and Zalo on the phone)."""
    _gave(hung, tree, drive.date - datetime.timedelta(days=30))
    _sign_up(client, drive, HUNG, django_capture_on_commit_callbacks)
    assert not Message.objects.exists()
    mailing = Mailing.objects.get(kind=MailingKind.SIGNUP_ELIGIBILITY)
    assert mailing.skipped == {"no_consent": 1}
