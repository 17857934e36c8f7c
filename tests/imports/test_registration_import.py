"""Importing a registration list: every spelling of a header, every way a cell is typed,
the review before writing, all or nothing, twice without effect, undo."""

import csv
import datetime
import io
import unicodedata

import pytest
from django.urls import reverse

from hienmau.donors import services as donors
from hienmau.donors.models import Donor
from hienmau.drives.models import Donation, ImportStatus, Registration
from hienmau.imports import columns
from hienmau.imports import registration_import as ri
from hienmau.imports.rows import read_row
from tests import office
from tests.imports.conftest import DRIVE_DAY, HEADER, TODAY, xlsx

D = datetime.date
GOOD = [
    [1, "Nguyễn Văn Hùng", "04/05/1990", "Nam", "001090012345", "0912 345 678", "O+",
     "Công ty Một"],
    [2, "Tra\u0302\u0300n  Thi\u0323   Lan", "1/2/95", "Nữ", "1195012345", "912.345.679", "A",
     ""],
    [3, "Lê Minh Tuấn", 1998, "Nam", "", "+84 913 000 111", "", "Xưởng may Hoa Sen"],
]


@pytest.mark.parametrize("header, field", [
    ("Họ và tên", "full_name"), ("HO TEN", "full_name"), ("họ tên", "full_name"),
    ("Số CCCD", "id_number"), ("CCCD/CMND", "id_number"), ("Số căn cước", "id_number"),
    ("SĐT", "phone"), ("Số điện thoại", "phone"), ("DIEN THOAI", "phone"),
    ("Ngày sinh", "birth_date"), ("Năm sinh", "birth_date"),
    ("Ngày tháng năm sinh", "birth_date"), ("Giới tính", "sex"), ("Nam/Nữ", "sex"),
    ("Nhóm máu", "blood_group"), ("Đơn vị công tác", "workplace"), ("E-mail", "email"),
    ("Địa chỉ email", "email"), ("Ghi chú", "note"), ("STT", None), ("TT", None),
])
def test_headers_are_recognized_in_every_spelling(header, field):
    assert columns.field_for_header(header) == field


def test_cells_are_read_as_people_type_them():
    mapping = {0: "full_name", 1: "birth_date", 2: "phone", 3: "id_number", 4: "sex"}
    cases = [
        (["  Nguye\u0302\u0303n  Va\u0306n Hu\u0300ng ", "04/05/1990", "0912 345 678",
          "001090012345", "nam"],
         {"full_name": "Nguyễn Văn Hùng", "birth_date": D(1990, 5, 4), "phone": "+84912345678",
          "id_number": "001090012345", "sex": "M"}),
        (["Lê Thị Mai", "1/2/95", "912.345.678", "1195012345", "Nữ"],  # lost zeros
         {"birth_date": D(1995, 2, 1), "phone": "+84912345678", "id_number": "001195012345"}),
        (["Lê Thị Mai", 34733, "+84 912 345 678", "", "NU"],  # Excel serial 34733
         {"birth_date": D(1995, 2, 3), "sex": "F"}),
        (["Lê Thị Mai", "1995", "84912345678", "", ""], {"birth_year": 1995}),
        (["Lê Thị Mai", 1995.0, "01662345678", "", ""],  # old 11-digit mobile
         {"birth_year": 1995, "phone": "+84362345678"}),
    ]
    for cells, expected in cases:
        row = read_row(5, cells, mapping, TODAY)
        assert row.ok, (cells, row.messages)
        for name, value in expected.items():
            assert row.values[name] == value, (cells, name)


def test_bad_cells_give_the_row_the_column_and_a_vietnamese_message():
    mapping = {0: "full_name", 1: "birth_date", 2: "phone", 3: "id_number"}
    cases = [
        (["", "04/05/1990", "0912345678", ""], "full_name", "Thiếu họ và tên"),
        (["A B", "31/02/1990", "0912345678", ""], "birth_date", "Không đọc được ngày sinh"),
        (["A B", "1990", "12345", ""], "phone", "không phải số điện thoại"),
        (["A B", "1990", "", "7.91234E+10"], "id_number", "số mũ"),
        (["A B", "1990", "", ""], "", "Cần số CCCD/CMND hoặc số điện thoại"),
        # A CCCD of a man born in 1990 for someone born in 1985.
        (["A B", "1985", "", "001090012345"], "id_number", "năm sinh 1990"),
    ]
    for cells, field, words in cases:
        row = read_row(12, cells, mapping, TODAY)
        assert not row.ok, cells
        assert any(m.field == field and words in m.text for m in row.messages), (
            cells, row.messages)


def test_a_list_is_reviewed_then_imported_and_importing_it_again_creates_nothing(
        run_import, drive, tree):
    content = xlsx([HEADER, *GOOD])
    record, review = run_import(content)
    assert review.counts["error"] == 0 and review.counts["new_donors"] == 3
    assert record.status == ImportStatus.DONE
    assert record.registrations_created == 3 and record.donors_created == 3
    lan = Donor.objects.get(name_key="tran thi lan")
    assert lan.full_name == "Trần Thị Lan" and lan.id_number == "001195012345"
    assert lan.home == tree["district_one"]
    hung = Donor.objects.get(name_key="nguyen van hung")
    assert hung.workplace == tree["company"] and hung.blood_group == "O" and hung.rh == "+"
    tuan = Registration.objects.get(donor__name_key="le minh tuan")
    assert "Xưởng may Hoa Sen" in tuan.note  # a unit not in the list: kept as a note
    again, review = run_import(content)
    assert again.registrations_created == 0 and again.donors_created == 0
    assert review.counts["already_registered"] == 3
    assert Registration.objects.filter(drive=drive).count() == 3
    assert Donor.objects.count() == 3


def test_duplicates_in_the_file_and_a_cccd_with_another_name_are_errors(
        run_import, office, tree, hung):
    rows = [HEADER, GOOD[1],
            [2, "Trần Thị Lan", "01/02/1995", "Nữ", "001 195 012 345", "", "", ""],
            [3, "Trần Văn Hùng", "04/05/1990", "Nam", "001090012345", "", "", ""],
            [4, "Phạm Thu Hà", "04/05/1990", "Nữ", "", "0987654321", "", ""],
            [5, "Phạm Thu Hà", "04/05/1990", "Nữ", "", "0987 654 321", "", ""]]
    record, review = run_import(xlsx(rows))
    report = {r["row"]: r for r in review.report()}
    assert "Trùng số CCCD/CMND với dòng 4" in report[5]["messages"][0]["text"]
    assert "Trùng họ tên và số điện thoại với dòng 7" in report[8]["messages"][0]["text"]
    # Row 6 gives Hùng's CCCD with another name: an error, Hùng's record untouched.
    assert report[6]["status"] == "error" and "Nguyễn Văn Hùng" in (
        report[6]["messages"][0]["text"])
    hung.refresh_from_db()
    assert hung.full_name == "Nguyễn Văn Hùng"
    assert record.rows_rejected == 3 and record.registrations_created == 2


def test_a_known_persons_record_changes_only_when_the_user_accepts(run_import, hung):
    rows = [HEADER, [1, "Nguyễn Văn Hùng", "04/05/1990", "Nam", "001090012345",
                     "0987 000 111", "B", ""]]
    record, review = run_import(xlsx(rows))
    assert "0912 345 678 → 0987 000 111" in review.report()[0]["messages"][0]["text"]
    hung.refresh_from_db()
    assert hung.phone == "+84912345678" and record.donors_updated == 0
    record, _review = run_import(xlsx(rows), accept=True)
    hung.refresh_from_db()
    assert hung.phone == "+84987000111" and hung.blood_group == "B"
    assert record.donors_updated == 1


def test_people_not_eligible_on_the_drive_date_are_flagged(run_import, hung, tree):
    Donation.objects.create(donor=hung, date=DRIVE_DAY - datetime.timedelta(days=30),
                            volume_ml=350, receiving_institution=tree["institute"])
    rows = [HEADER, GOOD[0], [2, "Lê Văn Nhỏ", "01/01/2008", "Nam", "", "0912000999", "", ""]]
    _record, review = run_import(xlsx(rows))
    report = {r["row"]: r for r in review.report()}
    hung_text = " ".join(m["text"] for m in report[4]["messages"])
    assert "Chưa đủ điều kiện hiến máu ngày 14/06/2024" in hung_text
    next_day = (DRIVE_DAY - datetime.timedelta(days=30) + datetime.timedelta(days=84))
    assert next_day.strftime("%d/%m/%Y") in hung_text and report[4]["status"] == "warning"
    assert "14/06/2024" in report[5]["messages"][0]["text"]  # 16 years old on the day


def test_an_import_lands_whole_or_not_at_all(drive, coordinator, office, tree):
    content = xlsx([HEADER, *GOOD])
    sheet = ri.read_sheet(content, "a.xlsx")
    review = ri.review(drive, sheet, sheet.mapping, actor=coordinator, today=TODAY)
    # Between the review and the write, another desk records Lan with her CCCD: the
    # database refuses the import's copy, nothing of the import stays, and the import
    # says why in Vietnamese (never the database's message).
    donors.create_donor(actor=office, full_name="Trần Thị Lan", birth_date=D(1995, 2, 1),
                        sex="F", id_type="cccd", id_number="001195012345",
                        home=tree["district_two"])
    record = ri.RegistrationImport.objects.create(drive=drive, file_name="a.xlsx",
                                                  file_sha256="x", file_data=content)
    with pytest.raises(ri.ImportRefused, match="cùng lúc"):
        ri.write(record, review, actor=coordinator, today=TODAY)
    assert Donor.objects.count() == 1 and not Registration.objects.exists()


def test_an_import_is_undone_before_the_drive(run_import, hung, drive):
    rows = [HEADER, [1, "Nguyễn Văn Hùng", "04/05/1990", "Nam", "001090012345",
                     "0987 000 111", "", ""], GOOD[1]]
    record, _review = run_import(xlsx(rows), accept=True)
    assert Registration.objects.filter(drive=drive).count() == 2
    ri.undo(record, actor=record.created_by, today=TODAY)
    hung.refresh_from_db()
    assert hung.phone == "+84912345678"  # put back
    assert not Registration.objects.filter(drive=drive).exists()
    assert list(Donor.objects.all()) == [hung]  # Lan, created by the import, is gone
    record.refresh_from_db()
    assert record.status == ImportStatus.UNDONE
    with pytest.raises(ri.ImportRefused):
        ri.undo(record, actor=record.created_by, today=TODAY)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1258", "cp1252"])
def test_csv_in_utf8_and_windows_code_pages(run_import, encoding):
    rows = [["Ho ten", "Nam sinh", "SDT"], ["Tran Thi Lan", "1995", "0912345679"]]
    if encoding != "cp1252":  # cp1252 has no Vietnamese letters: the list is ASCII
        rows = [["Họ tên", "Năm sinh", "SĐT"], ["Trần Thị Lan", "1995", "0912345679"]]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    record, _review = run_import(encode(text.getvalue(), encoding), "ds.csv")
    assert record.registrations_created == 1
    assert Donor.objects.get().name_key == "tran thi lan"


def encode(text: str, encoding: str) -> bytes:
    """As Windows saves it: cp1258 has some Vietnamese letters whole and writes the others
    as a letter and a combining tone mark ("ọ" → "o" + U+0323)."""
    if encoding != "cp1258":
        return text.encode(encoding)
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", char)
            for size in range(len(marks), -1, -1):
                head = unicodedata.normalize("NFC", base + "".join(marks[:size]))
                try:
                    out += head.encode("cp1258") + "".join(marks[size:]).encode("cp1258")
                    break
                except UnicodeEncodeError:
                    continue
            else:
                raise
    return out


def test_ods_files_made_by_libreoffice(run_import, tmp_path):
    ods = office.convert({"ds.xlsx": xlsx([HEADER, *GOOD])}, "ods", tmp_path)["ds.xlsx"]
    record, _review = run_import(ods, "ds.ods")
    assert record.registrations_created == 3


def test_the_journal_shows_a_list_import(run_import, client_for, office):
    run_import(xlsx([HEADER, *GOOD]))
    response = client_for(office).get(reverse("orgs:audit"))
    assert response.status_code == 200
    assert "Nhập danh sách đăng ký" in response.text and "danh-sach.xlsx" in response.text
    assert "Số đăng ký: 3" in response.text and "hienmau.registration" not in response.text
