"""Whether a report may set its figures beside the same period a year earlier as a
growth ("tăng 12%"), and the words it says instead when it may not: compare only like
with like.

The previous period is compared with this one only when (`compare`):
1. **it has results at all**;
2. **its results are entered**: at least nine in ten (`COMPLETE_SHARE`) of the drives
   held in it (not cancelled) are closed with a confirmed result; and the same for this
   period's drives already held, or the comparison waits for this period's results;
3. **the same units reported**: of this period's units of blood collected by units (at
   the level the report ranks, the organization's own drives being one such unit) that
   existed through the previous period, at least nine in ten were collected by units
   that had results in it too. A unit created since (a commune of the 2025
   reorganization) does not count against it: a reorganized province still compares its
   whole with its whole. So a year of which only one unit's past drives were typed in
   (the demo's 2022: the industrial zones alone) is not compared with a year of twenty.
4. **the same span**: while this period is under way, it is compared with the previous
   period up to the same day (`span_end`), not with the whole of it.

A unit's row in a ranking uses rules 1, 2 and 4 over its own drives. Otherwise no
percentage is shown: the page, the documents, the XLSX and the API say why in words
(`Comparison.note`, `Comparison.short`).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from hienmau.orgs.models import Organization, subtree_q
from hienmau.plans.models import Drive, DriveShare, DriveStatus
from hienmau.reports import metrics

COMPLETE_SHARE = Fraction(9, 10)

# Why a period is not compared (`Comparison.reason`).
NO_DATA = "no_data"  # the previous period has no result
BEFORE_DRIVES = "before_drives"  # results missing for the previous period's drives
NOW_DRIVES = "now_drives"  # results missing for this period's drives held
BEFORE_UNITS = "before_units"  # units with results now had none then


@dataclass(frozen=True)
class Drives:
    """Drives held in a period (dated before today, not cancelled) and how many of them
    are closed with a confirmed result."""

    held: int = 0
    closed: int = 0

    @property
    def complete(self) -> bool:
        return self.closed >= self.held * COMPLETE_SHARE

    def __add__(self, other: "Drives") -> "Drives":
        return Drives(self.held + other.held, self.closed + other.closed)


@dataclass(frozen=True)
class Comparison:
    """This period's units of blood beside the previous period's, or why not."""

    previous_year: int | None  # the previous period's plan year, for the words
    now: int  # units of blood this period
    before: int  # and in the previous period (up to `span_end`)
    before_drives: int = 0  # the previous period's drives with results (up to `span_end`)
    span_end: datetime.date | None = None  # set when this period is under way
    reason: str = ""  # "" when comparable, else NO_DATA, BEFORE_DRIVES, …
    done: int = 0  # the figures the reason quotes: 8 of 10 drives, 1 of 20 units
    of: int = 0

    @property
    def comparable(self) -> bool:
        return not self.reason

    @property
    def before_incomplete(self) -> bool:
        """The previous period's figures are partial (a chart says so beside them)."""
        return self.reason in (BEFORE_DRIVES, BEFORE_UNITS)

    @property
    def change(self) -> int | None:
        return self.now - self.before if self.comparable else None

    @property
    def percent(self) -> Decimal | None:
        """The growth, a % of the previous period's units (None: not compared)."""
        return metrics.percent(self.change, self.before) if self.comparable else None

    @property
    def note(self) -> str:
        """Why the report shows no growth, in a sentence ("" when it shows one)."""
        values = {"year": self.previous_year or "", "done": self.done, "of": self.of}
        if self.reason == NO_DATA:
            return _("Cùng kỳ năm %(year)s chưa có số liệu để so sánh.") % values
        if self.reason == BEFORE_DRIVES:
            return _("Không so sánh với cùng kỳ năm %(year)s: số liệu năm đó chưa đầy đủ (mới "
                     "có kết quả của %(done)s/%(of)s đợt đã diễn ra).") % values
        if self.reason == BEFORE_UNITS:
            return _("Không so sánh với cùng kỳ năm %(year)s: số liệu năm đó chưa đầy đủ (năm "
                     "đó chỉ có kết quả của %(done)s trong %(of)s đơn vị có kết quả kỳ này).") \
                % values
        if self.reason == NOW_DRIVES:
            return _("Chưa so sánh với cùng kỳ năm %(year)s: số liệu kỳ này chưa đầy đủ (mới "
                     "có kết quả của %(done)s/%(of)s đợt đã diễn ra).") % values
        return ""

    @property
    def short(self) -> str:
        """The same in a few words, for a table's cell ("" when compared)."""
        if self.reason == NO_DATA:
            return _("năm trước chưa có số liệu")
        if self.reason == NOW_DRIVES:
            return _("chưa so sánh: kỳ này chưa đủ số liệu")
        if self.reason:
            return _("không so sánh: năm trước chưa đủ số liệu")
        return ""


def compare(previous_year: int | None, now_units: dict[str, int],
            before_units: dict[str, int], *, now_drives: Drives = Drives(),
            before_drives: Drives = Drives(), drives_with_results: int = 0,
            new_units: frozenset = frozenset(),
            span_end: datetime.date | None = None) -> Comparison:
    """The rule above. `now_units`, `before_units`: {unit key: units of blood} of the two
    periods (the previous one up to `span_end` when this one is under way); the
    `Drives` held in each; `new_units`: the keys of units created during or after the
    previous period; `drives_with_results`: the previous period's, for the words."""
    found = Comparison(previous_year, sum(now_units.values()), sum(before_units.values()),
                       drives_with_results, span_end)

    def refused(reason: str, done: int, of: int) -> Comparison:
        return Comparison(found.previous_year, found.now, found.before, found.before_drives,
                          span_end, reason, done, of)

    if not before_drives.complete:
        return refused(BEFORE_DRIVES, before_drives.closed, before_drives.held)
    if not found.before:
        return refused(NO_DATA, 0, 0)
    if not now_drives.complete:
        return refused(NOW_DRIVES, now_drives.closed, now_drives.held)
    existing = {key: units for key, units in now_units.items()
                if units and key not in new_units}
    reported = {key: units for key, units in existing.items() if before_units.get(key)}
    if sum(reported.values()) < sum(existing.values()) * COMPLETE_SHARE:
        return refused(BEFORE_UNITS, len(reported), len(existing))
    return found


def drives_held(scope, key_length: int, until: datetime.date) -> tuple[Drives, dict]:
    """The drives of `scope` (a `queries.Scope`) held from its start to `until` (or its
    end, if sooner), not cancelled, and how many are closed: in all, and by unit key as
    `queries.cube` keys them (the unit's path cut to `key_length`; a joint drive counts
    under each of its shares' units; "" for a receiving institution's report). Two
    queries, summed by the database."""
    drives = Drive.objects.filter(date__gte=scope.start, date__lte=min(scope.end, until)) \
        .exclude(status=DriveStatus.CANCELLED)
    if scope.campaign is not None:
        drives = drives.filter(campaign=scope.campaign)
    if scope.institution is not None:
        drives = drives.filter(receiving_institution=scope.institution)
    closed = Count("pk", filter=Q(status=DriveStatus.CLOSED))
    if scope.receives:
        row = drives.filter(receiving_institution__in=Organization.objects.filter(
            subtree_q([scope.organization.path])).values("pk")).aggregate(
            held=Count("pk"), closed=closed)
        total = Drives(row["held"], row["closed"])
        return total, {"": total}
    prefixes = scope.prefixes()
    if not prefixes:
        return Drives(), {}
    by_key: dict[str, Drives] = {}
    whole = drives.filter(~Exists(DriveShare.objects.filter(drive_id=OuterRef("pk"))),
                          subtree_q(prefixes, "organizer__path"))
    for key, held, n_closed in whole.annotate(
            key=Substr("organizer__path", 1, key_length)).values("key").annotate(
            held=Count("pk"), closed=closed).order_by().values_list("key", "held", "closed"):
        by_key[key] = by_key.get(key, Drives()) + Drives(held, n_closed)
    total = sum(by_key.values(), Drives())
    joint: dict[int, bool] = {}
    seen = set()
    for drive_id, path, status in DriveShare.objects.filter(
            subtree_q(prefixes, "organization__path"), drive__in=drives).values_list(
            "drive_id", "organization__path", "drive__status"):
        is_closed = status == DriveStatus.CLOSED
        joint[drive_id] = is_closed
        if (path[:key_length], drive_id) not in seen:
            seen.add((path[:key_length], drive_id))
            by_key[path[:key_length]] = by_key.get(path[:key_length], Drives()) + Drives(
                1, int(is_closed))
    total += Drives(len(joint), sum(joint.values()))
    return total, by_key


def new_units(keys, since: datetime.date) -> frozenset:
    """The keys (tree paths) of the units created after `since`."""
    return frozenset(Organization.objects.filter(path__in=list(keys), valid_from__gt=since)
                     .values_list("path", flat=True))
