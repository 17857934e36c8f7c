"""Reading what reports need from the database, in a few queries whatever the size:
closed drives as `metrics.DriveFigures` credited to units, quotas, drives ahead.

Closed drives' results are the only pre-aggregate: one row per drive, written in the
transaction that closes (or corrects) the drive, and summed when a report is read. So
a corrected drive is right in every report at once; there is no second roll-up to keep
in step (tests/bench/bench_reports.py measures the cost of summing at read time).
"""

import datetime
import json
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, TextField, Value
from django.db.models.functions import Cast, Substr

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


def _in_scope(drives, scope: Scope, prefixes: list[str] | None = None):
    """The drives of the scope's organization: received by it (an institution), or
    organized or shared by it or a unit below it (or below `prefixes`)."""
    if scope.receives:
        return drives.filter(receiving_institution__in=_units_under(
            [scope.organization.path]))
    paths = prefixes if prefixes is not None else [scope.organization.path]
    if paths == [scope.organization.path] and _sole_root(scope.organization):
        return drives  # the top of the only tree: every drive of the period is its own
    units = _units_under(paths)
    # The drives' ids first, by organizer and date (an index) and through the joint
    # drives' shares: joined in one query, the OR of the two made PostgreSQL misjudge a
    # province's 330 drives as 15.000 and scan every result of five years.
    return Drive.objects.filter(pk__in=list(drives.filter(
        Q(organizer__in=units) | Q(pk__in=DriveShare.objects.filter(
            organization__in=units).values("drive"))).values_list("pk", flat=True)))


def _sole_root(organization) -> bool:
    return organization.depth == 1 and not Organization.objects.filter(depth=1).exclude(
        pk=organization.pk).exists()


def _units_under(paths: list[str]):
    under = Q(pk__in=[])
    for path in paths:
        under |= Q(path__startswith=path)
    return Organization.objects.filter(under).values("pk")


def _chunks(ids: list[int], size: int = 5000):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _ids_under(paths: list[str]) -> list[int]:
    under = Q(pk__in=[])
    for path in paths:
        under |= Q(path__startswith=path)
    return list(Organization.objects.filter(under).values_list("pk", flat=True))


def latest_result(scope: Scope) -> datetime.date | None:
    """The date of the scope organization's latest closed drive, whatever the period:
    where an empty report can point the user."""
    drives = _in_scope(Drive.objects.filter(status=DriveStatus.CLOSED), scope)
    return drives.order_by("-date").values_list("date", flat=True).first()


def credited_parts(scope: Scope) -> list[tuple[str, metrics.DriveFigures]]:
    """(unit path, part) of every closed drive in the scope's period and filters, for
    every unit it is credited to (a receiving institution's report: the whole drive,
    keyed by its organizer). Not yet narrowed to the scope's units: see `parts`."""
    drives = _closed_drives(scope)
    if drives is None:
        return []
    return list(_figures(DriveResult.objects.filter(drive__in=drives), scope))


def _closed_drives(scope: Scope):
    """The closed drives the scope counts (None: none can be)."""
    drives = Drive.objects.filter(status=DriveStatus.CLOSED, date__gte=scope.start,
                                  date__lte=scope.end)
    if scope.campaign is not None:
        drives = drives.filter(campaign=scope.campaign)
    if scope.institution is not None:
        drives = drives.filter(receiving_institution=scope.institution)
    if scope.receives:
        return _in_scope(drives, scope)
    prefixes = scope.prefixes()
    return _in_scope(drives, scope, prefixes) if prefixes else None


def _figures(results, scope: Scope):
    """(unit path, part) of the given results: a joint drive split by its shares (a
    receiving institution's report takes every drive whole, keyed by its organizer)."""
    rows = list(results.values_list(
        "drive_id", "drive__date", "drive__expected_units", "units_collected",
        "people_registered", "people_present", "people_deferred", "people_first_time",
        "units_by_volume", "deferrals_by_reason", "drive__organizer__path"))
    shares = {}
    if not scope.receives:
        ids = [row[0] for row in rows]
        for chunk in _chunks(ids):
            for drive_id, path, expected in DriveShare.objects.filter(
                    drive_id__in=chunk).order_by("drive_id", "pk").values_list(
                    "drive_id", "organization__path", "expected_units"):
                shares.setdefault(drive_id, []).append((path, expected))
    for (drive_id, date, expected, units, registered, present, deferred, first_time,
         by_volume, deferrals, organizer_path) in rows:
        figures = metrics.DriveFigures(
            drive_id, date, expected, units, registered, present, deferred, first_time,
            {int(ml): n for ml, n in (by_volume or {}).items()}, dict(deferrals or {}))
        if drive_id in shares:
            yield from metrics.split(figures, shares[drive_id])
        else:
            yield organizer_path, figures


@dataclass
class Cube:
    """A scope's closed drives summed by unit (its path cut to the level a report
    ranks; "" for a receiving institution's report), with the units of each unit and
    month beside."""

    units: dict  # {unit key: metrics.Totals}
    by_month: dict  # {(unit key, first day of the month): units collected}


def cube(scope: Scope, key_length: int) -> Cube:
    """The scope's closed drives summed by unit and month (`Cube`).

    One query reads the drives' results as plain rows (no model instances, no field
    conversions) and sums the drives credited whole (95% of them) in plain integers;
    joint drives are split by their shares (`metrics.split`). A nation's year, 20.000
    drives, is summed in a few hundred milliseconds (tests/bench/bench_reports.py)."""
    found = Cube({}, {})
    drives = _closed_drives(scope)
    if drives is None:
        return found
    shared = DriveShare.objects.filter(drive__in=drives)
    joint = set(shared.values_list("drive_id", flat=True))
    unit = Value("") if scope.receives else Substr("drive__organizer__path", 1, key_length)
    rows = DriveResult.objects.filter(drive__in=drives).annotate(
        key=unit, volumes=Cast("units_by_volume", TextField()),
        reasons=Cast("deferrals_by_reason", TextField())).values_list(
        "drive_id", "key", "drive__date", "drive__expected_units", "units_collected",
        "people_registered", "people_present", "people_deferred", "people_first_time",
        "volumes", "reasons").order_by()
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # no drive in the scope
        return found
    sums: dict = {}  # unit key → [drives, expected, units, people × 4 × 3]
    volumes: dict = {}
    reasons: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for (drive_id, key, day, expected, units, *people, by_volume,
             by_reason) in cursor.fetchall():
            if drive_id in joint:
                continue
            if isinstance(day, str):  # SQLite gives dates as text
                day = datetime.date.fromisoformat(day[:10])
            month = (key, day.replace(day=1))
            found.by_month[month] = found.by_month.get(month, 0) + units
            total = sums.get(key)
            if total is None:
                total = sums[key] = [0] * 15
            total[0] += 1
            total[1] += expected
            total[2] += units
            for i, value in enumerate(people):
                if value is not None:
                    total[3 + i] += value
                    total[7 + i] += 1
                    total[11 + i] += units
            if by_volume and by_volume != "{}":
                _add(volumes.setdefault(key, {}), json.loads(by_volume), int)
            if by_reason and by_reason != "{}":
                _add(reasons.setdefault(key, {}), json.loads(by_reason), str)
    for key, total in sums.items():
        totals = metrics.Totals(whole_drives=total[0], expected=total[1], units=total[2])
        for i, name in enumerate(metrics.PEOPLE):
            if total[7 + i]:
                totals.people[name] = total[3 + i]
                totals.known[name] = total[7 + i]
                totals.units_where_known[name] = total[11 + i]
        totals.by_volume.update(volumes.get(key, {}))
        totals.deferrals.update(reasons.get(key, {}))
        found.units[key] = totals
    if joint:
        for path, part in _figures(DriveResult.objects.filter(
                drive__in=shared.values("drive")), scope):
            key = "" if scope.receives else path[:key_length]
            found.units.setdefault(key, metrics.Totals()).add_part(part)
            month = (key, part.date.replace(day=1))
            found.by_month[month] = found.by_month.get(month, 0) + part.units
    return found


def _add(into: dict, values: dict, convert) -> None:
    for name, n in values.items():
        name = convert(name)
        into[name] = into.get(name, 0) + n


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
