"""Checks that catch the mistakes hand-typed plans make (docs/domain.md §10).

The rules are plain functions over plain values; `plan_warnings` gathers what a plan's
page shows, with a handful of queries whatever the plan's size.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext as _

from hienmau.orgs.duplicates import names_look_alike
from hienmau.text import group_thousands, search_key

# Vietnamese weekday names, Monday first (date.weekday() order).
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
_WEEKDAY_KEYS = {
    "thu hai": 0, "thu 2": 0, "t2": 0, "thu ba": 1, "thu 3": 1, "t3": 1,
    "thu tu": 2, "thu 4": 2, "t4": 2, "thu nam": 3, "thu 5": 3, "t5": 3,
    "thu sau": 4, "thu 6": 4, "t6": 4, "thu bay": 5, "thu 7": 5, "t7": 5,
    "chu nhat": 6, "cn": 6,
}
_DATE = r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
_DAY_NAME = r"(th[uứ]\s*(?:hai|ba|t[uư]|n[aă]m|s[aá]u|b[aả]y|[2-7])|ch[uủ]\s*nh[aậ]t|cn)"
# "16/6/2025 (Chủ nhật)" and "Chủ nhật, ngày 16/6/2025" / "Chủ nhật 16/6/2025".
_DATE_THEN_DAY = re.compile(_DATE + r"\s*\(?\s*" + _DAY_NAME, re.IGNORECASE)
_DAY_THEN_DATE = re.compile(_DAY_NAME + r"\s*,?\s*(?:ng[aà]y\s*)?" + _DATE, re.IGNORECASE)


def weekday_name(day: datetime.date) -> str:
    return WEEKDAYS[day.weekday()]


def parse_weekday(text: str) -> int | None:
    """0 (Monday) … 6 (Sunday) for a Vietnamese weekday as people write it, else None."""
    return _WEEKDAY_KEYS.get(search_key(text).replace("(", "").replace(")", "").strip())


def weekday_mismatch(day: datetime.date, written: str) -> str | None:
    """The real weekday's name when `written` names another day; None when they agree
    or when `written` is empty or not a weekday."""
    parsed = parse_weekday(written) if written else None
    if parsed is None or parsed == day.weekday():
        return None
    return weekday_name(day)


def text_weekday_mismatches(text: str) -> list[tuple[datetime.date, str, str]]:
    """(date, weekday as written, real weekday) for each date in `text` written with the
    wrong weekday, e.g. seed 001's "16/6/2025 (Chủ nhật)", a Monday."""
    found = []
    for match in _DATE_THEN_DAY.finditer(text or ""):
        found.append((match.group(1), match.group(2), match.group(3), match.group(4)))
    for match in _DAY_THEN_DATE.finditer(text or ""):
        found.append((match.group(2), match.group(3), match.group(4), match.group(1)))
    mismatches = []
    for d, m, y, written in found:
        try:
            day = datetime.date(int(y), int(m), int(d))
        except ValueError:
            continue
        real = weekday_mismatch(day, written)
        if real:
            mismatches.append((day, written, real))
    return mismatches


def outside_year(day: datetime.date, starts_on: datetime.date, ends_on: datetime.date) -> bool:
    return not (starts_on <= day <= ends_on)


def uncovered(quotas: list[tuple], planned: list[tuple]) -> list[tuple]:
    """Quotas that the planned drives do not reach.

    quotas: (key, path, units) per unit; planned: (path, units) per drive contribution.
    A contribution counts toward the quota of its unit and of every unit above it.
    Returns (key, units, planned_units) for each quota with planned < units.
    """
    short = []
    for key, path, units in quotas:
        total = sum(u for p, u in planned if p.startswith(path))
        if total < units:
            short.append((key, units, total))
    return short


def over_capacity(booked: dict, capacities: dict) -> list[tuple]:
    """Days an institution is booked beyond its daily capacity.

    booked: {(institution, date): (drives, units)}; capacities: {institution:
    (max drives or None, max units or None)}. Returns (institution, date, drives, units).
    """
    return [(inst, day, drives, units) for (inst, day), (drives, units) in sorted(
                booked.items(), key=lambda item: (str(item[0][0]), item[0][1]))
            if inst in capacities and (
                (capacities[inst][0] is not None and drives > capacities[inst][0])
                or (capacities[inst][1] is not None and units > capacities[inst][1]))]


def similar_name_pairs(names: list[tuple]) -> list[tuple]:
    """(key_a, name_a, key_b, name_b) for units of one plan whose names look alike."""
    return [(a, na, b, nb) for i, (a, na) in enumerate(names) for b, nb in names[i + 1:]
            if names_look_alike(na, nb)]


@dataclass(frozen=True)
class PlanWarning:
    code: str
    message: str
    drive_code: object = None
    extra: dict = field(default_factory=dict)


def contributions(drives) -> list[tuple]:
    """(drive, organization, units) credited by each drive: its shares, else its organizer."""
    result = []
    for drive in drives:
        shares = list(drive.shares.all())
        if shares:
            result.extend((drive, s.organization, s.expected_units) for s in shares)
        else:
            result.append((drive, drive.organizer, drive.expected_units))
    return result


def plan_warnings(plan) -> list[PlanWarning]:
    """Every warning for a plan: weekdays, dates outside the year, look-alike unit names,
    quotas the planned drives do not reach, institutions booked beyond capacity."""
    from hienmau.plans.models import Drive, InstitutionCapacity

    drives = list(plan.drives.active().select_related("organizer", "receiving_institution")
                  .prefetch_related("shares__organization"))
    quotas = list(plan.quotas.select_related("organization"))
    warnings = [w for drive in drives for w in _drive_date_warnings(drive, plan)]

    units = {q.organization.pk: q.organization for q in quotas}
    units.update({d.organizer.pk: d.organizer for d in drives})
    for _a, name_a, _b, name_b in similar_name_pairs(
            [(pk, org.name) for pk, org in units.items()]):
        warnings.append(PlanWarning("similar_names", _(
            "Hai tên đơn vị gần giống nhau, có thể là một: “%(a)s” và “%(b)s”.")
            % {"a": name_a, "b": name_b}))

    credited = [(org.path, units_) for _d, org, units_ in contributions(drives)]
    by_pk = {q.organization.pk: q for q in quotas}
    for pk, units_, planned in uncovered(
            [(q.organization.pk, q.organization.path, q.units) for q in quotas], credited):
        warnings.append(PlanWarning("quota_not_covered", _(
            "%(unit)s: các đợt dự kiến mới có %(planned)s đơn vị máu, chưa đủ chỉ tiêu "
            "%(quota)s.") % {"unit": by_pk[pk].organization.name,
                             "planned": group_thousands(planned),
                             "quota": group_thousands(units_)}))

    institutions = {d.receiving_institution_id for d in drives if d.receiving_institution_id}
    capacities = {c.institution_id: (c.drives_per_day, c.units_per_day)
                  for c in InstitutionCapacity.objects.filter(institution__in=institutions)}
    if capacities:
        days = {d.date for d in drives}
        # All drives of those institutions on those days, whichever plan they belong to.
        booked_rows = (Drive.objects.active()
                       .filter(receiving_institution__in=capacities, date__in=days)
                       .values("receiving_institution", "receiving_institution__name", "date")
                       .annotate(units=Sum("expected_units")))
        counts = defaultdict(int)
        for d in (Drive.objects.active().filter(receiving_institution__in=capacities,
                                                date__in=days)
                  .values_list("receiving_institution", "date")):
            counts[d] += 1
        names = {r["receiving_institution"]: r["receiving_institution__name"]
                 for r in booked_rows}
        booked = {(r["receiving_institution"], r["date"]):
                  (counts[(r["receiving_institution"], r["date"])], r["units"])
                  for r in booked_rows}
        for inst, day, n, units_ in over_capacity(booked, capacities):
            warnings.append(PlanWarning("institution_over_capacity", _(
                "%(inst)s ngày %(day)s: %(drives)s đợt, %(units)s đơn vị máu — vượt năng lực "
                "tiếp nhận trong ngày.") % {"inst": names[inst], "day": day.strftime("%d/%m/%Y"),
                                          "drives": n, "units": group_thousands(units_)}))
    return warnings


def drive_warnings(drive) -> list[PlanWarning]:
    """Warnings about one drive, shown when it is saved."""
    warnings = list(_drive_date_warnings(drive, drive.plan))
    if drive.plan_id:
        names = [w for w in plan_warnings(drive.plan)
                 if w.code in ("institution_over_capacity", "quota_not_covered")]
        warnings.extend(names)
    return warnings


def _drive_date_warnings(drive, plan):
    real = weekday_mismatch(drive.date, drive.weekday_text)
    if real:
        yield PlanWarning("weekday_mismatch", _(
            "Ngày %(day)s là %(real)s, không phải %(written)s.")
            % {"day": drive.date.strftime("%d/%m/%Y"), "real": real,
               "written": drive.weekday_text}, drive.code)
    for day, written, real_ in text_weekday_mismatches(f"{drive.title}\n{drive.notes}"):
        yield PlanWarning("weekday_mismatch", _(
            "Ngày %(day)s là %(real)s, không phải %(written)s.")
            % {"day": day.strftime("%d/%m/%Y"), "real": real_, "written": written}, drive.code)
    if plan is not None and outside_year(drive.date, plan.starts_on, plan.ends_on):
        yield PlanWarning("outside_plan_year", _(
            "Đợt ngày %(day)s nằm ngoài năm kế hoạch (%(start)s – %(end)s).")
            % {"day": drive.date.strftime("%d/%m/%Y"),
               "start": plan.starts_on.strftime("%d/%m/%Y"),
               "end": plan.ends_on.strftime("%d/%m/%Y")}, drive.code)
