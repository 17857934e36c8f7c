"""Under the Content-Security-Policy the pages still work: nothing is refused by the
browser, and the behaviour moved out of inline handlers (confirmations) still runs."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_no_page_of_the_office_menu_breaks_the_policy(login):
    page = login("vanphong")
    refused = []
    page.on("console", lambda message: refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    links = page.locator("[data-testid=main-menu] a[data-nav]").evaluate_all(
        "links => links.map(a => a.href)")
    for url in links:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert refused == []


def test_a_confirmation_still_asks_and_a_no_sends_nothing(login, live_server):
    from hienmau.accounts.models import User

    page = login("vanphong")
    org = User.objects.get(username="vanphong").memberships.first().organization
    page.goto(f"{live_server.url}/don-vi/{org.code}/thanh-vien/")
    members = page.get_by_test_id("member")
    count = members.count()
    asked = []

    def answer_no(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer_no)
    members.first.locator("form[data-confirm] button").click()
    page.wait_for_timeout(300)
    assert asked == ["Bỏ vai trò của người này tại tổ chức?"]
    page.reload()
    expect(page.get_by_test_id("member")).to_have_count(count)
