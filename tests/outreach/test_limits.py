"""Quiet hours and back-off: plain functions of the clock (no database)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from hienmau.outreach import limits

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day, hour, minute=0):
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=HANOI)


@pytest.mark.parametrize(("moment", "quiet"), [
    (at(10, 20, 59), False), (at(10, 21, 0), True), (at(10, 23, 30), True),
    (at(11, 3, 0), True), (at(11, 6, 59), True), (at(11, 7, 0), False), (at(11, 12), False),
])
def test_quiet_hours_span_midnight_from_21_to_7_local_time(moment, quiet):
    assert limits.in_quiet_hours(moment, 21, 7) is quiet


def test_quiet_hours_are_local_time_whatever_the_moments_zone():
    # 15:30 UTC is 22:30 in Hà Nội.
    moment = datetime.datetime(2026, 3, 10, 15, 30, tzinfo=datetime.UTC)
    assert limits.in_quiet_hours(moment, 21, 7)
    assert limits.next_send_time(moment, 21, 7) == at(11, 7)


def test_a_window_within_one_day_is_quiet_only_inside_it():
    assert limits.in_quiet_hours(at(10, 13), 12, 14)
    assert not limits.in_quiet_hours(at(10, 14), 12, 14)
    assert limits.next_send_time(at(10, 13, 15), 12, 14) == at(10, 14)


def test_equal_hours_mean_no_quiet_hours(settings):
    settings.OUTREACH_QUIET_FROM_HOUR = settings.OUTREACH_QUIET_UNTIL_HOUR = 0
    assert not limits.in_quiet_hours(at(10, 23, 30))
    assert limits.next_send_time(at(10, 23, 30)) == at(10, 23, 30)


def test_a_message_at_night_waits_for_seven_in_the_morning(settings):
    settings.OUTREACH_QUIET_FROM_HOUR, settings.OUTREACH_QUIET_UNTIL_HOUR = 21, 7
    assert limits.next_send_time(at(10, 22, 30)) == at(11, 7)  # the next morning
    assert limits.next_send_time(at(11, 5, 10)) == at(11, 7)  # the same morning
    assert limits.next_send_time(at(11, 9, 10)) == at(11, 9, 10)  # daytime: at once


def test_retries_back_off_1_5_25_minutes_and_never_more_than_6_hours():
    minutes = [limits.retry_delay(n) / datetime.timedelta(minutes=1) for n in range(1, 7)]
    assert minutes == [1, 5, 25, 125, 360, 360]
