"""How many times a person has given (`donors.history.times_given`): one rule for the
desk, the donor page, the certificate, honors and reports. A table of people, by hand,
and the rule's SQL forms (`totals_on`, `never_given_before`) giving the same answers."""

import datetime
from types import SimpleNamespace

import pytest

from hienmau.donors.history import never_given_before, times_given, totals_on
from hienmau.donors.models import Donor

D = datetime.date
ON = D(2024, 6, 14)


def given(day, outcome="collected"):
    return SimpleNamespace(date=day, outcome=outcome)


# (who, donations before HienMau, donations in the registry, day asked, times given)
TABLE = [
    ("nobody yet", 0, [], ON, 0),
    ("first donation today", 0, [given(ON)], ON, 1),
    ("first donation tomorrow", 0, [given(D(2024, 6, 15))], ON, 0),
    ("18th: 17 before HienMau", 17, [given(ON)], ON, 18),
    ("21st: 5 before, 15 from an old book", 5,
     [given(D(2010 + n, 3, 1)) for n in range(14)] + [given(D(2024, 3, 1)), given(ON)], ON,
     21),
    ("the day before the 21st", 5,
     [given(D(2010 + n, 3, 1)) for n in range(15)] + [given(ON)], D(2024, 6, 13), 20),
    ("deferred and incomplete visits are not donations", 3,
     [given(D(2024, 1, 5), "deferred"), given(D(2024, 2, 5), "incomplete"), given(ON)], ON,
     4),
    ("only before HienMau", 30, [], ON, 30),
]


@pytest.mark.parametrize("who, prior, donations, on, expected", TABLE,
                         ids=[row[0] for row in TABLE])
def test_times_given(who, prior, donations, on, expected):
    assert times_given(prior, donations, on) == expected


@pytest.mark.parametrize("who, prior, donations, on, expected", TABLE,
                         ids=[row[0] for row in TABLE])
def test_the_sql_forms_agree(who, prior, donations, on, expected, tree):
    from hienmau.drives.models import Donation

    donor = Donor.objects.create(full_name="Nguyễn Văn Hùng", birth_year=1980,
                                 home=tree["district_one"], prior_donations=prior)
    for donation in donations:
        Donation.objects.create(donor=donor, date=donation.date, outcome=donation.outcome)
    assert totals_on(Donor.objects.filter(pk=donor.pk), on) == {donor.pk: expected}
    # A first-time donor on a day: had given 0 times the day before.
    before = times_given(prior, donations, on - datetime.timedelta(days=1))
    marker = Donation.objects.create(donor=donor, date=on, outcome="incomplete")
    assert Donation.objects.filter(pk=marker.pk).filter(
        never_given_before(on)).exists() == (before == 0)
