"""Every XLSX the app writes keeps text as text: a unit or a person named like a formula
("=HYPERLINK(…)", "+…", "-…", "@…") comes back as the same string, never a live formula,
and with Excel's quote prefix so that editing the cell keeps it text. Characters no
document can hold (a bell, a bidi override) stored before they were refused are left out
instead of breaking the file."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from hienmau.donors.models import Donor
from hienmau.honors import exports as honor_exports
from hienmau.honors.models import HonorRound, Kind, Nomination
from hienmau.imports.sheets import rejected_rows_xlsx, template_xlsx
from hienmau.orgs.models import Organization
from hienmau.plans.documents.appendix import appendix_xlsx
from hienmau.workbooks import Workbook

HOSTILE = '=HYPERLINK("http://x","y")'


def cells(content: bytes):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def assert_text_not_formula(content: bytes, text: str = HOSTILE):
    found = [cell for cell in cells(content) if cell.value == text]
    assert found, f"{text!r} is not in the workbook"
    for cell in found:
        assert cell.data_type == "s" and cell.quotePrefix
    assert not [c for c in cells(content) if c.data_type == "f" and "HYPERLINK" in str(c.value)]


def test_the_factory_writes_formula_like_strings_as_quoted_text():
    out = io.BytesIO()
    book = Workbook(out)
    sheet = book.add_worksheet("Trang\u202e1")
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, HOSTILE, bold)
    sheet.write(1, 0, "+84 912 345 678")
    sheet.write_string(2, 0, "-5")
    sheet.merge_range(3, 0, 3, 2, "@SUM(A1)", bold)
    sheet.write(4, 0, "Hủy vì\x07 mưa bão\u202e")
    sheet.write(5, 0, "Bình thường", bold)
    sheet.write_formula(6, 0, "=1+1", None, 2)  # formulas on purpose stay formulas
    book.close()
    read = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    assert read.sheetnames == ["Trang1"]
    sheet = read.active
    assert [(c.value, c.data_type, c.quotePrefix) for c in sheet["A"][:6]] == [
        (HOSTILE, "s", True), ("+84 912 345 678", "s", True), ("-5", "s", True),
        ("@SUM(A1)", "s", True), ("Hủy vì mưa bão", "s", False),
        ("Bình thường", "s", False)]
    assert sheet["A1"].font.bold and sheet["A4"].font.bold and not sheet["A2"].font.bold
    assert (sheet["A7"].data_type, sheet["A7"].value) == ("f", "=1+1")


@pytest.fixture
def hostile_unit(tree):
    Organization.objects.filter(pk=tree["district_one"].pk).update(name=HOSTILE,
                                                                   short_name="")
    return tree["district_one"]


def test_the_plan_appendix(year_2023, hostile_unit):
    assert_text_not_formula(appendix_xlsx(year_2023["plan"]))


def test_the_report(client, office, year_2023, hostile_unit):
    client.force_login(office)
    response = client.get(reverse("reports:file", args=["xlsx"]), {"nam": 2023})
    assert response.status_code == 200
    assert_text_not_formula(response.content)


def test_the_emulation_ranking(client, office, year_2023, hostile_unit, tree):
    client.force_login(office)
    response = client.get(f"{reverse('honors:emulation_xlsx')}?don_vi={tree['province'].code}"
                          "&nam=2023")
    assert response.status_code == 200
    assert_text_not_formula(response.content)


def test_the_honour_lists(hung, tree, hostile_unit):
    Donor.objects.filter(pk=hung.pk).update(full_name="-Nguyễn Văn Hùng")
    honor_round = HonorRound.objects.create(
        committee=tree["province"], title="Tôn vinh 2025",
        period_start=datetime.date(2024, 12, 1), period_end=datetime.date(2025, 11, 30))
    Nomination.objects.create(round=honor_round, kind=Kind.INDIVIDUAL, donor=hung,
                              donations=1, award="Giấy khen")
    Nomination.objects.create(round=honor_round, kind=Kind.COLLECTIVE,
                              organization=hostile_unit, award="@Bằng khen")
    content = honor_exports.nominations_xlsx(honor_round)
    assert_text_not_formula(content)
    assert_text_not_formula(content, "-Nguyễn Văn Hùng")
    assert_text_not_formula(content, "@Bằng khen")


def test_the_rejected_rows_and_the_template():
    upload = ("STT,Họ và tên,Ngày sinh\n"
              '1,"=HYPERLINK(""http://x"",""y"")",32/13/1990\n').encode()
    report = [{"row": 2, "status": "error",
               "messages": [{"level": "error", "text": "Ngày sinh không đúng."}]}]
    assert_text_not_formula(rejected_rows_xlsx(upload, "danh-sach.csv", 0, report))
    assert not [c for c in cells(template_xlsx()) if c.data_type == "f"]
