"""A report for one scope (unit or institution, period, filters): the figures, last
year's beside them, the ranking of the units below, the month-by-month curve, the
drives ahead and the units at risk. Pages, documents and the API all start here."""

import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal

from hienmau.orgs.models import Kind
from hienmau.reports import comparison, metrics, queries
from hienmau.reports.comparison import Comparison
from hienmau.reports.queries import Scope

# Kinds that never organize drives: not ranked.
_NOT_RANKED = {Kind.RECEIVING_INSTITUTION}


@dataclass
class UnitRow:
    """One unit below the scope's, in the ranking."""

    organization: object
    now: metrics.Totals
    before: metrics.Totals
    quota: int | None
    planned_ahead: int = 0
    # Whether last year is compared with (`reports.comparison`); without it, whenever
    # last year has results.
    comparison: Comparison | None = None
    own: bool = False  # the drives the report's organization holds itself

    @property
    def label(self) -> str:
        """The row's name: a unit's, or what the organization holds itself."""
        from django.utils.translation import gettext as _

        if self.own:
            return _("Các đợt do %(name)s tổ chức trực tiếp") % {
                "name": self.organization.name}
        return self.organization.name

    @property
    def percent_of_quota(self) -> Decimal | None:
        return metrics.percent(self.now.units, self.quota)

    @property
    def compared(self) -> Comparison:
        return self.comparison or comparison.compare(
            None, {"": self.now.units}, {"": self.before.units})

    @property
    def growth(self) -> Decimal | None:
        """% change over last year's units (None: last year is not compared with)."""
        return self.compared.percent

    @property
    def at_risk(self) -> bool:
        return metrics.at_risk(self.now.units, self.planned_ahead, self.quota)


@dataclass
class Report:
    scope: Scope
    today: datetime.date
    now: metrics.Totals
    before: metrics.Totals
    quota: int | None = None
    national_quota: int | None = None
    provincial_quota: int | None = None
    units: list[UnitRow] = field(default_factory=list)
    month_labels: list[str] = field(default_factory=list)
    monthly_now: list[int | None] = field(default_factory=list)
    monthly_before: list[int] = field(default_factory=list)
    pace: list[int] | None = None
    ahead: list = field(default_factory=list)  # the soonest drives still to come
    ahead_count: int = 0  # all of them
    planned_ahead: int = 0
    closed: list = field(default_factory=list)  # (drive, its part), latest first
    comparison: Comparison | None = None  # with last year, or why not

    @property
    def organization(self):
        return self.scope.organization

    @property
    def percent_of_quota(self):
        return metrics.percent(self.now.units, self.quota)

    @property
    def percent_of_national(self):
        return metrics.percent(self.now.units, self.national_quota)

    @property
    def percent_of_provincial(self):
        return metrics.percent(self.now.units, self.provincial_quota)

    @property
    def percent_of_population(self):
        """Donations as a % of the population (the plans' "tỷ lệ người dân hiến máu")."""
        return metrics.percent(self.now.units, self.organization.population)

    @property
    def percent_of_headcount(self):
        return metrics.percent(self.now.units, self.organization.headcount)

    @property
    def cumulative_now(self) -> list[int | None]:
        running = metrics.cumulative([v or 0 for v in self.monthly_now])
        return [None if v is None else running[i] for i, v in enumerate(self.monthly_now)]

    @property
    def cumulative_before(self) -> list[int]:
        return metrics.cumulative(self.monthly_before)

    @property
    def ranked(self) -> list[UnitRow]:
        """Units with a quota by % reached, then the others by units (not the drives the
        organization holds itself: `own_row`)."""
        return sorted((row for row in self.units if not row.own), key=lambda row: (
            row.percent_of_quota is None, -(row.percent_of_quota or 0), -row.now.units,
            row.organization.name))

    @property
    def own_row(self) -> UnitRow | None:
        """The drives the organization holds itself, beside its units' (they add up to
        the whole)."""
        return next((row for row in self.units if row.own), None)

    @property
    def units_total(self) -> UnitRow:
        """The rows' sum: the whole report (a joint drive's units are split between
        rows; as drives it counts once)."""
        return UnitRow(self.organization, self.now, self.before,
                       sum(row.quota for row in self.units if row.quota) or None,
                       sum(row.planned_ahead for row in self.units), self.comparison)

    @property
    def at_risk(self) -> list[UnitRow]:
        return [row for row in self.ranked if row.at_risk]

    @property
    def needed_per_month(self) -> int | None:
        """Units a month still needed to reach the quota in the months left."""
        quota = self.quota or self.provincial_quota or self.national_quota
        if not quota or self.today > self.scope.end:
            return None
        left = len(metrics.months(max(self.today, self.scope.start), self.scope.end))
        missing = quota - self.now.units
        return max(0, -(-missing // left)) if left else None


def build(scope: Scope, today: datetime.date) -> Report:
    org = scope.organization
    prefixes = tuple(scope.prefixes())
    # Units are summed at the level of the units just below (the ranking), or deeper
    # when a plan section names deeper units.
    key_length = max([len(org.path) + org.steplen, *map(len, prefixes)])

    def counted(key: str) -> bool:  # a unit key the scope counts
        return scope.receives or key.startswith(prefixes)

    now_cube = queries.cube(scope, key_length)
    before_cube = queries.cube(scope.previous(), key_length)
    # Last year up to the same day, while this period is under way: what is compared.
    span = _span(scope, today)
    span_cube = before_cube if span is None else queries.cube(span, key_length)
    for cube in (now_cube, before_cube, span_cube):  # the units the scope counts
        cube.units = {key: totals for key, totals in cube.units.items() if counted(key)}
        cube.by_month = {cell: units for cell, units in cube.by_month.items()
                         if counted(cell[0])}
    report = Report(scope, today, metrics.merged(now_cube.units.values()),
                    metrics.merged(before_cube.units.values()))
    last = _last_year(scope, span, today, key_length, span_cube)
    report.comparison = comparison.compare(
        last.year, {key: t.units for key, t in now_cube.units.items()},
        {key: t.units for key, t in span_cube.units.items()}, now_drives=last.now_held,
        before_drives=last.before_held,
        drives_with_results=metrics.merged(span_cube.units.values()).drives,
        new_units=comparison.new_units(now_cube.units, scope.previous().start),
        span_end=last.span_end)
    if not scope.receives and scope.section is None:
        report.quota = queries.quota_of(org, scope.start, scope.end)
        plan = queries.committee_plan(org, scope.start, scope.end)
        if plan is not None:
            report.national_quota = plan.national_quota
            report.provincial_quota = plan.provincial_quota
    _months(report, now_cube, before_cube)
    ahead_ids = queries.ahead_ids(scope, today)
    report.ahead = queries.drives_in_order(ahead_ids[:AHEAD_LISTED])
    report.ahead_count = len(ahead_ids)
    ahead = {key: units for key, units in queries.planned_ahead(
        scope, ahead_ids, key_length).items() if counted(key)}
    report.planned_ahead = sum(ahead.values())
    if not scope.receives:
        _rank(report, now_cube, before_cube, ahead, last)
    if 0 < report.now.drives <= CLOSED_LISTED:
        report.closed = _closed_list(queries.parts(scope))
    return report


CLOSED_LISTED = 200  # a province's year; a nation's is read through its ranking
AHEAD_LISTED = 10  # all of them: queries.drives_ahead (the XLSX lists them)


def _closed_list(parts) -> list:
    """(drive, credited part) of each closed drive counted, latest first."""
    merged = {}
    for part in parts:
        merged.setdefault(part.drive_id, []).append(part)
    drives = queries.drives_by_id(list(merged))
    rows = [(drives[pk], metrics.totals(found)) for pk, found in merged.items()]
    return sorted(rows, key=lambda row: (row[0].date, row[0].pk), reverse=True)


def _span(scope: Scope, today: datetime.date) -> Scope | None:
    """While the scope's period is under way (or to come), the previous one up to the
    same day: what this one is compared with (`reports.comparison`)."""
    if today >= scope.end:
        return None
    return replace(scope.previous(), end=metrics.previous_year(today, today)[0])


@dataclass
class _LastYear:
    """What comparing with last year needs beside the figures (`reports.comparison`)."""

    year: int  # the previous period's plan year
    span_end: datetime.date | None  # when compared up to the same day
    span_cube: queries.Cube  # its figures, up to that day
    now_held: comparison.Drives  # drives held, this period and the previous one
    before_held: comparison.Drives
    now_by_key: dict  # the same by unit key
    before_by_key: dict


def _last_year(scope: Scope, span: Scope | None, today: datetime.date, key_length: int,
               span_cube: queries.Cube) -> _LastYear:
    previous = span or scope.previous()
    now_held, now_by_key = comparison.drives_held(scope, key_length,
                                                  today - datetime.timedelta(days=1))
    before_held, before_by_key = comparison.drives_held(previous, key_length, previous.end)
    return _LastYear(queries.plan_year_of(scope.previous().end),
                     None if span is None else span.end, span_cube, now_held, before_held,
                     now_by_key, before_by_key)


def _by_month(cube: queries.Cube, start: datetime.date, end: datetime.date) -> list[int]:
    units = {}
    for (_key, month), n in cube.by_month.items():
        units[month.year, month.month] = units.get((month.year, month.month), 0) + n
    return [units.get(month, 0) for month in metrics.months(start, end)]


def _months(report: Report, now_cube: queries.Cube, before_cube: queries.Cube) -> None:
    scope = report.scope
    months = metrics.months(scope.start, scope.end)
    report.month_labels = [f"{month:02d}/{year % 100:02d}" for year, month in months]
    values = _by_month(now_cube, scope.start, scope.end)
    # Months still to come have no value yet (not zero): the curve stops today.
    report.monthly_now = [value if (year, month) <= (report.today.year, report.today.month)
                          else None for value, (year, month) in zip(values, months,
                                                                    strict=True)]
    report.monthly_before = _by_month(before_cube, *metrics.previous_year(scope.start,
                                                                         scope.end))
    target = report.quota or report.provincial_quota or report.national_quota
    if target and scope.section is None:
        report.pace = metrics.needed_pace(target, scope.start, scope.end)


def _rank(report: Report, now_cube: queries.Cube, before_cube: queries.Cube,
          ahead: dict[str, int], last: _LastYear) -> None:
    scope = report.scope
    children = [child for child in scope.organization.children().order_by("path")
                if child.kind not in _NOT_RANKED and child.is_active_on(scope.start, scope.end)]
    if scope.section is not None:
        prefixes = tuple(scope.prefixes())
        children = [c for c in children if c.path.startswith(prefixes)
                    or any(p.startswith(c.path) for p in prefixes)]
    own = scope.organization.path
    child_length = len(own) + scope.organization.steplen

    def unit_of(key: str) -> str:
        return key[:child_length] if len(key) >= child_length else own

    def by_unit(cube) -> dict:
        found = {}
        for key, totals in cube.units.items():
            found.setdefault(unit_of(key), metrics.Totals()).add(totals)
        return found

    def held_by_unit(by_key: dict) -> dict:
        found = {}
        for key, drives in by_key.items():
            found[unit_of(key)] = found.get(unit_of(key), comparison.Drives()) + drives
        return found

    now, before, span = by_unit(now_cube), by_unit(before_cube), by_unit(last.span_cube)
    now_held, before_held = held_by_unit(last.now_by_key), held_by_unit(last.before_by_key)

    def compared(path: str) -> Comparison:
        then = span.get(path, metrics.Totals())
        return comparison.compare(
            last.year, {path: now.get(path, metrics.Totals()).units}, {path: then.units},
            now_drives=now_held.get(path, comparison.Drives()),
            before_drives=before_held.get(path, comparison.Drives()),
            drives_with_results=then.drives, span_end=last.span_end)

    quotas = queries.quotas_of(children, scope.start, scope.end)
    for child in children:
        row = UnitRow(child, now.get(child.path, metrics.Totals()),
                      before.get(child.path, metrics.Totals()), quotas.get(child.pk),
                      comparison=compared(child.path))
        row.planned_ahead = sum(units for key, units in ahead.items()
                                if key.startswith(child.path))
        if row.quota or row.now.drives or row.before.drives or row.planned_ahead:
            report.units.append(row)
    # The drives (or shares) the organization holds itself, beside its units': so that
    # the rows add up to the whole.
    if report.units and scope.section is None and own in now:
        report.units.append(UnitRow(scope.organization, now[own],
                                    before.get(own, metrics.Totals()), None,
                                    ahead.get(own, 0), compared(own), own=True))


@dataclass(frozen=True)
class Indicator:
    """One line of a report's figures: this period beside the same period last year."""

    key: str
    label: str
    now: object
    before: object = None
    kind: str = "count"  # count, percent, ratio, decimal

    @property
    def shown_now(self) -> str:
        return shown(self.now, self.kind)

    @property
    def shown_before(self) -> str:
        return shown(self.before, self.kind)


def shown(value, kind: str = "count") -> str:
    """A figure as Vietnamese documents write it: 18.499, 185%, 1,4%, 1,25; "—" when
    there is none."""
    if value is None:
        return "—"
    if kind == "count":
        return f"{int(value):,}".replace(",", ".")
    if kind == "percent":
        # Whole percentages from 10 up, as the seeds write them ("đạt 185%"); one
        # decimal below, where it carries information ("1,4% dân số").
        number = f"{value:.0f}" if abs(value) >= 10 else f"{value:.1f}".replace(".", ",")
        return f"{number}%"
    return f"{value}".replace(".", ",")


# Figures other apps add to every report (the awards of `honors`, a higher app):
# functions of a Report returning Indicators, registered in their AppConfig.ready().
MORE_INDICATORS: list = []


def indicators(report: Report, *, equivalents: bool = False) -> list[Indicator]:
    """The figures of a report, in the order pages and documents show them."""
    from django.utils.translation import gettext as _

    now, before = report.now, report.before
    lines = [
        Indicator("drives", _("Số đợt hiến máu đã tổ chức"), now.drives, before.drives),
        Indicator("units", _("Số đơn vị máu tiếp nhận (túi, mọi thể tích)"), now.units,
                  before.units),
    ]
    if equivalents:
        lines.append(Indicator("equivalents_250", _("Quy đổi ra đơn vị 250 ml"),
                               now.equivalents_250, before.equivalents_250, "decimal"))
    lines.append(Indicator("percent_of_expected", _("Đạt so với số dự kiến của các đợt"),
                           now.percent_of_expected, before.percent_of_expected, "percent"))
    if report.quota:
        lines.append(Indicator("percent_of_quota", _("Đạt so với chỉ tiêu được giao (%(n)s)")
                               % {"n": shown(report.quota)}, report.percent_of_quota,
                               None, "percent"))
    if report.national_quota:
        lines.append(Indicator("percent_of_national", _(
            "Đạt so với kế hoạch BCĐ Quốc gia giao (%(n)s)") % {
            "n": shown(report.national_quota)}, report.percent_of_national, None, "percent"))
    if report.provincial_quota:
        lines.append(Indicator("percent_of_provincial", _(
            "Đạt so với kế hoạch UBND tỉnh giao (%(n)s)") % {
            "n": shown(report.provincial_quota)}, report.percent_of_provincial, None,
            "percent"))
    org = report.organization
    if org.population:
        lines.append(Indicator("percent_of_population", _(
            "Tỷ lệ đơn vị máu so với dân số (%(n)s người)") % {"n": shown(org.population)},
            report.percent_of_population, metrics.percent(before.units, org.population),
            "percent"))
    if org.headcount:
        lines.append(Indicator("percent_of_headcount", _(
            "Tỷ lệ đơn vị máu so với số cán bộ, người lao động (%(n)s)") % {
            "n": shown(org.headcount)}, report.percent_of_headcount,
            metrics.percent(before.units, org.headcount), "percent"))
    lines += [
        Indicator("share_large_bags", _("Tỷ lệ túi máu từ 350 ml trở lên"),
                  now.share_large_bags, before.share_large_bags, "percent"),
        Indicator("registered", _("Số người đăng ký"), now.sum_of("registered"),
                  before.sum_of("registered")),
        Indicator("present", _("Số người có mặt"), now.sum_of("present"),
                  before.sum_of("present")),
        Indicator("deferred", _("Số người tạm hoãn"), now.sum_of("deferred"),
                  before.sum_of("deferred")),
        Indicator("first_time", _("Người hiến lần đầu"), now.first_time, before.first_time),
        Indicator("repeat", _("Người hiến nhắc lại"), now.repeat, before.repeat),
        Indicator("share_first_time", _("Tỷ lệ người hiến lần đầu"), now.share_first_time,
                  before.share_first_time, "percent"),
        Indicator("registrations_per_unit", _("Số người đăng ký cho mỗi đơn vị máu"),
                  now.registrations_per_unit, before.registrations_per_unit, "decimal"),
    ]
    for more in MORE_INDICATORS:
        lines += more(report)
    return lines
