"""Which column holds what: headers recognized by their words without diacritics, as
people write them ("Họ và tên", "HO TEN", "Số CCCD", "SĐT", "Ngày sinh", "Năm sinh"…).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from hienmau.spreadsheets import cell_text
from hienmau.text import search_key

# How far down the header row may be: lists start with a title, a unit, a date.
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    # search keys of whole headers, and words that make a header this field's
    exact: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    required: bool = False


FIELDS = (
    Field("full_name", _("Họ và tên"),
          exact=("ten", "ho ten", "ho va ten", "name", "full name", "ho va ten nguoi hien"),
          contains=("ho va ten", "ho ten", "ten nguoi"), required=True),
    Field("birth_date", _("Ngày sinh"),
          exact=("ns", "dob", "sinh", "nam sinh", "ngay sinh", "birth date"),
          contains=("ngay sinh", "nam sinh", "ngay thang nam sinh", "sinh ngay"),
          required=True),
    Field("sex", _("Giới tính"), exact=("gt", "gioi", "nam nu", "phai", "sex"),
          contains=("gioi tinh",)),
    Field("id_number", _("Số CCCD/CMND"),
          exact=("cccd", "cmnd", "cmt", "so cccd", "so cmnd", "cccd cmnd", "so cccd cmnd",
                 "so dinh danh", "can cuoc"),
          contains=("cccd", "cmnd", "can cuoc", "dinh danh", "chung minh")),
    Field("phone", _("Số điện thoại"),
          exact=("dt", "sdt", "so dt", "dien thoai", "di dong", "phone", "dtdd"),
          contains=("dien thoai", "sdt", "so dt", "di dong")),
    Field("email", _("E-mail"), exact=("email", "e mail", "thu dien tu"),
          contains=("email", "e mail", "thu dien tu")),
    Field("blood_group", _("Nhóm máu"), exact=("nhom mau", "blood group"),
          contains=("nhom mau",)),
    Field("workplace", _("Đơn vị, nơi làm việc"),
          exact=("don vi", "co quan", "lop", "truong", "noi lam viec", "noi cong tac"),
          contains=("don vi", "co quan", "noi lam viec", "cong tac", "hoc tap")),
    Field("address", _("Địa chỉ"), exact=("dia chi", "noi o", "cho o"),
          contains=("dia chi", "noi o", "cho o", "thuong tru")),
    Field("weight", _("Cân nặng (kg)"), exact=("can nang", "kg"), contains=("can nang",)),
    Field("note", _("Ghi chú"), exact=("ghi chu", "note"), contains=("ghi chu",)),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}
# Columns nobody imports: the row number.
_IGNORED = ("tt", "stt", "so tt", "so thu tu")


def field_for_header(header) -> str | None:
    """The field a header names, or None."""
    key = search_key(cell_text(header))
    if not key or key in _IGNORED:
        return None
    for field in FIELDS:
        if key in field.exact:
            return field.name
    for field in FIELDS:
        if any(words in key for words in field.contains):
            return field.name
    return None


def guess_mapping(headers: list) -> dict[int, str]:
    """{column index: field name}, each field at most once (its first column)."""
    mapping, taken = {}, set()
    for index, header in enumerate(headers):
        name = field_for_header(header)
        if name and name not in taken:
            mapping[index] = name
            taken.add(name)
    return mapping


def find_header_row(rows: list[list]) -> int | None:
    """Index of the first row naming the full name and at least one more field."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = set(guess_mapping(row).values())
        if "full_name" in fields and len(fields) >= 2:
            return index
    return None


def missing_required(mapping: dict[int, str]) -> list[Field]:
    chosen = set(mapping.values())
    return [f for f in FIELDS if f.required and f.name not in chosen]
