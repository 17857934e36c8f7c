"""A coordinator plans a drive in the browser and finds it on the month calendar."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_coordinator_creates_a_drive_and_sees_it_on_the_calendar(login):
    page = login("dieuphoi")
    page.click("[data-nav=drives]")
    page.get_by_test_id("new-drive").click()
    page.fill("input[name=date]", "15/12/2026")
    page.fill("input[name=venue]", "Hội trường KCN Phố Nối A")
    page.select_option("select[name=organizer]",
                       label="Ban Chỉ đạo vận động HMTN các Khu công nghiệp tỉnh Hưng Yên")
    page.select_option("select[name=receiving_institution]",
                       label="Viện Huyết học - Truyền máu Trung ương")
    page.fill("input[name=expected_units]", "350")
    page.fill("input[name=weekday_text]", "Thứ Ba")
    page.click("main button[type=submit]")
    expect(page.get_by_test_id("drive-status")).to_have_text("Dự kiến")
    expect(page.locator("main")).to_contain_text("Thứ Ba, 15/12/2026")

    page.goto(page.url.split("/dot-hien-mau/")[0] + "/dot-hien-mau/lich/?month=2026-12")
    expect(page.get_by_test_id("calendar-month")).to_contain_text("Tháng 12/2026")
    # The demo's upcoming drive may fall in the same month: find the new one.
    expect(page.get_by_test_id("calendar-drive").filter(has_text="350")).to_have_count(1)
