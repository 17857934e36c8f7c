"""The outbox: quiet hours, the weekly cap, retries with back-off and the claim that keeps
two workers from sending one message twice. SMS go to the HTTP double on loopback."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from hienmau.outreach import outbox, wording
from hienmau.outreach.models import Message, MessageStatus

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MINUTE = datetime.timedelta(minutes=1)


def hanoi(day, hour, minute=0):
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=HANOI)


# Quiet hours ---------------------------------------------------------------------------

def test_a_message_queued_at_half_past_ten_at_night_waits_until_seven(
        make_donor, queue_one, sms_gateway, settings):
    settings.OUTREACH_QUIET_FROM_HOUR, settings.OUTREACH_QUIET_UNTIL_HOUR = 21, 7
    donor = make_donor("Nguyễn Văn An")
    with time_machine.travel(hanoi(10, 22, 30), tick=False):
        message = queue_one(donor, channels=["sms"])
        assert message.next_attempt_at == hanoi(11, 7)
        assert outbox.send_due(timezone.now()) == {}
    assert outbox.send_due(hanoi(11, 6, 59)) == {}
    assert sms_gateway.requests == []
    assert outbox.send_due(hanoi(11, 7)) == {"sent": 1}
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at == hanoi(11, 7)
    assert len(sms_gateway.requests) == 1


def test_a_retry_falling_in_quiet_hours_is_put_off_to_the_morning(
        make_donor, queue_one, sms_gateway, settings):
    settings.OUTREACH_QUIET_FROM_HOUR, settings.OUTREACH_QUIET_UNTIL_HOUR = 21, 7
    with time_machine.travel(hanoi(10, 20, 0), tick=False):
        message = queue_one(make_donor("Trần Thị Bình"), channels=["sms"])
    assert message.next_attempt_at is None  # 20:00: goes at once
    # The worker only reaches it at 21:05.
    assert outbox.send_one(message.pk, hanoi(10, 21, 5)) == MessageStatus.QUEUED
    message.refresh_from_db()
    assert message.next_attempt_at == hanoi(11, 7) and message.attempts == 0
    assert message.claimed_at is None
    assert sms_gateway.requests == []


# Weekly cap ----------------------------------------------------------------------------

def test_the_third_message_in_a_week_is_skipped_and_goes_after_seven_days(
        make_donor, mailing, sms_gateway, settings):
    settings.OUTREACH_MAX_PER_WEEK = 2
    donor = make_donor("Lê Văn Cường")
    with time_machine.travel(hanoi(2, 9), tick=False):
        assert outbox.queue(mailing(title="Một"), [donor.pk]) == 1
    with time_machine.travel(hanoi(5, 9), tick=False):
        assert outbox.queue(mailing(title="Hai"), [donor.pk]) == 1
        third = mailing(title="Ba")
        assert outbox.queue(third, [donor.pk]) == 0
        assert third.skipped == {"weekly_cap": 1}
        assert outbox.reachable([donor.pk], ["sms"])[1] == {"weekly_cap": 1}
    with time_machine.travel(hanoi(9, 9, 1), tick=False):  # 7 days after the first
        assert outbox.queue(mailing(title="Bốn"), [donor.pk]) == 1
    assert Message.objects.filter(donor=donor).count() == 3


def test_failed_and_cancelled_messages_do_not_count_towards_the_cap(
        make_donor, mailing, settings):
    settings.OUTREACH_MAX_PER_WEEK = 1
    donor = make_donor("Phạm Văn Dũng")
    outbox.queue(mailing(title="Một"), [donor.pk])
    Message.objects.filter(donor=donor).update(status=MessageStatus.FAILED)
    assert outbox.queue(mailing(title="Hai"), [donor.pk]) == 1
    outbox.cancel_queued(Message.objects.filter(donor=donor).values("mailing"))
    assert outbox.queue(mailing(title="Ba"), [donor.pk]) == 1
    assert outbox.queue(mailing(title="Bốn"), [donor.pk]) == 0


# Retries -------------------------------------------------------------------------------

def test_a_gateway_error_is_retried_after_one_then_five_minutes(make_donor, queue_one,
                                                               sms_gateway):
    sms_gateway.answer((500, {}), (500, {}))
    message = queue_one(make_donor("Hoàng Thị Giang"), channels=["sms"])
    now = timezone.now() + datetime.timedelta(seconds=1)

    assert outbox.send_due(now) == {"queued": 1}
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert message.next_attempt_at == now + MINUTE and message.claimed_at is None

    assert outbox.send_due(now + 30 * datetime.timedelta(seconds=1)) == {}  # not yet
    assert outbox.send_due(now + MINUTE) == {"queued": 1}
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at == now + 6 * MINUTE

    assert outbox.send_due(now + 6 * MINUTE) == {"sent": 1}
    message.refresh_from_db()
    assert (message.status, message.attempts, message.error) == (MessageStatus.SENT, 3, "")
    assert message.provider_id == "gw-1" and message.next_attempt_at is None
    assert len(sms_gateway.requests) == 3


def test_a_rejected_request_fails_at_once(make_donor, queue_one, sms_gateway):
    sms_gateway.answer((400, {"error": "invalid phone"}))
    message = queue_one(make_donor("Đặng Văn Hải"), channels=["sms"])
    assert outbox.send_one(message.pk) == MessageStatus.FAILED
    assert outbox.send_due(timezone.now() + datetime.timedelta(days=1)) == {}
    assert len(sms_gateway.requests) == 1


def test_after_the_last_allowed_attempt_the_message_fails(make_donor, queue_one, sms_gateway,
                                                          settings):
    settings.OUTREACH_MAX_ATTEMPTS = 2
    sms_gateway.default = (503, {})
    message = queue_one(make_donor("Bùi Văn Khánh"), channels=["sms"])
    now = timezone.now()
    assert outbox.send_one(message.pk, now) == MessageStatus.QUEUED
    assert outbox.send_one(message.pk, now + MINUTE) == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.attempts == 2 and "HTTP 503" in message.error
    assert outbox.send_due(now + datetime.timedelta(days=1)) == {}
    assert len(sms_gateway.requests) == 2


# Claims --------------------------------------------------------------------------------

def test_a_message_another_worker_claimed_is_not_sent_again(make_donor, queue_one,
                                                           sms_gateway):
    message = queue_one(make_donor("Cao Văn Long"), channels=["sms"])
    now = timezone.now()
    Message.objects.filter(pk=message.pk).update(claimed_at=now)
    assert outbox.send_one(message.pk, now) is None
    assert outbox.send_due(now) == {}
    assert sms_gateway.requests == []
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and message.attempts == 0


def test_a_claim_left_by_a_dead_worker_is_released_after_ten_minutes(make_donor, queue_one,
                                                                     sms_gateway):
    message = queue_one(make_donor("Cao Văn Minh"), channels=["sms"])
    now = timezone.now()
    Message.objects.filter(pk=message.pk).update(claimed_at=now)
    assert outbox.send_due(now + 9 * MINUTE) == {}
    assert outbox.send_due(now + 11 * MINUTE) == {"sent": 1}
    assert len(sms_gateway.requests) == 1


def test_a_sent_message_is_never_sent_again(make_donor, queue_one, sms_gateway):
    message = queue_one(make_donor("Cao Văn Nam"), channels=["sms"])
    assert outbox.send_one(message.pk) == MessageStatus.SENT
    assert outbox.send_one(message.pk) is None
    assert len(sms_gateway.requests) == 1


def test_a_message_not_yet_due_is_not_taken(make_donor, queue_one, sms_gateway):
    message = queue_one(make_donor("Cao Văn Oanh"), channels=["sms"])
    later = timezone.now() + datetime.timedelta(hours=1)
    Message.objects.filter(pk=message.pk).update(next_attempt_at=later)
    assert outbox.send_one(message.pk, later - MINUTE) is None
    assert outbox.send_one(message.pk, later) == MessageStatus.SENT


def test_queueing_the_same_job_key_twice_writes_one_message(make_donor, mailing):
    donor = make_donor("Cao Văn Phúc")
    m = mailing()
    assert outbox.queue(m, [donor.pk], keys=lambda d: f"test:{d.pk}") == 1
    other = mailing(title="Lại")
    assert outbox.queue(other, [donor.pk], keys=lambda d: f"test:{d.pk}") == 0
    assert Message.objects.filter(donor=donor).count() == 1


# Empty placeholders (wording.render) ----------------------------------------------------

def test_a_recipient_whose_own_placeholder_is_empty_is_left_out_with_the_reason(
        make_donor, mailing):
    known = make_donor("Nguyễn Văn An", blood_group="A", rh="+")
    unknown = make_donor("Trần Thị Bình")
    body = "{ho_ten} ơi, nhóm máu {nhom_mau} của bạn đang cần."
    assert outbox.reachable([known.pk, unknown.pk], ["sms"], body=body, values={}) == (
        {"sms": 1}, {"blank_nhom_mau": 1})
    m = mailing(body=body)
    assert outbox.queue(m, [known.pk, unknown.pk]) == 1
    assert m.skipped == {"blank_nhom_mau": 1}
    message = Message.objects.get(mailing=m)
    assert message.donor == known
    assert message.body.startswith("Nguyễn Văn An ơi, nhóm máu A+ của bạn đang cần.\n")


def test_a_placeholder_empty_for_the_whole_mailing_queues_nothing(make_donor, mailing):
    donor = make_donor("Nguyễn Văn An")
    m = mailing(body="Xem lịch: {lien_ket}")  # no drive, no link
    with pytest.raises(wording.Blank):
        outbox.queue(m, [donor.pk])
    with pytest.raises(wording.Blank):
        outbox.reachable([donor.pk], ["sms"], body="{ten}: {lien_ket}",
                         values=wording.mailing_values(m.sender))
    assert not Message.objects.exists()


def test_a_mailing_about_a_drive_fills_its_placeholders_and_sign_up_link(make_donor, mailing,
                                                                         tree):
    from hienmau.plans.models import Drive

    drive = Drive.objects.create(date=datetime.date(2026, 4, 5), venue="Nhà văn hóa xã",
                                 organizer=tree["district_one"], expected_units=2)
    donor = make_donor("Nguyễn Văn An")
    m = mailing(body="{dot} ngày {ngay} tại {dia_diem}. Xem lịch: {lien_ket}", drive=drive)
    assert outbox.queue(m, [donor.pk]) == 1
    assert Message.objects.get().body.startswith(
        "BCĐ huyện Một 05/04/2026 ngày 05/04/2026 tại Nhà văn hóa xã. Xem lịch: "
        f"https://hienmau.example.vn/hien-mau/{drive.code}/\n")
