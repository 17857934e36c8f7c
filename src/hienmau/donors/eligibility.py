"""May this person donate on this day? TT 26/2013/TT-BYT Điều 4 and Điều 6 as one function.

`assess()` takes plain values and returns a frozen `Assessment`: no models, no database, no
clock (the caller passes `on`), so the donor page, the drive-day station, reminders and the
API get the same answer. The numbers come from a `RuleSet` (`rules.py`).

Choices the regulation leaves open, made here once:
- Age in whole years; the birthday itself counts ("từ đủ 18 tuổi" on the 18th birthday).
  Born on 29/02: a year older on 01/03 in non-leap years (once 28/02 is fully over).
- Only the birth year known: conservative both ways, birthday 31/12 for the minimum age and
  01/01 for the maximum age, with a warning. No birth date at all: warning only, since the
  ID checked at registration (Điều 7 khoản 1) carries it. Unknown weight: warning, weighed
  at the drive. Unknown sex: the higher (men's) minimum weight.
- Donations dated after `on` are ignored, so a past day can be re-assessed.
- Messages never show why someone is excluded or deferred (health data, docs/domain.md §6).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from hienmau.donors.rules import DEFAULT_RULESET, DonationType, RuleSet

# Module-level names for callers that store the plain strings (e.g. a model's choices).
WHOLE_BLOOD = DonationType.WHOLE_BLOOD
RED_CELLS_APHERESIS = DonationType.RED_CELLS_APHERESIS
PLATELETS_APHERESIS = DonationType.PLATELETS_APHERESIS
PLASMA_APHERESIS = DonationType.PLASMA_APHERESIS
GRANULOCYTES_APHERESIS = DonationType.GRANULOCYTES_APHERESIS


class Outcome(StrEnum):
    COLLECTED = "collected"  # a bag was collected: the only outcome that starts an interval
    DEFERRED = "deferred"  # turned away at the screening
    INCOMPLETE = "incomplete"  # stopped before a usable bag


@dataclass(frozen=True)
class Person:
    birth_date: datetime.date | None = None
    birth_year: int | None = None
    sex: str | None = None  # "M", "F" or None ("" from a blank form field counts as None)
    weight_kg: Decimal | float | None = None
    permanently_excluded: bool = False

    def __post_init__(self):
        if self.sex == "":
            object.__setattr__(self, "sex", None)
        if self.sex not in ("M", "F", None):
            raise ValueError(f"sex must be 'M', 'F' or None, not {self.sex!r}")
        if self.weight_kg is not None:
            # str() first so that 41.9 (float) becomes Decimal("41.9"), not 41.899999…
            object.__setattr__(self, "weight_kg", Decimal(str(self.weight_kg)))


@dataclass(frozen=True)
class PastDonation:
    date: datetime.date
    type: DonationType
    outcome: Outcome = Outcome.COLLECTED

    def __post_init__(self):
        object.__setattr__(self, "type", DonationType(self.type))
        object.__setattr__(self, "outcome", Outcome(self.outcome))


@dataclass(frozen=True)
class Deferral:
    """Deferred on every day from `start` up to the day before `until`: `until` is the
    first day the person may donate again (an `until` ≤ `start` covers no day). A temporary
    deferral with `until=None` lasts until further notice. `reason_code` is health data,
    for institution staff only: no message built here shows it."""

    start: datetime.date
    until: datetime.date | None = None
    permanent: bool = False
    reason_code: str = ""

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day and (self.until is None or day < self.until)


@dataclass(frozen=True)
class Reason:
    """Why someone may not donate (or, in `warnings`, what to check). `code` is stable;
    `lifts_on` is the day the reason stops applying, None if time alone does not lift it."""

    code: str
    message: str
    lifts_on: datetime.date | None = None


@dataclass(frozen=True)
class Assessment:
    """`next_eligible_date` is about time only: the earliest day ≥ `on` when every
    time-based reason (age 18, interval, granulocyte frequency, deferral) is lifted; `on`
    itself when there is none. None when it never comes (permanent exclusion, too old,
    open-ended deferral, or too old by then). Weight does not move it: weight is measured
    again at the drive, so check `eligible` and `reasons` as well."""

    eligible: bool
    reasons: list[Reason]
    next_eligible_date: datetime.date | None
    max_whole_blood_ml: int | None
    max_apheresis_ml: int | None
    warnings: list[Reason]
    ruleset_code: str

    @property
    def codes(self) -> list[str]:
        return [reason.code for reason in self.reasons]


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _kg(value: Decimal) -> str:
    # Vietnamese decimal comma, no trailing zeros: 41,9 kg; 45 kg.
    return format(value.normalize(), "f").replace(".", ",")


def birthday(born: datetime.date, year: int) -> datetime.date:
    """The birthday in `year`; 29/02 falls on 01/03 in a non-leap year (see module doc)."""
    try:
        return born.replace(year=year)
    except ValueError:
        return datetime.date(year, 3, 1)


def age_on(born: datetime.date, on: datetime.date) -> int:
    """Age in whole years on `on`, consistent with `birthday()`."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _clear_of_deferrals(day: datetime.date, deferrals: list[Deferral]) -> datetime.date | None:
    """First day ≥ `day` outside every temporary deferral (they may follow each other)."""
    while covering := [d for d in deferrals if d.covers(day)]:
        if any(d.until is None for d in covering):
            return None
        day = max(d.until for d in covering)
    return day


def age_window(birth_date: datetime.date | None, birth_year: int | None,
               rules: RuleSet) -> tuple[datetime.date, datetime.date] | None:
    """(the first day of the minimum age, the first day past the maximum age), or None
    when the birth is unknown. With only the year known the reading is cautious: born on
    31/12 for the minimum age, on 01/01 for the maximum."""
    if birth_date is not None:
        youngest = oldest = birth_date
    elif birth_year is not None:
        youngest = datetime.date(birth_year, 12, 31)  # latest possible birthday
        oldest = datetime.date(birth_year, 1, 1)  # earliest possible birthday
    else:
        return None
    return (birthday(youngest, youngest.year + rules.min_age_years),
            birthday(oldest, oldest.year + rules.max_age_years + 1))


def _age(person: Person, on: datetime.date, rules: RuleSet):
    """Age reasons and warnings, plus the first day the person is too old (or None)."""
    window = age_window(person.birth_date, person.birth_year, rules)
    if window is None:
        return [], [Reason("birth_date_unknown", _(
            "Chưa có ngày sinh; cần kiểm tra tuổi trên giấy tờ tùy thân khi đăng ký."))], None
    adult_on, too_old_on = window
    reasons, warnings = [], []
    if person.birth_date is None:
        warnings.append(Reason("birth_year_only", _(
            "Chỉ biết năm sinh %(year)s: tuổi được tính thận trọng, coi như sinh ngày 31/12 "
            "khi xét đủ %(min)s tuổi và ngày 01/01 khi xét quá %(max)s tuổi; cần kiểm tra "
            "ngày sinh trên giấy tờ tùy thân.") % {
                "year": person.birth_year, "min": rules.min_age_years,
                "max": rules.max_age_years}))
    if on < adult_on:
        reasons.append(Reason("too_young", _(
            "Chưa đủ %(age)s tuổi; có thể hiến máu từ ngày %(date)s.") % {
                "age": rules.min_age_years, "date": _day(adult_on)}, adult_on))
    if on >= too_old_on:
        reasons.append(Reason("too_old", _(
            "Quá tuổi hiến máu: chỉ được hiến máu đến hết %(age)s tuổi, tức trước ngày "
            "%(date)s.") % {"age": rules.max_age_years, "date": _day(too_old_on)}))
    return reasons, warnings, too_old_on


def _weight(person: Person, donation_type: DonationType, rules: RuleSet) -> list[Reason]:
    weight = person.weight_kg
    if donation_type.is_apheresis:
        minimum = rules.apheresis_min_weight_kg
    else:
        minimum = rules.min_weight_kg(person.sex)
    if weight is None or weight >= minimum:
        return []
    values = {"weight": _kg(weight), "min": _kg(minimum)}
    if donation_type.is_apheresis:
        return [Reason("apheresis_weight", _(
            "Cân nặng %(weight)s kg chưa đạt mức tối thiểu %(min)s kg để hiến máu bằng gạn "
            "tách.") % values)]
    # Whole sentences per sex (no fragments to translate).
    if person.sex == "F":
        message = _("Cân nặng %(weight)s kg chưa đạt mức tối thiểu %(min)s kg đối với nữ để "
                    "hiến máu toàn phần.")
    elif person.sex == "M":
        message = _("Cân nặng %(weight)s kg chưa đạt mức tối thiểu %(min)s kg đối với nam để "
                    "hiến máu toàn phần.")
    else:
        message = _("Cân nặng %(weight)s kg chưa đạt mức tối thiểu %(min)s kg để hiến máu "
                    "toàn phần (chưa rõ giới tính nên áp dụng mức cao hơn).")
    return [Reason("under_weight", message % values)]


def _interval(collected: list[PastDonation], on: datetime.date, rules: RuleSet) -> list[Reason]:
    """TT 26 Điều 6 khoản 1, 2, 4: the interval follows the type of the LAST donation."""
    if not collected:
        return []
    last_date = max(donation.date for donation in collected)
    # Two donations on the same day: the longer interval wins (the safer reading).
    last = max((d for d in collected if d.date == last_date),
               key=lambda d: rules.interval_days[d.type])
    days = rules.interval_days[last.type]
    lifts_on = last.date + datetime.timedelta(days=days)
    if on >= lifts_on:
        return []
    return [Reason("interval", _(
        "Lần hiến gần nhất ngày %(last)s (%(type)s) chưa đủ %(days)s ngày; có thể hiến lại "
        "từ ngày %(date)s.") % {"last": _day(last.date), "type": last.type.label,
                               "days": days, "date": _day(lifts_on)}, lifts_on)]


def _granulocytes(collected: list[PastDonation], on: datetime.date,
                  rules: RuleSet) -> list[Reason]:
    """TT 26 Điều 6 khoản 3: at most N granulocyte donations in any W consecutive days.
    History only reaches back, so the window ending on `on` is the fullest one."""
    window, most = rules.granulocyte_window_days, rules.granulocyte_max_donations
    first = on - datetime.timedelta(days=window - 1)
    dates = sorted((d.date for d in collected
                    if d.type is DonationType.GRANULOCYTES_APHERESIS and d.date >= first),
                   reverse=True)
    if len(dates) < most:
        return []
    # Once the `most`-th latest donation leaves the window, one more is allowed.
    lifts_on = dates[most - 1] + datetime.timedelta(days=window)
    return [Reason("apheresis_frequency", _(
        "Đã hiến bạch cầu hạt %(count)s lần trong %(window)s ngày (tối đa %(most)s lần); có "
        "thể hiến lại từ ngày %(date)s.") % {"count": len(dates), "window": window,
                                            "most": most, "date": _day(lifts_on)}, lifts_on)]


def assess(person: Person, history: Iterable[PastDonation], deferrals: Iterable[Deferral],
           on: datetime.date, donation_type: DonationType | str,
           rules: RuleSet = DEFAULT_RULESET) -> Assessment:
    """Assess `person` for a `donation_type` donation on `on` under `rules` (TT 26/2013 by
    default): age (Điều 4 khoản 1), weight and volume (Điều 4 khoản 2), deferrals (Điều 5,
    as recorded `Deferral`s), permanent exclusion, intervals (Điều 6).

    `history`: past donations of any outcome; only collected ones count. `deferrals`: all
    the person's deferrals, past and future; a permanent one excludes whatever its dates.
    Hemoglobin, pulse and blood pressure are measured by the blood centre at the drive and
    are not assessed here."""
    donation_type = DonationType(donation_type)
    deferrals = list(deferrals)
    temporary = [d for d in deferrals if not d.permanent]
    collected = [d for d in history if d.outcome is Outcome.COLLECTED and d.date <= on]

    reasons: list[Reason] = []
    if person.permanently_excluded or any(d.permanent for d in deferrals):
        # Same words for every cause: the cause is only in the Deferral (staff only).
        reasons.append(Reason("excluded", _(
            "Không đủ điều kiện hiến máu; liên hệ đơn vị tiếp nhận máu.")))
    age_reasons, warnings, too_old_on = _age(person, on, rules)
    reasons += age_reasons + _weight(person, donation_type, rules)
    active = [d for d in temporary if d.covers(on)]
    free_on = _clear_of_deferrals(on, temporary)
    if active and free_on is None:
        reasons.append(Reason("deferred", _(
            "Đang tạm hoãn hiến máu từ ngày %(start)s, chưa có ngày kết thúc.") % {
                "start": _day(min(d.start for d in active))}))
    elif active:
        reasons.append(Reason("deferred", _(
            "Đang tạm hoãn hiến máu; có thể hiến lại từ ngày %(date)s.") % {
                "date": _day(free_on)}, free_on))
    reasons += _interval(collected, on, rules)
    if donation_type is DonationType.GRANULOCYTES_APHERESIS:
        reasons += _granulocytes(collected, on, rules)

    # Time-based reasons carry `lifts_on`; take the latest, then step past any deferral
    # that would cover that day, unless time never helps or the person is too old by then.
    next_date = None
    if not any(r.code in ("excluded", "too_old") or (r.code == "deferred" and r.lifts_on is None)
               for r in reasons):
        next_date = _clear_of_deferrals(
            max([on, *(r.lifts_on for r in reasons if r.lifts_on is not None)]), temporary)
        if next_date is not None and too_old_on is not None and next_date >= too_old_on:
            next_date = None

    return Assessment(
        eligible=not reasons, reasons=reasons, next_eligible_date=next_date,
        max_whole_blood_ml=rules.whole_blood_bag_ml(person.weight_kg, person.sex),
        max_apheresis_ml=rules.apheresis_limit_ml(person.weight_kg),
        warnings=warnings + _warnings(person, collected, on, donation_type, rules),
        ruleset_code=rules.code)


def _warnings(person: Person, collected: list[PastDonation], on: datetime.date,
              donation_type: DonationType, rules: RuleSet) -> list[Reason]:
    warnings = []
    if person.weight_kg is None:
        warnings.append(Reason("weight_unknown", _(
            "Chưa có cân nặng; cần cân tại điểm hiến máu để xác định lượng máu được hiến.")))
    if donation_type is not DonationType.WHOLE_BLOOD:
        return warnings
    if person.sex is None:
        warnings.append(Reason("sex_unknown", _(
            "Chưa rõ giới tính: áp dụng mức cân nặng tối thiểu %(min)s kg.") % {
                "min": _kg(rules.min_weight_kg(None))}))
    most = rules.whole_blood_yearly_warning_above
    # A rolling year ending on `on`, counting the donation being assessed.
    year_ago = on - datetime.timedelta(days=365)
    count = 1 + sum(d.type is DonationType.WHOLE_BLOOD and d.date > year_ago for d in collected)
    if most is not None and count > most:
        warnings.append(Reason("many_donations", _(
            "Đây sẽ là lần hiến máu toàn phần thứ %(count)s trong 12 tháng (khuyến cáo không "
            "quá %(most)s lần).") % {"count": count, "most": most}))
    return warnings
