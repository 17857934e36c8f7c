"""Outreach fixtures: donors of district one with the consents a test needs.

`make_donor(name, phone=…, email=…, consents=("sms",), **fields)` creates a donor kept by
district one (any field of `donors.services.create_donor` may be given) and records the
channel consents named.
"""

import datetime

import pytest

from hienmau.donors import services as donors
from hienmau.donors.models import Consent


@pytest.fixture
def make_donor(tree, office):
    counter = iter(range(10, 10_000))

    def make(name, *, consents=("sms", "zalo", "email"), home=None, **fields):
        n = next(counter)
        fields.setdefault("phone", f"0912{n:06d}")
        fields.setdefault("birth_date", datetime.date(1990, 1, 1))
        fields.setdefault("sex", "M")
        fields.setdefault("weight_kg", 60)
        donor = donors.create_donor(actor=office, full_name=name,
                                    home=home or tree["district_one"], **fields)
        for channel in consents:
            donors.give_consent(donor, actor=office, purpose=channel,
                                channel=Consent.Channel.PAPER)
        return donor
    return make


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    """Quiet hours off unless a test turns them on (test_outbox's quiet-hours tests)."""
    settings.OUTREACH_QUIET_FROM_HOUR = settings.OUTREACH_QUIET_UNTIL_HOUR = 0
    settings.OUTREACH_CALLBACK_TOKEN = "callback-secret"
    settings.SITE_URL = "https://hienmau.example.vn"


@pytest.fixture
def mailing(tree):
    """A typed mailing of district one; `mailing(channels=[…], body=…)` makes another."""
    from hienmau.outreach.models import Mailing

    def make(channels=("sms",), body="{don_vi} kính gửi {ho_ten}: ngày mai có đợt hiến máu.",
             sender=None, subject="Thư mời hiến máu", **fields):
        return Mailing.objects.create(sender=sender or tree["district_one"],
                                      title=fields.pop("title", "Tin thử"),
                                      channels=list(channels), body=body, subject=subject,
                                      **fields)
    return make


@pytest.fixture
def queue_one(mailing):
    """Queue a fresh mailing to these donors; returns the message of the first one."""
    from hienmau.outreach import outbox
    from hienmau.outreach.models import Message

    def queue(*donors, channels=("sms",), now=None, **fields):
        m = mailing(channels=channels, **fields)
        outbox.queue(m, [d.pk for d in donors], now=now)
        return Message.objects.filter(mailing=m, donor=donors[0]).first()
    return queue
