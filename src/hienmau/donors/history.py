"""A donor's history as the donor page shows it: donations, counts, eligibility.

The donations come through the reverse relation (they belong to `drives`, a higher app),
and reach the eligibility rules as plain values, as the rules expect.
"""

import datetime
from dataclasses import dataclass

from hienmau.donors import eligibility, identity
from hienmau.donors.models import StoredRuleSet
from hienmau.donors.rules import DEFAULT_RULESET, RuleSet
from hienmau.orgs import geography

COLLECTED = "collected"
DEFERRED = "deferred"


@dataclass
class History:
    donations: list  # newest first
    assessment: eligibility.Assessment
    phones: list[str]
    address: str
    on: datetime.date

    @property
    def collected(self) -> list:
        """Donations collected up to the day assessed, as the rules count them."""
        return [d for d in self.donations if d.outcome == COLLECTED and d.date <= self.on]

    prior: int = 0  # donations before HienMau (Donor.prior_donations)

    @property
    def count(self) -> int:
        """Donations HienMau holds, up to the day assessed (the API's donation_count)."""
        return len(self.collected)

    @property
    def total(self) -> int:
        """How many times the person has given by the day assessed (`times_given`)."""
        return times_given(self.prior, self.donations, self.on)

    @property
    def last(self):
        return next(iter(self.collected), None)


def person(donor) -> eligibility.Person:
    return eligibility.Person(birth_date=donor.birth_date, birth_year=donor.birth_year,
                              sex=donor.sex or None, weight_kg=donor.weight_kg,
                              permanently_excluded=donor.permanently_excluded)


def past_donations(donations) -> list:
    return [eligibility.PastDonation(date=d.date, type=d.type, outcome=d.outcome)
            for d in donations]


def deferrals(donations) -> list:
    """Temporary deferrals recorded at screening. A donation's `deferred_until` is the
    last deferred day; the rules want the first day the person may give again."""
    return [eligibility.Deferral(start=d.date, until=d.deferred_until + datetime.timedelta(days=1),
                                 permanent=False, reason_code="screening")
            for d in donations if d.outcome == DEFERRED and d.deferred_until]


def assess(donor, donations, on: datetime.date,
           donation_type: str = eligibility.WHOLE_BLOOD,
           rules: RuleSet | None = None) -> eligibility.Assessment:
    """`rules`: the rule set in force on `on`, when the caller assesses many people."""
    return eligibility.assess(person(donor), past_donations(donations), deferrals(donations),
                              on, donation_type, rules=rules or rules_in_force(on))


def explain(assessment: eligibility.Assessment) -> tuple[str, datetime.date | None]:
    """The reasons as one line, and the next eligible date unless a reason already
    gives it (lists of registrants and import reports show both)."""
    reasons = "; ".join(r.message.rstrip(".") for r in assessment.reasons)
    day = assessment.next_eligible_date
    return reasons, day if day and day.strftime("%d/%m/%Y") not in reasons else None


def rules_in_force(on: datetime.date) -> RuleSet:
    """The rule set in force on `on`: the latest stored one effective by then, else TT 26."""
    stored = StoredRuleSet.objects.filter(effective_from__lte=on).first()
    return RuleSet.from_dict(stored.data) if stored else DEFAULT_RULESET


def donor_history(donor, on: datetime.date) -> History:
    donations = list(donor.donations.select_related("drive", "receiving_institution")
                     .order_by("-date", "-pk"))
    phones = []
    for phone in (donor.phone, donor.phone_other):
        if phone:
            try:
                phones.append(identity.format_phone_local(phone))
            except identity.IdentityError:
                phones.append(phone)
    place = ", ".join(x for x in (donor.address, geography.commune_name(donor.commune_code),
                                  geography.province_name(donor.province_code)) if x)
    return History(donations, assess(donor, donations, on), phones, place, on,
                   prior=donor.prior_donations)


# ---- how many times a person has given -------------------------------------------
#
# One rule, asked by the check-in desk, the donor page, the certificate ("lần thứ N"),
# honors (milestones, proposals) and reports (first-time and repeat donors): the
# donations an office recorded from before HienMau (`Donor.prior_donations`, with their
# source) plus every donation collected that the registry holds, a drive's or one
# written in from an earlier book (`Donation.source`), up to the day asked, that day's
# included. A deferral or an incomplete visit is not a donation. `times_given` is the
# rule for one person; `totals_on` and `never_given_before` are the same rule for many
# people at once, in SQL (tests/donors/test_times_given.py checks they agree).


def times_given(prior: int, donations, on: datetime.date) -> int:
    """How many times a person has given blood by `on`, a donation on that day included.

    `prior`: donations before HienMau (`Donor.prior_donations`); `donations`: the
    person's donations (anything with `date` and `outcome`), whatever their outcome or
    date: only those collected on or before `on` count."""
    return (prior or 0) + sum(1 for d in donations if d.outcome == COLLECTED and d.date <= on)


def donor_times_given(donor, on: datetime.date) -> int:
    """`times_given` for a donor of the registry, read from the database: which donation
    a certificate of a donation on `on` is ("lần thứ N")."""
    return times_given(donor.prior_donations,
                       donor.donations.filter(outcome=COLLECTED, date__lte=on)
                       .only("date", "outcome"), on)


def _donations():
    # Donations belong to `drives`, a higher app: reached through the reverse relation.
    from hienmau.donors.models import Donor

    return Donor.donations.rel.related_model.objects


def totals_on(donors, on: datetime.date) -> dict[int, int]:
    """{donor id: `times_given` by `on`} for the donors of a queryset, in one query
    (family milestones, honor rounds)."""
    from django.db.models import Count, Q

    counted = donors.annotate(given=Count("donations", filter=Q(
        donations__outcome=COLLECTED, donations__date__lte=on)))
    return {pk: given + prior for pk, given, prior in counted.values_list(
        "pk", "given", "prior_donations")}


def never_given_before(day: datetime.date, donor: str = "donor"):
    """A condition on donations (`donor` names their donor field) that holds when their
    person had given no blood before `day`: `times_given` on the day before is 0, i.e. no
    donation before HienMau and none collected before `day`. The first-time donors of a
    drive on `day` (counted when it closes, for the reports), in SQL."""
    from django.db.models import Exists, OuterRef, Q

    earlier = _donations().filter(donor=OuterRef(donor), outcome=COLLECTED, date__lt=day)
    return Q(**{f"{donor}__prior_donations": 0}) & ~Exists(earlier)
