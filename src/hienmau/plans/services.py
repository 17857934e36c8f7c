"""Writes to plans, quotas, campaigns and drives: each atomic and audited.

Permission checks belong to the caller (`plans/access.py`); these functions keep the
rules that hold for everybody.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.errors import RuleError
from hienmau.orgs import audit, numbering
from hienmau.orgs import services as orgs_services
from hienmau.orgs.models import Kind, Organization
from hienmau.orgs.periods import period_error
from hienmau.plans.models import (
    Campaign,
    Drive,
    DriveShare,
    DriveStatus,
    InstitutionCapacity,
    Plan,
    PlanStatus,
    Quota,
    Section,
)


class PlanError(RuleError):
    """A change refused by a business rule; `code` is stable for tests and API clients."""


def _changes(obj, before: dict) -> dict:
    return audit.diff(before, audit.snapshot(obj, obj.AUDITED_FIELDS))


def _check_periods(named, day: datetime.date, until: datetime.date | None = None) -> None:
    """Refuse a record that names a unit out of activity on its date (`day`) or during
    its plan year (`day` to `until`): an ended unit takes no later work, a new one no
    earlier. `named`: [(form field, organization)]."""
    for field, org in named:
        message = period_error(org, day, until)
        if message:
            raise PlanError(message, code="unit_period", field=field)


@transaction.atomic
def create_plan(*, actor, committee: Organization, **fields) -> Plan:
    for name in ("starts_on", "ends_on"):
        if error := date_range_error(fields[name]):
            raise PlanError(error, code="date_out_of_range", field=name)
    if fields["ends_on"] <= fields["starts_on"]:
        raise PlanError(_("Ngày kết thúc năm kế hoạch phải sau ngày bắt đầu."),
                        code="invalid_year", field="ends_on")
    if Plan.objects.filter(committee=committee, starts_on=fields["starts_on"]).exists():
        raise PlanError(_("Ban Chỉ đạo này đã có kế hoạch cho năm kế hoạch này."),
                        code="duplicate_plan", field="starts_on")
    _check_periods([("committee", committee)], fields["starts_on"], fields["ends_on"])
    plan = Plan.objects.create(committee=committee, **fields)
    audit.log("hienmau.plan.created", actor=actor, organization=committee, obj=plan,
              data={"fields": audit.snapshot(plan, Plan.AUDITED_FIELDS)})
    return plan


@transaction.atomic
def update_plan(plan: Plan, *, actor, **fields) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    before = audit.snapshot(plan, Plan.AUDITED_FIELDS)
    year = (plan.starts_on, plan.ends_on)
    for name, value in fields.items():
        setattr(plan, name, value)
    if plan.ends_on <= plan.starts_on:
        raise PlanError(_("Ngày kết thúc năm kế hoạch phải sau ngày bắt đầu."),
                        code="invalid_year", field="ends_on")
    if (plan.starts_on, plan.ends_on) != year:
        quotas = plan.quotas.select_related("organization__successor")
        _check_periods([("committee", plan.committee)]
                       + [("starts_on", q.organization) for q in quotas],
                       plan.starts_on, plan.ends_on)
    plan.save()
    changes = _changes(plan, before)
    if changes:
        audit.log("hienmau.plan.changed", actor=actor, organization=plan.committee, obj=plan,
                  data={"changes": changes})
    return plan


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02 in a year without it
        return day.replace(year=day.year + years, day=28)


def next_year(plan: Plan) -> tuple[datetime.date, datetime.date]:
    """The plan year after `plan`'s: (its first day, its last day)."""
    return _shift_year(plan.starts_on, 1), _shift_year(plan.ends_on, 1)


def next_year_committee(plan: Plan) -> Organization | None:
    """The committee that holds the plan year after `plan`'s: its own while in activity
    then, else its successor (or the successor's) in activity then; None when none is
    (the reason: `orgs.periods.period_error` of its committee over `next_year`)."""
    starts_on, ends_on = next_year(plan)
    committee = plan.committee
    for _step in range(3):
        if committee.is_active_on(starts_on, ends_on):
            return committee
        if committee.successor_id is None:
            return None
        committee = committee.successor
    return None


@transaction.atomic
def start_from_previous(previous: Plan, *, actor, title: str | None = None) -> Plan:
    """Next year's plan as a copy of `previous`: year shifted, sections and quotas copied,
    for the committee that holds the next year (`next_year_committee`: the successor of
    a committee ended before it).

    Drives are not copied (their dates are new every year); recurring campaigns belong
    to the committee and carry over by themselves. Quotas of units not in activity during
    the new year (a district ended by the 2025 reorganization) are not copied.
    """
    starts_on, ends_on = next_year(previous)
    committee = next_year_committee(previous)
    if committee is None:  # refused, with its end and successor
        _check_periods([("committee", previous.committee)], starts_on, ends_on)
    plan = create_plan(
        actor=actor, committee=committee,
        title=title or previous.title, previous=previous,
        starts_on=starts_on, ends_on=ends_on,
        national_quota=previous.national_quota, provincial_quota=previous.provincial_quota,
        population_target_percent=previous.population_target_percent,
        status=PlanStatus.DRAFT,
    )
    sections = {}
    for section in previous.sections.all():
        sections[section.pk] = Section.objects.create(
            plan=plan, number=section.number, title=section.title, position=section.position)
    quotas = list(previous.quotas.select_related("organization"))
    kept = [q for q in quotas if q.organization.is_active_on(plan.starts_on, plan.ends_on)]
    Quota.objects.bulk_create([
        Quota(plan=plan, section=sections.get(q.section_id), organization=q.organization,
              units=q.units, registration_target=q.registration_target,
              staff_share_percent=q.staff_share_percent, position=q.position, note=q.note)
        for q in kept
    ])
    audit.log("hienmau.plan.copied", actor=actor, organization=plan.committee, obj=plan,
              data={"from": str(previous), "quotas": len(kept),
                    "left_out": [str(q.organization) for q in quotas if q not in kept]})
    return plan


@transaction.atomic
def save_section(plan: Plan, *, actor, number: str, title: str,
                 position: int | None = None) -> Section:
    section, created = Section.objects.update_or_create(
        plan=plan, number=number.strip(),
        defaults={"title": title.strip(),
                  "position": position if position is not None else plan.sections.count()})
    audit.log("hienmau.plan.section_saved", actor=actor, organization=plan.committee,
              obj=plan, data={"section": str(section), "created": created})
    return section


@transaction.atomic
def save_quota(plan: Plan, *, actor, organization: Organization, units: int,
               section: Section | None = None, **extra) -> Quota:
    """Create or change the quota of `organization` in `plan`."""
    if section is not None and section.plan_id != plan.pk:
        raise PlanError(_("Mục này thuộc kế hoạch khác."), code="foreign_section",
                        field="section")
    if not organization.is_within(plan.committee):
        raise PlanError(_("Chỉ giao chỉ tiêu cho đơn vị trực thuộc Ban Chỉ đạo lập kế hoạch."),
                        code="outside_committee", field="organization")
    quota = Quota.objects.filter(plan=plan, organization=organization).first()
    old = quota.units if quota else None
    if quota is None:
        _check_periods([("organization", organization)], plan.starts_on, plan.ends_on)
        position = extra.pop("position", None)
        quota = Quota(plan=plan, organization=organization,
                      position=position if position is not None else plan.quotas.count())
    quota.units, quota.section = units, section
    for name, value in extra.items():
        setattr(quota, name, value)
    quota.save()
    audit.log("hienmau.quota.saved", actor=actor, organization=plan.committee, obj=quota,
              data={"unit": str(organization), "changes": {"units": [old, units]}})
    return quota


@transaction.atomic
def delete_quota(quota: Quota, *, actor) -> None:
    audit.log("hienmau.quota.deleted", actor=actor, organization=quota.plan.committee,
              obj=quota, data={"unit": str(quota.organization), "units": quota.units})
    quota.delete()


@transaction.atomic
def save_campaign(*, actor, owner: Organization, name: str, usual_month: int | None = None,
                  description: str = "") -> Campaign:
    campaign, created = Campaign.objects.update_or_create(
        owner=owner, name=name.strip(),
        defaults={"usual_month": usual_month, "description": description})
    audit.log("hienmau.campaign.saved", actor=actor, organization=owner, obj=campaign,
              data={"created": created, "usual_month": usual_month})
    return campaign


# The movement's records reach back to the 1990s (history is imported); drives are
# planned at most a few years ahead. A date outside is a typo (01/01/0001, 2205).
FIRST_DRIVE_YEAR = 1990
YEARS_AHEAD = 5


def date_range_error(day: datetime.date) -> str | None:
    """Why `day` cannot be a drive's date or a plan's year, or None."""
    last = timezone.localdate().year + YEARS_AHEAD
    if FIRST_DRIVE_YEAR <= day.year <= last:
        return None
    return _("Ngày %(day)s nằm ngoài khoảng cho phép (năm %(first)s đến năm %(last)s).") % {
        "day": f"{day.day:02d}/{day.month:02d}/{day.year:04d}", "first": FIRST_DRIVE_YEAR,
        "last": last}


def _check_drive(drive: Drive) -> None:
    if drive.date and (error := date_range_error(drive.date)):
        raise PlanError(error, code="date_out_of_range", field="date")
    if drive.receiving_institution_id and (
            drive.receiving_institution.kind != Kind.RECEIVING_INSTITUTION):
        raise PlanError(_("Đơn vị tiếp nhận máu phải là bệnh viện hoặc viện huyết học."),
                        code="not_an_institution", field="receiving_institution")
    if drive.start_time and drive.end_time and drive.end_time <= drive.start_time:
        raise PlanError(_("Giờ kết thúc phải sau giờ bắt đầu."), code="invalid_time",
                        field="end_time")


def _set_relations(drive: Drive, coordinating, executing, shares) -> None:
    if coordinating is not None:
        drive.coordinating_units.set(coordinating)
    if executing is not None:
        drive.executing_units.set(executing)
    if shares is not None:
        drive.shares.all().delete()
        DriveShare.objects.bulk_create(
            [DriveShare(drive=drive, organization=org, expected_units=units)
             for org, units in shares])
        total = sum(units for _org, units in shares)
        if shares and total != drive.expected_units:
            raise PlanError(
                _("Tổng phần đóng góp (%(total)s) phải bằng số đơn vị máu dự kiến "
                  "của đợt (%(expected)s).") % {"total": total, "expected": drive.expected_units},
                code="shares_mismatch", field="expected_units")


def _named_units(drive: Drive, coordinating, executing, shares) -> list[tuple[str, Organization]]:
    """[(form field, organization)] a drive names once saved with these relations (None:
    the ones it has)."""
    if coordinating is None:
        coordinating = drive.coordinating_units.all() if drive.pk else ()
    if executing is None:
        executing = drive.executing_units.all() if drive.pk else ()
    if shares is None:
        shares = ([(s.organization, s.expected_units)
                   for s in drive.shares.select_related("organization")] if drive.pk else ())
    named = [("organizer", drive.organizer)]
    if drive.receiving_institution_id:
        named.append(("receiving_institution", drive.receiving_institution))
    named += [("coordinating_units", org) for org in coordinating]
    named += [("executing_units", org) for org in executing]
    named += [("shares", org) for org, _units in shares]
    return named


def plan_for(organizer: Organization, day: datetime.date) -> Plan | None:
    """The plan a new drive belongs to when none is named: the plan of the nearest
    committee above (or at) the organizer whose plan year covers the day."""
    candidates = Plan.objects.filter(
        committee__in=[organizer, *organizer.ancestors()], starts_on__lte=day, ends_on__gte=day,
    ).exclude(status=PlanStatus.CLOSED).select_related("committee")
    return max(candidates, key=lambda p: p.committee.depth, default=None)


@transaction.atomic
def create_drive(*, actor, coordinating=None, executing=None, shares=None, **fields) -> Drive:
    """Create a drive. `shares`: [(organization, units)] for a joint drive.

    Without a plan, the drive joins the plan that covers it (see `plan_for`).
    """
    if fields.get("plan") is None and fields.get("organizer") and fields.get("date"):
        fields["plan"] = plan_for(fields["organizer"], fields["date"])
    drive = Drive(**fields)
    _check_drive(drive)
    _check_periods(_named_units(drive, coordinating, executing, shares), drive.date)
    drive.save()
    _set_relations(drive, coordinating, executing, shares)
    audit.log("hienmau.drive.created", actor=actor, organization=drive.organizer, obj=drive,
              data={"fields": audit.snapshot(drive, Drive.AUDITED_FIELDS)})
    return drive


@transaction.atomic
def update_drive(drive: Drive, *, actor, coordinating=None, executing=None, shares=None,
                 **fields) -> Drive:
    drive = Drive.objects.select_for_update().get(pk=drive.pk)
    before = audit.snapshot(drive, Drive.AUDITED_FIELDS)
    # Units it names already were checked against its date: an old drive keeps its ended
    # district; a new unit, or a new date, is checked (an ended unit takes no later work).
    had = {(field, org.pk) for field, org in _named_units(drive, None, None, None)}
    day = drive.date
    for name, value in fields.items():
        setattr(drive, name, value)
    _check_drive(drive)
    _check_periods([(field, org) for field, org in
                    _named_units(drive, coordinating, executing, shares)
                    if drive.date != day or (field, org.pk) not in had], drive.date)
    drive.save()
    _set_relations(drive, coordinating, executing, shares)
    changes = _changes(drive, before)
    if changes:
        audit.log("hienmau.drive.changed", actor=actor, organization=drive.organizer,
                  obj=drive, data={"changes": changes})
    return drive


@transaction.atomic
def cancel_drive(drive: Drive, *, actor, reason: str) -> Drive:
    """Cancel the drive, its reason added to its notes; a cancelled drive stays as it is
    (cancelling again adds no note and no audit entry)."""
    if drive.status == DriveStatus.CANCELLED:
        return drive
    if drive.status == DriveStatus.CLOSED:
        raise PlanError(_("Đợt hiến máu đã kết thúc, không thể hủy."), code="already_closed")
    if not reason.strip():
        raise PlanError(_("Hãy ghi lý do hủy để các đơn vị được thông báo rõ."),
                        code="reason_required", field="reason")
    notes = f"{drive.notes}\n" if drive.notes else ""
    return update_drive(drive, actor=actor, status=DriveStatus.CANCELLED,
                        notes=notes + _("Hủy: %(reason)s") % {"reason": reason.strip()})


@transaction.atomic
def save_institution_settings(institution: Organization, *, actor,
                              units_per_day: int | None, drives_per_day: int | None,
                              uses_isbt128: bool, bag_number_pattern: str) -> InstitutionCapacity:
    """A receiving institution's daily capacity (read by the plan's booking check) and
    its bag numbering, each change in the audit trail like other organization changes."""
    if institution.kind != Kind.RECEIVING_INSTITUTION:
        raise PlanError(_("Chỉ đơn vị tiếp nhận máu mới có năng lực tiếp nhận."),
                        code="not_an_institution")
    pattern = ", ".join(numbering.patterns(bag_number_pattern))  # PatternError if wrong
    orgs_services.update_organization(institution, actor=actor, uses_isbt128=uses_isbt128,
                                      bag_number_pattern=pattern)
    capacity = (InstitutionCapacity.objects.select_for_update()
                .filter(institution=institution).first()
                or InstitutionCapacity(institution=institution))
    before = audit.snapshot(capacity, InstitutionCapacity.AUDITED_FIELDS)
    capacity.units_per_day, capacity.drives_per_day = units_per_day, drives_per_day
    changes = _changes(capacity, before)
    if changes:
        capacity.save()
        audit.log("hienmau.institution.capacity_changed", actor=actor,
                  organization=institution, obj=capacity, data={"changes": changes})
    return capacity
