"""Who a mailing or an appeal reaches: the donors of the sending unit's subtree,
narrowed by the filters an office picks. Consent is applied later, per channel
(`outbox.queue`), so a count shows both who matches and who may be messaged.

Eligibility on a day is the rules' own answer (`donors.history.assess`, TT 26/2013): the
database first drops those who gave within the shortest interval of any kind (they
cannot be eligible), then each remaining candidate is assessed with what of their
history can matter (`eligible_on`).
"""

import datetime
from collections import defaultdict, namedtuple
from dataclasses import asdict, dataclass, fields

from django.db.models import Count, Exists, F, OuterRef, Q

from hienmau.donors.eligibility import age_window
from hienmau.donors.history import assess, rules_in_force
from hienmau.donors.models import Donor, DonorUnit
from hienmau.orgs.models import Organization
from hienmau.outreach import spans


@dataclass(frozen=True)
class Filters:
    province_code: int | None = None
    commune_code: int | None = None
    workplace: str = ""  # an organization's code: its staff and those of units below
    club: str = ""  # a club's code: its members
    blood_group: str = ""
    rh: str = ""
    eligible_on: datetime.date | None = None
    last_donation_before: datetime.date | None = None
    min_donations: int | None = None  # a milestone: donations given, prior ones included

    def to_json(self) -> dict:
        data = asdict(self)
        for name in ("eligible_on", "last_donation_before"):
            if data[name]:
                data[name] = data[name].isoformat()
        return {k: v for k, v in data.items() if v not in (None, "")}

    @classmethod
    def from_json(cls, data: dict) -> "Filters":
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in (data or {}).items() if k in known}
        for name in ("eligible_on", "last_donation_before"):
            if values.get(name):
                values[name] = datetime.date.fromisoformat(values[name])
        return cls(**values)


def _subtree(code: str):
    org = Organization.objects.filter(code=code).only("path").first()
    return Organization.objects.filter(path__startswith=org.path) if org else None


def donors_of(sender: Organization, filters: Filters):
    """The donors a unit may reach (those of its subtree, as `Donor.visible_to` counts
    them) matching every filter but eligibility."""
    units = Organization.objects.filter(path__startswith=sender.path).values("pk")
    donors = Donor.objects.filter(
        merged_into__isnull=True, erased_at__isnull=True,
        pk__in=DonorUnit.objects.filter(organization__in=units).values("donor_id"))
    if filters.province_code:
        donors = donors.filter(province_code=filters.province_code)
    if filters.commune_code:
        donors = donors.filter(commune_code=filters.commune_code)
    if filters.workplace:
        workplaces = _subtree(filters.workplace)
        donors = donors.filter(workplace__in=workplaces) if workplaces is not None \
            else donors.none()
    if filters.club:
        donors = donors.filter(clubs__code=filters.club)
    if filters.blood_group:
        donors = donors.filter(blood_group=filters.blood_group)
    if filters.rh:
        donors = donors.filter(rh=filters.rh)
    if filters.last_donation_before:
        from hienmau.donors.history import COLLECTED

        later = Donor.donations.rel.related_model.objects.filter(
            donor=OuterRef("pk"), outcome=COLLECTED, date__gte=filters.last_donation_before)
        donors = donors.filter(donations__outcome=COLLECTED).exclude(Exists(later)).distinct()
    if filters.min_donations:
        from hienmau.donors.history import COLLECTED

        # given + prior ≥ N, written as given ≥ N − prior.
        donors = (donors.annotate(given=Count("donations", filter=Q(
            donations__outcome=COLLECTED))).filter(
            given__gte=filters.min_donations - F("prior_donations")))
    if filters.eligible_on:
        donors = could_be_eligible(donors, filters.eligible_on)
    return donors


def could_be_eligible(donors, on: datetime.date):
    """What the database can rule out: permanent exclusions, a collection within the
    shortest interval of any kind, a deferral lasting past `on`."""
    from hienmau.donors.history import COLLECTED, DEFERRED

    rules = rules_in_force(on)
    shortest = min(rules.interval_days.values())
    Donation = Donor.donations.rel.related_model
    recent = Donation.objects.filter(donor=OuterRef("pk"), outcome=COLLECTED,
                                     date__gt=on - datetime.timedelta(days=shortest),
                                     date__lte=on)
    deferred = Donation.objects.filter(donor=OuterRef("pk"), outcome=DEFERRED,
                                       deferred_until__gte=on, date__lte=on)
    return donors.filter(permanently_excluded=False).exclude(Exists(recent)).exclude(
        Exists(deferred))


# The fields the rules read, as plain rows: a province's donors are assessed at once,
# and model instances cost more than the rules themselves.
_Person = namedtuple("_Person", "birth_date birth_year sex weight_kg permanently_excluded")
_Donation = namedtuple("_Donation", "date type outcome deferred_until")


def eligible_on(donor_ids, on: datetime.date) -> dict[int, datetime.date]:
    """{donor id: the day they may give again} for the donors who may give whole blood
    on `on`, as the rules assess each one (`donors.history.assess`), in runs of ids.

    Only what can change the answer is read: the interval follows the last collection,
    so collections older than the longest interval do not matter, nor deferrals that
    do not cover `on` (`history.deferrals`: the last deferred day is `deferred_until`).
    A donor with neither is assessed on age alone (`eligibility.age_window`)."""
    from hienmau.donors.history import COLLECTED, DEFERRED

    rules = rules_in_force(on)
    since = on - datetime.timedelta(days=max(rules.interval_days.values()))
    Donation = Donor.donations.rel.related_model
    result = {}

    def allowed(person, history) -> bool:
        reasons = assess(person, history, on, rules=rules).reasons
        # Weight is measured again at the drive: a low one recorded long ago alone
        # does not keep someone from being invited.
        return all(reason.code == "under_weight" for reason in reasons)

    for span, run in spans.runs(donor_ids):
        history = defaultdict(list)
        for donor_id, *row in Donation.objects.filter(
                Q(outcome=COLLECTED, date__gt=since, date__lte=on)
                | Q(outcome=DEFERRED, date__lte=on, deferred_until__gte=on),
                **spans.where(span)).values_list(
                "donor_id", "date", "type", "outcome", "deferred_until").order_by():
            history[donor_id].append(_Donation(*row))
        for pk, *row in Donor.objects.filter(
                **spans.where(span, "pk"), permanently_excluded=False).values_list(
                "pk", *_Person._fields).order_by():
            if pk not in run:
                continue
            person = _Person(*row)
            if pk in history:
                ok = allowed(person, history[pk])
            else:
                window = age_window(person.birth_date, person.birth_year, rules)
                ok = window is None or window[0] <= on < window[1]
            if ok:
                result[pk] = on
    return result


def select(sender: Organization, filters: Filters) -> list[int]:
    """The ids of the donors the filters reach, eligibility checked by the rules."""
    ids = list(donors_of(sender, filters).values_list("pk", flat=True).distinct())
    if filters.eligible_on:
        eligible = eligible_on(ids, filters.eligible_on)
        ids = [pk for pk in ids if pk in eligible]
    return ids
