"""When a message may leave, and how many a donor gets: quiet hours and a weekly cap.

Plain functions of the settings and the clock the caller passes, tested without a
database (tests/outreach/test_limits.py)."""

import datetime

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from hienmau.outreach import spans

WEEK = datetime.timedelta(days=7)


def in_quiet_hours(moment: datetime.datetime, quiet_from: int | None = None,
                   quiet_until: int | None = None) -> bool:
    """True between `quiet_from` o'clock and `quiet_until` o'clock, local time (the
    window may span midnight: 21 → 7)."""
    quiet_from = settings.OUTREACH_QUIET_FROM_HOUR if quiet_from is None else quiet_from
    quiet_until = settings.OUTREACH_QUIET_UNTIL_HOUR if quiet_until is None else quiet_until
    if quiet_from == quiet_until:
        return False
    hour = timezone.localtime(moment).hour
    if quiet_from < quiet_until:
        return quiet_from <= hour < quiet_until
    return hour >= quiet_from or hour < quiet_until


def next_send_time(moment: datetime.datetime, quiet_from: int | None = None,
                   quiet_until: int | None = None) -> datetime.datetime:
    """`moment` itself outside quiet hours, else the end of them (quiet_until o'clock
    the same or the next morning)."""
    if not in_quiet_hours(moment, quiet_from, quiet_until):
        return moment
    quiet_until = settings.OUTREACH_QUIET_UNTIL_HOUR if quiet_until is None else quiet_until
    local = timezone.localtime(moment)
    morning = local.replace(hour=quiet_until, minute=0, second=0, microsecond=0)
    if morning <= local:
        morning += datetime.timedelta(days=1)
    return morning


def retry_delay(attempts: int) -> datetime.timedelta:
    """Back-off after the `attempts`th failed try: 1, 5, 25 minutes, … capped at 6 hours."""
    return datetime.timedelta(minutes=min(5 ** max(attempts - 1, 0), 360))


def recent_counts(donor_ids, now: datetime.datetime) -> dict[int, int]:
    """{donor id: messages queued or sent to them in the last 7 days} (the cap counts
    every message that was meant to reach them, failed ones aside). `donor_ids`: a list
    or a `spans.Span`."""
    from hienmau.outreach.models import Message, MessageStatus

    rows = (Message.objects.filter(**spans.where(donor_ids), created_at__gte=now - WEEK)
            .exclude(status__in=[MessageStatus.FAILED, MessageStatus.BOUNCED,
                                 MessageStatus.CANCELLED])
            .values("donor_id").annotate(n=Count("pk")).values_list("donor_id", "n"))
    return dict(rows)


def weekly_cap() -> int:
    return settings.OUTREACH_MAX_PER_WEEK
