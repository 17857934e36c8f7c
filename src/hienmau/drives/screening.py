"""The rules a drive's screening and collection stations apply, as plain functions.

- `DEFERRAL_REASONS`: the reasons a screener picks from. How long each deferral lasts is
  in the rule set (`RuleSet.deferral_days`, TT 26/2013 Điều 5 and the questionnaire in
  use); `default_until` reads it. A reason without a period there (a low hemoglobin, an
  under-weight, blood pressure, pulse…) needs the date from the screener.
- `proposals`: what the measured values say against the rule set (a hemoglobin below the
  threshold proposes a deferral, or a smaller bag when only the larger bag's threshold
  is missed; a weight under the minimum proposes a deferral).
- `allowed_volumes`: the bag sizes the donor's weight (and hemoglobin) allow.
Pulse and blood pressure are recorded, not judged: no Vietnamese source gives limits
(docs/domain.md §1.5), the institution's physician decides.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienmau.donors.rules import RuleSet


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    permanent: bool = False  # no end date: the donor's flag


# The periods are the rule set's (`RuleSet.deferral_days`), not written here.
DEFERRAL_REASONS = [
    Reason("hemoglobin", gettext_lazy("Huyết sắc tố (Hb) thấp")),
    Reason("under_weight", gettext_lazy("Cân nặng chưa đạt")),
    Reason("blood_pressure", gettext_lazy("Huyết áp không đạt")),
    Reason("pulse", gettext_lazy("Mạch không đạt")),
    Reason("acute_illness", gettext_lazy("Đang cảm, sốt, ho, đau họng")),
    Reason("medication", gettext_lazy("Đang dùng thuốc (kháng sinh, kháng viêm…)")),
    Reason("vaccination", gettext_lazy("Mới tiêm vắc xin")),
    Reason("tattoo_piercing", gettext_lazy("Xăm, xỏ lỗ, phơi nhiễm máu trong 6 tháng")),
    Reason("surgery_transfusion_birth",
           gettext_lazy("Phẫu thuật, truyền máu, sinh con trong 12 tháng")),
    Reason("pregnant_nursing", gettext_lazy("Đang mang thai hoặc nuôi con nhỏ")),
    Reason("other", gettext_lazy("Lý do sức khỏe khác")),
    Reason("permanent", gettext_lazy("Không đủ điều kiện hiến máu lâu dài"), permanent=True),
]
REASONS = {reason.code: reason for reason in DEFERRAL_REASONS}


def is_permanent(code: str | None) -> bool:
    reason = REASONS.get(code or "")
    return reason is not None and reason.permanent


def reason_label(code: str) -> str:
    reason = REASONS.get(code)
    return str(reason.label) if reason else code


def default_until(code: str, today: datetime.date, rules: RuleSet) -> datetime.date | None:
    """The end of a deferral for `code` starting `today`, when the rule set gives the
    reason a period; None when the screener must give the date."""
    days = rules.deferral_period_days(code) if code in REASONS else None
    return None if days is None else today + datetime.timedelta(days=days)


def reason_choice(reason: Reason, rules: RuleSet) -> str:
    """The reason as a screener picks it: with its period, or saying a date is needed."""
    if reason.permanent:
        return str(reason.label)
    days = rules.deferral_period_days(reason.code)
    if days is None:
        return _("%(reason)s · ghi ngày hết tạm hoãn") % {"reason": reason.label}
    return _("%(reason)s · %(days)s ngày") % {"reason": reason.label, "days": days}


@dataclass(frozen=True)
class Proposal:
    """What the measured values suggest: defer (with a reason code), or limit the bag."""

    defer_reason: str | None
    message: str
    max_volume_ml: int | None = None


def allowed_volumes(weight_kg: Decimal | None, sex: str | None, rules: RuleSet,
                    hemoglobin_g_l: int | None = None) -> list[int]:
    """Whole-blood bag sizes allowed: up to what the weight allows (TT 26 Điều 4 khoản 2),
    below `large_bag_from_ml` when the hemoglobin misses the larger bag's threshold. A
    hemoglobin under the minimum proposes a deferral (`proposals`); a physician who
    accepts the person anyway may take only those smaller bags."""
    largest = rules.whole_blood_bag_ml(weight_kg, sex)
    if largest is None:
        return []
    sizes = [size for size in rules.bag_sizes_ml if size <= largest]
    if hemoglobin_g_l is not None and hemoglobin_g_l < rules.min_hemoglobin_large_bag_g_l:
        sizes = [size for size in sizes if size < rules.large_bag_from_ml]
    return sizes


def proposals(weight_kg: Decimal | None, hemoglobin_g_l: int | None, sex: str | None,
              rules: RuleSet) -> list[Proposal]:
    """The measured values against the rule set, for the screener to confirm."""
    found = []
    if weight_kg is not None and weight_kg < rules.min_weight_kg(sex):
        found.append(Proposal("under_weight", _(
            "Cân nặng %(weight)s kg dưới mức tối thiểu %(min)s kg: đề nghị tạm hoãn.")
            % {"weight": _kg(weight_kg), "min": _kg(rules.min_weight_kg(sex))}))
    if hemoglobin_g_l is not None:
        if hemoglobin_g_l < rules.min_hemoglobin_g_l:
            found.append(Proposal("hemoglobin", _(
                "Huyết sắc tố %(hb)s g/l dưới ngưỡng %(min)s g/l: đề nghị tạm hoãn.")
                % {"hb": hemoglobin_g_l, "min": rules.min_hemoglobin_g_l}))
        elif hemoglobin_g_l < rules.min_hemoglobin_large_bag_g_l:
            smaller = [size for size in rules.bag_sizes_ml if size < rules.large_bag_from_ml]
            found.append(Proposal(None, _(
                "Huyết sắc tố %(hb)s g/l dưới ngưỡng %(min)s g/l cho túi từ %(large)s ml: chỉ "
                "lấy túi nhỏ hơn.") % {"hb": hemoglobin_g_l,
                                       "min": rules.min_hemoglobin_large_bag_g_l,
                                       "large": rules.large_bag_from_ml},
                max_volume_ml=smaller[-1] if smaller else None))
    return found


def _kg(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}".replace(".", ",")
