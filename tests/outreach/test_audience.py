"""Eligibility in audiences: `audience.eligible_on` reads only what can change the answer
(recent collections, deferrals, the birth date); it must agree with the rules assessing
each donor's whole history, as the donor page does."""

import datetime
import random

from hienmau.donors.history import assess
from hienmau.donors.models import Donor
from hienmau.drives.models import Donation
from hienmau.outreach import audience, spans

ON = datetime.date(2026, 6, 15)
NAMES = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Lâm", "Minh", "Nam"]
TYPES = ["whole_blood", "whole_blood", "platelets_apheresis", "plasma_apheresis",
         "red_cells_apheresis", "granulocytes_apheresis"]


def test_eligible_on_agrees_with_the_rules_on_whole_histories(make_donor, tree, monkeypatch):
    rng = random.Random(26)
    donors = []
    for n in range(120):
        born = ON - datetime.timedelta(days=rng.choice(
            [17 * 365, 18 * 365 - 3, 18 * 365 + 5, 30 * 365, 60 * 365, 61 * 365 + 2]))
        fields = rng.choice([{"birth_date": born},
                             {"birth_date": None, "birth_year": born.year}])
        donor = make_donor(f"Nguyễn Văn {NAMES[n % len(NAMES)]}", consents=(),
                           weight_kg=rng.choice([38, 60]), sex=rng.choice(["M", "F"]),
                           **fields)
        if rng.random() < 0.05:  # excluded for good
            Donor.objects.filter(pk=donor.pk).update(permanently_excluded=True)
            donor.refresh_from_db()
        for _ in range(rng.randrange(5)):
            day = ON - datetime.timedelta(days=rng.randrange(-30, 400))
            outcome = rng.choice(["collected", "collected", "deferred", "incomplete"])
            until = (day + datetime.timedelta(days=rng.choice([7, 60, 200]))
                     if outcome == "deferred" and rng.random() < 0.8 else None)
            Donation.objects.create(donor=donor, date=day, type=rng.choice(TYPES),
                                    outcome=outcome, deferred_until=until,
                                    receiving_institution=tree["institute"])
        donors.append(donor)

    # Deferrals ending on the day and the day before it: the boundary the database reads.
    for last_deferred_day in (ON, ON - datetime.timedelta(days=1)):
        donor = make_donor("Lê Thị Hoa", consents=())
        Donation.objects.create(donor=donor, date=ON - datetime.timedelta(days=30),
                                type="whole_blood", outcome="deferred",
                                deferred_until=last_deferred_day,
                                receiving_institution=tree["institute"])
        donors.append(donor)

    def by_the_rules(donor):
        reasons = assess(donor, list(donor.donations.order_by("-date")), ON).reasons
        return all(r.code == "under_weight" for r in reasons)

    expected = {d.pk for d in donors if by_the_rules(d)}
    assert set(audience.eligible_on([d.pk for d in donors], ON)) == expected
    # Read in small runs, for a part of them: those between are not answered for.
    monkeypatch.setattr(spans, "RUN", 7)
    part = [d.pk for d in donors[::3]]
    assert set(audience.eligible_on(part, ON)) == expected & set(part)
    # The mix is not trivial: some may give, some may not.
    assert 10 < len(expected) < len(donors) - 10
    assert donors[-2].pk not in expected and donors[-1].pk in expected
