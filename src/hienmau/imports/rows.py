"""One row of a registration list read into typed values, with a Vietnamese message for
every cell that cannot be read. Dates as dd/mm/yyyy, d/m/yy, Excel serial numbers or a
year alone; phones with spaces, dots, +84 or the 0 Excel dropped; names in NFD or with
extra spaces; CCCD with its leading zeros lost.
"""

import datetime
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from hienmau.donors import identity
from hienmau.spreadsheets import cell_text, parse_date
from hienmau.text import search_key, text_error

# Errors keep a row out; warnings let it in with something to check; notes only inform.
ERROR, WARNING, INFO = "error", "warning", "info"
# Lines offices put under a list (totals, place and date of signing, the preparer's and
# the signer's titles and names): neither data nor errors.
SKIPPED = "skipped"
_YEAR = re.compile(r"^(19|20)\d\d$")
_TWO_DIGIT_YEAR = re.compile(r"^\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2}$")
_SEX = {"nam": identity.MALE, "m": identity.MALE, "male": identity.MALE, "trai": identity.MALE,
        "nu": identity.FEMALE, "f": identity.FEMALE, "female": identity.FEMALE,
        "gai": identity.FEMALE}


@dataclass(frozen=True)
class Message:
    level: str  # ERROR, WARNING or INFO
    field: str  # a field name, "" for the whole row
    text: str

    def as_dict(self) -> dict:
        return {"level": self.level, "field": self.field, "text": self.text}


@dataclass
class Row:
    """A sheet row: `number` is the row number Excel shows."""

    number: int
    values: dict = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)
    ok: bool = True  # no error (yet)
    skipped: bool = False  # a line under the list, not a person

    def error(self, field_name: str, text: str) -> None:
        self.messages.append(Message(ERROR, field_name, text))
        self.ok = False

    def warn(self, field_name: str, text: str) -> None:
        self.messages.append(Message(WARNING, field_name, text))

    def inform(self, field_name: str, text: str) -> None:
        self.messages.append(Message(INFO, field_name, text))

    @property
    def status(self) -> str:
        if self.skipped:
            return SKIPPED
        if not self.ok:
            return ERROR
        return WARNING if any(m.level == WARNING for m in self.messages) else "ok"


def read_row(number: int, cells: list, mapping: dict[int, str],
             today: datetime.date) -> Row | None:
    """The row's values by field name; None for an empty row."""
    return row_reader(mapping, today)(number, cells)


def row_reader(mapping: dict[int, str], today: datetime.date):
    """`read_row` for one mapping, prepared once: a list reads 100.000 rows with it."""
    plan = [(index, name, _READERS.get(name, _read_text)) for index, name in mapping.items()]

    def read(number: int, cells: list) -> Row | None:
        row, width = None, len(cells)
        for index, name, reader in plan:
            if index >= width:
                continue
            value = cells[index]
            if value is None or value == "" or (value.__class__ is str and value.isspace()):
                continue
            if row is None:
                row = Row(number)
            if value.__class__ is str and (refused := text_error(value)):
                row.error(name, refused)  # a bell, a NUL, a bidi override: any column
                continue
            try:
                row.values.update(reader(value, today))
            except identity.IdentityError as error:
                row.error(name, error.message)
            except ValueError as error:
                row.error(name, str(error))
        if row is not None:
            _check_whole(row)
        return row

    return read


# A cell of the lines under a list, as search_key reads it: totals ("Tổng cộng", "Cộng:
# 150"), the place and date of signing ("Hưng Yên, ngày … tháng … năm …"), the titles of
# who prepared and signed it, and the note under a signature.
_FOOTER_CELL = re.compile(
    r"^(tong cong|tong so)\b|^(tong|cong)( \d.*)?$|\bngay\b.*\bthang\b.*\bnam\b"
    r"|^(t ?m |k ?t |q )|^(nguoi lap( bieu| danh sach| bang)?|thu truong( don vi| co quan)?"
    r"|ke toan( truong)?|giam doc|pho giam doc|chu tich|truong ban|xac nhan cua .*"
    r"|lanh dao don vi)$|\bky\b.*\b(ghi ro|ho ten|dong dau)\b")


def is_footer_line(cells: list) -> bool:
    """Whether a sheet line holds a cell of the lines offices put under a list."""
    return any(_FOOTER_CELL.search(search_key(cell)) for cell in cells
               if cell.__class__ is str and cell)


def skip_footer_lines():
    """`skip(row or None, cells) -> bool`, called on every line in order: from the first
    footer line that identifies nobody, every line that identifies nobody is a line
    under the list (the signer's name comes a few lines under their title) and is marked
    skipped. A person's row after a subtotal is still read as data."""
    in_footer = False

    def skip(row: Row | None, cells: list) -> bool:
        nonlocal in_footer
        if row is not None and _identifies(row):
            return False
        if not (in_footer or is_footer_line(cells)):
            return False
        in_footer = True
        if row is not None:
            row.skipped, row.ok = True, False
            row.messages = [Message(INFO, "", _(
                "Bỏ qua: dòng dưới danh sách (tổng cộng, nơi và ngày ký, người lập biểu, "
                "thủ trưởng đơn vị…), không phải người đăng ký."))]
        return True

    return skip


def _identifies(row: Row) -> bool:
    values = row.values
    return bool(values.get("id_number") or values.get("phone") or values.get("birth_date")
                or values.get("birth_year"))


def _check_whole(row: Row) -> None:
    """What a row as a whole needs: a name, a birth date or year, a way to recognize the
    person, and a CCCD that agrees with the birth date and sex."""
    values = row.values
    if "full_name" not in values and not any(m.field == "full_name" for m in row.messages):
        row.error("full_name", _("Thiếu họ và tên."))
    if not (values.get("birth_date") or values.get("birth_year")) and not any(
            m.field == "birth_date" for m in row.messages):
        row.error("birth_date", _("Thiếu ngày sinh (hoặc ít nhất năm sinh)."))
    if not (values.get("id_number") or values.get("phone")) and row.ok:
        row.error("", _("Cần số CCCD/CMND hoặc số điện thoại để nhận ra người này."))
    info = values.pop("cccd_info", None)
    if row.ok and info is not None:
        for sentence in identity.compare_cccd(info, birth_date=values.get("birth_date"),
                                              birth_year=values.get("birth_year"),
                                              sex=values.get("sex")):
            row.error("id_number", sentence)


def _read_text(value, today) -> dict:
    return {}


# A list repeats names and birth dates (a 100.000-row list holds some 15.000 dates and
# as many names): each distinct one is read once.
_SEEN = 65536


def _name(value, today) -> dict:
    return _name_of(value)


@functools.lru_cache(maxsize=_SEEN)
def _name_of(value) -> dict:
    name = identity.normalize_person_name(cell_text(value))
    return {"full_name": name, "name_key": search_key(name)}


def _birth(value, today) -> dict:
    if isinstance(value, datetime.datetime):
        value = value.date()
    return _birth_of(value, today)


@functools.lru_cache(maxsize=_SEEN)
def _birth_of(value, today) -> dict:
    text = cell_text(value)
    if _YEAR.match(text) or (isinstance(value, int | float) and 1900 <= value <= today.year):
        year = int(float(value)) if not isinstance(value, str) else int(text)
        if not 1900 <= year <= today.year:
            raise ValueError(_("Năm sinh %(year)s không hợp lệ.") % {"year": year})
        return {"birth_year": year}
    try:
        day = parse_date(value)
    except ValueError:
        raise ValueError(_("Không đọc được ngày sinh “%(text)s”; hãy ghi ngày/tháng/năm, "
                           "ví dụ 04/05/1990, hoặc năm sinh.") % {"text": text}) from None
    if _TWO_DIGIT_YEAR.match(text) and day > today:
        day = day.replace(year=day.year - 100)  # "1/2/95" is 1995 for a birth date
    if not datetime.date(1900, 1, 1) <= day <= today:
        raise ValueError(_("Ngày sinh %(day)s không hợp lệ.") % {"day": day.strftime("%d/%m/%Y")})
    return {"birth_date": day, "birth_year": day.year}


@functools.lru_cache(maxsize=256)
def _sex_of(value) -> dict:
    key = search_key(cell_text(value))
    if key not in _SEX:
        raise ValueError(_("Giới tính ghi “Nam” hoặc “Nữ”."))
    return {"sex": _SEX[key]}


def _sex(value, today) -> dict:
    # A list holds a handful of spellings ("Nam", "nữ", "NU"): each read once.
    return _sex_of(value)


def _id_number(value, today) -> dict:
    if value.__class__ is str and len(value) == 12 and value.isdigit():
        # The usual cell, a CCCD typed as text: decoded once, nothing to clean.
        return {"id_type": identity.CCCD, "id_number": value,
                "cccd_info": identity.decode_normalized_cccd(value)}
    digits = re.sub(r"[\s.\-]", "", cell_text(value))
    if digits.isdigit() and len(digits) in (8, 9):
        return {"id_type": identity.CMND,
                "id_number": identity.normalize_id_number(digits, identity.CMND)}
    number = identity.normalize_id_number(value, identity.CCCD)
    # Decoded once here; read_row compares it with the birth date and sex.
    return {"id_type": identity.CCCD, "id_number": number,
            "cccd_info": identity.decode_normalized_cccd(number)}


def _phone(value, today) -> dict:
    if value.__class__ is str and len(value) == 10 and value[0] == "0" and value.isdigit() \
            and identity.is_mobile_significant(value[1:]):
        return {"phone": "+84" + value[1:]}  # the usual cell, 0912345678
    return {"phone": identity.normalize_phone(cell_text(value))}


def _email(value, today) -> dict:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    text = cell_text(value)
    try:
        validate_email(text)
    except ValidationError:
        raise ValueError(_("Địa chỉ e-mail “%(text)s” không hợp lệ.") % {"text": text}) from None
    return {"email": text.lower()}


def _blood(value, today) -> dict:
    return _blood_of(value)


@functools.lru_cache(maxsize=256)
def _blood_of(value) -> dict:
    # "O", "AB+", "B Rh-", "A rh dương", "O−"
    raw = cell_text(value).upper().replace(" ", "").replace("RH", "").replace("\u2212", "-")
    match = re.match(r"^(AB|O|A|B)([+-]?)$", raw) or re.match(
        r"^(AB|O|A|B)(DUONG|AM)$", search_key(raw).upper().replace(" ", ""))
    if not match:
        raise ValueError(_("Nhóm máu ghi O, A, B hoặc AB, có thể kèm Rh+ hoặc Rh-."))
    rh = {"+": "+", "-": "-", "DUONG": "+", "AM": "-"}.get(match.group(2), "")
    return {"blood_group": match.group(1), "rh": rh}


def _weight(value, today) -> dict:
    text = cell_text(value).lower().replace("kg", "").replace(",", ".").strip()
    try:
        kg = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("Cân nặng ghi bằng số kg, ví dụ 55.")) from None
    if not identity.WEIGHT_MIN_KG <= kg <= identity.WEIGHT_MAX_KG:
        raise ValueError(_("Cân nặng %(kg)s kg không hợp lý.") % {"kg": text})
    return {"weight_kg": kg.quantize(Decimal("0.1"))}


def _plain(name: str, limit: int):
    def read(value, today) -> dict:
        text = cell_text(value)
        if len(text) > limit:
            raise ValueError(_("Dài quá %(limit)s ký tự.") % {"limit": limit})
        return {name: text}
    return read


_READERS = {
    "full_name": _name, "birth_date": _birth, "sex": _sex, "id_number": _id_number,
    "phone": _phone, "email": _email, "blood_group": _blood, "weight": _weight,
    "workplace": _plain("workplace_text", 255), "address": _plain("address", 255),
    "note": _plain("note", 500),
}
