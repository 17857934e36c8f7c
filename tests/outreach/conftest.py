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
