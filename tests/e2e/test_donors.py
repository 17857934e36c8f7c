"""A coordinator finds a donor by a name typed without diacritics, sees when the person
may give again, and adds a new donor whose citizen ID disagrees with the birth year."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_coordinator_finds_a_donor_and_adds_another(login):
    page = login("dieuphoi")
    page.click("[data-nav=donors]")
    page.fill("input[name=q]", "tran lan")
    page.click("main button[type=submit]")
    rows = page.get_by_test_id("donor-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Trần Thị Lan")
    expect(rows).to_contain_text("0983 *** 204")  # masked in lists
    rows.get_by_role("link").click()
    expect(page.get_by_test_id("eligibility")).to_be_visible()
    expect(page.get_by_test_id("donations")).to_contain_text("13/05/2024")

    page.click("[data-nav=donors]")
    page.get_by_test_id("new-donor").click()
    page.fill("input[name=full_name]", "Bùi Thị Ngọc")
    page.fill("input[name=birth_date]", "02/02/2001")
    page.select_option("select[name=sex]", "F")
    page.select_option("select[name=id_type]", "cccd")
    page.fill("input[name=id_number]", "033300123456")  # 3 = woman born in the 2000s, 00
    page.fill("input[name=phone]", "0912 000 111")
    page.click("main button[type=submit]")
    expect(page.get_by_test_id("error-id_number")).to_contain_text("2000")
    page.fill("input[name=id_number]", "033301123456")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Bùi Thị Ngọc")
    expect(page.locator("main")).to_contain_text("0912 000 111")
