"""Import a plan's appendix (BẢNG CHỈ TIÊU) from a spreadsheet: sections, quotas, drives.

Seed 002's appendix is the layout: columns TT | Đơn vị tổ chức | Chỉ tiêu giao | (one
date per drive, on the unit's row and the rows below it) | Số đơn vị máu dự kiến tiếp
nhận; section rows "I", "II"… with a title; "Cộng mục I 9.287" subtotal rows and a final
"Tổng cộng…" row. Offices type these tables by hand, so the reader is lenient about what
a person writes ("1.350" and "1000", "06/3/2024" and "05/03/2024", abbreviations such as
"BCĐ", "HMTN" and its typo "HMTM") and strict about what it cannot understand: anything
unreadable is a problem with its row number, and then nothing is written.

Three steps, each a plain function:
- `read_rows`: the first sheet of an XLSX, XLS, ODS or CSV file as a list of rows.
- `parse_appendix`: those rows as typed data, with the problems and the sheet's own
  inconsistencies (subtotals that do not add up).
- `review_import` / `import_appendix`: the data against a plan (which organization each
  row names, which drives the plan already has), then the writes through
  `plans.services`, all or nothing.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from hienmau.orgs import geography
from hienmau.orgs.duplicates import keys_look_alike
from hienmau.orgs.models import Organization
from hienmau.plans import services
from hienmau.plans.models import Drive, DriveStatus, Plan, Quota, Section
from hienmau.spreadsheets import Problem, cell_text, is_blank, parse_date, parse_number
from hienmau.text import search_key

# How far down a header row may be: appendices start with a title and a subtitle.
_HEADER_SEARCH_ROWS = 30


def _units(value: int) -> str:
    """13762 → "13.762" in Vietnamese, the way the documents write it."""
    return formats.number_format(value, force_grouping=True)


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


# ---- the sheet's layout ---------------------------------------------------------------


@dataclass(frozen=True)
class Columns:
    """Where each column is; `number` and `date` may be missing from a sheet."""

    header_row: int
    unit: int
    quota: int
    expected: int
    number: int | None = None
    date: int | None = None

    def cell(self, row: list, index: int | None):
        if index is None or index >= len(row):
            return None
        return row[index]


def column_label(name: str) -> str:
    """The label messages use for a column (“cột Ngày”)."""
    return {
        "number": _("TT"),
        "unit": _("Đơn vị tổ chức"),
        "quota": _("Chỉ tiêu giao"),
        "date": _("Ngày"),
        "expected": _("Số đơn vị máu"),
    }[name]


def _header_kind(key: str) -> str | None:
    # Order matters: "Số đơn vị máu dự kiến tiếp nhận" also contains "đơn vị".
    if "so don vi mau" in key or "du kien tiep nhan" in key:
        return "expected"
    if "chi tieu" in key:
        return "quota"
    if "thoi gian" in key or key.startswith("ngay") or " ngay " in f" {key} ":
        return "date"
    if "don vi" in key:
        return "unit"
    if key in ("tt", "stt", "so tt"):
        return "number"
    return None


def find_columns(rows: list[list]) -> Columns | None:
    """The header row, found by its words without diacritics; None if there is none."""
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for col, cell in enumerate(row):
            kind = _header_kind(search_key(cell_text(cell)))
            if kind and kind not in found:
                found[kind] = col
        if {"unit", "quota", "expected"} <= found.keys():
            return Columns(header_row=index + 1, unit=found["unit"], quota=found["quota"],
                           expected=found["expected"], number=found.get("number"),
                           date=found.get("date", _between(found["quota"], found["expected"])))
    return None


def _between(quota: int, expected: int) -> int | None:
    """Without a recognizable date header, the column right after the quota is the
    dates' if it lies before the expected-units column (seed 002's order)."""
    return quota + 1 if quota + 1 < expected else None


# ---- parsed data ---------------------------------------------------------------------


@dataclass
class SectionRow:
    row: int
    number: str
    title: str


@dataclass
class UnitRow:
    row: int
    name: str  # as written, NFC
    quota: int | None
    section: str | None  # the section's number


@dataclass
class DriveRow:
    row: int
    unit: UnitRow | None  # None: a date on a section row, the committee's own drive
    date: datetime.date
    expected_units: int


@dataclass
class TypedTotal:
    """A subtotal or grand total as the sheet writes it, to check against the sum."""

    row: int
    label: str
    section: str | None  # None for the grand total
    value: int | None


@dataclass
class ParsedAppendix:
    sections: list[SectionRow] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)
    drives: list[DriveRow] = field(default_factory=list)
    subtotals: list[TypedTotal] = field(default_factory=list)
    grand_total: TypedTotal | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    columns: Columns | None = None

    def section_totals(self) -> dict[str | None, int]:
        """Computed quota total of each section, in the sheet's order."""
        totals: dict[str | None, int] = {s.number: 0 for s in self.sections}
        for unit in self.units:
            totals[unit.section] = totals.get(unit.section, 0) + (unit.quota or 0)
        return totals

    @property
    def total(self) -> int:
        return sum(unit.quota or 0 for unit in self.units)

    def drives_of(self, unit: UnitRow | None) -> list[DriveRow]:
        return [d for d in self.drives if d.unit is unit]


# ---- parsing -------------------------------------------------------------------------

_ROMAN = re.compile(r"^(?=[IVXLC])C{0,3}(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_NUMBERED = re.compile(r"^\d+[.)]?$")
# "Cộng mục I", "Cộng I", "Cộng", "Tổng mục II": but not "Công an tỉnh" nor "Công ty…",
# whose keys also start with "cong".
_SUBTOTAL = re.compile(r"^(?:cong|tong)(?: muc)?(?: ([ivxlc]+))?$|^(?:cong|tong) muc\b(.*)$")
# "Tổng cộng mục I + II + III + IV", "Tổng số": but not "Tổng công ty…".
_GRAND_TOTAL = re.compile(r"^tong(?: (?:cong|so)\b(?! ty\b).*)?$")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
_MAX_TITLE = Section._meta.get_field("title").max_length


def _roman(text: str) -> str | None:
    text = text.strip().rstrip(".").upper()
    return text if text and _ROMAN.match(text) else None


class _Parser:
    """Walks the rows below the header, keeping the current section and unit."""

    def __init__(self, rows: list[list], columns: Columns):
        self.rows, self.columns = rows, columns
        self.result = ParsedAppendix(columns=columns)
        self.section: str | None = None
        self.unit: UnitRow | None = None
        self.owner_row: int | None = None  # the last unit or section row: dates below are its

    def run(self) -> ParsedAppendix:
        for index in range(self.columns.header_row, len(self.rows)):
            if self.read_row(index + 1, self.rows[index]):
                break  # the grand total ends the table; signatures and notes follow
        return self.result

    def cells(self, row: list) -> dict:
        c = self.columns
        return {name: c.cell(row, getattr(c, name))
                for name in ("number", "unit", "quota", "date", "expected")}

    def read_row(self, number: int, row: list) -> bool:
        """Read one row; True when it is the grand total."""
        cells = self.cells(row)
        if all(is_blank(v) for v in cells.values()) or _is_column_numbering(cells):
            return False
        tt, name = cell_text(cells["number"]), cell_text(cells["unit"])
        label = name or tt
        key = search_key(label)
        if _GRAND_TOTAL.match(key) and not _NUMBERED.match(tt):
            self.result.grand_total = self.typed_total(number, label, None, cells)
            return True
        subtotal = _SUBTOTAL.match(key)
        if subtotal and not _NUMBERED.match(tt):
            named = _roman(subtotal.group(1) or subtotal.group(2) or "")
            self.result.subtotals.append(
                self.typed_total(number, label, named or self.section, cells))
            self.unit = self.owner_row = None  # a date below a subtotal belongs to nobody
            return False
        if _roman(tt) and name:
            self.start_section(number, _roman(tt), name)
        elif name:
            self.start_unit(number, name, cells)
        self.read_drive(number, cells)
        return False

    def typed_total(self, number: int, label: str, section, cells) -> TypedTotal:
        value = None
        if not is_blank(cells["quota"]):
            value = self.number(number, "quota", cells["quota"])
        return TypedTotal(row=number, label=label, section=section, value=value)

    def start_section(self, number: int, roman: str, title: str) -> None:
        earlier = next((s for s in self.result.sections if s.number == roman), None)
        if earlier:
            # A plan has one section per number; the second would silently merge in.
            self.problem(number, "number", _("mục %(number)s đã có ở dòng %(row)s.")
                         % {"number": roman, "row": earlier.row})
        if len(title) > _MAX_TITLE:
            self.problem(number, "unit", _("tên mục dài quá %(max)s ký tự.") % {"max": _MAX_TITLE})
        self.section, self.unit, self.owner_row = roman, None, number
        self.result.sections.append(SectionRow(row=number, number=roman, title=title))

    def start_unit(self, number: int, name: str, cells) -> None:
        quota = None
        if is_blank(cells["quota"]):
            self.result.warnings.append(Problem(number, column_label("quota"), _(
                "đơn vị “%(unit)s” không có chỉ tiêu; chỉ nhập các đợt.") % {"unit": name}))
        else:
            quota = self.number(number, "quota", cells["quota"])
        self.unit = UnitRow(row=number, name=name, quota=quota, section=self.section)
        self.owner_row = number
        self.result.units.append(self.unit)

    def read_drive(self, number: int, cells) -> None:
        has_date, has_units = not is_blank(cells["date"]), not is_blank(cells["expected"])
        if not (has_date or has_units):
            return
        if self.owner_row is None:
            self.problem(number, "", _("có ngày hoặc số đơn vị máu nhưng không thuộc đơn vị "
                                       "hay mục nào."))
            return
        if not has_date:
            self.problem(number, "date", _("thiếu ngày tổ chức cho %(units)s đơn vị máu.")
                         % {"units": cell_text(cells["expected"])})
            return
        if not has_units:
            self.problem(number, "expected", _("thiếu số đơn vị máu dự kiến của đợt ngày "
                                               "“%(day)s”.") % {"day": cell_text(cells["date"])})
            return
        day = self.date(number, cells["date"])
        units = self.number(number, "expected", cells["expected"])
        if day is not None and units is not None:
            self.result.drives.append(
                DriveRow(row=number, unit=self.unit, date=day, expected_units=units))

    def number(self, number: int, column: str, value) -> int | None:
        try:
            return parse_number(value)
        except ValueError:
            self.problem(number, column, _("“%(value)s” không phải là số đơn vị máu "
                                           "(số nguyên, vd. 1.350).") % {"value": cell_text(value)})
            return None

    def date(self, number: int, value) -> datetime.date | None:
        try:
            return parse_date(value)
        except (ValueError, OverflowError):
            self.problem(number, "date", _("“%(value)s” không phải là ngày hợp lệ.")
                         % {"value": cell_text(value)})
            return None

    def problem(self, number: int, column: str, message: str) -> None:
        label = column_label(column) if column else ""
        self.result.problems.append(Problem(number, label, message))


def _is_column_numbering(cells: dict) -> bool:
    """The "(1) (2) (3) (4) (5)" row many official tables put under the header."""
    values = [cell_text(v) for v in cells.values() if not is_blank(v)]
    return len(values) >= 3 and all(_COLUMN_NUMBER.match(v) for v in values)


def parse_appendix(rows: list[list]) -> ParsedAppendix:
    """The appendix's sections, units, drives and typed totals, with what is wrong."""
    columns = find_columns(rows)
    if columns is None:
        return ParsedAppendix(problems=[Problem(None, "", _(
            "Không tìm thấy dòng tiêu đề của bảng chỉ tiêu (cần các cột “Đơn vị tổ chức”, "
            "“Chỉ tiêu giao” và “Số đơn vị máu dự kiến tiếp nhận”)."))])
    parsed = _Parser(rows, columns).run()
    parsed.warnings.extend(check_totals(parsed))
    return parsed


def check_totals(parsed: ParsedAppendix) -> list[Problem]:
    """Typed subtotals and grand total that differ from the sum of the rows above."""
    warnings = []
    totals = parsed.section_totals()
    for typed in parsed.subtotals:
        computed = totals.get(typed.section, 0)
        if typed.value is not None and typed.value != computed:
            warnings.append(Problem(typed.row, column_label("quota"), _(
                "%(label)s ghi %(typed)s nhưng tổng các dòng là %(computed)s.")
                % {"label": typed.label, "typed": _units(typed.value),
                   "computed": _units(computed)}))
    grand = parsed.grand_total
    if grand and grand.value is not None and grand.value != parsed.total:
        warnings.append(Problem(grand.row, column_label("quota"), _(
            "%(label)s ghi %(typed)s nhưng tổng các dòng là %(computed)s.")
            % {"label": grand.label, "typed": _units(grand.value),
               "computed": _units(parsed.total)}))
    return warnings


# ---- matching units ------------------------------------------------------------------

# Abbreviations of appendices, word by word on the search key. "HMTM" is seed 002's
# typo for HMTN.
_ABBREVIATIONS = {
    "bcd": "ban chi dao",
    "hmtn": "hien mau tinh nguyen",
    "hmtm": "hien mau tinh nguyen",
    "dh": "dai hoc",
    "kcn": "khu cong nghiep",
    "tc": "tai chinh",
    "qtkd": "quan tri kinh doanh",
    "spkt": "su pham ky thuat",
    "ldld": "lien doan lao dong",
    "cq": "co quan",
    "dn": "doanh nghiep",
    "ubnd": "uy ban nhan dan",
    "ctd": "chu thap do",
    "bv": "benh vien",
    "tp": "thanh pho",
    "tx": "thi xa",
}


def match_key(name: str, place: str = "") -> str:
    """A name's key with abbreviations expanded and words appendices drop or add left
    out: "vận động", "các", the province's own name and a trailing "tỉnh".

    "Ban Chỉ đạo HMTM Khu công nghiệp tỉnh" and "Ban Chỉ đạo vận động HMTN các Khu
    công nghiệp tỉnh Hưng Yên" both become "ban chi dao hien mau tinh nguyen khu cong
    nghiep". Both sides of a comparison go through it, so dropping is safe.
    """
    words = [_ABBREVIATIONS.get(w, w) for w in search_key(name).split()]
    key = f" {' '.join(words)} "
    key = key.replace(" van dong ", " ").replace(" cac ", " ")
    if place:
        key = key.replace(f" tinh {place} ", " ").replace(f" {place} ", " ")
    key = key.strip()
    return key[: -len(" tinh")] if key.endswith(" tinh") else key


@dataclass
class _Candidates:
    """The organizations a plan's rows may name, indexed by each kind of key."""

    orgs: list[Organization]
    place: str
    by_name: dict = field(default_factory=lambda: defaultdict(list))
    by_short: dict = field(default_factory=lambda: defaultdict(list))
    by_match: dict = field(default_factory=lambda: defaultdict(list))
    loose: list[tuple[Organization, str]] = field(default_factory=list)

    def __post_init__(self):
        for org in self.orgs:
            self.by_name[org.name_key].append(org)
            if org.short_name_key:
                self.by_short[org.short_name_key].append(org)
            loose = match_key(org.name, self.place)
            self.loose.append((org, loose))
            for key in {loose, match_key(org.short_name, self.place)}:
                if key:
                    self.by_match[key].append(org)

    def look_alike(self, key: str, loose: str) -> list[Organization]:
        """Organizations one typo away from the name, as written or with abbreviations
        expanded ("Mỹ Hòa" for "Mỹ Hào")."""
        return [org for org, org_loose in self.loose
                if keys_look_alike(key, org.name_key) or keys_look_alike(loose, org_loose)]


def _candidates(plan: Plan) -> _Candidates:
    committee = plan.committee
    orgs = list(Organization.objects.filter(path__startswith=committee.path))
    return _Candidates(orgs=orgs, place=search_key(geography.province_name(
        committee.province_code)) if committee.province_code else "")


def _prefer_active(orgs: list[Organization], plan: Plan) -> list[Organization]:
    """Of several units with one name (an abolished unit and its namesake successor),
    those that existed during the plan year."""
    orgs = list({o.pk: o for o in orgs}.values())
    if len(orgs) < 2:
        return orgs
    active = [o for o in orgs if o.is_active_on(plan.starts_on, plan.ends_on)]
    return active or orgs


class UnitMatch(NamedTuple):
    organization: Organization | None
    warning: str | None  # "đã hiểu là …" for a look-alike name
    error: str | None


def match_unit(name: str, plan: Plan, candidates: _Candidates) -> UnitMatch:
    """The organization in the plan committee's subtree that `name` means.

    Exact name first, then the short name, then the name with abbreviations expanded,
    then a single look-alike (one typo away), which the user is told about.
    """
    key, loose = search_key(name), match_key(name, candidates.place)
    for found in (candidates.by_name.get(key), candidates.by_short.get(key),
                  candidates.by_match.get(loose)):
        if found:
            return _one(_prefer_active(found, plan), name)
    alike = _prefer_active(candidates.look_alike(key, loose), plan)
    if len(alike) == 1:
        return UnitMatch(alike[0], _("“%(written)s” đã hiểu là “%(org)s”.")
                         % {"written": name, "org": alike[0].name}, None)
    if alike:
        return _one(alike, name)
    return UnitMatch(None, None, _(
        "không tìm thấy đơn vị “%(unit)s” trong %(committee)s. Hãy thêm đơn vị vào cây tổ "
        "chức hoặc sửa tên trong tệp.") % {"unit": name, "committee": plan.committee.name})


def _one(found: list[Organization], name: str) -> UnitMatch:
    if len(found) == 1:
        return UnitMatch(found[0], None, None)
    return UnitMatch(None, None, _(
        "“%(unit)s” có thể là nhiều đơn vị: %(orgs)s. Hãy ghi tên đầy đủ hơn.")
        % {"unit": name, "orgs": "; ".join(o.name for o in found)})


# ---- reviewing against the plan ------------------------------------------------------


@dataclass
class Review:
    """What importing `parsed` into `plan` would do, and what stands in the way."""

    plan: Plan
    parsed: ParsedAppendix
    matches: dict[int, Organization] = field(default_factory=dict)  # unit row → org
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    sections: list[tuple[SectionRow, Section | None]] = field(default_factory=list)
    quotas: list[tuple[UnitRow, Organization, Quota | None]] = field(default_factory=list)
    new_drives: list[tuple[DriveRow, Organization]] = field(default_factory=list)
    existing_drives: list[tuple[DriveRow, Drive]] = field(default_factory=list)
    repeated_drives: list[DriveRow] = field(default_factory=list)  # same unit and day again

    @property
    def ok(self) -> bool:
        return not self.errors


def review_import(plan: Plan, parsed: ParsedAppendix, *,
                  organizer_default: Organization | None = None) -> Review:
    """Match every row to the plan, without writing anything."""
    review = Review(plan=plan, parsed=parsed, errors=list(parsed.problems),
                    warnings=list(parsed.warnings))
    if parsed.columns is None:
        return review
    _match_units(review)
    _review_sections(review)
    _review_quotas(review)
    _review_drives(review, organizer_default or plan.committee)
    # In the sheet's order, whichever check found them: people fix a file top down.
    review.errors.sort(key=lambda p: p.row or 0)
    review.warnings.sort(key=lambda p: p.row or 0)
    return review


def _match_units(review: Review) -> None:
    candidates = _candidates(review.plan)
    first_row: dict[int, int] = {}  # org pk → the row that named it first
    for unit in review.parsed.units:
        found = match_unit(unit.name, review.plan, candidates)
        if found.error:
            review.errors.append(Problem(unit.row, column_label("unit"), found.error))
            continue
        if found.warning:
            review.warnings.append(Problem(unit.row, column_label("unit"), found.warning))
        org = found.organization
        if org.pk in first_row:
            # A plan gives each unit one quota: which of the two rows is right is the
            # author's call, not the importer's.
            review.errors.append(Problem(unit.row, column_label("unit"), _(
                "“%(unit)s” đã có ở dòng %(first)s (cùng đơn vị %(org)s).")
                % {"unit": unit.name, "first": first_row[org.pk], "org": org.name}))
            continue
        first_row[org.pk] = unit.row
        review.matches[unit.row] = org


def _review_sections(review: Review) -> None:
    existing = {s.number: s for s in review.plan.sections.all()}
    review.sections = [(s, existing.get(s.number)) for s in review.parsed.sections]


def _review_quotas(review: Review) -> None:
    existing = {q.organization_id: q for q in review.plan.quotas.all()}
    for unit in review.parsed.units:
        org = review.matches.get(unit.row)
        if org is None or unit.quota is None:
            continue
        quota = existing.get(org.pk)
        if quota is not None and quota.units != unit.quota:
            review.warnings.append(Problem(unit.row, column_label("quota"), _(
                "chỉ tiêu của %(unit)s trong kế hoạch là %(old)s; bảng ghi %(new)s — khi "
                "nhập sẽ đổi thành %(new)s.") % {"unit": org.name, "old": _units(quota.units),
                                                  "new": _units(unit.quota)}))
        review.quotas.append((unit, org, quota))


def _review_drives(review: Review, organizer_default: Organization) -> None:
    """Sort the sheet's drives into new ones and ones the plan already has.

    A drive is identified by its unit and its day. The joint drive of 04/06/2024
    ("Hành trình đỏ") is listed by seed 002's appendix once per contributor, each with
    its own share. Every row becomes a drive of that row's unit with that share: the
    sheet does not say that same-day rows of different units are one event (06/03/2024
    has two separate drives, Khoái Châu and Mỹ Hào), and each unit's quota is credited
    right either way. An office can merge them into one drive with shares later; the
    merged drive is still recognized (by its shares) if the file is imported again.
    """
    plan = review.plan
    days = {d.date for d in review.parsed.drives}
    in_plan = _drives_in_plan(plan, days)
    seen: dict[tuple[int, datetime.date], DriveRow] = {}
    for row in review.parsed.drives:
        org = review.matches.get(row.unit.row) if row.unit else organizer_default
        if org is None:
            continue  # its unit is already an error
        key = (org.pk, row.date)
        if key in seen:
            review.warnings.append(_twice(seen[key], row, org))
            review.repeated_drives.append(row)
            continue
        seen[key] = row
        if not plan.covers(row.date):
            review.warnings.append(Problem(row.row, column_label("date"), _(
                "ngày %(day)s nằm ngoài năm kế hoạch (%(start)s – %(end)s); đợt vẫn được nhập.")
                % {"day": _day(row.date), "start": _day(plan.starts_on),
                   "end": _day(plan.ends_on)}))
        if key in in_plan:
            drive, units = in_plan[key]
            review.existing_drives.append((row, drive))
            warning = _differs_from_plan(row, org, drive, units)
            if warning:
                review.warnings.append(warning)
        else:
            review.new_drives.append((row, org))


def _drives_in_plan(plan: Plan, days) -> dict:
    """(organization pk, day) → (drive, the units it credits that organization with).

    Cancelled drives count: importing again must not bring back a drive an office
    cancelled.
    """
    found: dict[tuple[int, datetime.date], tuple[Drive, int]] = {}
    for drive in plan.drives.filter(date__in=days).prefetch_related("shares"):
        for share in drive.shares.all():
            found.setdefault((share.organization_id, drive.date), (drive, share.expected_units))
        found.setdefault((drive.organizer_id, drive.date), (drive, drive.expected_units))
    return found


def _twice(first: DriveRow, again: DriveRow, org: Organization) -> Problem:
    values = {"unit": org.name, "day": _day(again.date), "first": first.row,
              "first_units": _units(first.expected_units),
              "units": _units(again.expected_units)}
    if first.expected_units == again.expected_units:
        return Problem(again.row, column_label("date"), _(
            "đợt của %(unit)s ngày %(day)s đã ghi ở dòng %(first)s; chỉ nhập một lần.")
            % values)
    return Problem(again.row, column_label("expected"), _(
        "đợt của %(unit)s ngày %(day)s ghi hai lần với số khác nhau: dòng %(first)s ghi "
        "%(first_units)s, dòng này ghi %(units)s. Chỉ nhập dòng %(first)s — hãy kiểm tra.")
        % values)


def _differs_from_plan(row: DriveRow, org: Organization, drive: Drive,
                       units: int) -> Problem | None:
    """The body-vs-appendix check: the plan's drive (often typed from the plan's body)
    and the sheet give different figures. The plan's figure is kept; a person decides."""
    values = {"unit": org.name, "day": _day(row.date), "plan": _units(units),
              "sheet": _units(row.expected_units)}
    if drive.status == DriveStatus.CANCELLED:
        return Problem(row.row, column_label("date"), _(
            "đợt của %(unit)s ngày %(day)s đã bị hủy trong kế hoạch; không tạo lại.") % values)
    if units == row.expected_units:
        return None
    return Problem(row.row, column_label("expected"), _(
        "đợt của %(unit)s ngày %(day)s đã có trong kế hoạch với %(plan)s đơn vị máu; bảng "
        "ghi %(sheet)s. Giữ số trong kế hoạch — hãy kiểm tra và sửa đợt nếu cần.") % values)


# ---- writing -------------------------------------------------------------------------


@dataclass
class ImportResult:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    sections_created: int = 0
    sections_updated: int = 0
    quotas_created: int = 0
    quotas_updated: int = 0
    drives_created: int = 0
    drives_existing: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> bool:
        return bool(self.sections_created or self.sections_updated or self.quotas_created
                    or self.quotas_updated or self.drives_created)


def import_appendix(plan: Plan, parsed: ParsedAppendix, *, actor,
                    organizer_default: Organization | None = None) -> ImportResult:
    """Write the appendix into `plan`: everything, or nothing when anything is wrong.

    `organizer_default` organizes the drives written on a section row (no unit of their
    own); the plan's committee when not given. Drives the plan already has (same unit,
    same day) are left as they are, so importing the same file twice adds nothing.
    """
    if parsed.problems:
        return ImportResult(errors=list(parsed.problems), warnings=list(parsed.warnings))
    try:
        with transaction.atomic():
            # Two offices importing at once must not both see a drive as new.
            plan = Plan.objects.select_for_update().select_related("committee").get(pk=plan.pk)
            review = review_import(plan, parsed, organizer_default=organizer_default)
            if not review.ok:
                return ImportResult(errors=review.errors, warnings=review.warnings)
            return _write(review, actor)
    except services.PlanError as error:
        # A business rule refused one write; the whole import was rolled back.
        return ImportResult(errors=[Problem(None, "", error.message)],
                            warnings=list(parsed.warnings))


def _write(review: Review, actor) -> ImportResult:
    result = ImportResult(warnings=review.warnings,
                          drives_existing=len(review.existing_drives))
    plan = review.plan
    sections = _write_sections(review, actor, result)
    for unit, org, quota in review.quotas:
        section = sections.get(unit.section)
        if quota is not None and quota.units == unit.quota and quota.section_id == (
                section.pk if section else None):
            continue  # unchanged: no write, no audit entry
        services.save_quota(plan, actor=actor, organization=org, units=unit.quota,
                            section=section)
        if quota is None:
            result.quotas_created += 1
        else:
            result.quotas_updated += 1
    for row, org in review.new_drives:
        services.create_drive(
            actor=actor, plan=plan, organizer=org, date=row.date,
            expected_units=row.expected_units,
            # The appendix has no venue; the drive form asks for one when it is edited.
            venue="",
            notes=_("Nhập từ bảng chỉ tiêu (phụ lục kế hoạch), dòng %(row)s.")
            % {"row": row.row})
        result.drives_created += 1
    return result


def _write_sections(review: Review, actor, result: ImportResult) -> dict[str, Section]:
    sections = {}
    for row, existing in review.sections:
        if existing is not None and existing.title == row.title:
            sections[row.number] = existing
            continue
        sections[row.number] = services.save_section(
            review.plan, actor=actor, number=row.number, title=row.title,
            position=existing.position if existing else None)
        if existing is None:
            result.sections_created += 1
        else:
            result.sections_updated += 1
    return sections
