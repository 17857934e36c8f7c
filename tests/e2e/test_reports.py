"""The office reads the province's year in the browser: seed 002's figures computed from
the demo's closed drives, the charts, a unit's report one click away, the downloads."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def indicator(page, key):
    return page.locator(f"[data-testid=indicators] tr[data-key={key}] td").nth(1)


def test_office_reads_the_2023_results_and_downloads_them(login):
    page = login("vanphong")
    page.click("[data-nav=reports]")
    expect(page.get_by_test_id("report-org")).to_have_text(
        "Ban Chỉ đạo vận động hiến máu tình nguyện tỉnh Hưng Yên")
    page.select_option("#f-year", "2023")
    page.get_by_test_id("report-apply").click()
    expect(page.get_by_test_id("kpi-units")).to_have_text("18.499")
    expect(page.get_by_test_id("kpi-drives")).to_have_text("47")
    expect(indicator(page, "percent_of_national")).to_have_text("185%")
    expect(indicator(page, "percent_of_provincial")).to_have_text("147%")
    for chart in ("chart-cumulative", "chart-monthly", "chart-ranking"):
        image = page.get_by_test_id(chart)
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")

    with page.expect_download() as download:
        page.get_by_test_id("report-docx").click()
    assert download.value.suggested_filename.endswith(".docx")

    # A unit of the ranking: the industrial zones, then their 2022 (seed 000).
    page.get_by_test_id("ranking").get_by_role(
        "link", name="Ban Chỉ đạo vận động HMTN các Khu công nghiệp tỉnh Hưng Yên").click()
    expect(page.get_by_test_id("report-org")).to_contain_text("Khu công nghiệp")
    page.select_option("#f-year", "2022")
    page.get_by_test_id("report-apply").click()
    expect(page.get_by_test_id("kpi-units")).to_have_text("1.736")
    expect(page.get_by_test_id("kpi-drives")).to_have_text("10")
    expect(page.get_by_test_id("kpi-quota")).to_have_text("142%")
