"""Import a registration list into a drive: read and map the sheet, review every row
against the file itself, the registry and the drive's date, then write the valid rows
all or nothing.

- `read_sheet`: the first sheet, its header row and the columns recognized.
- `review`: every row read (`imports.rows`) and checked: duplicates inside the file
  (same CCCD, or same phone and name), the registry (same CCCD with another name is an
  error, not an overwrite; a known person is matched, and what the file would change
  in their record is listed), people already registered, and people who will not be
  eligible on the drive's date. Nothing is written.
- `write`: the reviewed rows that have no error, in one transaction: new donors,
  accepted changes to known ones, registrations. Importing the same file again finds
  everyone already registered and creates nothing.
- `undo`: while the drive has not started, removes what an import added and puts back
  what it changed.
"""

import datetime
import functools
import hashlib
import json
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.donors import identity, matching
from hienmau.donors.access import changeable_donors
from hienmau.donors.history import assess, explain, rules_in_force
from hienmau.donors.models import Consent, Donor, DonorUnit, refresh_units
from hienmau.drives.models import (
    Donation,
    ImportStatus,
    Registration,
    RegistrationImport,
    RegistrationStatus,
    Source,
)
from hienmau.drives.registrations import RegistrationError, check_open, new_references
from hienmau.errors import RuleError
from hienmau.imports import bulk, columns
from hienmau.imports.rows import (
    ERROR,
    SKIPPED,
    WARNING,
    Message,
    Row,
    row_reader,
    skip_footer_lines,
)
from hienmau.orgs import audit
from hienmau.orgs.models import Organization
from hienmau.spreadsheets import ImportFileError, read_rows
from hienmau.text import given_name_first, search_key

_CHUNK = 5000
# Donor fields a list may fill in or change, when the user accepts changes.
UPDATABLE = ("birth_date", "sex", "phone", "email", "blood_group", "rh", "weight_kg",
             "address", "workplace_id")


@dataclass
class Sheet:
    rows: list[list]
    header_index: int
    headers: list[str]
    mapping: dict[int, str]  # guessed; the user may change it

    @property
    def data_rows(self):
        """(Excel row number, cells) of the rows below the header."""
        start = self.header_index + 1
        return ((start + i + 1, cells) for i, cells in enumerate(self.rows[start:]))


def read_sheet(file_bytes: bytes, filename: str) -> Sheet:
    rows = read_rows(file_bytes, filename)
    header_index = columns.find_header_row(rows)
    if header_index is None:
        raise ImportFileError(_(
            "Không tìm thấy dòng tiêu đề trong %(n)s dòng đầu: cần ít nhất cột “Họ và tên” "
            "và một cột khác (Ngày sinh, Số CCCD, Số điện thoại…). Hãy dùng tệp mẫu.")
            % {"n": columns.HEADER_SEARCH_ROWS})
    headers = ["" if h is None else str(h) for h in rows[header_index]]
    return Sheet(rows, header_index, headers, columns.guess_mapping(headers))


def file_digest(file_bytes: bytes) -> str:
    return hashlib.sha256(file_bytes).hexdigest()


# ---- review ------------------------------------------------------------------------


class Visit(NamedTuple):
    """A past donation as the eligibility rules read it (`donors.history`)."""

    date: datetime.date
    type: str
    outcome: str
    deferred_until: datetime.date | None


@dataclass
class Planned:
    """What writing a valid row will do."""

    row: Row
    donor: Donor | None = None  # None: a new donor
    new_donor_id: int | None = None  # the donor `write` created for it
    changes: dict = field(default_factory=dict)  # {field: (old, new)} for a known donor
    registration: "KnownRegistration | None" = None  # the person's one for this drive
    workplace: Organization | None = None
    # The list differs from a record another unit keeps: neither shown nor written.
    kept_elsewhere: bool = False


@dataclass
class Review:
    drive: object
    rows: list[Row]
    planned: list[Planned]

    @functools.cached_property
    def counts(self) -> dict:
        status = defaultdict(int)
        for row in self.rows:
            status[row.status] += 1
        new_people = sum(1 for p in self.planned if p.donor is None)
        already = sum(1 for p in self.planned if _still_registered(p.registration))
        return {"rows": len(self.rows) - status[SKIPPED], "skipped": status[SKIPPED],
                "ok": status["ok"], "warning": status[WARNING],
                "error": status[ERROR], "new_donors": new_people,
                "known_donors": len(self.planned) - new_people,
                "already_registered": already, "to_register": len(self.planned) - already,
                "with_changes": sum(1 for p in self.planned if p.changes)}

    def report(self) -> list[dict]:
        """The rows with something to say, for the page and the rejected rows' file."""
        return [{"row": row.number, "status": row.status, "name": row.values.get(
                    "full_name", ""), "messages": [m.as_dict() for m in row.messages]}
                for row in self.rows if row.messages]


def _still_registered(registration) -> bool:
    return registration is not None and registration.status != RegistrationStatus.CANCELLED


PROGRESS_EVERY = 2000


def parse(sheet: Sheet, mapping: dict[int, str], today: datetime.date,
          progress=None) -> list[Row]:
    """Every non-empty row read into typed values, with its messages. `progress(rows
    read)` is called every PROGRESS_EVERY rows, for a progress bar."""
    rows, read_row, skip_footer = [], row_reader(mapping, today), skip_footer_lines()
    for count, (number, cells) in enumerate(sheet.data_rows, start=1):
        row = read_row(number, cells)
        skip_footer(row, cells)
        if row is not None:
            rows.append(row)
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
    return rows


def review(drive, sheet: Sheet, mapping: dict[int, str], *, actor, today: datetime.date,
           progress=None) -> Review:
    return check(drive, parse(sheet, mapping, today, progress), actor=actor)


def check(drive, rows: list[Row], *, actor, notes: bool = True) -> Review:
    """The rows against the file itself, the registry and the drive. `notes=False` leaves
    out the warnings about the drive's date and the notes about known people: they
    change nothing written, and the user read them in the first check."""
    _mark_duplicates_in_file(rows)
    valid = [row for row in rows if row.ok]
    known = _match_registry(valid, actor)
    workplaces = _match_workplaces(valid, actor)
    registered = _registrations(drive, [d.pk for d in known.values()])
    changeable = set(bulk.in_ids(changeable_donors(actor).values_list("pk", flat=True),
                                 [d.pk for d in known.values()]))
    planned = []
    for row in valid:
        if not row.ok:  # the registry check found an error
            continue
        donor = known.get(row.number)
        plan = Planned(row, donor, workplace=workplaces.get(row.number))
        if donor is not None:
            plan.changes = _changes(donor, row, plan.workplace)
            plan.registration = registered.get(donor.pk)
            if plan.changes and donor.pk not in changeable:
                plan.changes, plan.kept_elsewhere = {}, True
        planned.append(plan)
    if notes:
        _check_eligibility(drive, planned)
        for plan in planned:
            _describe(plan)
    return Review(drive, rows, planned)


def rows_to_bytes(rows: list[Row]) -> bytes:
    """The rows without errors, compactly: zlib-compressed JSON {"fields": [...], "rows":
    [[number, value, ...]]}, dates and decimals as text. What importing needs, kept with
    the import between the check and the import."""
    valid = [row for row in rows if row.ok]
    fields = sorted(set().union(*(row.values for row in valid)))
    as_text = [(fields.index(name) + 1, convert) for name, convert in _AS_TEXT.items()
               if name in fields]
    out = []
    for row in valid:
        cells = [row.number, *map(row.values.get, fields)]
        for index, convert in as_text:
            if cells[index] is not None:
                cells[index] = convert(cells[index])
        out.append(cells)
    data = json.dumps({"fields": fields, "rows": out}, ensure_ascii=False,
                      separators=(",", ":"))
    return zlib.compress(data.encode(), 1)


_AS_TEXT = {"birth_date": datetime.date.isoformat, "weight_kg": str}


def rows_from_bytes(stored: bytes) -> list[Row]:
    data = json.loads(zlib.decompress(stored)) if stored else {}
    fields = data.get("fields", [])
    rows = []
    for number, *cells in data.get("rows", []):
        values = {name: value for name, value in zip(fields, cells, strict=True)
                  if value is not None}
        if values.get("birth_date"):
            values["birth_date"] = datetime.date.fromisoformat(values["birth_date"])
        if values.get("weight_kg"):
            values["weight_kg"] = Decimal(values["weight_kg"])
        rows.append(Row(number, values))
    return rows


def _mark_duplicates_in_file(rows: list[Row]) -> None:
    """The same ID number as an earlier row (even one with errors) is said first: it
    explains the row's other messages. The same phone and name, among valid rows."""
    first_by_id, first_by_phone = {}, {}
    for row in rows:
        if row.skipped:
            continue
        number, phone = row.values.get("id_number"), row.values.get("phone")
        if number:
            if number in first_by_id:
                row.messages.insert(0, Message(ERROR, "id_number", _(
                    "Trùng số CCCD/CMND với dòng %(row)s.") % {"row": first_by_id[number]}))
                row.ok = False
                continue
            first_by_id[number] = row.number
        elif not row.ok:
            continue
        elif phone:
            key = (phone, row.values["name_key"])
            if key in first_by_phone:
                row.error("phone", _("Trùng họ tên và số điện thoại với dòng %(row)s.")
                          % {"row": first_by_phone[key]})
                continue
            first_by_phone[key] = row.number


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _match_registry(rows: list[Row], actor) -> dict[int, Donor]:
    """{row number: known donor}, by the registry's one rule (`donors.matching`), its
    candidates loaded in bulk: the records holding the rows' documents, then those sharing
    a phone with the rows no document matched. A document on record under another name or
    birth year is an error, not an overwrite."""
    documents = {(r.values.get("id_type", ""), r.values["id_number"])
                 for r in rows if r.values.get("id_number")}
    by_document = {}
    for donor in _donors([pk for _n, pk in bulk.ids_where_in(
            Donor, "id_number", {number for _t, number in documents})]):
        if (donor.id_type, donor.id_number) in documents:
            by_document[donor.id_type, donor.id_number] = donor
    phones = {r.values["phone"] for r in rows if r.values.get("phone") and (
        r.values.get("id_type", ""), r.values.get("id_number")) not in by_document}
    by_phone = defaultdict(list)
    found = {pk for _p, pk in bulk.ids_where_in(Donor, "phone", phones)}
    found |= {pk for _p, pk in bulk.ids_where_in(Donor, "phone_other", phones,
                                                 not_blank=True)}
    for donor in _donors(sorted(found)):
        for phone in {donor.phone, donor.phone_other} & phones:
            by_phone[phone, donor.name_key].append(donor)
    visible = _visible_ids(actor, {(d.merged_into or d).pk for d in by_document.values()})
    known = {}
    for row in rows:
        values = row.values
        match = matching.decide(
            matching.Person.of(values),
            by_document.get((values.get("id_type", ""), values.get("id_number"))),
            by_phone.get((values.get("phone"), values["name_key"]), ()))
        if match.outcome == matching.CONFLICT:
            row.error("id_number", _(
                "Số CCCD/CMND này đã có trong hồ sơ của %(name)s, khác họ tên hoặc năm sinh "
                "trong tệp; hãy kiểm tra lại, không ghi đè.") % {"name": match.donor.full_name}
                if match.donor.pk in visible else _(
                "Số CCCD/CMND này đã có trong hồ sơ một người khác họ tên hoặc năm sinh (do "
                "đơn vị khác quản lý); hãy kiểm tra lại hoặc liên hệ Văn phòng thường trực."))
        elif match.outcome == matching.SAME:
            known[row.number] = match.donor
    return known


# What the review reads of a known donor: matching, the changes a list proposes, the
# eligibility rules. Loading only these keeps a re-import of 100.000 known people light.
_READ = ("full_name", "name_key", "erased_at", "birth_date", "birth_year", "sex",
         "id_type", "id_number", "phone_other", "permanently_excluded", *UPDATABLE)


def _donors(pks: list[int]):
    fields = [name.removesuffix("_id") for name in _READ]
    return bulk.in_ids(Donor.objects.select_related("merged_into", "workplace").only(
        *fields, "merged_into", *(f"merged_into__{name}" for name in fields),
        "workplace__name"), pks)


def _visible_ids(actor, pks) -> set[int]:
    return set(bulk.in_ids(Donor.objects.visible_to(actor).values_list("pk", flat=True), pks))


def _match_workplaces(rows: list[Row], actor) -> dict[int, Organization]:
    """{row number: organization} for workplace names found among the user's units."""
    wanted = {search_key(r.values["workplace_text"]) for r in rows if r.values.get(
        "workplace_text")}
    if not wanted:
        return {}
    units = {}
    for org in Organization.objects.visible_to(actor).filter(name_key__in=wanted):
        units.setdefault(org.name_key, org)
    for org in Organization.objects.visible_to(actor).filter(short_name_key__in=wanted):
        units.setdefault(org.short_name_key, org)
    found = {}
    for row in rows:
        text = row.values.get("workplace_text")
        if not text:
            continue
        org = units.get(search_key(text))
        if org is None:
            row.inform("workplace", _("Không có đơn vị “%(name)s” trong danh mục; ghi vào "
                                      "ghi chú của đăng ký.") % {"name": text})
        else:
            found[row.number] = org
    return found


class KnownRegistration(NamedTuple):
    """A person's registration for the drive, as the review needs it: a tuple, not a
    model instance (re-importing a 100.000-row list finds 100.000 of them)."""

    pk: int
    status: str
    reference: str


def _registrations(drive, donor_ids) -> dict[int, KnownRegistration]:
    rows = bulk.in_ids(Registration.objects.filter(drive=drive).values_list(
        "donor_id", "pk", "status", "reference"), donor_ids, field="donor")
    return {donor_id: KnownRegistration(*known) for donor_id, *known in rows}


def _changes(donor: Donor, row: Row, workplace) -> dict:
    values = dict(row.values)
    if workplace is not None:
        values["workplace_id"] = workplace.pk
    changes = {}
    for name in UPDATABLE:
        new = values.get(name)
        if new in (None, "") or (name == "rh" and not values.get("blood_group")):
            continue
        old = getattr(donor, name)
        if old != new:
            changes[name] = (old, new)
    return changes


def _check_eligibility(drive, planned: list[Planned]) -> None:
    """Who will not be eligible on the drive's date: a warning on their row, so that
    nobody travels for nothing."""
    history = defaultdict(list)
    known = [p.donor.pk for p in planned if p.donor is not None]
    for chunk in _chunks(known):
        # Plain tuples with the fields the rules read, not model instances.
        for donor_id, *visit in (Donation.objects.filter(donor_id__in=chunk)
                                 .order_by("-date", "-pk")
                                 .values_list("donor_id", *Visit._fields)):
            history[donor_id].append(Visit(*visit))
    rules = rules_in_force(drive.date)
    # A person without history is assessed on age, sex and weight alone: the same
    # answer for everyone who shares them, computed once. Well inside the age range,
    # the birth date itself changes nothing.
    by_person = {}
    for plan in planned:
        values = plan.row.values
        weight = values.get("weight_kg")
        if plan.donor is None:
            birth = values.get("birth_date")
            adult = birth is not None and (
                rules.min_age_years < _age(birth, drive.date) < rules.max_age_years)
            key = (None if adult else birth, None if adult else values.get("birth_year"),
                   values.get("sex", ""), weight, adult)
            if key not in by_person:
                by_person[key] = assess(Donor(birth_date=birth, birth_year=values.get(
                    "birth_year"), sex=values.get("sex", ""), weight_kg=weight), [],
                    drive.date, rules=rules)
            result = by_person[key]
        else:
            person = plan.donor
            if weight:
                person.weight_kg = weight
            result = assess(person, history.get(person.pk, []), drive.date, rules=rules)
        if result.eligible:
            continue
        reasons, later = explain(result)
        day = drive.date.strftime("%d/%m/%Y")
        if later:
            plan.row.warn("", _("Chưa đủ điều kiện hiến máu ngày %(day)s (%(reasons)s); có "
                                "thể hiến từ %(next)s.") % {
                "day": day, "reasons": reasons, "next": later.strftime("%d/%m/%Y")})
        elif result.next_eligible_date:  # the reason already says from when
            plan.row.warn("", _("Chưa đủ điều kiện hiến máu ngày %(day)s: %(reasons)s.")
                          % {"day": day, "reasons": reasons})
        else:
            plan.row.warn("", _("Không đủ điều kiện hiến máu ngày %(day)s (%(reasons)s).")
                          % {"day": day, "reasons": reasons})


def _age(birth: datetime.date, on: datetime.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _describe(plan: Planned) -> None:
    if _still_registered(plan.registration):
        plan.row.inform("", _("Đã đăng ký đợt này (mã %(reference)s); không tạo thêm.")
                        % {"reference": plan.registration.reference})
    if plan.kept_elsewhere:
        plan.row.inform("", _("Người đã có hồ sơ do đơn vị khác quản lý; danh sách không "
                              "thay đổi hồ sơ này (liên hệ Văn phòng thường trực nếu cần "
                              "sửa)."))
    if plan.changes:
        listed = ", ".join(f"{_label(name)}: {_shown_change(plan, name, old)} → "
                           f"{_shown_change(plan, name, new, new_value=True)}"
                           for name, (old, new) in plan.changes.items())
        plan.row.inform("", _("Người đã có hồ sơ; nếu chọn cập nhật hồ sơ: %(changes)s.")
                        % {"changes": listed})


_FIELD_OF = {"weight_kg": "weight", "workplace_id": "workplace"}


def _label(name: str) -> str:
    if name == "rh":
        return "Rh"
    return str(columns.FIELDS_BY_NAME[_FIELD_OF.get(name, name)].label)


def _shown_change(plan: Planned, name: str, value, new_value: bool = False) -> str:
    if name == "workplace_id":  # a unit by its name, not its key
        unit = plan.workplace if new_value else plan.donor.workplace
        return unit.name if unit else "—"
    return _shown(value)


def _shown(value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and value.startswith("+84"):
        return identity.format_phone_local(value)
    return str(value)


# ---- write -------------------------------------------------------------------------


class ImportRefused(RuleError):
    default_code = "import_refused"


def write(record: RegistrationImport, result: Review, *, actor,
          today: datetime.date) -> RegistrationImport:
    """Write every planned row, all or nothing; the counts and what changed go into
    `record` (saved), for the history and for `undo`."""
    drive = record.drive
    try:
        check_open(drive, today)
    except RegistrationError as error:
        raise ImportRefused(error.message) from None
    home = record.mobilized_by or drive.organizer
    try:
        return _write(record, result, actor, drive, home)
    except IntegrityError:
        # The database's one record per person and one registration per person and drive
        # (donors.matching): another import or desk wrote some of these people meanwhile.
        raise ImportRefused(_(
            "Một lần nhập hoặc đăng ký khác vừa ghi một số người trong danh sách này cùng "
            "lúc, nên lần nhập này không ghi gì. Hãy nhập lại: những người đã có sẽ được "
            "nhận ra, không tạo hồ sơ trùng.")) from None


def _write(record, result: Review, actor, drive, home) -> RegistrationImport:
    with transaction.atomic():
        created_donors = _create_donors([p for p in result.planned if p.donor is None], home)
        changed = _apply_changes([p for p in result.planned if p.donor is not None],
                                 accept=record.accepted_changes)
        created, renewed = _register(record, result.planned, actor)
        refresh_units(map(int, changed))  # new donors got their units with them
        counts = result.counts
        record.status = ImportStatus.DONE
        record.rows_done = record.rows_total
        record.registrations_created = created
        record.registrations_existing = counts["already_registered"]
        record.donors_created = len(created_donors)
        record.donors_updated = len(changed)
        record.changes = {"donors_created": created_donors, "donors_changed": changed,
                          "renewed": renewed}
        # The report the user read (with the eligibility warnings) stays, with any error
        # the registry gave since (a CCCD another desk recorded meanwhile).
        record.report = _merged_report(record.report, result.report())
        record.rows_rejected = sum(1 for e in record.report if e["status"] == ERROR)
        record.parsed_rows = b""
        record.finished_at = timezone.now()
        record.save()
        audit.log("hienmau.registration.imported", actor=actor, organization=drive.organizer,
                  obj=drive, data={"file": record.file_name, "sha256": record.file_sha256,
                                   "registrations": created, "donors_created":
                                   len(created_donors), "donors_updated": len(changed)})
    return record


def _merged_report(read: list[dict], now: list[dict]) -> list[dict]:
    entries = {entry["row"]: entry for entry in read}
    for entry in now:
        if entry["status"] == ERROR or entry["row"] not in entries:
            entries[entry["row"]] = entry
    return [entries[number] for number in sorted(entries)]


def _create_donors(plans: list[Planned], home) -> list[int]:
    """New donors, their consent (the unit's list: purpose registry, channel import) and
    their units, inserted as plain rows (imports.bulk): a 100.000-row list must land in
    seconds."""
    rows = []
    for plan, pk in zip(plans, bulk.reserve_ids(Donor, len(plans)), strict=True):
        values = plan.row.values
        plan.new_donor_id = pk
        rows.append({
            "id": pk, "full_name": values["full_name"], "name_key": values["name_key"],
            "sort_key": given_name_first(values["name_key"]),
            "birth_date": values.get("birth_date"), "birth_year": values.get("birth_year"),
            "sex": values.get("sex", ""), "id_type": values.get("id_type", ""),
            "id_number": values.get("id_number") or None, "phone": values.get("phone", ""),
            "identity_key": None if values.get("id_number") else identity.person_key(
                values["name_key"], values.get("birth_year") or (
                    values["birth_date"].year if values.get("birth_date") else None),
                values.get("phone", "")),
            "email": values.get("email", ""), "blood_group": values.get("blood_group", ""),
            "rh": values.get("rh", ""), "weight_kg": values.get("weight_kg"),
            "address": values.get("address", ""), "home_id": home.pk,
            "workplace_id": plan.workplace.pk if plan.workplace else None})
    bulk.insert(Donor, rows)
    now = timezone.now()
    bulk.insert(Consent, [{"donor_id": plan.new_donor_id, "purpose": Consent.Purpose.REGISTRY,
                           "channel": Consent.Channel.IMPORT, "given_at": now}
                          for plan in plans])
    bulk.insert(DonorUnit, [{"donor_id": plan.new_donor_id, "organization_id": org}
                            for plan, row in zip(plans, rows, strict=True)
                            for org in {row["home_id"], row["workplace_id"]} if org])
    return [plan.new_donor_id for plan in plans]


def _apply_changes(plans: list[Planned], *, accept: bool) -> dict:
    """{donor id: {field: [old, new]}} of the changes written (JSON-able, for undo)."""
    if not accept:
        return {}
    changed, donors, names = {}, [], set()
    for plan in plans:
        if not plan.changes:
            continue
        for name, (_old, new) in plan.changes.items():
            setattr(plan.donor, name, new)
            names.add(name)
        if {"phone", "birth_date"} & plan.changes.keys():  # the person key follows
            plan.donor.identity_key = plan.donor.person_key()
            names.add("identity_key")
        changed[str(plan.donor.pk)] = {name: [_json(old), _json(new)]
                                       for name, (old, new) in plan.changes.items()}
        donors.append(plan.donor)
    if donors:
        Donor.objects.bulk_update(donors, sorted(names), batch_size=1000)
    return changed


def _json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is not None and not isinstance(value, (str, int, bool)):
        return str(value)  # Decimal weight
    return value


def _register(record, plans: list[Planned], actor) -> tuple[int, list[int]]:
    new, renewed = [], []
    references = iter(_unique_references(sum(1 for p in plans if p.registration is None)))
    for plan in plans:
        registration = plan.registration
        if registration is None:
            note = plan.row.values.get("note", "")
            if plan.workplace is None and plan.row.values.get("workplace_text"):
                note = "; ".join(x for x in (note, _("Đơn vị: %(name)s") % {
                    "name": plan.row.values["workplace_text"]}) if x)
            new.append({"drive_id": record.drive_id,
                        "donor_id": plan.donor.pk if plan.donor else plan.new_donor_id,
                        "source": Source.IMPORT, "mobilized_by_id": record.mobilized_by_id,
                        "batch_id": record.pk, "reference": next(references),
                        "note": note[:500], "created_by_id": actor.pk,
                        "status": RegistrationStatus.REGISTERED})
        elif registration.status == RegistrationStatus.CANCELLED:
            renewed.append(registration.pk)
    bulk.insert(Registration, new)
    Registration.objects.filter(pk__in=renewed).update(
        status=RegistrationStatus.REGISTERED, source=Source.IMPORT, batch=record)
    return len(new) + len(renewed), renewed


def _unique_references(count: int) -> list[str]:
    """`count` new references, distinct from each other and from every registration's.
    Drawn at random from 27^8, 100.000 of them collide among themselves about once in
    fifty imports (the birthday bound), which made a whole import fail."""
    chosen: set[str] = set()
    while len(chosen) < count:
        drawn = set(new_references(count - len(chosen))) - chosen
        taken = {reference for reference, _pk in bulk.ids_where_in(
            Registration, "reference", drawn)}
        chosen |= drawn - taken
    return sorted(chosen)


# ---- undo --------------------------------------------------------------------------


def can_undo(record: RegistrationImport, today: datetime.date) -> bool:
    return (record.status == ImportStatus.DONE and record.drive.date > today
            and record.drive.status in ("planned", "confirmed"))


@transaction.atomic
def undo(record: RegistrationImport, *, actor, today: datetime.date) -> RegistrationImport:
    """Remove what the import added and put back what it changed, while the drive has not
    started. A donor it created is removed only if nothing else refers to them since."""
    record = RegistrationImport.objects.select_for_update().get(pk=record.pk)
    if not can_undo(record, today):
        raise ImportRefused(_("Không hoàn tác được: lần nhập này đã được hoàn tác, hoặc đợt "
                              "hiến máu đã bắt đầu."))
    changes = record.changes or {}
    renewed = changes.get("renewed", [])
    Registration.objects.filter(pk__in=renewed).update(status=RegistrationStatus.CANCELLED)
    record.registrations.exclude(pk__in=renewed).delete()
    for pk, fields in changes.get("donors_changed", {}).items():
        donor = Donor.objects.filter(pk=int(pk)).first()
        if donor is None:
            continue
        for name, (old, new) in fields.items():
            model_field = Donor._meta.get_field(name.removesuffix("_id"))
            current = _json(getattr(donor, name))
            if current == new:  # nobody changed it since
                setattr(donor, name, None if old is None else model_field.to_python(old))
        donor.save()
    created = changes.get("donors_created", [])
    # Kept if anything refers to them since: a donation, another registration, a merge.
    removable = (Donor.objects.filter(pk__in=created, registrations__isnull=True,
                                      donations__isnull=True, merged_from__isnull=True,
                                      merges_kept__isnull=True, merges_absorbed__isnull=True)
                 .values_list("pk", flat=True))
    Donor.objects.filter(pk__in=list(removable)).delete()
    record.status, record.undone_at, record.undone_by = ImportStatus.UNDONE, timezone.now(), actor
    record.save(update_fields=["status", "undone_at", "undone_by"])
    audit.log("hienmau.registration.import_undone", actor=actor,
              organization=record.drive.organizer, obj=record.drive,
              data={"file": record.file_name, "sha256": record.file_sha256})
    return record
