"""Donors' identity numbers, phone numbers and names: normalize as typed, validate, mask.

Plain functions, no database. Outcomes, used the same way throughout:
- a value that cannot be accepted (wrong length, unknown province code, not a Vietnamese
  phone number…) raises `IdentityError` with a Vietnamese message and a stable `code`;
- `check_cccd` *returns* the list of disagreements between a valid CCCD and the rest of a
  record, because either side may be the wrong one: a person decides, the input is kept.

Sources are in docs/domain.md §7 (R23 ID numbers, R24 phones); change both together.
"""

import datetime
import functools
import re
import time
from decimal import Decimal
from typing import NamedTuple

import phonenumbers
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.errors import RuleError
from hienmau.text import clean_name, search_key, text_error

MALE = "M"
FEMALE = "F"

# Document types (TT 26/2013/TT-BYT Điều 7 khoản 1 accepts these and more at registration).
CCCD = "cccd"  # căn cước công dân / thẻ căn cước: 12 digits
CMND = "cmnd"  # chứng minh nhân dân: 9 digits, or 12 in the transition years
PASSPORT = "passport"
OTHER = "other"  # military/police ID, driving licence, student card…
DOCUMENT_TYPES = (CCCD, CMND, PASSPORT, OTHER)

# Digits 1–3 of a CCCD: province where the birth was registered. Phụ lục I "Bảng danh mục
# mã tỉnh, thành phố trực thuộc trung ương nơi công dân đăng ký khai sinh" of Thông tư
# 07/2016/TT-BCA, as reproduced by thuvienphapluat.vn (news 50225, "Tra cứu mã 63 tỉnh
# thành trên thẻ Căn cước công dân"); docs/domain.md §7.1 names only some. These are the 63
# pre-2025 provinces; the 2025 merger renumbers nobody, so every code here stays valid.
PROVINCE_CODES = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

# The 2018–2019 conversion of 11-digit mobile numbers (15/9/2018–30/6/2019, Bộ TT&TT): the
# 4-digit prefix becomes 3 digits and the last 7 digits are kept. Checked against
# kynguyenso.plo.vn 2018-05 and tienphong.vn (docs/domain.md §7.2).
OLD_MOBILE_PREFIXES = {
    # MobiFone
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    # VinaPhone
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    # Viettel
    "0162": "032", "0163": "033", "0164": "034", "0165": "035",
    "0166": "036", "0167": "037", "0168": "038", "0169": "039",
    # Vietnamobile, Gmobile
    "0186": "056", "0188": "058", "0199": "059",
}

_SEPARATORS = re.compile(r"[\s.\-]")
# Excel turns a digits-only cell into a float; str() of it ends in ".0".
_EXCEL_FLOAT = re.compile(r"^(\d+)\.0+$")
_EXCEL_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE]\+?\d+$")
_PASSPORT = re.compile(r"^[A-Z0-9]{6,9}$")  # ICAO 9303 document number: at most 9
# Not toll-free, premium or VoIP: a donor's contact is a mobile or a home/work line.
# libphonenumber's own VN patterns, matched directly: what `number_type` and
# `is_valid_number_for_region` decide for a Vietnamese number, without parsing it into
# objects first (30 µs a number, 3 s for a 100.000-row list).
_VN_METADATA = phonenumbers.PhoneMetadata.metadata_for_region("VN")
_VN_MOBILE = re.compile(_VN_METADATA.mobile.national_number_pattern)
_VN_FIXED_LINE = re.compile(_VN_METADATA.fixed_line.national_number_pattern)


class IdentityError(RuleError):
    """A value refused by an identity rule; `code` is stable for tests and API clients."""


class CccdInfo(NamedTuple):
    province_code: str
    sex: str  # MALE or FEMALE
    birth_year: int

    @property
    def province_name(self) -> str:
        return PROVINCE_CODES[self.province_code]


def _compact(value) -> str:
    text = str(value if value is not None else "").strip()
    if match := _EXCEL_FLOAT.match(text):
        text = match.group(1)
    return _SEPARATORS.sub("", text)


def _id_error(message: str, code: str) -> IdentityError:
    return IdentityError(message, code=code, field="id_number")


def normalize_id_number(value, doc_type: str) -> str:
    """The stored form of an ID number typed or imported for `doc_type`; raises IdentityError.

    Spaces, dots and dashes are removed. CCCD and CMND must be digits. Leading zeros that a
    spreadsheet dropped are put back only when the length leaves no doubt:
    - CCCD (12 digits, NĐ 137/2015/NĐ-CP Điều 13; TT 07/2016/TT-BCA Điều 7): every province
      code starts with 0, so 10 or 11 digits that do not start with 0 get their zeros back;
      the result must then pass `decode_cccd`;
    - CMND (docs/domain.md §7.1: 9 digits, or 12 in the transition years): 8 digits → 9,
      10–11 digits → 12, again only when the digits do not start with 0;
    - passport: letters and digits, upper-cased, 6–9 characters;
    - other documents: any non-blank text of at most 30 characters, upper-cased.
    """
    if doc_type not in DOCUMENT_TYPES:
        raise ValueError(f"unknown document type {doc_type!r}")
    number = _compact(value)
    if not number:
        raise _id_error(_("Chưa nhập số giấy tờ."), "id_number_required")
    if doc_type in (PASSPORT, OTHER):
        number = number.upper()
        if doc_type == PASSPORT and not _PASSPORT.match(number):
            raise _id_error(_("Số hộ chiếu chỉ gồm chữ cái và chữ số, dài từ 6 đến 9 ký tự."),
                            "passport_invalid")
        if len(number) > 30:
            raise _id_error(_("Số giấy tờ dài quá 30 ký tự."), "id_number_too_long")
        return number
    if _EXCEL_SCIENTIFIC.match(number):
        # "7.91234E+10": the last digits are already lost, nothing can restore them.
        raise _id_error(_("Số giấy tờ đã bị Excel đổi sang dạng số mũ (ví dụ 7,91E+10) nên "
                          "mất chữ số; hãy định dạng cột là Văn bản và nhập lại số."),
                        "id_number_scientific")
    if not number.isdigit():
        raise _id_error(_("Số CCCD/CMND chỉ được gồm chữ số."), "id_number_not_digits")
    lost_zeros = not number.startswith("0")
    if doc_type == CMND:
        if lost_zeros and len(number) in (8, 10, 11):
            number = number.zfill(9 if len(number) == 8 else 12)
        if len(number) not in (9, 12):
            raise _id_error(_("Số CMND phải có 9 hoặc 12 chữ số."), "cmnd_length")
        return number
    if lost_zeros and len(number) in (10, 11):
        number = number.zfill(12)
    if len(number) == 9:
        raise _id_error(_("Số CCCD phải có 12 chữ số; số có 9 chữ số là số CMND, hãy chọn "
                          "loại giấy tờ CMND."), "cccd_looks_like_cmnd")
    if len(number) != 12:
        raise _id_error(_("Số CCCD phải có 12 chữ số."), "cccd_length")
    _decode(number)  # province code and birth year
    return number


def _decode(number: str) -> CccdInfo:
    province = number[:3]
    if province not in PROVINCE_CODES:
        raise _id_error(_("Số CCCD bắt đầu bằng %(code)s, không phải mã tỉnh, thành phố nơi "
                          "đăng ký khai sinh; hãy kiểm tra lại số trên thẻ.")
                        % {"code": province}, "cccd_unknown_province")
    digit = int(number[3])
    info = CccdInfo(province, FEMALE if digit % 2 else MALE,
                    1900 + 100 * (digit // 2) + int(number[4:6]))
    # Digits 4–9 are reserved for people born from 2100 on (see decode_cccd); today they
    # can only be a typo, as can any year after the current one.
    if info.birth_year > _this_year():
        raise _id_error(_("Số CCCD cho biết năm sinh %(year)s, là năm chưa tới; hãy kiểm tra "
                          "lại chữ số thứ 4 đến thứ 6.") % {"year": info.birth_year},
                        "cccd_future_birth_year")
    return info


def _this_year() -> int:
    return _year_in_minute(int(time.time() // 60))


@functools.lru_cache(maxsize=4)
def _year_in_minute(minute: int) -> int:
    # timezone.localdate() costs more than the rest of a CCCD check; a list of 100.000
    # numbers asks for the year once a minute instead.
    return timezone.localdate().year


def decode_cccd(number) -> CccdInfo:
    """Province code, sex and birth year encoded in a CCCD; raises IdentityError if invalid.

    NĐ 137/2015/NĐ-CP Điều 13 and TT 07/2016/TT-BCA Điều 7 (docs/domain.md §7.1, R23): digits 1–3
    province of birth registration, digit 4 century and sex (0/1 male/female born 1900–1999,
    2/3 2000–2099, 4/5 2100s, 6/7 2200s, 8/9 2300s), digits 5–6 the last two digits of the
    birth year, digits 7–12 random. There is no check digit.
    """
    return _decode(normalize_id_number(number, CCCD))


def check_cccd(number, birth_date=None, birth_year: int | None = None,
               sex: str | None = None) -> list[str]:
    """Sentences naming each way the CCCD disagrees with the record; [] when all agrees.

    Raises IdentityError when `number` is not a valid CCCD (see `normalize_id_number`).
    `birth_year` is compared only when it says something `birth_date` does not.
    """
    return compare_cccd(decode_cccd(number), birth_date, birth_year, sex)


def decode_normalized_cccd(number: str) -> CccdInfo:
    """`decode_cccd` of a number `normalize_id_number` already returned."""
    return _decode(number)


def compare_cccd(info: CccdInfo, birth_date=None, birth_year: int | None = None,
                 sex: str | None = None) -> list[str]:
    """`check_cccd` on a CCCD already decoded."""
    if sex not in (None, "", MALE, FEMALE):
        raise ValueError(f"unknown sex {sex!r}")
    problems = []
    if birth_date is not None and birth_date.year != info.birth_year:
        problems.append(_("Số CCCD cho biết năm sinh %(cccd_year)s, nhưng ngày sinh ghi năm "
                          "%(year)s.") % {"cccd_year": info.birth_year, "year": birth_date.year})
    if (birth_year is not None and birth_year != info.birth_year
            and (birth_date is None or birth_date.year != birth_year)):
        problems.append(_("Số CCCD cho biết năm sinh %(cccd_year)s, nhưng hồ sơ ghi năm sinh "
                          "%(year)s.") % {"cccd_year": info.birth_year, "year": birth_year})
    # Whole sentences per case, so that translations need not assemble fragments.
    if sex and sex != info.sex:
        problems.append(_("Số CCCD cho biết giới tính nữ, nhưng hồ sơ ghi nam.")
                        if info.sex == FEMALE
                        else _("Số CCCD cho biết giới tính nam, nhưng hồ sơ ghi nữ."))
    return problems


def mask_id_number(number) -> str:
    """The number as "********1234": only the last 4 characters, which are the random part
    of a CCCD and so reveal no province, sex or birth year."""
    compact = _compact(number)
    shown = compact[-4:] if len(compact) > 4 else ""  # 4 or fewer shown would be all of it
    return "*" * (len(compact) - len(shown)) + shown


def _phone_error(message: str, code: str) -> IdentityError:
    return IdentityError(message, code=code, field="phone")


def normalize_phone(text, mobile_only: bool = False) -> str:
    """A Vietnamese phone number in E.164 ("+84912345678"); raises IdentityError.

    Accepts 0912…, +84 912…, 84912…, 0084…, with spaces, dots, dashes or brackets; the old
    11-digit mobile numbers of the 2018–2019 conversion (OLD_MOBILE_PREFIXES, docs/domain.md §7.2);
    and a 9- or 10-digit number whose leading 0 a spreadsheet dropped. Validity comes from
    libphonenumber's VN metadata. Landlines are accepted unless `mobile_only`.
    """
    digits = re.sub(r"[()]", "", _compact(text))
    if not digits:
        raise _phone_error(_("Chưa nhập số điện thoại."), "phone_required")
    if digits.startswith("+") and not digits.startswith("+84"):
        raise _phone_error(_("Chỉ nhận số điện thoại Việt Nam (bắt đầu bằng 0 hoặc +84)."),
                           "phone_not_vietnamese")
    if not digits.lstrip("+").isdigit():
        raise _phone_error(_("Số điện thoại chỉ được gồm chữ số, dấu cách, dấu chấm hoặc "
                             "gạch ngang."), "phone_invalid")
    if digits.startswith(("+84", "0084")):
        national = digits.split("84", 1)[1]
    elif digits.startswith("84") and len(digits) in (11, 12):
        # 84 + 9 digits (today's numbers) or + 10 (landlines, old mobiles). A bare 9-digit
        # "84…" is a 084 mobile that lost its 0, handled below.
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    elif len(digits) in (9, 10):
        national = digits  # the 0 was dropped by a spreadsheet
    else:
        national = ""
    national = "0" + national.removeprefix("0")  # "+84 (0) 912…" keeps its 0 after the 84
    if len(national) == 11 and national[:4] in OLD_MOBILE_PREFIXES:
        national = OLD_MOBILE_PREFIXES[national[:4]] + national[4:]
    significant = national[1:]
    mobile = _VN_MOBILE.fullmatch(significant)
    if not (mobile or _VN_FIXED_LINE.fullmatch(significant)):
        raise _phone_error(_("Số “%(text)s” không phải số điện thoại Việt Nam hợp lệ; số di "
                             "động có 10 chữ số, ví dụ 0912 345 678.")
                           % {"text": str(text).strip()}, "phone_invalid")
    if mobile_only and not mobile:
        raise _phone_error(_("Cần số điện thoại di động, không phải số cố định."),
                           "phone_not_mobile")
    return "+84" + significant


def is_mobile_significant(digits: str) -> bool:
    """Whether the digits after the 0 (or +84) are a Vietnamese mobile number."""
    return _VN_MOBILE.fullmatch(digits) is not None


def format_phone_local(e164) -> str:
    """The national form for display: "0912 345 678", "024 3826 1234" (libphonenumber VN)."""
    parsed = phonenumbers.parse(normalize_phone(e164), "VN")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


def mask_phone(e164) -> str:
    """The number as "0912 *** 678": first and last groups only, for roles that must not
    see contacts.

    Never raises, because lists must render even over legacy data: a value that is not a
    valid number shows only its last 3 digits.
    """
    try:
        groups = format_phone_local(e164).split(" ")
    except IdentityError:
        groups = []
    if len(groups) < 3:
        digits = re.sub(r"\D", "", str(e164 or ""))
        return "***" + digits[-3:] if len(digits) > 3 else "*" * len(digits)
    return " ".join([groups[0], *("*" * len(g) for g in groups[1:-1]), groups[-1]])


NAME_MAX_LENGTH = 150  # Donor.full_name
# What a record may hold, whatever the door: a birth date from 1900 to today, a weight
# a scale shows for an adult (registration lists are read with the same bounds).
EARLIEST_BIRTH = datetime.date(1900, 1, 1)
WEIGHT_MIN_KG, WEIGHT_MAX_KG = Decimal(30), Decimal(200)


def birth_error(birth_date=None, birth_year=None, *, today) -> str | None:
    if birth_date is not None and not EARLIEST_BIRTH <= birth_date <= today:
        return _("Ngày sinh %(day)s không hợp lệ: từ 01/01/1900 đến hôm nay.") % {
            "day": f"{birth_date.day:02}/{birth_date.month:02}/{birth_date.year:04}"}
    if birth_year is not None and not EARLIEST_BIRTH.year <= birth_year <= today.year:
        return _("Năm sinh %(year)s không hợp lệ.") % {"year": birth_year}
    return None


def weight_error(weight_kg) -> str | None:
    if weight_kg is not None and not WEIGHT_MIN_KG <= weight_kg <= WEIGHT_MAX_KG:
        return _("Cân nặng %(kg)s kg không hợp lý: từ %(low)s đến %(high)s kg.") % {
            "kg": weight_kg, "low": WEIGHT_MIN_KG, "high": WEIGHT_MAX_KG}
    return None


def normalize_person_name(text) -> str:
    """A name as written, in NFC with single spaces (`clean_name`); raises IdentityError.

    Case is kept on purpose. Title-casing "NGUYỄN VĂN HÙNG" would look tidier but is lossy
    ("MCCAIN" → "Mccain", names that mix case by choice) and would drift from the ID card
    and certificates, which print capitals. Duplicate detection and search ignore case
    anyway through `name_search_key`; screens may change the case for display.
    A name with digits is refused: it is nearly always a shifted spreadsheet column.
    """
    if message := text_error(str(text or "")):
        raise IdentityError(message, code="unprintable", field="full_name")
    name = clean_name(str(text or ""))
    if not name:
        raise IdentityError(_("Chưa nhập họ và tên."), code="name_required", field="full_name")
    if len(name) > NAME_MAX_LENGTH:
        raise IdentityError(_("Họ và tên dài quá %(limit)s ký tự.") % {"limit": NAME_MAX_LENGTH},
                            code="name_too_long", field="full_name")
    if any(ch.isdigit() for ch in name):
        raise IdentityError(_("Họ và tên không được chứa chữ số."), code="name_has_digits",
                            field="full_name")
    return name


def name_search_key(text) -> str:
    """Key to compare and search names: no case, diacritics (đ → d) or punctuation."""
    return search_key(text)


def person_key(name_key: str, birth_year, phone: str) -> str | None:
    """What makes a person without an identity document one record: the name's search key,
    the birth year and the phone in E.164 ("nguyen van hung|1990|+84912345678"); None
    without a phone (a name and a year alone are shared by too many people).
    `donors.matching` gives the rule; the database keeps the key unique."""
    if not (name_key and birth_year and phone):
        return None
    return f"{name_key}|{birth_year}|{phone}"
