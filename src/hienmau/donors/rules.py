"""Donor eligibility rules as data: one versioned `RuleSet` per regulation.

The numbers live here and not in `eligibility.py`, so that an office can move to a new
regulation by storing another rule set (later in a JSONField, through `to_dict()` and
`RuleSet.from_dict()`) without a code change. A drive that wants a stricter rule (e.g. the
45 kg minimum for women that some blood centres apply) uses `dataclasses.replace()`.

`DEFAULT_RULESET` encodes Thông tư 26/2013/TT-BYT (Bộ Y tế, 16/09/2013, in force
15/11/2013): Điều 4 (tiêu chuẩn người hiến máu) and Điều 6 (khoảng thời gian tối thiểu giữa
hai lần hiến máu). Values marked UNCONFIRMED are not settled by the text we could read.
When a default changes, update docs/domain.md §0 (R1–R10) and §1, and
tests/donors/test_eligibility.py, with it.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienmau.errors import RuleError


class DonationType(StrEnum):
    """Ways of donating named by TT 26/2013 Điều 4 khoản 2 and Điều 6. The values are
    stable keys: rule sets and donation records store them."""

    WHOLE_BLOOD = "whole_blood"  # máu toàn phần
    RED_CELLS_APHERESIS = "red_cells_apheresis"  # gạn tách hồng cầu
    PLATELETS_APHERESIS = "platelets_apheresis"  # gạn tách tiểu cầu
    PLASMA_APHERESIS = "plasma_apheresis"  # gạn tách huyết tương
    GRANULOCYTES_APHERESIS = "granulocytes_apheresis"  # gạn tách bạch cầu hạt

    @property
    def is_apheresis(self) -> bool:
        return self is not DonationType.WHOLE_BLOOD

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    DonationType.WHOLE_BLOOD: gettext_lazy("máu toàn phần"),
    DonationType.RED_CELLS_APHERESIS: gettext_lazy("gạn tách hồng cầu"),
    DonationType.PLATELETS_APHERESIS: gettext_lazy("gạn tách tiểu cầu"),
    DonationType.PLASMA_APHERESIS: gettext_lazy("gạn tách huyết tương"),
    DonationType.GRANULOCYTES_APHERESIS: gettext_lazy("gạn tách bạch cầu hạt"),
}


class RuleSetError(RuleError, ValueError):
    """A rule set that cannot be used; `key` names the offending entry of the dict."""

    default_code = "invalid_ruleset"

    def __init__(self, message: str, key: str | None):
        super().__init__(message, field=key)
        self.key = key


_TEXTS = ("code", "title", "legal_basis")
_KILOGRAMS = ("min_weight_female_kg", "min_weight_male_kg", "reduced_volume_below_kg",
              "apheresis_min_weight_kg", "apheresis_high_weight_kg")
_COUNTS = ("min_age_years", "max_age_years", "reduced_volume_max_ml", "ml_per_kg",
           "max_whole_blood_ml", "apheresis_max_ml", "apheresis_high_max_ml",
           "granulocyte_max_donations", "granulocyte_window_days", "min_hemoglobin_g_l",
           "min_hemoglobin_large_bag_g_l", "large_bag_from_ml")
# Keys a stored dict may leave out. Every other key is required: a new regulation that
# forgets a number must fail loudly instead of silently inheriting TT 26's value.
_OPTIONAL = ("whole_blood_yearly_warning_above", "min_hemoglobin_g_l",
             "min_hemoglobin_large_bag_g_l", "large_bag_from_ml", "deferral_days")

# How long a temporary deferral lasts, by the reason a screener picks (the codes of
# `drives.screening.DEFERRAL_REASONS`), where a text sets the period. TT 26/2013 Điều 5
# khoản 1 (12 months: surgery, transfusion, childbirth) and khoản 2 (6 months: tattoo,
# piercing, exposure to blood); the health questionnaire in use (question 7: flu, cold,
# fever in the last 14 days; question 8: antibiotics, anti-inflammatories in the last 7
# days; vaccines other than live ones: 7 days). No text sets a period for a low
# hemoglobin, an under-weight, the blood pressure or the pulse: the screener gives the
# date, unless an office stores a rule set that sets one.
TT26_DEFERRAL_DAYS = MappingProxyType({
    "acute_illness": 14,
    "medication": 7,
    "vaccination": 7,
    "tattoo_piercing": 182,
    "surgery_transfusion_birth": 365,
})


def _error(key: str, message: str) -> RuleSetError:
    return RuleSetError(message % {"key": key}, key=key)


def _positive_int(key: str, value: Any, *, zero: bool = False) -> int:
    # bool is an int in Python; `true` in a JSON dict is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int) or value < (0 if zero else 1):
        if zero:
            raise _error(key, _("Bộ quy tắc: trường “%(key)s” phải là số nguyên không âm."))
        raise _error(key, _("Bộ quy tắc: trường “%(key)s” phải là số nguyên dương."))
    return value


def _kilograms(key: str, value: Any) -> Decimal:
    # JSON has no decimals: accept 42, 42.5 and "42.5"; store Decimal so 41.9 stays 41.9.
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise InvalidOperation
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number <= 0:
        raise _error(key, _("Bộ quy tắc: trường “%(key)s” phải là số kilôgam lớn hơn 0."))
    return number


@dataclass(frozen=True)
class RuleSet:
    """Every number of a donor-eligibility regulation. Ages are whole years, weights kg,
    volumes ml, intervals days. Constructing one validates it (see `__post_init__`)."""

    code: str
    title: str
    legal_basis: str
    effective_from: datetime.date
    min_age_years: int
    # Eligible while the age in whole years is ≤ max_age_years (so up to the day before
    # the (max_age_years + 1)th birthday).
    max_age_years: int
    min_weight_female_kg: Decimal
    min_weight_male_kg: Decimal
    # Below this weight (and above the sex minimum) only `reduced_volume_max_ml` is allowed.
    reduced_volume_below_kg: Decimal
    reduced_volume_max_ml: int
    ml_per_kg: int
    max_whole_blood_ml: int
    bag_sizes_ml: tuple[int, ...]
    apheresis_min_weight_kg: Decimal
    apheresis_max_ml: int
    apheresis_high_weight_kg: Decimal
    apheresis_high_max_ml: int
    # Days after the LAST collected donation, keyed by that donation's type (Điều 6 khoản 4).
    interval_days: Mapping[str, int]
    granulocyte_max_donations: int
    granulocyte_window_days: int
    # None = no warning. Not a legal limit: a soft warning an office may switch on.
    whole_blood_yearly_warning_above: int | None = None
    # Hemoglobin measured at screening, g/l: the minimum, and the higher minimum for a
    # bag of `large_bag_from_ml` or more. UNCONFIRMED (docs/domain.md §1.5: a widely copied
    # list, the TT 26 clause not retrieved); rule sets stored before they existed get
    # these values.
    min_hemoglobin_g_l: int = 120
    min_hemoglobin_large_bag_g_l: int = 125
    large_bag_from_ml: int = 350
    # Days a temporary deferral lasts, by reason code (`TT26_DEFERRAL_DAYS`); a reason
    # left out has no set period. Rule sets stored before it existed get TT 26's.
    deferral_days: Mapping[str, int] = field(
        default_factory=lambda: dict(TT26_DEFERRAL_DAYS))

    def __post_init__(self):
        # Frozen dataclass: normalised values are set through object.__setattr__.
        def put(name, value):
            object.__setattr__(self, name, value)

        for key in _TEXTS:
            value = getattr(self, key)
            if not isinstance(value, str) or not value.strip():
                raise _error(key, _("Bộ quy tắc: trường “%(key)s” không được để trống."))
        effective = self.effective_from
        if not isinstance(effective, datetime.date) or isinstance(effective, datetime.datetime):
            raise _error("effective_from",
                         _("Bộ quy tắc: trường “%(key)s” phải là ngày dạng YYYY-MM-DD."))
        for key in _COUNTS:
            _positive_int(key, getattr(self, key))
        for key in _KILOGRAMS:
            put(key, _kilograms(key, getattr(self, key)))

        bags = self.bag_sizes_ml
        if isinstance(bags, str) or not isinstance(bags, Sequence) or not bags:
            raise _error("bag_sizes_ml",
                         _("Bộ quy tắc: trường “%(key)s” phải là danh sách thể tích túi (ml)."))
        bags = tuple(_positive_int("bag_sizes_ml", size) for size in bags)
        if list(bags) != sorted(set(bags)):
            raise _error("bag_sizes_ml",
                         _("Bộ quy tắc: trường “%(key)s” phải tăng dần, không trùng lặp."))
        put("bag_sizes_ml", bags)

        intervals = self.interval_days
        if not isinstance(intervals, Mapping):
            raise _error("interval_days",
                         _("Bộ quy tắc: trường “%(key)s” phải ghi số ngày cho từng loại hiến."))
        wrong = sorted(set(intervals) ^ set(DonationType))
        if wrong:
            raise _error(f"interval_days.{wrong[0]}", _(
                "Bộ quy tắc: trường “%(key)s” thiếu hoặc không phải loại hiến máu đã biết."))
        put("interval_days", MappingProxyType(
            {kind.value: _positive_int(f"interval_days.{kind.value}", intervals[kind.value],
                                       zero=True) for kind in DonationType}))

        periods = self.deferral_days
        if not isinstance(periods, Mapping) or not all(
                isinstance(code, str) and code for code in periods):
            raise _error("deferral_days", _(
                "Bộ quy tắc: trường “%(key)s” phải ghi số ngày tạm hoãn cho từng lý do."))
        put("deferral_days", MappingProxyType(
            {code: _positive_int(f"deferral_days.{code}", days)
             for code, days in sorted(periods.items())}))

        if self.whole_blood_yearly_warning_above is not None:
            _positive_int("whole_blood_yearly_warning_above",
                          self.whole_blood_yearly_warning_above)
        if self.max_age_years < self.min_age_years:
            raise _error("max_age_years", _(
                "Bộ quy tắc: trường “%(key)s” không được nhỏ hơn tuổi tối thiểu."))
        if self.apheresis_high_weight_kg < self.apheresis_min_weight_kg:
            raise _error("apheresis_high_weight_kg", _(
                "Bộ quy tắc: trường “%(key)s” không được nhỏ hơn cân nặng tối thiểu gạn tách."))

    def min_weight_kg(self, sex: str | None) -> Decimal:
        """Whole-blood minimum for "F"/"M"; unknown sex gets the stricter of the two."""
        if sex in ("F", "M"):
            return self.min_weight_female_kg if sex == "F" else self.min_weight_male_kg
        return max(self.min_weight_female_kg, self.min_weight_male_kg)

    def whole_blood_bag_ml(self, weight: Decimal | None, sex: str | None) -> int | None:
        """Largest standard bag allowed by weight (Điều 4 khoản 2 điểm a): the reduced volume
        below 45 kg, else min(9 ml × kg, 500 ml); 45 kg → 405 ml → 350 ml. None when the
        weight is unknown or under the minimum for the sex."""
        if weight is None or weight < self.min_weight_kg(sex):
            return None
        if weight < self.reduced_volume_below_kg:
            limit = Decimal(self.reduced_volume_max_ml)
        else:
            limit = min(Decimal(self.max_whole_blood_ml), self.ml_per_kg * weight)
        allowed = [size for size in self.bag_sizes_ml if size <= limit]
        return allowed[-1] if allowed else None

    def deferral_period_days(self, reason: str) -> int | None:
        """How many days a deferral for `reason` lasts; None when no period is set."""
        return self.deferral_days.get(reason)

    def apheresis_limit_ml(self, weight: Decimal | None) -> int | None:
        """Total apheresis volume allowed (Điều 4 khoản 2 điểm b); None under the minimum."""
        if weight is None or weight < self.apheresis_min_weight_kg:
            return None
        if weight >= self.apheresis_high_weight_kg:
            return self.apheresis_high_max_ml
        return self.apheresis_max_ml

    def to_dict(self) -> dict[str, Any]:
        """A plain dict that `json.dumps` accepts: dates ISO, kilograms as strings."""
        result: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, Mapping):
                value = dict(value)
            result[item.name] = value
        return result

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "RuleSet":
        """Rebuild a rule set stored by `to_dict()`. Raises `RuleSetError` naming the first
        missing, unknown or invalid key (in Vietnamese, for the office that edited it)."""
        if not isinstance(data, Mapping):
            raise RuleSetError(_("Bộ quy tắc phải là một đối tượng JSON (dict)."), key=None)
        known = {item.name for item in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise _error(unknown[0], _("Bộ quy tắc: trường “%(key)s” không được hỗ trợ."))
        missing = sorted(known - set(data) - set(_OPTIONAL))
        if missing:
            raise _error(missing[0], _("Bộ quy tắc: thiếu trường “%(key)s”."))
        values = dict(data)
        effective = values["effective_from"]
        if isinstance(effective, str):
            try:
                values["effective_from"] = datetime.date.fromisoformat(effective)
            except ValueError:
                raise _error("effective_from", _(
                    "Bộ quy tắc: trường “%(key)s” phải là ngày dạng YYYY-MM-DD.")) from None
        return cls(**values)

    def __reduce__(self):
        # MappingProxyType cannot be pickled; go through the dict (caches, task queues).
        return (RuleSet.from_dict, (self.to_dict(),))


DEFAULT_RULESET = RuleSet(
    code="tt26-2013",
    title="Tiêu chuẩn người hiến máu theo Thông tư 26/2013/TT-BYT",
    legal_basis=("Thông tư 26/2013/TT-BYT ngày 16/09/2013 của Bộ Y tế hướng dẫn hoạt động "
                 "truyền máu (hiệu lực từ 15/11/2013), Điều 4 và Điều 6."),
    effective_from=datetime.date(2013, 11, 15),
    # Điều 4 khoản 1: "từ đủ 18 tuổi đến 60 tuổi".
    min_age_years=18,
    # Điều 4 khoản 1. UNCONFIRMED boundary: whether "đến 60 tuổi" still covers 60 years
    # and some months is not settled (docs/domain.md §1.1); default = eligible while age ≤ 60.
    max_age_years=60,
    # Điều 4 khoản 2 điểm a: whole blood from 42 kg (women) / 45 kg (men). Copied lists
    # say 45 kg for both; the legal text says 42 for women (docs/domain.md §1.2).
    min_weight_female_kg=Decimal("42"),
    min_weight_male_kg=Decimal("45"),
    # Điều 4 khoản 2 điểm a: 42 to under 45 kg → at most 250 ml per donation.
    reduced_volume_below_kg=Decimal("45"),
    reduced_volume_max_ml=250,
    # Điều 4 khoản 2 điểm a: from 45 kg, at most 9 ml/kg and at most 500 ml.
    ml_per_kg=9,
    max_whole_blood_ml=500,
    # Not in TT 26. UNCONFIRMED as law: the bag sizes used in practice and named by the
    # price circulars (TT 20/2018, TT 17/2020: "đơn vị máu thể tích 250/350/450 ml").
    bag_sizes_ml=(250, 350, 450),
    # Điều 4 khoản 2 điểm b: apheresis from 50 kg, total ≤ 500 ml; from 60 kg ≤ 650 ml.
    apheresis_min_weight_kg=Decimal("50"),
    apheresis_max_ml=500,
    apheresis_high_weight_kg=Decimal("60"),
    apheresis_high_max_ml=650,
    interval_days={
        # Điều 6 khoản 1: whole blood or apheresis red cells → at least 12 weeks.
        DonationType.WHOLE_BLOOD.value: 84,
        DonationType.RED_CELLS_APHERESIS.value: 84,
        # Điều 6 khoản 2: apheresis plasma or platelets → at least 2 weeks.
        DonationType.PLATELETS_APHERESIS.value: 14,
        DonationType.PLASMA_APHERESIS.value: 14,
        # Điều 6 khoản 3 sets a frequency (below), not an interval, for granulocytes; 0
        # here is our reading (UNCONFIRMED): after granulocytes only that frequency applies.
        DonationType.GRANULOCYTES_APHERESIS.value: 0,
    },
    # Điều 6 khoản 3: granulocytes / peripheral stem cells at most 3 times in 7 days.
    granulocyte_max_donations=3,
    granulocyte_window_days=7,
    # Not in TT 26 (no yearly cap found, docs/domain.md §1.3); press advice says 3–4 a year.
    # Off by default; an office may set e.g. 4 to get a soft warning on the 5th.
    whole_blood_yearly_warning_above=None,
)
