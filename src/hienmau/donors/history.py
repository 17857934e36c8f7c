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
        return len(self.collected)

    @property
    def total(self) -> int:
        """Every donation the person gave, those before HienMau included."""
        return self.count + self.prior

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


def totals_on(donors, on: datetime.date) -> dict[int, int]:
    """{donor id: every donation given up to `on`, those before HienMau included} for
    the donors of a queryset, in one query (family milestones, honor rounds)."""
    from django.db.models import Count, Q

    counted = donors.annotate(given=Count("donations", filter=Q(
        donations__outcome=COLLECTED, donations__date__lte=on)))
    return {pk: given + prior for pk, given, prior in counted.values_list(
        "pk", "given", "prior_donations")}
