"""Report pages and downloads: the figures a user sees, and only their own."""

import io

import openpyxl
import pytest
from django.urls import reverse

from hienmau.plans import services as plans
from tests.reports.conftest import D, closed

URL = reverse("reports:dashboard")
XLSX = reverse("reports:file", args=["xlsx"])


def indicator(response, key):
    html = response.content.decode()
    row = html[html.index(f'data-key="{key}"'):]
    return row[:row.index("</tr>")]


def test_office_sees_the_province_with_charts_and_ranking(client, office, tree, year_2023):
    client.force_login(office)
    response = client.get(URL, {"nam": 2023})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="kpi-units">310<' in html
    assert ">124%<" in indicator(response, "percent_of_national")
    assert ">100%<" in indicator(response, "percent_of_provincial")
    assert html.count("data:image/svg+xml;base64,") == 3  # cumulative, monthly, ranking
    ranking = html[html.index('data-testid="ranking"'):]
    assert ranking.index("BCĐ huyện Một") < ranking.index("BCĐ huyện Hai")


def test_a_unit_sees_itself_by_default(client, coordinator, tree, year_2023):
    client.force_login(coordinator)
    response = client.get(URL, {"nam": 2023})
    assert response.context["report"].organization == tree["district_one"]
    assert 'data-testid="kpi-units">250<' in response.content.decode()
    assert ">83%<" in response.content.decode()  # of its quota of 300


def test_another_units_figures_are_refused(client, outsider, tree, year_2023):
    client.force_login(outsider)
    code = tree["district_one"].code
    assert client.get(URL, {"don_vi": code, "nam": 2023}).status_code == 404
    assert client.get(XLSX, {"don_vi": code, "nam": 2023}).status_code == 404
    own = client.get(URL, {"nam": 2023})
    assert own.context["report"].now.units == 60


def test_an_institution_sees_the_drives_it_received(client, staff, tree, year_2023):
    client.force_login(staff)
    response = client.get(URL, {"nam": 2023})
    assert response.context["report"].organization == tree["institute"]
    assert response.context["report"].now.units == 310
    assert client.get(URL, {"don_vi": tree["province"].code}).status_code == 404


def test_login_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_an_empty_year_says_so_and_points_to_the_latest_results(client, office, tree,
                                                                year_2023):
    client.force_login(office)
    html = client.get(URL, {"nam": 2020}).content.decode()
    assert 'data-testid="report-empty"' in html
    assert "Xem năm 2023, năm gần nhất có kết quả" in html
    assert "data:image/svg+xml" not in html  # no empty charts


@pytest.mark.parametrize("bad", [{"nam": "abc"}, {"nam": "1800"}, {"thang": "13"},
                                 {"chien_dich": "not-a-uuid"}, {"muc": "XX"}])
def test_bad_filters_fall_back_instead_of_failing(client, office, tree, year_2023, bad):
    client.force_login(office)
    assert client.get(URL, bad).status_code == 200


def test_a_month_of_the_plan_year(client, office, tree, year_2023):
    client.force_login(office)
    december = client.get(URL, {"nam": 2023, "thang": 12}).context["report"].scope
    march = client.get(URL, {"nam": 2023, "thang": 3}).context["report"]
    assert (december.start.year, december.start.month) == (2022, 12)
    assert (march.now.drives, march.now.units) == (1, 120)


def test_xlsx_holds_the_figures_as_numbers(client, office, tree, year_2023):
    client.force_login(office)
    response = client.get(XLSX, {"nam": 2023})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1:] for row in book["Tổng hợp"].iter_rows(values_only=True)
               if row[0]}
    assert summary["Số đơn vị máu tiếp nhận (túi, mọi thể tích)"] == (310, 70)
    ranking = list(book["Xếp hạng đơn vị"].iter_rows(values_only=True))
    assert ranking[1][:5] == (1, "BCĐ huyện Một", 300, 250, pytest.approx(0.833))
    months = list(book["Theo tháng"].iter_rows(values_only=True))
    assert months[4][:2] == ("03/23", 120)
    closed = list(book["Các đợt đã kết thúc"].iter_rows(values_only=True))
    assert [row[4:6] for row in closed[1:]] == [(100, 150), (50, 40), (100, 120)]


def test_250ml_equivalents_where_the_office_turns_them_on(client, office, tree, year_2023):
    client.force_login(office)
    assert "equivalents_250" not in client.get(URL, {"nam": 2023}).content.decode()
    tree["province"].shows_250ml_equivalents = True
    tree["province"].save()
    response = client.get(URL, {"nam": 2023, "don_vi": tree["district_one"].code})
    # 100×350 + 20×250 ml + 130 bags of unknown volume counted as 250 ml
    assert ">290,0<" in indicator(response, "equivalents_250")


def test_a_closed_drive_with_no_receiving_institution_is_listed_with_a_dash(
        client, office, tree, year_2023):
    """A drive typed from a past result may have no receiving institution on record."""
    drive = plans.create_drive(actor=None, date=D(2023, 9, 9), venue="Sân trường",
                               organizer=tree["district_two"], expected_units=30)
    assert drive.receiving_institution is None
    closed(drive, 25)
    client.force_login(office)
    response = client.get(URL, {"nam": 2023})
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('data-testid="closed-drives"'):]
    row = table[table.index("09/09/2023"):]
    row = row[:row.index("</tr>")]
    assert "BCĐ huyện Hai" in row and "<td>—</td>" in row and ">25<" in row
