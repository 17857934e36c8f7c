"""Documents produced from a plan's data: seed 002's appendix, schedule and an
announcement, read back as a person (or a spreadsheet program) would read them."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from docx import Document

from hienmau.plans import services
from hienmau.plans.documents import PLAN_DOCUMENTS, announcement_docx
from hienmau.plans.documents.appendix import (
    appendix_docx,
    appendix_lines,
    appendix_xlsx,
    unlisted_note,
)
from hienmau.plans.documents.layout import place_and_date, units
from hienmau.plans.documents.schedule import schedule_docx
from hienmau.plans.importer import parse_appendix
from hienmau.plans.models import Plan
from hienmau.plans.summary import quota_table
from hienmau.spreadsheets import read_rows
from tests import office

D = datetime.date
SECTION_TOTALS = {"Cộng mục I": 9287, "Cộng mục II": 1200, "Cộng mục III": 2175,
                  "Cộng mục IV": 1100, "Tổng cộng mục I + II + III + IV": 13762}


@pytest.fixture
def plan(demo_data, db):
    return Plan.objects.select_related("committee").get(starts_on=D(2023, 12, 1))


def test_numbers_and_dates_are_written_the_vietnamese_way(plan):
    assert units(13762) == "13.762" and units(593) == "593" and units(1200000) == "1.200.000"
    # NĐ 30/2020: a zero before days below 10 and months below 3.
    assert place_and_date(plan.committee, D(2024, 2, 5)) == "Hưng Yên, ngày 05 tháng 02 năm 2024"
    assert place_and_date(plan.committee, D(2023, 12, 5)) == "Hưng Yên, ngày 05 tháng 12 năm 2023"


def test_appendix_lines_carry_the_seeds_totals(plan):
    lines = appendix_lines(plan)
    totals = {line.label: line.quota for line in lines if line.kind in ("subtotal", "total")}
    assert totals == SECTION_TOTALS
    khoai_chau = next(i for i, line in enumerate(lines) if "Khoái Châu" in line.label)
    assert [(line.date, line.units) for line in lines[khoai_chau:khoai_chau + 3]] == [
        (D(2024, 3, 6), 1000), (D(2024, 7, 9), 900), (D(2024, 11, 26), 900)]
    assert lines[khoai_chau].quota == 1350 and lines[khoai_chau + 1].quota is None
    # The joint drive of 04/06/2024 is listed under each contributor with its share.
    police = next(line for line in lines if "Công an" in line.label)
    assert (police.date, police.units) == (D(2024, 6, 4), 200)
    # The province's own 300 units of that drive have no quota row: a note says so.
    note = unlisted_note(quota_table(plan))
    assert "ngoài bảng, các đợt còn dự kiến tiếp nhận 300 đơn vị máu" in note
    assert "ngày 04/06/2024: 300" in note
    assert lines[-1].units + 300 == sum(d.expected_units for d in plan.drives.active())


def test_a_cancelled_drive_leaves_the_appendix(plan, django_user_model):
    admin = django_user_model.objects.get(username="admin")
    drive = plan.drives.get(date=D(2024, 7, 9))
    services.cancel_drive(drive, actor=admin, reason="Trùng lịch")
    lines = appendix_lines(plan)
    assert D(2024, 7, 9) not in [line.date for line in lines]
    assert next(line for line in lines if line.label == "Cộng mục I").quota == 9287


def test_appendix_xlsx_reads_back_with_exact_totals(plan):
    content = appendix_xlsx(plan)
    parsed = parse_appendix(read_rows(content, "bang-chi-tieu.xlsx"))
    assert parsed.problems == [] and parsed.warnings == []
    assert parsed.section_totals() == {"I": 9287, "II": 1200, "III": 2175, "IV": 1100}
    assert parsed.grand_total.value == 13762
    assert len(parsed.drives) == sum(1 for line in appendix_lines(plan) if line.date)


def test_appendix_xlsx_keeps_totals_as_formulas_in_times_new_roman(plan):
    sheet = openpyxl.load_workbook(io.BytesIO(appendix_xlsx(plan))).active
    rows = {row[1].value: row for row in sheet.iter_rows() if row[1].value in SECTION_TOTALS}
    assert set(rows) == set(SECTION_TOTALS)
    assert rows["Cộng mục II"][2].value.startswith("=SUM(C")
    assert rows["Tổng cộng mục I + II + III + IV"][2].value.count("+") == 3
    assert rows["Cộng mục I"][2].font.name == "Times New Roman"
    # Dots between thousands whatever the reader's locale.
    assert "#\\.##0" in rows["Cộng mục I"][2].number_format
    assert sheet["C1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_appendix_docx_has_the_seeds_columns_and_totals(plan):
    doc = Document(io.BytesIO(appendix_docx(plan)))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "TT", "Đơn vị tổ chức", "Chỉ tiêu giao", "Dự kiến thời gian tổ chức",
        "Số đơn vị máu dự kiến tiếp nhận"]
    by_label = {row.cells[1].text: row.cells[2].text for row in table.rows}
    assert {label: by_label[label] for label in SECTION_TOTALS} == {
        label: units(value) for label, value in SECTION_TOTALS.items()}
    assert by_label["Ban Chỉ đạo vận động HMTN huyện Khoái Châu"] == "1.350"
    assert doc.styles["Normal"].font.name == "Times New Roman"
    text = office.docx_text(appendix_docx(plan))
    assert "BẢNG CHỈ TIÊU TỔ CHỨC HIẾN MÁU TÌNH NGUYỆN NĂM 2024" in text


def test_schedule_lists_every_drive_month_by_month_with_real_weekdays(plan):
    text = office.docx_text(schedule_docx(plan))
    headings = re.findall(r"^2\.\d+\. Tháng (\d+/\d+)", text, re.MULTILINE)
    assert headings[0] == "12/2023" and headings[-1] == "11/2024"
    assert len(headings) == len(set(headings))
    assert "2.1. Tháng 12/2023 hưởng ứng “Chủ nhật đỏ”" in text
    assert "Thời gian tổ chức: Thứ Năm, 07/12/2023" in text  # 07/12/2023 was a Thursday
    count = plan.drives.active().count()
    assert text.count("Thời gian tổ chức:") == count
    assert f"Tổng cộng: {count} đợt, 22.750 đơn vị máu dự kiến tiếp nhận." in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text


def test_announcement_says_when_where_who_and_how_many(plan):
    drive = plan.drives.get(date=D(2024, 6, 4))
    text = office.docx_text(announcement_docx(drive, day=D(2024, 5, 20)))
    assert "THÔNG BÁO" in text
    assert "Hưng Yên, ngày 20 tháng 5 năm 2024" in text
    assert "Thời gian tổ chức: Thứ Ba, 04/06/2024" in text
    assert "Số đơn vị máu dự kiến tiếp nhận: 1.100 đơn vị máu" in text
    assert "Công an tỉnh Hưng Yên: 200 đơn vị" in text
    assert "Địa điểm tổ chức: " + drive.venue in text
    assert "Căn cước công dân" in text


def test_downloads_are_named_and_typed(client, plan, django_user_model):
    client.force_login(django_user_model.objects.get(username="lanhdao"))  # a viewer
    for kind, document in PLAN_DOCUMENTS.items():
        response = client.get(reverse("plans:document", args=[plan.code, kind]))
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="{document.filename(plan)}"')
        assert response.content[:2] == b"PK"  # a zip container, as XLSX and DOCX are
    assert PLAN_DOCUMENTS["bang-chi-tieu-xlsx"].filename(plan).endswith(".xlsx")
    missing = client.get(reverse("plans:document", args=[plan.code, "khong-co"]))
    assert missing.status_code == 404
    drive = plan.drives.first()
    response = client.get(reverse("plans:drive_announcement", args=[drive.code]))
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_the_plan_page_offers_the_documents(client, plan, django_user_model):
    client.force_login(django_user_model.objects.get(username="vanphong"))
    page = client.get(reverse("plans:detail", args=[plan.code])).content.decode()
    for kind in PLAN_DOCUMENTS:
        assert reverse("plans:document", args=[plan.code, kind]) in page
    # The province's own share of the joint drive is named under the table, not hidden.
    assert "Ngoài bảng, các đợt còn dự kiến tiếp nhận 300 đơn vị máu" in page
    drive = plan.drives.first()
    page = client.get(reverse("plans:drive", args=[drive.code])).content.decode()
    assert reverse("plans:drive_announcement", args=[drive.code]) in page


def test_documents_follow_the_scope_of_the_pages(client, plan, django_user_model):
    users = {u.username: u for u in django_user_model.objects.all()}
    # The industrial-zone coordinator has a quota in the plan, so it sees the plan and its
    # own drives' announcements, but not a district's drive.
    client.force_login(users["dieuphoi"])
    assert client.get(reverse("plans:document", args=[plan.code, "bang-chi-tieu-docx"])
                      ).status_code == 200
    own = plan.drives.get(date=D(2024, 4, 4))
    district = plan.drives.get(date=D(2024, 3, 6), organizer__name__contains="Khoái Châu")
    assert client.get(reverse("plans:drive_announcement", args=[own.code])).status_code == 200
    assert client.get(reverse("plans:drive_announcement", args=[district.code])
                      ).status_code == 404
    # The institute collects the drives but is given no quota: the plan is not its.
    client.force_login(users["vienhuyethoc"])
    assert client.get(reverse("plans:document", args=[plan.code, "lich-to-chuc-docx"])
                      ).status_code == 404


def test_every_document_opens_in_libreoffice(plan, tmp_path):
    """Each file converts to PDF in LibreOffice: it opens without errors."""
    files = {"phu-luc.xlsx": appendix_xlsx(plan), "phu-luc-word.docx": appendix_docx(plan),
             "lich.docx": schedule_docx(plan),
             "thong-bao.docx": announcement_docx(plan.drives.first())}
    for name, pdf in office.convert(files, "pdf", tmp_path).items():
        assert pdf.startswith(b"%PDF") and office.page_count(pdf) >= 1, name
