"""Reading what reports need from the database, in a few queries whatever the size:
closed drives as `metrics.DriveFigures` credited to units, quotas, drives ahead.

Closed drives' results are the only pre-aggregate: one row per drive, written in the
transaction that closes (or corrects) the drive, and summed when a report is read. So
a corrected drive is right in every report at once; there is no second roll-up to keep
in step (tests/bench/bench_reports.py measures the cost of summing at read time).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from hienmau.drives.models import DriveResult
from hienmau.orgs.models import Kind, Organization
from hienmau.plans.checks import contributions
from hienmau.plans.models import Campaign, Drive, DriveShare, DriveStatus, Plan, Quota, Section
from hienmau.reports import metrics

PLAN_YEAR_STARTS = (12, 1)  # the seeds count a plan year from 01/12 to 30/11


@dataclass(frozen=True)
class Scope:
    """Which drives a report counts: those credited to `organization` and the units
    below it (a receiving institution: the drives it received), in a period, narrowed
    by plan section, campaign or receiving institution."""

    organization: Organization
    start: datetime.date
    end: datetime.date
    section: Section | None = None
    campaign: Campaign | None = None
    institution: Organization | None = None

    @property
    def receives(self) -> bool:
        """True for a receiving institution's own report: the drives it collected at."""
        return self.organization.kind == Kind.RECEIVING_INSTITUTION

    def previous(self) -> "Scope":
        start, end = metrics.previous_year(self.start, self.end)
        return Scope(self.organization, start, end, self.section, self.campaign,
                     self.institution)

    def prefixes(self) -> list[str]:
        """Tree paths whose credited parts the report counts."""
        path = self.organization.path
        if self.section is None:
            return [path]
        quota_paths = list(self.section.quotas.values_list("organization__path", flat=True))
        inside = [p for p in quota_paths if p.startswith(path)]
        # A unit inside one of the section's units: that unit's own subtree.
        return inside or ([path] if any(path.startswith(p) for p in quota_paths) else [])


def plan_year(year: int) -> tuple[datetime.date, datetime.date]:
    """Plan year `year`: 01/12 of the year before to 30/11 (seed 002: "Tính từ ngày
    01/12/2022 đến 30/11/2023" is 2023)."""
    month, day = PLAN_YEAR_STARTS
    return datetime.date(year - 1, month, day), datetime.date(year, month, day) - \
        datetime.timedelta(days=1)


def plan_year_of(day: datetime.date) -> int:
    return day.year + 1 if (day.month, day.day) >= PLAN_YEAR_STARTS else day.year


def month_range(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), metrics._month_end(year, month)


def _in_scope(drives, scope: Scope):
    """The drives of the scope's organization: received by it (an institution), or
    organized or shared by it or a unit below it."""
    path = scope.organization.path
    if scope.receives:
        return drives.filter(receiving_institution__path__startswith=path)
    return drives.filter(Q(organizer__path__startswith=path) | Q(
        pk__in=DriveShare.objects.filter(organization__path__startswith=path).values("drive")))


def latest_result(scope: Scope) -> datetime.date | None:
    """The date of the scope organization's latest closed drive, whatever the period:
    where an empty report can point the user."""
    drives = _in_scope(Drive.objects.filter(status=DriveStatus.CLOSED), scope)
    return drives.order_by("-date").values_list("date", flat=True).first()


def credited_parts(scope: Scope) -> list[tuple[str, metrics.DriveFigures]]:
    """(unit path, part) of every closed drive in the scope's period and filters, for
    every unit it is credited to (a receiving institution's report: the whole drive,
    keyed by its organizer). Not yet narrowed to the scope's units: see `parts`."""
    drives = Drive.objects.filter(status=DriveStatus.CLOSED, date__gte=scope.start,
                                  date__lte=scope.end)
    if scope.campaign is not None:
        drives = drives.filter(campaign=scope.campaign)
    if scope.institution is not None:
        drives = drives.filter(receiving_institution=scope.institution)
    if scope.receives:
        drives = drives.filter(receiving_institution__path__startswith=scope.organization.path)
    else:
        prefixes = scope.prefixes()
        if not prefixes:
            return []
        under = Q(pk__in=[])
        for path in prefixes:
            under |= Q(organizer__path__startswith=path) | Q(pk__in=DriveShare.objects.filter(
                organization__path__startswith=path).values("drive"))
        drives = drives.filter(under)
    rows = DriveResult.objects.filter(drive__in=drives).values_list(
        "drive_id", "drive__date", "drive__expected_units", "units_collected",
        "people_registered", "people_present", "people_deferred", "people_first_time",
        "units_by_volume", "deferrals_by_reason", "drive__organizer__path")
    shares = {}
    if not scope.receives:
        for drive_id, path, expected in DriveShare.objects.filter(drive__in=drives).order_by(
                "drive_id", "pk").values_list("drive_id", "organization__path",
                                              "expected_units"):
            shares.setdefault(drive_id, []).append((path, expected))
    parts = []
    for (drive_id, date, expected, units, registered, present, deferred, first_time,
         by_volume, deferrals, organizer_path) in rows:
        figures = metrics.DriveFigures(
            drive_id, date, expected, units, registered, present, deferred, first_time,
            {int(ml): n for ml, n in (by_volume or {}).items()}, dict(deferrals or {}))
        if drive_id in shares:
            parts.extend(metrics.split(figures, shares[drive_id]))
        else:
            parts.append((organizer_path, figures))
    return parts


def parts(scope: Scope) -> list[metrics.DriveFigures]:
    """The closed drives' figures the scope counts."""
    found = credited_parts(scope)
    if scope.receives:
        return [part for _path, part in found]
    return metrics.within(found, scope.prefixes())


def quota_of(organization: Organization, start: datetime.date,
             end: datetime.date) -> int | None:
    """The unit's quota in the plan whose year is the period (None: no quota given)."""
    found = list(Quota.objects.filter(organization=organization, plan__starts_on__lte=end,
                                      plan__ends_on__gte=start).values_list("units",
                                                                            flat=True))
    return sum(found) if found else None


def quotas_of(units: list[Organization], start: datetime.date,
              end: datetime.date) -> dict[int, int]:
    """{organization id: quota} for several units, in one query."""
    found = {}
    for org_id, units_ in Quota.objects.filter(
            organization__in=units, plan__starts_on__lte=end,
            plan__ends_on__gte=start).values_list("organization_id", "units"):
        found[org_id] = found.get(org_id, 0) + units_
    return found


def committee_plan(organization: Organization, start: datetime.date,
                   end: datetime.date) -> Plan | None:
    """The committee's own plan for the period: where the national and provincial
    quotas it received are written."""
    return Plan.objects.filter(committee=organization, starts_on__lte=end,
                               ends_on__gte=start).order_by("-starts_on").first()


def drives_ahead(scope: Scope, today: datetime.date, limit: int | None = None):
    """Drives still to come in the period (planned or confirmed), soonest first."""
    drives = _in_scope(Drive.objects.filter(
        date__gte=today, date__lte=scope.end,
        status__in=(DriveStatus.PLANNED, DriveStatus.CONFIRMED)), scope)
    drives = drives.select_related("organizer", "receiving_institution").prefetch_related(
        "shares__organization").order_by("date", "pk")
    return list(drives[:limit] if limit else drives)


def drives_by_id(ids: list[int]) -> dict:
    return Drive.objects.select_related("organizer", "receiving_institution").in_bulk(ids)


def planned_ahead_by_path(drives) -> list[tuple[str, int]]:
    """(unit path, expected units) each drive ahead credits, as plans count them."""
    return [(org.path, units) for _drive, org, units in contributions(drives)]
