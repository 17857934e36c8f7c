"""Every change to rounds, nominations and awards goes through here, with its audit entry
in the same transaction."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.donors import milestones
from hienmau.donors.history import COLLECTED, totals_on
from hienmau.donors.models import Donor, DonorUnit, Household
from hienmau.drives.models import Donation
from hienmau.errors import RuleError
from hienmau.honors import proposals
from hienmau.honors.models import Award, EmulationWeights, HonorRound, Kind, Nomination
from hienmau.orgs import audit
from hienmau.orgs.models import Organization
from hienmau.orgs.periods import period_error
from hienmau.reports import dashboard
from hienmau.reports.queries import Scope

SUBJECT = {Kind.INDIVIDUAL: "donor", Kind.FAMILY: "household",
           Kind.COLLECTIVE: "organization"}


class HonorError(RuleError):
    """A change refused by a rule; `code` is stable for tests and API clients."""


@transaction.atomic
def create_round(*, actor, committee: Organization, **fields) -> HonorRound:
    honor_round = HonorRound(committee=committee, **fields)
    if honor_round.period_end < honor_round.period_start:
        raise HonorError(_("Ngày kết thúc kỳ xét phải sau ngày bắt đầu."), "period_order",
                         field="period_end")
    _check_period(honor_round, committee, "committee")
    honor_round.save()
    audit.log("hienmau.honors.round_created", actor=actor, organization=committee,
              obj=honor_round, data={"title": honor_round.title})
    return honor_round


def _check_period(honor_round: HonorRound, org: Organization, field: str) -> None:
    """A round names units in activity during its period (`orgs.periods`): the office
    that inherited an ended committee holds the rounds of its years, none after its end."""
    message = period_error(org, honor_round.period_start, honor_round.period_end)
    if message:
        raise HonorError(message, "unit_period", field=field)


def _editable(honor_round: HonorRound) -> HonorRound:
    honor_round = HonorRound.objects.select_for_update().get(pk=honor_round.pk)
    if honor_round.approved:
        raise HonorError(_("Danh sách đã được duyệt, không thể thay đổi."), "approved")
    return honor_round


@transaction.atomic
def propose(honor_round: HonorRound, *, actor, today: datetime.date | None = None) -> dict:
    """Make (or remake) the round's proposed lists from the data. Run again, it updates
    the figures and keeps every decision the office made; proposals the data no longer
    supports go, those the office added stay. {kind: nominations proposed}."""
    honor_round = _editable(honor_round)
    found = {Kind.INDIVIDUAL: _individuals(honor_round), Kind.FAMILY: _families(honor_round),
             Kind.COLLECTIVE: _collectives(honor_round, today or timezone.localdate())}
    existing = {(n.kind, getattr(n, f"{SUBJECT[n.kind]}_id")): n
                for n in honor_round.nominations.all()}
    for kind, proposed in found.items():
        for proposal in proposed:
            nomination = existing.pop((kind, proposal.key), None) or Nomination(
                round=honor_round, kind=kind, **{f"{SUBJECT[kind]}_id": proposal.key})
            if not nomination.edited:
                nomination.award = proposal.award
            nomination.donations, nomination.tier = proposal.donations, proposal.tier
            nomination.basis, nomination.proposed = proposal.basis, True
            nomination.save()
    for nomination in existing.values():
        if nomination.proposed:
            nomination.delete()
    honor_round.proposed_at = timezone.now()
    honor_round.save(update_fields=["proposed_at"])
    counts = {kind: len(proposed) for kind, proposed in found.items()}
    audit.log("hienmau.honors.proposed", actor=actor, organization=honor_round.committee,
              obj=honor_round, data={str(kind): n for kind, n in counts.items()})
    return counts


def _donors_under(committee: Organization):
    """Donors whose records the committee's units keep (home, workplace, clubs, where
    they gave), whose personal data is still held."""
    units = Organization.objects.filter(path__startswith=committee.path).values("pk")
    return Donor.objects.filter(merged_into__isnull=True, erased_at__isnull=True).filter(
        Exists(DonorUnit.objects.filter(donor=OuterRef("pk"), organization__in=units)))


def _before(honor_round: HonorRound) -> datetime.date:
    return honor_round.period_start - datetime.timedelta(days=1)


def _individuals(honor_round: HonorRound) -> list[proposals.Proposal]:
    gave = _donors_under(honor_round.committee).filter(Exists(Donation.objects.filter(
        donor=OuterRef("pk"), outcome=COLLECTED, date__gte=honor_round.period_start,
        date__lte=honor_round.period_end)))
    before = totals_on(gave, _before(honor_round))
    after = totals_on(gave, honor_round.period_end)
    return proposals.individuals({pk: (before[pk], after[pk]) for pk in after},
                                 milestones.tiers_for(honor_round.committee),
                                 honor_round.individual_from)


def _families(honor_round: HonorRound) -> list[proposals.Proposal]:
    households = Household.objects.filter(home__path__startswith=honor_round.committee.path)
    members = Donor.objects.filter(household__in=households, merged_into__isnull=True)
    before = totals_on(members, _before(honor_round))
    after = totals_on(members, honor_round.period_end)
    counts: dict[int, list] = {}
    for pk, household_id in members.values_list("pk", "household_id"):
        counts.setdefault(household_id, []).append((before[pk], after[pk]))
    return proposals.families(counts, milestones.tiers_for(honor_round.committee),
                              honor_round.family_from)


def _collectives(honor_round: HonorRound, today: datetime.date) -> list[proposals.Proposal]:
    if honor_round.collective_percent is None and honor_round.collective_growth is None:
        return []
    report = dashboard.build(Scope(honor_round.committee, honor_round.period_start,
                                   honor_round.period_end), today)
    # Last year counts only where it is comparable (`reports.comparison`): else as none.
    results = [proposals.UnitResult(row.organization.pk, row.now.units, row.quota,
                                    row.compared.before if row.compared.comparable else 0)
               for row in report.units if not row.own]
    return proposals.collectives(results, honor_round.collective_award,
                                 min_percent=honor_round.collective_percent,
                                 min_growth=honor_round.collective_growth)


@transaction.atomic
def decide(nomination: Nomination, *, actor, included: bool, reason: str = "") -> Nomination:
    """The office keeps a nomination on the list or takes it off. Taking off what HienMau
    proposed needs a reason; so does putting back what the office took off."""
    _editable(nomination.round)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    reason = reason.strip()
    if not reason and (not included or nomination.edited):
        raise HonorError(_("Hãy ghi lý do điều chỉnh."), "reason_required", field="reason")
    before = nomination.included
    nomination.included, nomination.reason = included, reason
    nomination.changed_by, nomination.changed_at = actor, timezone.now()
    nomination.save()
    audit.log("hienmau.honors.nomination_decided", actor=actor,
              organization=nomination.round.committee, obj=nomination.round,
              data={"subject": str(nomination.recipient), "kind": nomination.kind,
                    "before": before, "included": included, "reason": reason})
    return nomination


@transaction.atomic
def add(honor_round: HonorRound, *, actor, kind: str, subject, award: str,
        reason: str) -> Nomination:
    """The office adds a person, family or unit HienMau did not propose, with why."""
    honor_round = _editable(honor_round)
    if not reason.strip():
        raise HonorError(_("Hãy ghi lý do đề nghị thêm."), "reason_required", field="reason")
    if not award.strip():
        raise HonorError(_("Hãy ghi hình thức tôn vinh, khen thưởng."), "award_required",
                         field="award")
    if kind == Kind.COLLECTIVE:
        _check_period(honor_round, subject, "unit")
    donations = None
    if kind == Kind.INDIVIDUAL:
        donations = totals_on(Donor.objects.filter(pk=subject.pk),
                              honor_round.period_end)[subject.pk]
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                round=honor_round, kind=kind, award=award.strip(), donations=donations,
                proposed=False, reason=reason.strip(), changed_by=actor,
                changed_at=timezone.now(), **{SUBJECT[kind]: subject})
    except IntegrityError:
        raise HonorError(_("%(name)s đã có trong danh sách.") % {"name": str(subject)},
                         "already_listed") from None
    audit.log("hienmau.honors.nomination_added", actor=actor, organization=honor_round.committee,
              obj=honor_round, data={"subject": str(subject), "kind": kind,
                                     "reason": reason.strip()})
    return nomination


@transaction.atomic
def approve(honor_round: HonorRound, *, actor) -> HonorRound:
    honor_round = _editable(honor_round)
    if honor_round.proposed_at is None:
        raise HonorError(_("Hãy lập danh sách đề xuất trước khi duyệt."), "not_proposed")
    honor_round.status = HonorRound.Status.APPROVED
    honor_round.approved_at, honor_round.approved_by = timezone.now(), actor
    honor_round.save(update_fields=["status", "approved_at", "approved_by"])
    audit.log("hienmau.honors.approved", actor=actor, organization=honor_round.committee,
              obj=honor_round, data={"included": honor_round.nominations.filter(
                  included=True).count()})
    return honor_round


@transaction.atomic
def record_award(*, actor, recorded_for: Organization, kind: str, recipient, title: str,
                 issuer: str, date: datetime.date, number: str = "",
                 honor_round: HonorRound | None = None) -> Award:
    for value, field, message in ((title, "title", _("Hãy ghi hình thức khen thưởng.")),
                                  (issuer, "issuer", _("Hãy ghi cơ quan, người ký."))):
        if not value.strip():
            raise HonorError(message, f"{field}_required", field=field)
    award = Award.objects.create(kind=kind, title=title.strip(), issuer=issuer.strip(),
                                 number=number.strip(), date=date, round=honor_round,
                                 recorded_for=recorded_for, **{SUBJECT[kind]: recipient})
    audit.log("hienmau.honors.award_recorded", actor=actor, organization=recorded_for,
              obj=award, data={"recipient": str(recipient), "title": award.title,
                               "number": award.number})
    return award


@transaction.atomic
def delete_award(award: Award, *, actor) -> None:
    """An award recorded by mistake (the audit entry keeps what it said)."""
    audit.log("hienmau.honors.award_deleted", actor=actor, organization=award.recorded_for,
              obj=award, data={"recipient": str(award.recipient), "title": award.title,
                               "number": award.number, "date": award.date.isoformat()})
    award.delete()


@transaction.atomic
def record_round_awards(honor_round: HonorRound, *, actor, issuer: str, number: str,
                        date: datetime.date) -> int:
    """The decision came: an award for everyone on the approved lists, once (run again,
    it records nobody twice). How many were recorded."""
    if not honor_round.approved:
        raise HonorError(_("Chỉ ghi khen thưởng theo danh sách đã duyệt."), "not_approved")
    done = set(honor_round.awards.values_list("kind", "donor_id", "household_id",
                                              "organization_id"))
    recorded = 0
    for n in honor_round.nominations.filter(included=True).select_related(
            "donor", "household", "organization"):
        if (n.kind, n.donor_id, n.household_id, n.organization_id) in done:
            continue
        record_award(actor=actor, recorded_for=honor_round.committee, kind=n.kind,
                     recipient=n.recipient, title=n.award, issuer=issuer, number=number,
                     date=date, honor_round=honor_round)
        recorded += 1
    return recorded


@transaction.atomic
def save_weights(committee: Organization, *, actor, **weights) -> EmulationWeights:
    """The committee's own weights for the emulation ranking of its units."""
    found, _created = EmulationWeights.objects.select_for_update().get_or_create(
        committee=committee)
    before = {name: getattr(found, name) for name in weights}
    for name, value in weights.items():
        setattr(found, name, value)
    found.save()
    audit.log("hienmau.honors.weights_saved", actor=actor, organization=committee, obj=found,
              data={"before": before, "after": weights})
    return found
