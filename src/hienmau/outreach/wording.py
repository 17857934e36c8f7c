"""Message templates: Vietnamese text with {placeholders}, checked when written and
filled for each donor by `render`, which refuses any message that would leave one empty.
The defaults per kind are the starting text of every form."""

import string

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienmau.errors import RuleError

PLACEHOLDERS = {
    "ho_ten": gettext_lazy("họ và tên người nhận"),
    "ten": gettext_lazy("tên gọi (tên cuối của họ và tên)"),
    "nhom_mau": gettext_lazy("nhóm máu"),
    "don_vi": gettext_lazy("đơn vị gửi"),
    "dot": gettext_lazy("tên đợt hiến máu"),
    "ngay": gettext_lazy("ngày hiến máu"),
    "gio": gettext_lazy("giờ bắt đầu"),
    "dia_diem": gettext_lazy("địa điểm"),
    "lien_ket": gettext_lazy("liên kết đăng ký hoặc trả lời"),
    "ngay_du_dieu_kien": gettext_lazy("ngày đủ điều kiện hiến lại"),
}
# The placeholders whose value differs from one recipient to the next. Empty for one
# person (no name, blood group not known), that person is left out, with the reason;
# any other placeholder left empty (no drive chosen, a drive without a start time) would
# be empty for everyone, and stops the whole mailing (`render`).
PER_RECIPIENT = ("ho_ten", "ten", "nhom_mau")
# What a drive fills: without a drive, a message using them cannot go.
DRIVE = ("dot", "ngay", "gio", "dia_diem", "lien_ket")


class WordingError(RuleError, ValueError):
    pass


def check(text: str) -> None:
    """Raise WordingError for an unknown or malformed {placeholder}."""
    try:
        # str(): the DEFAULTS are lazy translations, which the parser refuses (TypeError).
        fields = [name for _lit, name, _spec, _conv in string.Formatter().parse(str(text))
                  if name is not None]
    except ValueError:
        raise WordingError(_("Mẫu tin có dấu ngoặc nhọn { } không khớp."), "malformed") from None
    unknown = sorted({name for name in fields if name not in PLACEHOLDERS})
    if unknown:
        raise WordingError(
            _("Mẫu tin có chỗ điền không có: %(names)s. Các chỗ điền dùng được: %(known)s.")
            % {"names": ", ".join(f"{{{n}}}" for n in unknown),
               "known": ", ".join(f"{{{n}}}" for n in PLACEHOLDERS)}, "unknown_placeholder")


def used(text: str) -> list[str]:
    """The placeholders `text` uses, each once, in the order they first appear."""
    names = [name for _lit, name, _spec, _conv in string.Formatter().parse(str(text))
             if name]
    return list(dict.fromkeys(names))


def drive_link(drive) -> str:
    """The drive's public sign-up page, as a message's {lien_ket}."""
    return settings.SITE_URL + reverse("drives:sign_up", args=[drive.code])


def mailing_values(sender, drive=None, link: str = "", eligible_on=None) -> dict:
    """The values that are the same for every recipient of a mailing: the sender, the
    drive (its sign-up page is {lien_ket} unless another `link` is given), the day from
    which the recipients may give again."""
    values = {"don_vi": str(sender) if sender else "", "dot": "", "ngay": "", "gio": "",
              "dia_diem": "", "lien_ket": link,
              "ngay_du_dieu_kien": date_format(eligible_on, "SHORT_DATE_FORMAT")
              if eligible_on else ""}
    if drive is not None:
        values.update(dot=str(drive), ngay=date_format(drive.date, "SHORT_DATE_FORMAT"),
                      gio=drive.start_time.strftime("%H:%M") if drive.start_time else "",
                      dia_diem=drive.venue, lien_ket=link or drive_link(drive))
    return values


def donor_values(donor) -> dict:
    """The values of one recipient (`PER_RECIPIENT`): empty when not known."""
    name = " ".join((donor.full_name or "").split())
    blood_type = f"{donor.blood_group}{donor.rh or ''}" if donor.blood_group else ""
    return {"ho_ten": name, "ten": name.rsplit(" ", 1)[-1], "nhom_mau": blood_type}


def values_for(donor, sender, drive=None, link: str = "", eligible_on=None) -> dict:
    return {**mailing_values(sender, drive, link, eligible_on), **donor_values(donor)}


class Blank(WordingError):
    """`render` refused: the message would leave these placeholders empty. `per_recipient`
    when all of them are a recipient's own (that person is left out, `skip_reason`);
    otherwise the mailing itself lacks a value and must not go."""

    def __init__(self, names, why: dict | None = None):
        self.names = tuple(names)
        self.per_recipient = all(name in PER_RECIPIENT for name in self.names)
        self.skip_reason = f"blank_{self.names[0]}"
        why = why or {}
        reasons = list(dict.fromkeys(str(why[name]) for name in self.names if name in why))
        message = _("Tin sẽ bị bỏ trống ở chỗ điền %(names)s.") % {
            "names": ", ".join(f"{{{name}}} ({PLACEHOLDERS[name]})" for name in self.names)}
        message = " ".join([message, *reasons] if reasons else [message, _(
            "Không có thông tin để điền vào đó: hãy bỏ chỗ điền này khỏi nội dung.")])
        super().__init__(message, "empty_placeholder")


def _empty(value) -> bool:
    return value is None or not str(value).strip()


def render(text: str, values: dict, why: dict | None = None) -> str:
    """The message: `text` with its placeholders filled from `values`. The one rule that
    no message leaves with an empty placeholder: if one `text` uses would be empty,
    raise `Blank` naming it (`why[name]`, a sentence, says why and what to do).

    A per-recipient placeholder absent from `values` is not checked: a mailing is checked
    before its recipients are known with `mailing_values` alone, then each recipient."""
    check(text)
    blank = [name for name in used(text) if _empty(values.get(name))
             and (name in values or name not in PER_RECIPIENT)]
    if blank:
        raise Blank(blank, why)
    return _fill(text, values)


def _fill(text: str, values: dict) -> str:
    return str(text).format_map({name: values.get(name, "") for name in PLACEHOLDERS})


DEFAULTS = {
    "message": gettext_lazy("{don_vi} kính gửi {ho_ten}: "),
    "club": gettext_lazy("CLB {don_vi} thông báo tới bạn {ten}: "),
    "invitation": gettext_lazy(
        "{don_vi} trân trọng mời {ho_ten} tham gia hiến máu tình nguyện tại {dot}, "
        "{dia_diem}, ngày {ngay} lúc {gio}. Đăng ký: {lien_ket}"),
    "reminder": gettext_lazy(
        "Nhắc lịch: ngày mai {ngay} lúc {gio}, {ho_ten} đã đăng ký hiến máu tại {dia_diem}. "
        "Nhớ ăn nhẹ, ngủ đủ và mang theo CCCD. Cảm ơn bạn!"),
    "eligible_again": gettext_lazy(
        "{ho_ten} ơi, từ ngày {ngay_du_dieu_kien} bạn đã đủ thời gian để hiến máu lại. "
        "Xem các đợt hiến máu gần bạn: {lien_ket}"),
    "appeal": gettext_lazy(
        "KHẨN: {don_vi} cần người hiến máu nhóm {nhom_mau}. Bạn {ten} có thể đến hiến "
        "giúp người bệnh không? Trả lời tại: {lien_ket}"),
    "signup_eligibility": gettext_lazy(
        "{ho_ten} ơi, cảm ơn bạn đã đăng ký hiến máu tại {dot} ngày {ngay}. Theo hồ sơ "
        "hiến máu của bạn, bạn có thể hiến lại từ ngày {ngay_du_dieu_kien}, nên chưa hiến "
        "được trong đợt này. Các đợt hiến máu sắp tới: {lien_ket}"),
}
# The daily job's texts for a drive whose start time is not recorded: no "lúc {gio}".
WITHOUT_TIME = {
    "invitation": gettext_lazy(
        "{don_vi} trân trọng mời {ho_ten} tham gia hiến máu tình nguyện tại {dot}, "
        "{dia_diem}, ngày {ngay}. Đăng ký: {lien_ket}"),
    "reminder": gettext_lazy(
        "Nhắc lịch: ngày mai {ngay}, {ho_ten} đã đăng ký hiến máu tại {dia_diem}. "
        "Nhớ ăn nhẹ, ngủ đủ và mang theo CCCD. Cảm ơn bạn!"),
}


def default_text(kind: str, drive=None) -> str:
    """The starting text of a message of this kind about this drive."""
    if drive is not None and not drive.start_time and kind in WITHOUT_TIME:
        return str(WITHOUT_TIME[kind])
    return str(DEFAULTS[kind])
