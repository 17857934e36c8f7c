"""The outreach clock: every minute, send what is due and run appeals' next waves; once
a day, from OUTREACH_DAILY_HOUR, the invitations and reminders. Several schedulers may
run: the daily job runs once per day (JobRun) and messages are claimed one by one."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from hienmau.outreach import appeals, jobs, outbox


def tick(now=None) -> dict:
    now = now or timezone.now()
    result = {"waves": appeals.run_due_waves(now)}
    if timezone.localtime(now).hour >= settings.OUTREACH_DAILY_HOUR:
        result["daily"] = jobs.run_daily(timezone.localdate(now), now)
    result["sent"] = dict(outbox.send_due(now))
    return result


class Command(BaseCommand):
    help = "Gửi tin đến hạn, các đợt kêu gọi khẩn cấp và việc gửi hằng ngày (mời, nhắc lịch)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Chạy một lần rồi dừng.")
        parser.add_argument("--interval", type=int, default=60)

    def handle(self, *args, once=False, interval=60, **options):
        while True:
            result = tick()
            if options["verbosity"] > 1 or once:
                self.stdout.write(str(result))
            if once:
                return
            time.sleep(interval)
