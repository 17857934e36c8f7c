"""The scheduler's tick: appeals' waves and due messages every minute, the daily job
once a day from OUTREACH_DAILY_HOUR."""

import datetime
import io
import zoneinfo

import time_machine
from django.core.management import call_command

from hienmau.outreach import outbox
from hienmau.outreach.management.commands.outreach_scheduler import tick
from hienmau.outreach.models import JobRun, Mailing, Message, MessageStatus

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def test_the_daily_job_waits_for_its_hour_and_runs_once(db, settings):
    settings.OUTREACH_DAILY_HOUR = 8
    with time_machine.travel(datetime.datetime(2026, 12, 3, 7, 30, tzinfo=HANOI), tick=False):
        assert "daily" not in tick()
    with time_machine.travel(datetime.datetime(2026, 12, 3, 8, 5, tzinfo=HANOI), tick=False):
        assert tick()["daily"] == {"invitations": 0, "reminders": 0, "eligible_again": 0}
        assert tick()["daily"] is None  # the day's run is done
    assert JobRun.objects.filter(job="daily", day=datetime.date(2026, 12, 3)).count() == 1


def test_a_tick_sends_what_is_due(tree, make_donor, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with time_machine.travel(datetime.datetime(2026, 12, 3, 10, 0, tzinfo=HANOI), tick=False):
        donor = make_donor("Nguyễn Văn An", consents=("sms",))
        mailing = Mailing.objects.create(sender=tree["district_one"], title="Tin",
                                         channels=["sms"], body="Chào {ten}")
        outbox.queue(mailing, [donor.pk])
        out = io.StringIO()
        call_command("outreach_scheduler", "--once", stdout=out)
    assert "'sent': 1" in out.getvalue()
    assert Message.objects.get().status == MessageStatus.SENT
    assert "Chào An" in (tmp_path / "outbox" / "sms.log").read_text()
