"""Reaching donors in a browser: a coordinator messages the demo club (form, preview with
the count and a sample, send, the mailing's page); the office sends an emergency appeal,
the SMS leaves through the HTTP gateway double, the donor opens its link and says yes,
and the appeal's page shows the answer and that enough people answered."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hienmau.outreach import outbox
from hienmau.outreach.models import Message

pytestmark = pytest.mark.e2e

SHOTS = "var/screenshots"


@pytest.fixture(autouse=True)
def any_hour(settings, live_server):
    """No quiet hours (the test may run at night) and links that lead to this server."""
    settings.OUTREACH_QUIET_FROM_HOUR = settings.OUTREACH_QUIET_UNTIL_HOUR = 0
    settings.SITE_URL = live_server.url


def test_a_coordinator_messages_the_club(login):
    page = login("dieuphoi")
    page.click("[data-nav=outreach]")
    page.get_by_test_id("new-mailing").click()
    page.fill("input[name=title]", "Mời thành viên CLB hiến máu tháng 12")
    page.select_option("select[name=club]",
                       label="Câu lạc bộ Hiến máu tình nguyện Khu công nghiệp Phố Nối A (mẫu)")
    page.fill("textarea[name=body]",
              "{don_vi} kính gửi {ho_ten}: CLB mời bạn hiến máu ngày 20/12.")
    page.get_by_test_id("preview").click()

    expect(page.get_by_test_id("matched")).to_contain_text("8")
    expect(page.get_by_test_id("sample-row").first).to_be_visible()
    # The sample shows what one person receives, with the opt-out line added.
    expect(page.get_by_test_id("rendered")).to_contain_text("kính gửi")
    expect(page.get_by_test_id("rendered")).not_to_contain_text("{ho_ten}")
    page.screenshot(path=f"{SHOTS}/e2e_mailing_preview.png", full_page=True)
    reachable = int(re.sub(r"\D", "", page.get_by_test_id("reachable").inner_text()))
    assert 0 < reachable < 8  # some members gave no consent to SMS or Zalo

    page.get_by_test_id("send").click()
    expect(page.locator("h1")).to_have_text("Mời thành viên CLB hiến máu tháng 12")
    expect(page.get_by_test_id("message-row")).to_have_count(reachable)
    expect(page.get_by_test_id("message-table")).to_contain_text("***")  # masked numbers
    page.screenshot(path=f"{SHOTS}/e2e_mailing_detail.png", full_page=True)


def test_an_emergency_appeal_is_answered_through_its_link(login, page, sms_gateway):
    page = login("vanphong")
    page.click("[data-nav=outreach]")
    page.get_by_test_id("outreach-tabs").get_by_role("link", name="Kêu gọi khẩn cấp").click()
    page.get_by_test_id("new-appeal").click()
    page.select_option("select[name=blood_group]", "O")
    page.select_option("select[name=rh]", "+")
    page.fill("input[name=needed]", "1")
    page.fill("input[name=venue]", "Bệnh viện Đa khoa tỉnh Hưng Yên, khoa Huyết học")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.fill("input[name=needed_by_date]", tomorrow.strftime("%d/%m/%Y"))
    page.fill("input[name=needed_by_time]", "17:00")
    page.select_option("select[name=channel_1]", "sms")
    page.select_option("select[name=channel_2]", "")
    page.select_option("select[name=channel_3]", "")
    page.get_by_test_id("preview").click()
    expect(page.get_by_test_id("appeal-preview")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/e2e_appeal_preview.png", full_page=True)
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("waves")).to_be_visible()

    # The background sender's work, done here: the SMS goes to the gateway double.
    sent = outbox.send_due()
    assert sent["sent"] >= 1 and sms_gateway.requests
    text = sms_gateway.requests[0]["json"]["text"]
    assert "O+" in text
    link = re.search(r"https?://\S+/tra-loi/\S+/", text).group(0)

    donor = context_page(page)
    donor.goto(link)
    expect(donor.get_by_test_id("answer")).to_be_visible()
    donor.screenshot(path=f"{SHOTS}/e2e_appeal_answer.png", full_page=True)
    donor.get_by_test_id("answer-yes").click()
    expect(donor.get_by_test_id("thanks-yes")).to_be_visible()

    page.reload()
    expect(page.locator("main")).to_contain_text("Đã đủ người")
    expect(page.get_by_test_id("waves")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/e2e_appeal_detail.png", full_page=True)
    assert Message.objects.filter(mailing__appeal__isnull=False, status="sent").exists()


def context_page(page):
    """A second browser, not logged in: the donor's phone."""
    return page.context.browser.new_context(locale="vi-VN").new_page()
