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
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Greatest, Substr, TruncMonth

from hienmau.drives.models import DriveResult
from hienmau.orgs.models import Kind, Organization, subtree_q
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
    ids = _ids_in_scope(drives, scope, prefixes)
    return drives if ids is None else Drive.objects.filter(AnyOf("pk", ids))


def _ids_in_scope(drives, scope: Scope, prefixes: list[str] | None = None) -> list[int] | None:
    """The ids, soonest first, of the drives `_in_scope` finds (None: every drive, for
    the top of the only tree)."""
    if scope.receives:
        drives = drives.filter(receiving_institution__in=_units_under(
            [scope.organization.path]))
    else:
        paths = prefixes if prefixes is not None else [scope.organization.path]
        if paths == [scope.organization.path] and _sole_root(scope.organization):
            return None
        units = _units_under(paths)
        # The ids first, by organizer and date (an index) and through the joint drives'
        # shares: joined in one query with what reads them, the OR of the two made
        # PostgreSQL misjudge a province's 330 drives as 15.000 and scan every result
        # of five years.
        drives = drives.filter(Q(organizer__in=units) | Q(
            pk__in=DriveShare.objects.filter(organization__in=units).values("drive")))
    return list(drives.order_by("date", "pk").values_list("pk", flat=True))


class AnyOf(Func):
    """`column = ANY(ids)`: a list of ids as one parameter (a PostgreSQL array; SQLite:
    a JSON array), where `column__in=ids` would make thousands of placeholders that cost
    Django, psycopg and the planner more than the query (a province's year: 4.600)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, ids):
        super().__init__(F(column))
        self.ids = list(ids)

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} = ANY(%s)", (*params, self.ids)

    def as_sqlite(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} IN (SELECT value FROM json_each(%s))", (*params,
                                                                 json.dumps(self.ids))


def _sole_root(organization) -> bool:
    return organization.depth == 1 and not Organization.objects.filter(depth=1).exclude(
        pk=organization.pk).exists()


def _units_under(paths: list[str]):
    return Organization.objects.filter(subtree_q(paths)).values("pk")


def _chunks(ids: list[int], size: int = 5000):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


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


def _closed_in_period(scope: Scope):
    """The closed drives of the scope's period and filters, whoever held them."""
    drives = Drive.objects.filter(status=DriveStatus.CLOSED, date__gte=scope.start,
                                  date__lte=scope.end)
    if scope.campaign is not None:
        drives = drives.filter(campaign=scope.campaign)
    if scope.institution is not None:
        drives = drives.filter(receiving_institution=scope.institution)
    return drives


def _closed_drives(scope: Scope):
    """The closed drives the scope counts (None: none can be)."""
    drives = _closed_in_period(scope)
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
        "units_by_volume", "deferrals_by_reason", "drive__organizer__path", "tally_units"))
    shares = {}
    if not scope.receives:
        ids = [row[0] for row in rows]
        for chunk in _chunks(ids):
            for drive_id, path, expected in DriveShare.objects.filter(
                    drive_id__in=chunk).order_by("drive_id", "pk").values_list(
                    "drive_id", "organization__path", "expected_units"):
                shares.setdefault(drive_id, []).append((path, expected))
    for (drive_id, date, expected, units, registered, present, deferred, first_time,
         by_volume, deferrals, organizer_path, tally_units) in rows:
        figures = metrics.DriveFigures(
            drive_id, date, expected, units, registered, present, deferred, first_time,
            {int(ml): n for ml, n in (by_volume or {}).items()}, dict(deferrals or {}),
            _repeat_donors(first_time, tally_units, present, deferred))
        if drive_id in shares:
            yield from metrics.split(figures, shares[drive_id])
        else:
            yield organizer_path, figures


def _repeat_donors(first_time, tally_units, present, deferred) -> int | None:
    """A drive's repeat donors, people, from its result: with records, the people whose
    blood was collected (the tally's count, one donation per registration) less the
    first-time ones; typed in, present − deferred − first-time."""
    if first_time is None:
        return None
    if tally_units is not None:
        return max(0, tally_units - first_time)
    if present is None or deferred is None:
        return None
    return max(0, present - deferred - first_time)


@dataclass
class Cube:
    """A scope's closed drives summed by unit (its path cut to the level a report
    ranks; "" for a receiving institution's report), with the units of each unit and
    month beside."""

    units: dict  # {unit key: metrics.Totals}
    by_month: dict  # {(unit key, first day of the month): units collected}


def cube(scope: Scope, key_length: int) -> Cube:
    """The scope's closed drives summed by unit and month (`Cube`).

    The database sums the drives credited whole (95% of them) GROUP BY unit and month,
    and their bags by volume and deferrals by reason GROUP BY unit; only joint drives
    come back row by row, to be split by their shares (`metrics.split`). So the work
    in Python grows with the units and months, not with the drives: a nation's year,
    20.000 drives, in a few hundred milliseconds (tests/bench/bench_reports.py)."""
    found = Cube({}, {})
    drives = _whole_and_joint(scope)
    if drives is None:
        return found
    whole_drives, joint_drives = drives
    whole = DriveResult.objects.filter(drive__in=whole_drives).annotate(
        key=_unit_key(scope, "drive__organizer__path", key_length)).order_by()
    try:
        for row in whole.annotate(month=TruncMonth("drive__date")).values(
                "key", "month").annotate(**_SUMS):
            totals = found.units.setdefault(row["key"], metrics.Totals())
            totals.add(_totals(row))
            found.by_month[row["key"], row["month"]] = row["units"]
        for key, kind, name, n in _json_sums(whole):
            totals = found.units[key]
            if kind == "volume":
                totals.by_volume[int(name)] += n
            else:
                totals.deferrals[name] += n
    except EmptyResultSet:  # no drive in the scope
        return found
    for path, part in _figures(DriveResult.objects.filter(drive__in=joint_drives), scope):
        key = "" if scope.receives else path[:key_length]
        found.units.setdefault(key, metrics.Totals()).add_part(part)
        month = (key, part.date.replace(day=1))
        found.by_month[month] = found.by_month.get(month, 0) + part.units
    return found


def _whole_and_joint(scope: Scope):
    """The closed drives the scope counts, as (those credited whole to their organizer,
    the joint ones), each found by the path of its units (None: none can be). Not by
    the ids of `_closed_drives`: a list of thousands, slower to send than to find."""
    drives = _closed_in_period(scope)
    has_shares = Exists(DriveShare.objects.filter(drive_id=OuterRef("pk")))
    if scope.receives:
        drives = drives.filter(receiving_institution__in=_units_under(
            [scope.organization.path]))
        return drives.filter(~has_shares), drives.filter(has_shares)
    prefixes = scope.prefixes()
    if not prefixes:
        return None
    whole = drives.filter(~has_shares)
    if not (prefixes == [scope.organization.path] and _sole_root(scope.organization)):
        whole = whole.filter(subtree_q(prefixes, "organizer__path"))
    joint = drives.filter(pk__in=DriveShare.objects.filter(
        subtree_q(prefixes, "organization__path")).values("drive_id"))
    return whole, joint


def _unit_key(scope: Scope, path: str, key_length: int):
    """What a drive is summed by: the path of the unit it is credited to (`path`, a
    field) cut to `key_length`; "" for a receiving institution's report, which sums
    all its drives together."""
    if scope.receives:
        return Value("", output_field=CharField())
    return Substr(path, 1, key_length)


_PEOPLE_COLUMNS = {name: f"people_{name}" for name in metrics.PEOPLE}
# Per unit and month: drives, expected and collected units, and for each people count
# its sum, the drives giving it and their units (see `metrics.Totals`).
_SUMS = {"drives": Count("pk"), "expected": Sum("drive__expected_units"),
         "units": Sum("units_collected")}
for _name, _column in _PEOPLE_COLUMNS.items():
    _SUMS[f"{_name}_sum"] = Sum(_column)
    _SUMS[f"{_name}_known"] = Count(_column)
    _SUMS[f"{_name}_units"] = Sum(Case(When(**{f"{_column}__isnull": False},
                                            then="units_collected")))
# Each drive's repeat donors, as `_repeat_donors` reads them (NULL: not known).
_REPEAT = Case(
    When(people_first_time__isnull=False, tally_units__isnull=False,
         then=Greatest(F("tally_units") - F("people_first_time"), Value(0))),
    When(people_first_time__isnull=False, people_present__isnull=False,
         people_deferred__isnull=False,
         then=Greatest(F("people_present") - F("people_deferred") - F("people_first_time"),
                       Value(0))), output_field=IntegerField())
_SUMS["repeat_sum"] = Sum(_REPEAT)
_SUMS["repeat_known"] = Count(_REPEAT)


def _totals(row: dict) -> metrics.Totals:
    totals = metrics.Totals(whole_drives=row["drives"], expected=row["expected"] or 0,
                            units=row["units"] or 0)
    for name in metrics.PEOPLE:
        if row[f"{name}_known"]:
            totals.people[name] = row[f"{name}_sum"]
            totals.known[name] = row[f"{name}_known"]
            totals.units_where_known[name] = row[f"{name}_units"] or 0
    if row["repeat_known"]:
        totals.people["repeat"] = row["repeat_sum"]
        totals.known["repeat"] = row["repeat_known"]
    return totals


def _json_sums(results) -> list[tuple[str, str, str, int]]:
    """(unit key, "volume" or "reason", ml or reason code, sum) of the results' bags by
    volume and deferrals by reason, summed by the database over the JSON objects'
    entries (`json_each` in SQLite, `jsonb_each_text` in PostgreSQL), in one statement
    that reads the results once."""
    sql, params = results.values("key", "units_by_volume", "deferrals_by_reason").query \
        .sql_with_params()
    each = "jsonb_each_text" if connection.vendor == "postgresql" else "json_each"
    by_entry = ("SELECT t.key, '{kind}', e.key, SUM(CAST(e.value AS integer)) FROM t, "
                f"{each}(t.{{column}}) e GROUP BY t.key, e.key")
    query = (f"WITH t AS ({sql}) "
             + by_entry.format(kind="volume", column="units_by_volume") + " UNION ALL "
             + by_entry.format(kind="reason", column="deferrals_by_reason"))
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


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


def _ahead(scope: Scope, today: datetime.date):
    return Drive.objects.filter(date__gte=today, date__lte=scope.end,
                                status__in=(DriveStatus.PLANNED, DriveStatus.CONFIRMED))


def ahead_ids(scope: Scope, today: datetime.date) -> list[int]:
    """The ids of the drives still to come in the period (planned or confirmed),
    soonest first."""
    drives = _ahead(scope, today)
    ids = _ids_in_scope(drives, scope)
    return list(drives.order_by("date", "pk").values_list("pk", flat=True)) \
        if ids is None else ids


def drives_in_order(ids: list[int]) -> list:
    found = drives_by_id(ids)
    return [found[pk] for pk in ids]


def drives_ahead(scope: Scope, today: datetime.date) -> list:
    """The drives still to come in the period, soonest first."""
    return drives_in_order(ahead_ids(scope, today))


def planned_ahead(scope: Scope, ids: list[int], key_length: int) -> dict[str, int]:
    """{unit key: expected units} the drives `ids` (those ahead) credit, as plans count
    them (a joint drive's shares, else its organizer; `plans.checks.contributions`),
    summed by the database by unit: a nation has 20.000 drives ahead in December."""
    drives = Drive.objects.filter(AnyOf("pk", ids))
    whole = drives.filter(~Exists(DriveShare.objects.filter(drive_id=OuterRef("pk"))))
    shares = DriveShare.objects.filter(drive__in=drives)
    found: dict[str, int] = {}
    for rows in (whole.annotate(key=_unit_key(scope, "organizer__path", key_length)),
                 shares.annotate(key=_unit_key(scope, "organization__path", key_length))):
        for key, units in rows.values("key").annotate(units=Sum("expected_units")) \
                .order_by().values_list("key", "units"):
            found[key] = found.get(key, 0) + (units or 0)
    return found


def drives_by_id(ids: list[int]) -> dict:
    return Drive.objects.select_related("organizer", "receiving_institution").in_bulk(ids)
