"""The seeds' figures, computed by the reports from the demo's closed drives (entered as
an office would: plans, quotas, drives closed with their totals; demo/history.py)."""

import datetime
from decimal import Decimal

import pytest

from hienmau.demo.loader import demo_code
from hienmau.orgs.models import Organization
from hienmau.reports import dashboard, documents, queries
from hienmau.reports.queries import Scope

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def demo(demo_data, db):
    """The demo, loaded once for this module and rolled back after it
    (tests/module_data.py)."""


def report(key, year):
    org = Organization.objects.get(code=demo_code(key))
    return dashboard.build(Scope(org, *queries.plan_year(year)), TODAY)


@pytest.mark.django_db
def test_seed_002_province_2023(demo):
    """"47 cuộc hiến máu, tiếp nhận 18.499 đơn vị máu, đạt 185% kế hoạch do Ban Chỉ đạo
    Quốc gia … giao, đạt 147% kế hoạch do UBND tỉnh giao"."""
    found = report("hy", 2023)
    assert (found.now.drives, found.now.units) == (47, 18_499)
    assert dashboard.shown(found.percent_of_national, "percent") == "185%"
    assert dashboard.shown(found.percent_of_provincial, "percent") == "147%"
    assert "đã triển khai 47 cuộc hiến máu, tiếp nhận 18.499 đơn vị máu, đạt 185% kế hoạch " \
           "do Ban Chỉ đạo Quốc gia vận động hiến máu tình nguyện giao, đạt 147% kế hoạch do " \
           "UBND tỉnh giao." in documents.result_sentence(found)
    # The units' parts add up to the province's whole.
    assert sum(row.now.units for row in found.units) == 18_499


@pytest.mark.django_db
def test_seed_000_industrial_zones_2022(demo):
    """"tổ chức được 10 Ngày hội HMTN … Kết quả thu được là 1736 đơn vị máu, đạt 142 % so
    với chỉ tiêu được giao"."""
    found = report("hy.kcn", 2022)
    assert (found.now.drives, found.now.units) == (10, 1_736)
    assert dashboard.shown(found.percent_of_quota, "percent") == "142%"


@pytest.mark.django_db
def test_seed_004_duong_kinh_day(demo):
    """"tiếp nhận 297 đơn vị máu toàn phần đạt tiêu chuẩn, vượt gần 20% so với chỉ tiêu
    kế hoạch"."""
    found = report("hp.duongkinh", 2022)
    assert (found.now.drives, found.now.units) == (1, 297)
    assert found.now.percent_of_expected == Decimal("118.8")  # "vượt gần 20%"
