"""Spreadsheets built to hurt, or merely broken: refused with a Vietnamese message, within
bounded time and memory, before the reader allocates the sheet's whole extent."""

import io
import resource
import time
import tracemalloc
import zipfile

import openpyxl
import pytest

from hienmau.spreadsheets import ImportFileError, read_rows
from tests import office


def _workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_far_cell(column: str, row: int, *, with_reference=True) -> bytes:
    """A small list, plus one cell far away, written into the sheet's XML by hand."""
    content = _workbook([["Họ và tên", "Ngày sinh"], ["Nguyễn Văn An", "04/05/1995"]])
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    cell = f'<c r="{column}{row}" t="inlineStr"><is><t>x</t></is></c>' if with_reference \
        else '<c t="inlineStr"><is><t>x</t></is></c>' * 30
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>",
                                    f'<row r="{row}">{cell}</row></sheetData>'.encode())
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(("column", "row", "shown"), [
    ("XFD", 1048576, "XFD1048576"), ("Z", 1048576, "Z1048576")])
def test_a_cell_far_away_is_refused_quickly_and_without_allocating_the_sheet(column, row,
                                                                               shown):
    content = with_far_cell(column, row)
    assert len(content) < 10_000
    tracemalloc.start()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB, high-water mark
    started = time.monotonic()
    try:
        with pytest.raises(ImportFileError) as refused:
            read_rows(content, "danh-sach.xlsx")
        elapsed = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
        # The reader's own allocations (in Rust) escape tracemalloc, not the process's peak.
        rss_growth_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    finally:
        tracemalloc.stop()
    assert elapsed < 5
    assert peak < 50 * 1024 * 1024
    assert rss_growth_kb < 200 * 1024
    assert shown in str(refused.value)
    assert "xóa các dòng và cột thừa" in str(refused.value)


def test_cells_without_reference_count_by_position():
    # 30 cells with no "r": column AD of row 1.048.576 all the same.
    with pytest.raises(ImportFileError, match="AD1048576"):
        read_rows(with_far_cell("", 1048576, with_reference=False), "ds.xlsx")


def test_a_list_of_ordinary_size_is_still_read():
    rows = read_rows(with_far_cell("L", 5000), "ds.xlsx")
    assert rows[1][:2] == ["Nguyễn Văn An", "04/05/1995"]
    assert len(rows) == 5000 and rows[-1][11] == "x"


def test_a_text_file_named_xlsx_gets_its_own_message():
    for name in ("ds.xlsx", "ds.xls", "ds.ods"):
        with pytest.raises(ImportFileError) as refused:
            read_rows("Họ và tên;Ngày sinh\nAn;1995\n".encode(), name)
        assert "không phải là bảng tính" in str(refused.value)
        assert "Cannot" not in str(refused.value)


def test_a_password_protected_workbook_gets_its_own_message():
    # What Excel writes for a workbook with a password: an OLE (compound file) container
    # whose directory holds the streams EncryptionInfo and EncryptedPackage.
    def entry(name: str) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + len(encoded).to_bytes(2, "little")
                + b"\x02\x01" + b"\xff" * 12).ljust(128, b"\0")

    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + b"\x3e\x00\x03\x00"
              + b"\xfe\xff\x09\x00").ljust(512, b"\0")
    directory = (entry("Root Entry") + entry("EncryptionInfo")
                 + entry("EncryptedPackage") + entry("\x06DataSpaces"))
    content = header + directory + b"\x8a" * 4096
    for name in ("ds.xlsx", "ds.xls"):
        with pytest.raises(ImportFileError) as refused:
            read_rows(content, name)
        assert "đặt mật khẩu" in str(refused.value)


def test_a_broken_zip_says_so_in_vietnamese():
    content = with_far_cell("B", 3)[:-200]
    with pytest.raises(ImportFileError) as refused:
        read_rows(content, "ds.xlsx")
    assert "bị hỏng" in str(refused.value)
    assert "zip" not in str(refused.value).lower()


def ods(rows_xml: str) -> bytes:
    """An ODS whose first table holds the given rows' XML."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="DS">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Họ và tên'
        '</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>'
        'Ngày sinh</text:p></table:table-cell></table:table-row>'
        f'{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '</manifest:manifest>'))
    return out.getvalue()


def test_an_ods_cell_repeated_a_million_times_is_refused_quickly():
    content = ods('<table:table-row table:number-rows-repeated="1048575">'
                  '<table:table-cell table:number-columns-repeated="90" '
                  'office:value-type="string"><text:p>x</text:p></table:table-cell>'
                  '</table:table-row>')
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(ImportFileError, match="CL1048576"):
        read_rows(content, "ds.ods")
    assert time.monotonic() - started < 5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 200 * 1024


def test_the_empty_rest_of_a_libreoffice_sheet_is_not_content():
    # How LibreOffice saves: the sheet's empty rest as a row repeated to the last one.
    content = ods('<table:table-row><table:table-cell office:value-type="string"><text:p>'
                  'Nguyễn Văn An</text:p></table:table-cell><table:table-cell '
                  'table:number-columns-repeated="1023"/></table:table-row>'
                  '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
                  'table:number-columns-repeated="1024"/></table:table-row>')
    assert read_rows(content, "ds.ods")[:2] == [["Họ và tên", "Ngày sinh"],
                                                ["Nguyễn Văn An", ""]]


def test_an_xls_with_a_cell_far_away_is_refused_and_an_ordinary_one_read(tmp_path):
    # .xls files as Excel 97–2003 saves them, written by LibreOffice: one with a cell at
    # IV65536 (the format's last), and an ordinary list long enough for the container's
    # large-stream layout (the short one lives in its mini stream).
    people = [["Họ và tên", "Ngày sinh"], *([f"Người {n}", "04/05/1995"] for n in range(400))]
    converted = office.convert({"xa.xlsx": with_far_cell("IV", 65536),
                                "thuong.xlsx": _workbook(people)}, "xls", tmp_path)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(ImportFileError, match="IV65536"):
        read_rows(converted["xa.xlsx"], "ds.xls")
    assert time.monotonic() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 200 * 1024
    rows = read_rows(converted["thuong.xlsx"], "ds.xls")
    assert len(rows) == 401 and rows[400] == ["Người 399", "04/05/1995"]
    # With a password, Excel writes a FILEPASS record right after the workbook's BOF.
    content = bytearray(converted["thuong.xlsx"])
    after_bof = content.find(b"\x09\x08\x10\x00") + 4 + 16
    content[after_bof:after_bof + 2] = b"\x2f\x00"
    with pytest.raises(ImportFileError, match="đặt mật khẩu"):
        read_rows(bytes(content), "ds.xls")
