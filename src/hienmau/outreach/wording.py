"""Message templates: Vietnamese text with {placeholders}, checked when written and
filled for each donor. The defaults per kind are the starting text of every form."""

import string

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


class WordingError(ValueError):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


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


def values_for(donor, sender, drive=None, link: str = "", eligible_on=None) -> dict:
    words = donor.full_name.split()
    values = {"ho_ten": donor.full_name, "ten": words[-1] if words else "",
              "nhom_mau": donor.blood_type or _("chưa rõ"), "don_vi": str(sender),
              "dot": "", "ngay": "", "gio": "", "dia_diem": "", "lien_ket": link,
              "ngay_du_dieu_kien": date_format(eligible_on, "SHORT_DATE_FORMAT")
              if eligible_on else ""}
    if drive is not None:
        values.update(dot=str(drive), ngay=date_format(drive.date, "SHORT_DATE_FORMAT"),
                      gio=drive.start_time.strftime("%H:%M") if drive.start_time else "",
                      dia_diem=drive.venue)
    return values


def fill(text: str, values: dict) -> str:
    return text.format_map({name: values.get(name, "") for name in PLACEHOLDERS})


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
}
