"""What offices put in a list besides people, and what the report says about it: the
lines under the list, a person given twice, the rejected rows' own numbers."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hienmau.drives.models import ImportStatus, RegistrationImport
from hienmau.imports import registration_import as ri
from hienmau.imports import sheets
from hienmau.plans.models import Drive
from hienmau.spreadsheets import read_rows
from tests.imports.conftest import HEADER, xlsx

AN = [1, "Nguyễn Văn An", "04/05/1990", "Nam", "001090012345", "0912 345 678", "O+", ""]
BINH = [2, "Trần Thị Bình", "01/02/1995", "Nữ", "001195012345", "", "", ""]
FOOTER = [
    ["", "Tổng cộng: 2 người", "", "", "", "", "", ""],
    [],
    ["", "", "", "", "", "Hưng Yên, ngày … tháng … năm 2024", "", ""],
    ["", "Người lập biểu", "", "", "", "Thủ trưởng đơn vị", "", ""],
    ["", "(Ký, ghi rõ họ tên)", "", "", "", "(Ký tên, đóng dấu)", "", ""],
    [],
    ["", "Lê Thị Hoa", "", "", "", "Phạm Văn Dũng", "", ""],
]


def test_the_lines_under_a_list_are_skipped_and_said_so(run_import):
    record, review = run_import(xlsx([HEADER, AN, BINH, *FOOTER]))
    assert review.counts["error"] == 0 and review.counts["rows"] == 2
    assert review.counts["skipped"] == 5
    report = {entry["row"]: entry for entry in review.report()}
    # Rows 6, 8, 9, 10 and 12 of the sheet: title at row 1, header at row 3.
    assert sorted(report) == [6, 8, 9, 10, 12]
    assert {entry["status"] for entry in report.values()} == {"skipped"}
    assert "Bỏ qua: dòng dưới danh sách" in report[12]["messages"][0]["text"]
    assert record.registrations_created == 2 and record.rows_rejected == 0


def test_a_person_after_a_subtotal_is_still_read(run_import):
    subtotal = ["", "Cộng", "", "", "", "", "", ""]
    record, review = run_import(xlsx([HEADER, AN, subtotal, BINH, FOOTER[0],
                                      [3, "Lê Văn Cường", "", "", "", "", "", ""]]))
    report = {entry["row"]: entry for entry in review.report()}
    assert report[5]["status"] == "skipped" and 6 not in report
    assert report[8]["status"] == "skipped"
    assert record.registrations_created == 2


def test_a_name_that_only_looks_like_a_footer_is_still_an_error():
    from hienmau.imports.rows import is_footer_line

    assert not is_footer_line(["Công Văn Tuấn"]) and not is_footer_line(["Tống Thị Cúc"])
    assert is_footer_line(["Cộng: 150"]) and is_footer_line(["T/M BAN CHỈ ĐẠO"])


def test_a_cccd_given_twice_is_said_a_duplicate_of_the_earlier_row_first(run_import):
    # The second time, with a birth date the CCCD does not match: the row's first message
    # is that it repeats row 4, even though row 4 itself has an error.
    first = [1, "Nguyễn Văn An", "31/02/1990", "Nam", "001090012345", "", "", ""]
    again = [2, "Nguyễn Văn An", "04/05/1991", "Nam", "001090012345", "", "", ""]
    _record, review = run_import(xlsx([HEADER, first, again]))
    report = {entry["row"]: entry for entry in review.report()}
    assert report[4]["status"] == "error"
    assert report[5]["messages"][0]["text"] == "Trùng số CCCD/CMND với dòng 4."


def test_the_rejected_rows_keep_their_row_numbers(run_import):
    bad = [3, "Lê Văn Cường", "32/13/1990", "Nam", "", "0912 000 111", "", ""]
    record, _review = run_import(xlsx([HEADER, AN, BINH, bad, *FOOTER]))
    content = sheets.rejected_rows_xlsx(bytes(record.file_data), record.file_name, 2,
                                        record.report)
    rows = read_rows(content, "x.xlsx")
    assert rows[0][-2:] == ["Dòng trong tệp gốc", "Lỗi cần sửa"]
    assert len(rows) == 2 and rows[1][1] == "Lê Văn Cường" and rows[1][-2] == "6"


@pytest.fixture
def future_drive(tree):
    return Drive.objects.create(date=timezone.localdate() + datetime.timedelta(days=30),
                                venue="Nhà văn hóa", organizer=tree["district_one"],
                                expected_units=100, title="Ngày hội")


def test_the_file_is_read_once_per_step_not_on_every_view(client_for, coordinator,
                                                          future_drive, monkeypatch):
    reads = []
    real = ri.read_rows
    monkeypatch.setattr(ri, "read_rows", lambda *args: reads.append(1) or real(*args))
    client = client_for(coordinator)
    response = client.post(reverse("imports:upload", args=[future_drive.code]), {
        "file": SimpleUploadedFile("ds.xlsx", xlsx([HEADER, AN, BINH, *FOOTER]))})
    assert len(reads) == 1  # the upload
    for _view in range(3):
        page = client.get(response["Location"]).content.decode()
        assert "Nguyễn Văn An" in page and 'data-testid="mapping"' in page
    assert len(reads) == 1
    record = RegistrationImport.objects.get()
    client.post(response["Location"], {"action": "map", **{
        f"col-{i}": name for i, name in record.mapping.items()}})
    assert len(reads) == 2  # the check
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="skipped-count"' in page and "bỏ qua 5 dòng dưới danh sách" in page
    assert "Bỏ qua: dòng dưới danh sách" in page
    client.post(response["Location"], {"action": "import"})
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE and len(reads) == 2  # the rows as checked
