"""Reading spreadsheets people made by hand: the first sheet of an XLSX, XLS, ODS or
CSV file (UTF-8 or the Windows code pages Vietnamese offices save in), and the cells
they type (numbers such as "1.350", dates such as "05/3/24" or Excel serial numbers).

Shared by every import (a plan's appendix, a drive's registration list). A cell that
cannot be read raises ValueError; the importer says which row and column.
"""

import base64
import csv
import datetime
import io
import re
import zipfile
from typing import NamedTuple
from xml.parsers.expat import ExpatError, ParserCreate

from django.utils.translation import gettext as _

from hienmau.errors import RuleError
from hienmau.text import clean_name

ACCEPTED_EXTENSIONS = (".xlsx", ".xls", ".ods", ".csv")


class ImportFileError(RuleError):
    """The file could not be read as a spreadsheet at all."""

    default_code = "unreadable_file"


class Problem(NamedTuple):
    """Something the importer could not read, or wants a person to look at."""

    row: int | None  # the spreadsheet's own row number, as Excel shows it
    column: str  # the column's label, "" when the message is about the whole row
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return _("Dòng %(row)s, cột %(column)s: %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message}
        return _("Dòng %(row)s: %(message)s") % {"row": self.row, "message": self.message}


def check_upload(upload, max_bytes: int):
    """An uploaded file a form accepts for reading: a spreadsheet, not too large."""
    from django import forms
    from django.template.defaultfilters import filesizeformat

    if not upload.name.lower().endswith(ACCEPTED_EXTENSIONS):
        raise forms.ValidationError(_("Chỉ nhận tệp .xlsx, .xls, .ods hoặc .csv."))
    if upload.size > max_bytes:
        raise forms.ValidationError(
            _("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)})
    return upload


# ---- reading files -------------------------------------------------------------------


def read_rows(file_bytes: bytes, filename: str) -> list[list]:
    """The first sheet's cells, row by row, keeping empty leading rows and columns so
    that row numbers in messages are the ones the user sees in Excel."""
    name = (filename or "").lower()
    if not name.endswith(ACCEPTED_EXTENSIONS):
        raise ImportFileError(_("Chỉ nhận tệp .xlsx, .xls, .ods hoặc .csv."))
    if name.endswith(".csv"):
        return _read_csv(file_bytes)
    return _read_workbook(file_bytes)


# What a list of people can hold: 200.000 rows of 40 columns would still be far beyond
# any office's list. calamine builds the sheet as one dense block from A1 to the last
# cell present, so a 5 KB file with one cell at XFD1048576 asked for 17 billion cells
# (512 GB): the extent is measured from the file's XML before calamine reads it.
MAX_SHEET_CELLS = 8_000_000
# The first sheet's XML, uncompressed: some 50 MB for 100.000 rows of 12 columns.
MAX_SHEET_XML_BYTES = 400 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


def _read_workbook(file_bytes: bytes) -> list[list]:
    from python_calamine import CalamineError, CalamineWorkbook

    _refuse_hostile_workbook(file_bytes)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(file_bytes))
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, IndexError) as error:
        if "password" in str(error).lower() or "encrypt" in str(error).lower():
            raise ImportFileError(_password_message()) from error
        raise ImportFileError(_("Không đọc được tệp bảng tính: tệp bị hỏng hoặc không phải "
                                "tệp Excel/LibreOffice. Hãy mở tệp bằng Excel hoặc "
                                "LibreOffice, lưu lại dạng .xlsx rồi tải lên lại.")) from error


def _password_message() -> str:
    return _("Tệp được đặt mật khẩu nên không đọc được. Hãy mở tệp, bỏ mật khẩu (Tệp → "
             "Thông tin → Bảo vệ sổ làm việc) hoặc lưu một bản không mật khẩu rồi tải lên lại.")


def _refuse_hostile_workbook(file_bytes: bytes) -> None:
    """Refuse, before calamine reads it, a file that is not what its name says, is
    encrypted, or whose first sheet reaches far beyond its real content."""
    if file_bytes.startswith(_OLE_MAGIC):
        # An OLE container: an .xls, or an .xlsx Excel encrypted with a password.
        if "EncryptedPackage".encode("utf-16-le") in file_bytes:
            raise ImportFileError(_password_message())
        extent = _xls_extent(file_bytes)
        if extent is not None:
            _refuse_far_extent(*extent)
        return
    if not file_bytes.startswith(_ZIP_MAGIC):
        raise ImportFileError(_("Tệp này không phải là bảng tính (Excel hoặc LibreOffice) dù "
                                "mang đuôi .xlsx, .xls hoặc .ods: có thể nó đã bị đổi tên. "
                                "Hãy mở tệp gốc và lưu lại dạng .xlsx."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(file_bytes))
        names = set(archive.namelist())
        if "content.xml" in names:
            # ODS: a cell or a row "repeated" a million times is a few bytes of XML.
            rows, columns = _extent(archive, "content.xml", _ods_handlers)
        else:
            sheet = _first_sheet_path(archive, names)
            if sheet is None:
                raise ImportFileError(_("Tệp này không phải là bảng tính Excel hay "
                                        "LibreOffice (không có trang tính nào)."))
            rows, columns = _extent(archive, sheet, _xlsx_handlers)
    # zipfile raises NotImplementedError for a compression method it lacks: a broken
    # or exotic file, refused like the others.
    except (zipfile.BadZipFile, ExpatError, KeyError, ValueError, EOFError,
            NotImplementedError) as error:
        raise ImportFileError(_("Không đọc được tệp bảng tính: tệp bị hỏng. Hãy mở tệp bằng "
                                "Excel hoặc LibreOffice, lưu lại rồi tải lên lại.")) from error
    _refuse_far_extent(rows, columns)


def _refuse_far_extent(rows: int, columns: int) -> None:
    if rows * columns > MAX_SHEET_CELLS:
        raise ImportFileError(_(
            "Trang tính đầu tiên có ô dữ liệu ở tận ô %(cell)s (%(rows)s dòng × %(columns)s "
            "cột), quá xa so với một danh sách. Hãy xóa các dòng và cột thừa ở cuối trang "
            "tính (chọn chúng, bấm Xóa), lưu lại rồi tải lên lại.")
            % {"cell": f"{_column_letters(columns)}{rows}",
               "rows": f"{rows:,}".replace(",", "."),
               "columns": f"{columns:,}".replace(",", ".")})


# BIFF8 records that hold a cell: row and column are their first two 16-bit fields.
_XLS_CELLS = {0x0006, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E}
_XLS_MULRK, _XLS_FILEPASS, _END = 0x00BD, 0x002F, 0xFFFFFFFE


def _xls_extent(data: bytes) -> tuple[int, int] | None:
    """(last row, last column) of the cells of an .xls (every sheet), from its records;
    None if the container is not laid out as expected (calamine then says what it is)."""
    import struct

    try:
        workbook = _ole_stream(data, ("Workbook", "Book"))
    except (struct.error, IndexError, ValueError):
        return None
    if workbook is None:
        return None
    max_row = max_column = position = 0
    while position + 4 <= len(workbook):
        kind, length = struct.unpack_from("<HH", workbook, position)
        body = position + 4
        if kind == _XLS_FILEPASS:
            raise ImportFileError(_password_message())
        if kind in _XLS_CELLS and length >= 4:
            row, column = struct.unpack_from("<HH", workbook, body)
            max_row, max_column = max(max_row, row + 1), max(max_column, column + 1)
        elif kind == _XLS_MULRK and length >= 6:
            row = struct.unpack_from("<H", workbook, body)[0]
            last = struct.unpack_from("<H", workbook, body + length - 2)[0]
            max_row, max_column = max(max_row, row + 1), max(max_column, last + 1)
        position = body + length
    return max_row, max_column


def _ole_stream(data: bytes, names: tuple[str, ...]) -> bytes | None:
    """A stream of an OLE compound file (MS-CFB), by name; None if absent."""
    import struct

    sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_sector = 1 << struct.unpack_from("<H", data, 0x20)[0]
    first_directory, = struct.unpack_from("<I", data, 0x30)
    cutoff, first_mini_fat, _n, first_difat, n_difat = struct.unpack_from("<5I", data, 0x38)
    sectors = max(0, (len(data) - sector) // sector)

    def at(number: int) -> bytes:
        start = (number + 1) * sector
        return data[start:start + sector]

    fat_sectors = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < sectors]
    difat, seen = first_difat, 0
    while difat < sectors and seen < n_difat:
        entries = struct.unpack(f"<{sector // 4}I", at(difat))
        fat_sectors += [n for n in entries[:-1] if n < sectors]
        difat, seen = entries[-1], seen + 1
    fat = b"".join(at(n) for n in fat_sectors)
    fat = struct.unpack(f"<{len(fat) // 4}I", fat)

    def chain(start: int, table, read, limit: int) -> bytes:
        parts, number = [], start
        while number != _END and number < len(table) and len(parts) <= limit:
            parts.append(read(number))
            number = table[number]
        return b"".join(parts)

    directory = chain(first_directory, fat, at, sectors)
    entries = []
    for offset in range(0, len(directory) - 127, 128):
        length = struct.unpack_from("<H", directory, offset + 64)[0]
        name = directory[offset:offset + max(0, length - 2)].decode("utf-16-le", "replace")
        start, size = struct.unpack_from("<II", directory, offset + 116)
        entries.append((name, directory[offset + 66], start, size))
    if not entries:
        return None
    root = entries[0]
    for name, kind, start, size in entries:
        if kind != 2 or name not in names:
            continue
        if size >= cutoff:
            return chain(start, fat, at, sectors)[:size]
        mini_stream = chain(root[2], fat, at, sectors)
        mini_fat = chain(first_mini_fat, fat, at, sectors)
        mini_fat = struct.unpack(f"<{len(mini_fat) // 4}I", mini_fat)
        return chain(start, mini_fat, lambda n, stream=mini_stream: stream[
            n * mini_sector:(n + 1) * mini_sector], len(mini_fat))[:size]
    return None


def _first_sheet_path(archive, names) -> str | None:
    """The XML of the workbook's first sheet, as calamine picks it (workbook order)."""
    from xml.etree import ElementTree

    relations = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels")):
            relations[rel.get("Id")] = rel.get("Target", "")
    if "xl/workbook.xml" in names:
        for element in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter():
            if element.tag.rsplit("}", 1)[-1] == "sheet":
                rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
                target = relations.get(rid, "")
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                if path in names:
                    return path
                break
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    return sheets[0] if sheets else None


_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


class _FirstSheetRead(Exception):
    pass


def _extent(archive, path: str, handlers) -> tuple[int, int]:
    """(last row, last column) of the cells present in a sheet's XML, read as a stream:
    stops as soon as the extent or the XML's size passes the limits."""
    parser = ParserCreate()
    state = {"row": 0, "column": 0, "max_row": 0, "max_column": 0}
    handlers(parser, state)
    read = 0
    try:
        with archive.open(path) as stream:
            while chunk := stream.read(1 << 20):
                read += len(chunk)
                parser.Parse(chunk, False)
                if state["max_row"] * state["max_column"] > MAX_SHEET_CELLS:
                    break
                if read > MAX_SHEET_XML_BYTES:
                    raise ImportFileError(_("Trang tính đầu tiên quá lớn để đọc. Hãy chia "
                                            "danh sách thành nhiều tệp nhỏ hơn."))
            else:
                parser.Parse(b"", True)
    except _FirstSheetRead:
        pass
    return state["max_row"], state["max_column"]


def _ods_handlers(parser, state) -> None:
    """An ODS's first table: rows and cells may be repeated (LibreOffice writes the empty
    rest of a sheet as one row repeated a million times); only cells with content count."""
    state.update(in_table=False, rows_repeated=1, row_filled=False, cell=None)

    def start(tag, attributes):
        name = tag.rsplit(":", 1)[-1]
        if name == "table":
            state["in_table"] = True
        elif not state["in_table"]:
            return
        elif name == "table-row":
            state["rows_repeated"] = int(attributes.get("table:number-rows-repeated", 1))
            state["row_filled"], state["column"] = False, 0
        elif name in ("table-cell", "covered-table-cell"):
            repeated = int(attributes.get("table:number-columns-repeated", 1))
            filled = "office:value-type" in attributes
            state["cell"] = [state["column"], repeated, filled]
            state["column"] += repeated
        elif state["cell"] is not None:  # text inside a cell
            state["cell"][2] = True

    def end(tag):
        name = tag.rsplit(":", 1)[-1]
        if not state["in_table"]:
            return
        if name in ("table-cell", "covered-table-cell") and state["cell"] is not None:
            first, repeated, filled = state["cell"]
            if filled:
                state["row_filled"] = True
                state["max_column"] = max(state["max_column"], first + repeated)
            state["cell"] = None
        elif name == "table-row":
            state["row"] += state["rows_repeated"]
            if state["row_filled"]:
                state["max_row"] = state["row"]
        elif name == "table":
            raise _FirstSheetRead

    parser.StartElementHandler, parser.EndElementHandler = start, end


def _xlsx_handlers(parser, state) -> None:
    def start(tag, attributes):
        name = tag.rsplit(":", 1)[-1]
        if name == "row":
            reference = attributes.get("r")
            state["row"] = int(reference) if reference else state["row"] + 1
            state["column"] = 0
        elif name == "c":
            match = _CELL_REF.match(attributes.get("r", ""))
            if match:
                state["column"] = _column_number(match.group(1))
                state["row"] = max(state["row"], int(match.group(2)))
            else:
                state["column"] += 1
            state["max_row"] = max(state["max_row"], state["row"])
            state["max_column"] = max(state["max_column"], state["column"])

    parser.StartElementHandler = start


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters or "A"


def _decode(file_bytes: bytes) -> str:
    # Excel on Vietnamese Windows saves "CSV" in the ANSI code page, cp1258; newer
    # Excel and LibreOffice save UTF-8, often with a BOM. cp1252 is the last resort
    # for files saved on a Western-European Windows.
    for encoding in ("utf-8-sig", "cp1258", "cp1252"):
        try:
            return file_bytes.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("Không đọc được bảng mã của tệp CSV; hãy lưu lại với UTF-8."))


def _read_csv(file_bytes: bytes) -> list[list]:
    text = _decode(file_bytes)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise ImportFileError(_("Không đọc được tệp CSV: %(error)s")
                              % {"error": error}) from error


def encode_file(file_bytes: bytes) -> str:
    """Bytes → text, for keeping an uploaded file in the session between two requests."""
    return base64.b64encode(file_bytes).decode("ascii")


def decode_file(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


# ---- cells ---------------------------------------------------------------------------


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_name(str(value))


def is_blank(value) -> bool:
    return cell_text(value) == ""


_GROUPED = re.compile(r"^\d{1,3}([.,])\d{3}(\1\d{3})*$")  # 1.350, 13.762, 1,350
_PLAIN = re.compile(r"^\d+$")


def parse_number(value) -> int:
    """A count of blood units: 1350, 1350.0, "1.350", "1,350", "1000". ValueError otherwise.

    A cell holding 1.35 is refused rather than read as 1.350: if Excel already took
    "1.350" for a decimal, the table's author has to see it.
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        number = int(value)
    else:
        text = cell_text(value).replace(" ", "").replace("\u00a0", "")
        if _GROUPED.match(text):
            text = re.sub(r"[.,]", "", text)
        if not _PLAIN.match(text):
            raise ValueError(value)
        number = int(text)
    if number < 0:
        raise ValueError(value)
    return number


_DMY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 = 01/01/1900, Lotus' leap-year bug
# Serial numbers of 1954–2119: a plain number outside them is not a date someone meant.
_SERIAL_RANGE = (20000, 80000)


def parse_date(value) -> datetime.date:
    """A drive's day as people and spreadsheets give it. ValueError otherwise.

    Day first, always ("05/03/2024" is 5 March); Excel cells may hold real dates or,
    when the cell is not formatted as a date, the serial number.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise ValueError(value)
    text = cell_text(value)
    if text.isdigit() and _SERIAL_RANGE[0] <= int(text) <= _SERIAL_RANGE[1]:
        return parse_date(int(text))  # a serial number that went through a text cell
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
        return datetime.date(year, month, day)
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return datetime.date(year, month, day)
    raise ValueError(value)
