"""The figures the movement is read through, as plain functions over closed drives.

A closed drive's confirmed result (`drives.DriveResult`) is the one source: from the
per-person records when the drive had them, typed in otherwise (past years). Both kinds
count alike. Conventions, said on every screen that shows them:
- **A unit of blood is one bag**, whatever its volume ("đơn vị máu" in the seeds'
  results: "tiếp nhận 18.499 đơn vị máu"); 250 ml equivalents are a separate figure.
- **A joint drive counts for its units in proportion to their expected shares**, as its
  plan divided it (`plans.checks.contributions`); a drive without shares counts for its
  organizer. So a unit's figures and its subunits' always add up.
- **Percentages are computed, never stored**, from whole counts.
- People counts (registered, present, deferred, first-time) are summed over the drives
  that gave them; `Totals.known` says how many did, so a partial figure is never shown
  as a whole one.
- **First-time and repeat donors are people**, not units, counted drive by drive: at a
  drive, a first-time donor is a person giving for the first time ever (donations before
  HienMau and earlier registry donations included: `donors.history.never_given_before`,
  counted when the drive closes), a repeat donor a person who gave there and had given
  before (with records: the people whose blood was collected, less the first-time ones;
  typed in: present − deferred − first-time). Summed over a period, the first-time
  donors are the people whose first donation ever falls in it; a person who gave at two
  drives of the period is a repeat donor of each (what a drive-by-drive sum can say:
  counting each person once would read every donation of the period, too slow for a
  nation's year; tests/bench/bench_reports.py).
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

BAG_ML = 250
LARGE_BAG_ML = 350  # "share of donations of 350 ml and more"
PEOPLE = ("registered", "present", "deferred", "first_time")  # DriveResult's columns
DONORS_AND_PEOPLE = (*PEOPLE, "repeat")


@dataclass(frozen=True)
class DriveFigures:
    """One closed drive's result, or the part of it credited to one unit."""

    drive_id: int
    date: datetime.date
    expected: int
    units: int
    registered: int | None = None
    present: int | None = None
    deferred: int | None = None
    first_time: int | None = None
    by_volume: dict = field(default_factory=dict)  # {ml: bags}; 0 for an unknown volume
    deferrals: dict = field(default_factory=dict)  # {reason code: people}
    repeat: int | None = None  # people who gave and had given before (see the top)


def percent(part, whole) -> Decimal | None:
    """`part` as a percentage of `whole`, to one decimal; None without a whole."""
    if not whole or part is None:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def apportion(total: int, weights: list[int]) -> list[int]:
    """`total` divided in proportion to `weights`, in whole numbers that add up to it
    (largest remainder; ties go to the earlier weight). Equal parts without weights."""
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    whole = sum(weights)
    exact = [total * w for w in weights]
    parts = [e // whole for e in exact]
    short = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] % whole), i))
    for i in order[:short]:
        parts[i] += 1
    return parts


def split(result: DriveFigures, shares: list[tuple[str, int]]) -> list[tuple[str, DriveFigures]]:
    """(unit key, part) for each share of a joint drive: every count divided in
    proportion to the shares' expected units. The parts add up to the drive."""
    weights = [expected for _key, expected in shares]

    def divided(value):
        return [None] * len(shares) if value is None else apportion(value, weights)

    columns = {name: divided(getattr(result, name)) for name in ("expected", "units",
                                                                   *DONORS_AND_PEOPLE)}
    volumes = {ml: apportion(n, weights) for ml, n in result.by_volume.items()}
    reasons = {code: apportion(n, weights) for code, n in result.deferrals.items()}
    parts = []
    for i, (key, _expected) in enumerate(shares):
        parts.append((key, replace(
            result, **{name: values[i] for name, values in columns.items()},
            by_volume={ml: n[i] for ml, n in volumes.items() if n[i]},
            deferrals={code: n[i] for code, n in reasons.items() if n[i]})))
    return parts


@dataclass
class Totals:
    """Figures summed over drives (or parts of drives)."""

    whole_drives: int = 0  # drives summed whole (each in one place only)
    drive_ids: set = field(default_factory=set)  # drives summed by parts: counted once
    expected: int = 0
    units: int = 0
    people: Counter = field(default_factory=Counter)  # PEOPLE → sum over drives giving it
    known: Counter = field(default_factory=Counter)  # PEOPLE → drives giving it
    units_where_known: Counter = field(default_factory=Counter)  # PEOPLE → their units
    by_volume: Counter = field(default_factory=Counter)
    deferrals: Counter = field(default_factory=Counter)

    @property
    def drives(self) -> int:
        return self.whole_drives + len(self.drive_ids)

    def add(self, other: "Totals") -> "Totals":
        """Add `other`'s figures to these (a drive in both by parts counts once)."""
        self.whole_drives += other.whole_drives
        self.drive_ids |= other.drive_ids
        self.expected += other.expected
        self.units += other.units
        for counter in ("people", "known", "units_where_known", "by_volume", "deferrals"):
            getattr(self, counter).update(getattr(other, counter))
        return self

    def add_part(self, part: DriveFigures) -> "Totals":
        self.drive_ids.add(part.drive_id)
        self.expected += part.expected
        self.units += part.units
        for name in DONORS_AND_PEOPLE:
            value = getattr(part, name)
            if value is not None:
                self.people[name] += value
                self.known[name] += 1
                if name in PEOPLE:
                    self.units_where_known[name] += part.units
        self.by_volume.update(part.by_volume)
        self.deferrals.update(part.deferrals)
        return self

    @property
    def percent_of_expected(self) -> Decimal | None:
        return percent(self.units, self.expected)

    @property
    def equivalents_250(self) -> Decimal:
        """Units as 250 ml equivalents, one decimal (bags of unknown volume as 250 ml)."""
        millilitres = sum((ml or BAG_ML) * n for ml, n in self.by_volume.items())
        unknown = self.units - sum(self.by_volume.values())  # drives without volumes
        return (Decimal(millilitres + unknown * BAG_ML) / BAG_ML).quantize(Decimal("0.1"))

    @property
    def share_large_bags(self) -> Decimal | None:
        """% of bags of known volume that are 350 ml or more."""
        known = sum(n for ml, n in self.by_volume.items() if ml)
        return percent(sum(n for ml, n in self.by_volume.items() if ml >= LARGE_BAG_ML),
                       known)

    def sum_of(self, name: str) -> int | None:
        """A people count, None when no drive gave it."""
        return self.people[name] if self.known[name] else None

    @property
    def first_time(self) -> int | None:
        return self.sum_of("first_time")

    @property
    def repeat(self) -> int | None:
        """People who gave and had given before (see the top)."""
        return self.sum_of("repeat")

    @property
    def share_first_time(self) -> Decimal | None:
        """First-time donors as a % of the people who gave, where both are known."""
        if self.first_time is None or self.repeat is None:
            return None
        return percent(self.first_time, self.first_time + self.repeat)

    @property
    def registrations_per_unit(self) -> Decimal | None:
        """People registered per unit collected, on the drives that counted both."""
        units = self.units_where_known["registered"]
        if not units or not self.known["registered"]:
            return None
        return (Decimal(self.people["registered"]) / units).quantize(Decimal("0.01"))


def totals(parts: Iterable[DriveFigures]) -> Totals:
    """Sum of drives or parts; a drive counts once however many of its parts are in."""
    result = Totals()
    for part in parts:
        result.add_part(part)
    return result


def merged(items: Iterable[Totals]) -> Totals:
    result = Totals()
    for item in items:
        result.add(item)
    return result


def within(parts: Iterable[tuple[str, DriveFigures]], prefixes: list[str]) -> list[DriveFigures]:
    """The parts credited to units at or below any of `prefixes` (tree paths)."""
    prefixes = tuple(prefixes)
    return [part for key, part in parts if key.startswith(prefixes)]


def months(start: datetime.date, end: datetime.date) -> list[tuple[int, int]]:
    """(year, month) of every month the period touches, in order."""
    found, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def cumulative(values: list[int]) -> list[int]:
    running, out = 0, []
    for value in values:
        running += value
        out.append(running)
    return out


def needed_pace(quota: int, start: datetime.date, end: datetime.date) -> list[int]:
    """Where the units should stand at the end of each month of the plan year to reach
    `quota` evenly: the straight line the office compares its curve with."""
    total_days = (end - start).days + 1
    line = []
    for year, month in months(start, end):
        last = min(end, _month_end(year, month))
        line.append(round(quota * ((last - start).days + 1) / total_days))
    return line


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def at_risk(achieved: int, planned_ahead: int, quota: int | None) -> bool:
    """A unit is at risk of missing its quota when what it has collected and what its
    drives still ahead expect do not reach it."""
    return bool(quota) and achieved + planned_ahead < quota


def previous_year(start: datetime.date, end: datetime.date) -> tuple[datetime.date,
                                                                    datetime.date]:
    """The same period one year earlier (29 February becomes the 28th)."""
    def back(day):
        try:
            return day.replace(year=day.year - 1)
        except ValueError:
            return day.replace(year=day.year - 1, day=28)
    return back(start), back(end)
