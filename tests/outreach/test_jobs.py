"""The daily job: invitations to the drives of the coming days, reminders the day
before, one eligible-again message per donation; safe to run twice."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from hienmau.drives.models import Donation
from hienmau.drives.registrations import register
from hienmau.outreach import jobs
from hienmau.outreach.management.commands.outreach_scheduler import tick
from hienmau.outreach.models import JobRun, MailingKind, Message
from hienmau.plans.models import Drive, DriveStatus

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)


def morning(day: datetime.date, hour=9):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HANOI)


@pytest.fixture(autouse=True)
def generous_cap(settings):
    settings.OUTREACH_MAX_PER_WEEK = 10
    settings.OUTREACH_INVITE_DAYS_AHEAD = 14


@pytest.fixture
def run(db):
    """run(day): the daily job on that day at 09:00, the clock travelled there."""
    def go(day=TODAY):
        with time_machine.travel(morning(day), tick=False):
            return jobs.run_daily(day, morning(day))
    return go


def drive(tree, days_ahead, organizer="district_one", **fields):
    fields = {"title": f"Đợt ngày +{days_ahead}", "venue": "Nhà văn hóa thôn Đông",
              "start_time": datetime.time(7, 30), **fields}
    return Drive.objects.create(date=TODAY + days_ahead * DAY, organizer=tree[organizer],
                                expected_units=2, **fields)


def gave(tree, donor, days_ago, today=TODAY):
    return Donation.objects.create(donor=donor, date=today - days_ago * DAY,
                                   receiving_institution=tree["institute"])


def invited(drive_):
    return set(Message.objects.filter(mailing__kind=MailingKind.INVITATION,
                                      mailing__drive=drive_).values_list("donor_id", flat=True))


def test_eligible_donors_of_the_organizers_units_are_invited_to_drives_of_the_coming_days(
        tree, make_donor, coordinator, run):
    soon = drive(tree, 5)
    far = drive(tree, 20)  # beyond OUTREACH_INVITE_DAYS_AHEAD
    cancelled = drive(tree, 6, status=DriveStatus.CANCELLED)
    fresh = make_donor("Nguyễn Văn An")
    at_company = make_donor("Trần Thị Bình", home=tree["company"])  # a unit below
    rested = make_donor("Lê Văn Cường")
    gave(tree, rested, 120)
    too_soon = make_donor("Phạm Văn Dũng")
    gave(tree, too_soon, 30)  # 35 days before the drive: not yet eligible
    signed_up = make_donor("Hoàng Thị Én")
    register(soon, signed_up, source="coordinator", actor=coordinator, today=TODAY)
    elsewhere = make_donor("Vũ Văn Giang", home=tree["district_two"])  # a sibling's donor

    result = run()

    assert invited(soon) == {fresh.pk, at_company.pk, rested.pk}
    assert result["invitations"] == 3
    assert invited(far) == set() and invited(cancelled) == set()
    assert not Message.objects.filter(donor__in=[too_soon, signed_up, elsewhere],
                                      mailing__kind=MailingKind.INVITATION).exists()
    message = Message.objects.get(donor=fresh, mailing__drive=soon)
    assert message.mailing.sender == tree["district_one"]
    assert message.channel == "zalo"  # the first of the job's channels they consented to
    assert "BCĐ huyện Một trân trọng mời Nguyễn Văn An" in message.body
    assert "Nhà văn hóa thôn Đông, ngày 15/03/2026 lúc 07:30" in message.body
    assert f"https://hienmau.example.vn/hien-mau/{soon.code}" in message.body


def test_the_sibling_units_drive_invites_its_own_donors(tree, make_donor, run):
    theirs = drive(tree, 5, organizer="district_two")
    ours = make_donor("Nguyễn Văn An")
    their_donor = make_donor("Vũ Văn Giang", home=tree["district_two"])
    run()
    assert invited(theirs) == {their_donor.pk}
    assert ours.pk not in invited(theirs)


def test_running_again_the_same_day_or_the_next_day_invites_nobody_twice(tree, make_donor,
                                                                        run):
    soon = drive(tree, 5)
    make_donor("Nguyễn Văn An")
    make_donor("Trần Thị Bình")
    assert run()["invitations"] == 2
    assert run() is None  # the day's run is recorded
    assert JobRun.objects.filter(day=TODAY).count() == 1
    assert run(TODAY + DAY)["invitations"] == 0
    assert Message.objects.filter(mailing__drive=soon).count() == 2


def test_a_donor_invited_to_one_drive_is_not_invited_to_the_next_one_in_the_window(
        tree, make_donor, run):
    first = drive(tree, 3)
    make_donor("Nguyễn Văn An")
    run()
    second = drive(tree, 8)
    assert run(TODAY + DAY)["invitations"] == 0
    assert len(invited(first)) == 1 and invited(second) == set()


def test_registrants_are_reminded_the_day_before(tree, make_donor, coordinator, run):
    tomorrow = drive(tree, 1)
    later = drive(tree, 4)
    coming = make_donor("Nguyễn Văn An")
    not_yet = make_donor("Trần Thị Bình")
    register(tomorrow, coming, source="coordinator", actor=coordinator, today=TODAY)
    register(later, not_yet, source="coordinator", actor=coordinator, today=TODAY)

    assert run()["reminders"] == 1
    reminder = Message.objects.get(mailing__kind=MailingKind.REMINDER)
    assert reminder.donor == coming and reminder.mailing.drive == tomorrow
    assert reminder.body.startswith("Nhắc lịch: ngày mai 11/03/2026 lúc 07:30, Nguyễn Văn An")
    assert run(TODAY + DAY)["reminders"] == 0  # the drive is today now; `later` is in 3 days
    assert run(TODAY + 3 * DAY)["reminders"] == 1
    assert Message.objects.get(mailing__kind=MailingKind.REMINDER,
                               mailing__drive=later).donor == not_yet


def test_eligible_again_is_sent_once_per_donation(tree, make_donor, run):
    rested = make_donor("Nguyễn Văn An")
    gave(tree, rested, 100)
    too_soon = make_donor("Trần Thị Bình")
    gave(tree, too_soon, 30)
    long_ago = make_donor("Lê Văn Cường")
    gave(tree, long_ago, 500)  # not chased after a year
    never = make_donor("Phạm Văn Dũng")
    elsewhere = make_donor("Vũ Văn Giang", home=tree["district_two"])
    gave(tree, elsewhere, 100)

    assert run()["eligible_again"] == 2
    messages = Message.objects.filter(mailing__kind=MailingKind.ELIGIBLE_AGAIN)
    assert {m.donor_id: m.mailing.sender for m in messages} == {
        rested.pk: tree["district_one"], elsewhere.pk: tree["district_two"]}
    mine = messages.get(donor=rested)
    assert "Nguyễn Văn An ơi, từ ngày 10/03/2026 bạn đã đủ thời gian" in mine.body
    assert "https://hienmau.example.vn/hien-mau/" in mine.body
    assert not messages.filter(donor__in=[too_soon, long_ago, never]).exists()

    assert run(TODAY + DAY)["eligible_again"] == 0  # the same donation: not again
    # He gives again; once that donation's interval is over, one new message (and
    # Bình, who gave 30 days before the first run, is eligible by then too).
    gave(tree, rested, -2)
    assert run(TODAY + 100 * DAY)["eligible_again"] == 2
    assert messages.filter(donor=rested).count() == 2
    assert messages.filter(donor=too_soon).count() == 1
    assert not messages.filter(donor=elsewhere).exclude(mailing__title__contains="10/03").exists()


def test_the_scheduler_runs_the_daily_job_from_its_hour(tree, make_donor, settings):
    settings.OUTREACH_DAILY_HOUR = 8
    drive(tree, 5)
    make_donor("Nguyễn Văn An")
    with time_machine.travel(morning(TODAY, 7), tick=False):
        assert "daily" not in tick()
    assert not JobRun.objects.exists()
    with time_machine.travel(morning(TODAY, 8), tick=False):
        result = tick()
    assert result["daily"]["invitations"] == 1
    assert result["sent"] == {"sent": 1}  # quiet hours off: it went at once


def test_a_drive_without_a_start_time_is_announced_without_an_empty_time(tree, make_donor,
                                                                         coordinator, run):
    untimed = drive(tree, 1, start_time=None)
    invitee = make_donor("Nguyễn Văn An")
    registrant = make_donor("Trần Thị Bình")
    register(untimed, registrant, source="coordinator", actor=coordinator, today=TODAY)
    run()
    invitation = Message.objects.get(donor=invitee, mailing__kind=MailingKind.INVITATION)
    assert invitation.body.startswith(
        "BCĐ huyện Một trân trọng mời Nguyễn Văn An tham gia hiến máu tình nguyện tại Đợt ngày "
        "+1, Nhà văn hóa thôn Đông, ngày 11/03/2026. Đăng ký: "
        f"https://hienmau.example.vn/hien-mau/{untimed.code}/\n")
    reminder = Message.objects.get(donor=registrant, mailing__kind=MailingKind.REMINDER)
    assert reminder.body.startswith("Nhắc lịch: ngày mai 11/03/2026, Trần Thị Bình đã đăng ký "
                                    "hiến máu tại Nhà văn hóa thôn Đông.")


def test_a_drive_whose_message_would_have_an_empty_placeholder_sends_nothing(
        tree, make_donor, run):
    blank_venue = drive(tree, 5, venue=" ")
    make_donor("Nguyễn Văn An")
    assert run()["invitations"] == 0
    assert not blank_venue.mailings.exists() and not Message.objects.exists()
