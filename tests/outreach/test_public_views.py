"""The pages a message's links open, without an account: stop messages on a channel
(GET asks, POST withdraws) and answer an emergency appeal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hienmau.outreach import appeals, consent, wording
from hienmau.outreach.models import AppealResponse, AppealStatus, Message


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    settings.OUTREACH_QUIET_FROM_HOUR = settings.OUTREACH_QUIET_UNTIL_HOUR = 0


def standing(donor):
    return set(consent.consented([donor.pk], list(consent.PURPOSES)).get(donor.pk, set()))


@pytest.fixture
def sms(make_donor, queue_one):
    donor = make_donor("Phạm Thị Dung", consents=("sms", "zalo"))
    return queue_one(donor, channels=("sms",))


def test_opening_the_opt_out_link_withdraws_nothing(client, sms):
    response = client.get(reverse("outreach:opt_out", args=[consent.token(sms)]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bạn sẽ ngừng nhận tin qua SMS từ HienMau" in page
    assert 'name="viewport"' in page and "Dung" not in page
    assert standing(sms.donor) == {"sms", "zalo"}


def test_posting_withdraws_that_channel_only_and_says_the_others_stand(client, sms):
    url = reverse("outreach:opt_out", args=[consent.token(sms)])
    page = client.post(url).content.decode()
    assert "Đã ngừng gửi tin qua SMS" in page
    assert "Các kênh khác bạn đã đồng ý (Zalo) không thay đổi" in page
    assert standing(sms.donor) == {"zalo"}
    # Again: nothing left to withdraw on that channel, said kindly.
    assert "đã ngừng nhận tin qua SMS từ HienMau rồi" in client.get(url).content.decode()


def test_a_bad_token_is_404(client, sms):
    token = consent.token(sms)
    for name in ("outreach:opt_out", "outreach:answer"):
        assert client.get(reverse(name, args=[token[:-2] + "xx"])).status_code == 404
        assert client.post(reverse(name, args=["khong-dung"])).status_code == 404
    # A typed mailing's message has no appeal to answer.
    assert client.get(reverse("outreach:answer", args=[token])).status_code == 404


@pytest.fixture
def appeal_messages(tree, office, make_donor, django_capture_on_commit_callbacks):
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        make_donor(name, blood_group="B", rh="-")
    with django_capture_on_commit_callbacks(execute=True):
        appeal = appeals.create(
            actor=office, requester=tree["district_one"], blood_group="B", rh="-", needed=1,
            place="Bệnh viện Đa khoa tỉnh, khoa Huyết học", channels=["sms"],
            needed_by=timezone.now() + datetime.timedelta(hours=5),
            body=str(wording.DEFAULTS["appeal"]))
    return appeal, list(Message.objects.filter(mailing__appeal=appeal).select_related(
        "donor").order_by("pk"))


def test_the_answer_page_shows_the_appeal_and_the_given_name_only(client, appeal_messages):
    _appeal, messages = appeal_messages
    page = client.get(reverse("outreach:answer", args=[consent.token(messages[0])])) \
        .content.decode()
    assert "Cần gấp người hiến máu nhóm B-" in page
    assert "Bệnh viện Đa khoa tỉnh, khoa Huyết học" in page and "BCĐ huyện Một" in page
    assert "Tôi sẽ đến hiến" in page and "Tôi không đến được" in page
    donor = messages[0].donor
    given = donor.full_name.split()[-1]
    assert f"Chào {given}," in page
    assert donor.full_name not in page and donor.phone_local not in page
    assert not AppealResponse.objects.exists()  # opening it answers nothing


def test_yes_thanks_and_fills_then_others_hear_no_one_else_is_needed(client, client_for,
                                                                      office, appeal_messages):
    appeal, messages = appeal_messages
    first, second, third = (reverse("outreach:answer", args=[consent.token(m)])
                            for m in messages)
    page = client.post(first, {"answer": "yes"}).content.decode()
    assert 'data-testid="thanks-yes"' in page and "Cảm ơn" in page
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.FILLED
    # The office sees them at once on the live part.
    partial = client_for(office).get(reverse("outreach:appeal_responses", args=[appeal.code]))
    assert messages[0].donor.full_name in partial.content.decode()
    client.logout()

    page = client.get(second).content.decode()
    assert "Đã đủ người hiến máu." in page and "Bạn không cần đến nữa" in page
    assert "Tôi sẽ đến hiến" not in page
    page = client.post(third, {"answer": "yes"}).content.decode()  # too late: not counted
    assert "Bạn không cần đến nữa" in page
    assert AppealResponse.objects.filter(appeal=appeal).count() == 1
    # The one who filled it reads that they are expected.
    assert 'data-testid="filled-yes"' in client.get(first).content.decode()


def test_no_thanks_and_can_change_while_open(client, appeal_messages):
    _appeal, messages = appeal_messages
    url = reverse("outreach:answer", args=[consent.token(messages[1])])
    page = client.post(url, {"answer": "no"}).content.decode()
    assert 'data-testid="thanks-no"' in page
    page = client.get(url).content.decode()
    assert "Bạn đã trả lời: Không đến được" in page and "Tôi sẽ đến hiến" in page
    client.post(url, {"answer": "yes"})
    assert AppealResponse.objects.get().answer == "yes"


def test_a_closed_appeal_says_so(client, office, appeal_messages):
    appeal, messages = appeal_messages
    appeals.close(appeal, actor=office)
    page = client.get(reverse("outreach:answer", args=[consent.token(messages[0])])) \
        .content.decode()
    assert "Lời kêu gọi này đã kết thúc." in page and "Bạn không cần đến nữa" in page
