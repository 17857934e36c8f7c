"""Comparing with last year only like with like (reports.comparison): the rule by itself,
then on the reports' year (tests/reports/conftest.py), where 2022 holds huyện Hai's drive
alone; the organization's own drives as a named row of the units' table, which adds up.
The demo's year: test_comparison_demo.py."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from hienmau.plans import services as plans
from hienmau.reports import comparison, dashboard, documents, exports, queries
from hienmau.reports.comparison import Drives
from hienmau.reports.queries import Scope
from tests.api.conftest import api  # noqa: F401 (a fixture)
from tests.office import docx_text
from tests.reports.conftest import closed

D = datetime.date
AFTER = D(2024, 1, 10)  # plan year 2023 is over


def compare(now, before, **extra):
    return comparison.compare(2022, now, before, **extra)


# ---- the rule --------------------------------------------------------------------------


def test_like_with_like_gives_the_growth():
    found = compare({"a": 120, "b": 80}, {"a": 100, "b": 60},
                    now_drives=Drives(10, 10), before_drives=Drives(9, 9))
    assert found.comparable and found.note == "" and found.short == ""
    assert (found.change, found.percent) == (40, Decimal("25.0"))


def test_no_result_last_year_is_not_a_growth():
    found = compare({"a": 120}, {})
    assert found.percent is None
    assert found.note == "Cùng kỳ năm 2022 chưa có số liệu để so sánh."
    assert found.short == "năm trước chưa có số liệu"


def test_last_years_drives_without_results_are_not_compared():
    # Nine in ten closed is enough; eight in ten is not.
    assert compare({"a": 120}, {"a": 100}, before_drives=Drives(10, 9)).comparable
    found = compare({"a": 120}, {"a": 100}, before_drives=Drives(10, 8))
    assert found.percent is None
    assert found.note == ("Không so sánh với cùng kỳ năm 2022: số liệu năm đó chưa đầy đủ "
                          "(mới có kết quả của 8/10 đợt đã diễn ra).")
    assert found.short == "không so sánh: năm trước chưa đủ số liệu"


def test_this_periods_drives_without_results_wait():
    found = compare({"a": 10}, {"a": 100}, now_drives=Drives(12, 1))
    assert found.percent is None  # not "giảm 90%"
    assert found.note == ("Chưa so sánh với cùng kỳ năm 2022: số liệu kỳ này chưa đầy đủ "
                          "(mới có kết quả của 1/12 đợt đã diễn ra).")


def test_units_without_results_last_year_make_it_partial():
    now = {f"u{i}": 100 for i in range(20)}
    found = compare(now, {"u0": 90})
    assert found.percent is None
    assert found.note == ("Không so sánh với cùng kỳ năm 2022: số liệu năm đó chưa đầy đủ "
                          "(năm đó chỉ có kết quả của 1 trong 20 đơn vị có kết quả kỳ này).")
    # Nine in ten of this year's units of blood from units that reported then: compared.
    assert compare({"big": 900, "small": 100}, {"big": 800}).comparable
    # A unit created since does not count against it (a reorganized province).
    assert compare({"old": 500, "new": 500}, {"old": 400},
                   new_units=frozenset({"new"})).comparable


# ---- the reports' year ---------------------------------------------------------------


def report_of(org, today=AFTER, year=2023):
    return dashboard.build(Scope(org, *queries.plan_year(year)), today)


def test_a_year_of_which_one_unit_reported_is_not_compared(tree, year_2023):
    report = report_of(tree["province"])
    # 2022 holds only huyện Hai's 70 units: 310 against 70 is not "tăng 343%".
    assert documents.comparison_sentence(report) == (
        "Không so sánh với cùng kỳ năm 2022: số liệu năm đó chưa đầy đủ (năm đó chỉ có kết "
        "quả của 1 trong 2 đơn vị có kết quả kỳ này).")
    rows = {row.organization.name: row for row in report.units}
    assert rows["BCĐ huyện Hai"].growth == Decimal("-14.3")  # itself: 60 against 70
    assert rows["BCĐ huyện Một"].growth is None
    assert rows["BCĐ huyện Một"].compared.short == "năm trước chưa có số liệu"


def test_the_same_units_in_both_years_are_compared(tree, year_2023):
    drive = plans.create_drive(actor=None, date=D(2022, 5, 5), venue="Nhà văn hóa",
                               organizer=tree["district_one"], expected_units=200,
                               receiving_institution=tree["institute"])
    closed(drive, 230)
    assert documents.comparison_sentence(report_of(tree["province"])) == (
        "So với cùng kỳ năm trước (2 cuộc, 300 đơn vị máu), số đơn vị máu tăng 10 đơn vị "
        "(tăng 3,3%).")


def test_last_years_drives_left_open_are_said(tree, year_2023):
    for day in (D(2022, 5, 5), D(2022, 6, 6)):  # held, never closed
        plans.create_drive(actor=None, date=day, venue="Nhà văn hóa",
                           organizer=tree["district_two"], expected_units=50,
                           receiving_institution=tree["institute"])
    report = report_of(tree["district_two"])
    assert report.comparison.note == (
        "Không so sánh với cùng kỳ năm 2022: số liệu năm đó chưa đầy đủ (mới có kết quả của "
        "1/3 đợt đã diễn ra).")


def test_a_year_under_way_is_compared_with_last_year_to_the_same_day(tree, year_2023):
    drive = plans.create_drive(actor=None, date=D(2022, 10, 1), venue="Nhà văn hóa",
                               organizer=tree["district_two"], expected_units=50,
                               receiving_institution=tree["institute"])
    closed(drive, 50)
    # On 01/09/2023 huyện Hai has its 60 of 01/08/2023; by 01/09/2022 it had the 70 of
    # 01/04/2022, not yet the 50 of 01/10/2022.
    report = report_of(tree["district_two"], today=D(2023, 9, 1))
    assert report.before.units == 120  # the whole of last year, beside
    assert report.comparison.before == 70 and report.comparison.span_end == D(2022, 9, 1)
    assert documents.comparison_sentence(report) == (
        "So với cùng kỳ năm trước (đến ngày 01/09/2022: 1 cuộc, 70 đơn vị máu), số đơn vị "
        "máu giảm 10 đơn vị (giảm 14%).")


def test_page_xlsx_and_api_say_why_instead_of_a_percentage(client, api, office, tree,  # noqa: F811
                                                           year_2023):
    client.force_login(office)
    html = client.get(reverse("reports:dashboard"), {"nam": 2023}).content.decode()
    note = ("Không so sánh với cùng kỳ năm 2022: số liệu năm đó chưa đầy đủ (năm đó chỉ có "
            "kết quả của 1 trong 2 đơn vị có kết quả kỳ này).")
    assert f'data-testid="comparison-note"><i class="bi bi-exclamation-circle"></i> {note}' \
        in html
    assert "(không so sánh: năm trước chưa đủ số liệu)" in html  # beside last year's 70
    # The old growth ("tăng 343%"); a bare "343" may be part of an object's random code.
    assert not re.search(r"\b343\s*%", html)
    xlsx = client.get(reverse("reports:file", args=["xlsx"]), {"nam": 2023}).content
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert note in [cell for row in book["Tổng hợp"].iter_rows(values_only=True)
                    for cell in row]
    growth = {row[1]: row[7] for row in book["Xếp hạng đơn vị"].iter_rows(min_row=2,
                                                                         values_only=True)}
    assert growth["BCĐ huyện Một"] == "năm trước chưa có số liệu"
    assert growth["BCĐ huyện Hai"] == pytest.approx(-0.143)
    data = api(office, "GET", "/reports", {"year": 2023}).json()
    assert data["comparison"] == {"comparable": False, "growth_percent": None,
                                  "previous_plan_year": 2022, "compared_until": None,
                                  "note": note}
    assert [(u["name"], u["growth_percent"], u["growth_note"]) for u in data["ranking"]] == [
        ("BCĐ huyện Một", None, "năm trước chưa có số liệu"),
        ("BCĐ huyện Hai", -14.3, "")]


# ---- the organization's own drives ------------------------------------------------------


def test_the_provinces_own_drives_are_a_named_row_and_the_rows_add_up(client, office, tree,
                                                                      year_2023):
    own = plans.create_drive(actor=None, date=D(2023, 9, 9), venue="Trung tâm hội nghị tỉnh",
                             organizer=tree["province"], expected_units=40,
                             receiving_institution=tree["institute"])
    closed(own, 30)
    report = report_of(tree["province"])
    assert [row.organization.name for row in report.ranked] == ["BCĐ huyện Một",
                                                                "BCĐ huyện Hai"]
    assert report.own_row.label == "Các đợt do BCĐ tỉnh A tổ chức trực tiếp"
    assert report.units_total.now.units == 340 == sum(row.now.units for row in report.units)
    text = docx_text(documents.report_docx(report, day=D(2023, 12, 5)))
    assert "1 | BCĐ huyện Một | 300 | 250 | 83% | 0" in text
    assert "2 | BCĐ huyện Hai | 200 | 60 | 30% | 70" in text
    assert " | Các đợt do BCĐ tỉnh A tổ chức trực tiếp |  | 30 |  | 0" in text
    assert " | Tổng cộng | 500 | 340 |  | 70" in text
    assert "| — | 30" not in text and "BCĐ tỉnh A | — |" not in text
    client.force_login(office)
    html = client.get(reverse("reports:dashboard"), {"nam": 2023}).content.decode()
    ranking = html[html.index('data-testid="ranking"'):]
    assert 'data-testid="own-row"><td></td><td>Các đợt do BCĐ tỉnh A tổ chức trực tiếp</td>' \
        in ranking
    assert 'data-testid="units-total"><td></td><td>Tổng cộng</td><td class="text-end">500' \
           '</td><td class="text-end">340</td>' in ranking
    sheet = openpyxl.load_workbook(io.BytesIO(exports.report_xlsx(report)))["Xếp hạng đơn vị"]
    rows = [row[:4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows == [(1, "BCĐ huyện Một", 300, 250), (2, "BCĐ huyện Hai", 200, 60),
                    (None, "Các đợt do BCĐ tỉnh A tổ chức trực tiếp", None, 30),
                    (None, "Tổng cộng", 500, 340)]
