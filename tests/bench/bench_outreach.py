"""Benchmark: reaching donors at a province's scale (issue 9).

    .venv/bin/python -m tests.bench.bench_outreach                               # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hienmau \
        .venv/bin/python -m tests.bench.bench_outreach                         # PostgreSQL
    .venv/bin/python -m tests.bench.bench_outreach --donors 5000 --donations 10000  # quick

Builds, in a throw-away database, the province of `bench_donors` (30 units, its office,
the same generated donors and donations: default 100.000 donors, 300.000 donations over 5
years), then gives about 70 % of the donors consent to SMS and Zalo, makes a club of
2.000 members, 20 drives in the next two weeks and 300 registrations for tomorrow's.

Then times, as the office of the province, with quiet hours off and SMS/Zalo written to a
temporary folder (the file channel):
  - the mailing preview page (the count, the per-channel counts and a sample, through
    Django's test client, templates included) for the whole province, for O+, for those
    eligible today and for the club; and `audience.select` for the same, bare;
  - queueing a province-wide mailing (one message per reachable donor), once;
  - `outbox.send_due` sending 10.000 of them;
  - an emergency appeal for O+: its candidates and a wave;
  - the daily job's three parts (invitations, reminders, eligible again), once.
Targets: the preview page in under 2 s (median) at 100.000 donors; 100.000 messages
queued in under 60 s; an appeal's wave in under 2 s. Not part of the test run.
"""

import argparse
import datetime
import os
import random
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.bench import bench_donors as base  # noqa: E402
from tests.bench.database import throwaway_database  # noqa: E402

CONSENT_SHARE, CLUB_MEMBERS, DRIVES, REGISTRATIONS, SENT = 0.7, 2000, 20, 300, 10_000
TARGETS = {"preview": 2000, "queue": 60, "wave": 2000}  # ms, s, ms


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--donors", type=int, default=100_000)
    parser.add_argument("--donations", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def give_consents(rng) -> int:
    from hienmau.donors.models import Consent, Donor

    now = timezone.now()
    ids = [pk for pk in Donor.objects.values_list("pk", flat=True)
           if rng.random() < CONSENT_SHARE]
    rows = [Consent(donor_id=pk, purpose=purpose, channel=Consent.Channel.PAPER, given_at=now)
            for pk in ids for purpose in (Consent.Purpose.SMS, Consent.Purpose.ZALO)]
    Consent.objects.bulk_create(rows, batch_size=5000)
    return len(ids)


def make_club(province, rng):
    from hienmau.donors.models import Donor, refresh_units
    from hienmau.orgs import services

    club = services.create_organization(actor=None, parent=province, kind="club",
                                        name="Câu lạc bộ Hiến máu tình nguyện tỉnh")
    members = rng.sample(list(Donor.objects.values_list("pk", flat=True)), CLUB_MEMBERS)
    through = Donor.clubs.through
    through.objects.bulk_create([through(donor_id=pk, organization_id=club.pk)
                                 for pk in members], batch_size=5000)
    refresh_units(members)
    return club


def make_drives(units, office, rng):
    from hienmau.donors.models import Donor
    from hienmau.drives import registrations
    from hienmau.plans import services as plans

    today = timezone.localdate()
    drives = [plans.create_drive(actor=office, plan=None,
                                 date=today + datetime.timedelta(days=1 + i % 14),
                                 venue=f"Hội trường {units[i].name}", organizer=units[i],
                                 expected_units=200)
              for i in range(DRIVES)]
    tomorrow = drives[0]
    people = Donor.objects.filter(unit_links__organization=tomorrow.organizer).order_by("pk")
    for donor in people[:REGISTRATIONS]:
        registrations.register(tomorrow, donor, source="coordinator", actor=office,
                               today=today)
    return drives


def preview_form(sender, **filters):
    data = {"sender": str(sender.code), "title": "Mời hiến máu", "channels": ["zalo", "sms"],
            "subject": "", "body": "{don_vi} kính gửi {ho_ten}: mời bạn hiến máu.",
            "province_code": "", "commune_code": "", "workplace": "", "club": "",
            "blood_group": "", "rh": "", "eligible_on": "", "last_donation_before": "",
            "min_donations": "", "step": "preview"}
    data.update(filters)
    return data


def measure(args, province, club, office):
    from hienmau.outreach import appeals, audience, jobs, outbox, wording
    from hienmau.outreach.models import Mailing, Message

    runs = args.runs
    client = Client()
    client.force_login(office)
    compose = reverse("outreach:mailing_create")
    today = timezone.localdate()
    audiences = [
        ("whole province", {}, audience.Filters()),
        ("O+", {"blood_group": "O", "rh": "+"}, audience.Filters(blood_group="O", rh="+")),
        ("eligible today", {"eligible_on": today.strftime("%d/%m/%Y")},
         audience.Filters(eligible_on=today)),
        ("club members", {"club": str(club.code)}, audience.Filters(club=str(club.code))),
    ]
    print(f"\nmailing preview as the office (median / p95 of {runs}, ms)")
    print(f"  {'audience':<16} {'matched':>9} {'reachable':>10} {'page':>8} {'p95':>8}  "
          f"{'select':>8} {'p95':>8}")
    worst = 0.0
    for label, form, filters in audiences:
        def page(form=form):
            response = client.post(compose, preview_form(province, **form))
            assert response.status_code == 200, response.status_code
            return response
        response = page()
        shown = base.timed(page, runs)
        bare = base.timed(lambda filters=filters: audience.select(province, filters), runs)
        worst = max(worst, shown.median)
        print(f"  {label:<16} {base.thousands(response.context['matched']):>9} "
              f"{base.thousands(response.context['reachable']):>10} {shown} "
              f"{bare}")
    print(f"  target: under {TARGETS['preview']} ms → "
          f"{'met' if worst < TARGETS['preview'] else 'MISSED'} (slowest {worst:.0f} ms)")

    ids = audience.select(province, audience.Filters())
    mailing = Mailing.objects.create(sender=province, title="Cả tỉnh", channels=["zalo", "sms"],
                                     body=str(wording.DEFAULTS["message"]) + " mời bạn.",
                                     created_by=office)
    start = time.perf_counter()
    queued = outbox.queue(mailing, ids)
    seconds = time.perf_counter() - start
    per_100k = seconds * 100_000 / max(queued, 1)
    print(f"\nqueueing a province-wide mailing: {base.thousands(queued)} messages "
          f"({base.thousands(len(ids))} matched) in {seconds:.1f} s, "
          f"{queued / seconds:,.0f} messages/s; target under {TARGETS['queue']} s for "
          f"100.000 → {'met' if per_100k < TARGETS['queue'] else 'MISSED'}")

    start = time.perf_counter()
    sent = 0
    while sent < min(SENT, queued):
        done = outbox.send_due(limit=min(5000, SENT - sent))
        if not done:
            break
        sent += sum(done.values())
    seconds = time.perf_counter() - start
    print(f"sending through the file channel: {base.thousands(sent)} messages in "
          f"{seconds:.1f} s, {sent / seconds:,.0f} messages/s (one worker)")

    # The cap is per week: the appeal must not find everyone capped by the mailing above.
    Message.objects.all().delete()
    appeal = appeals.create(actor=office, requester=province, blood_group="O", rh="+",
                            needed=20, place="Bệnh viện Đa khoa tỉnh",
                            needed_by=timezone.now() + datetime.timedelta(hours=8),
                            channels=["zalo", "sms"], body=str(wording.DEFAULTS["appeal"]))
    pool = base.timed(lambda: appeals.candidates(appeal, today), runs)
    waves = []
    for _ in range(runs):
        start = time.perf_counter()
        appeals.run_wave(appeal)
        waves.append((time.perf_counter() - start) * 1000)
    wave = base.Figure(waves, runs)
    print(f"\nemergency appeal O+, 20 needed (median / p95 of {runs}, ms): candidates "
          f"({base.thousands(len(appeals.candidates(appeal, today)))}) {pool}, a wave of "
          f"{appeals.wave_size(appeal, 0)} {wave}; target under {TARGETS['wave']} ms → "
          f"{'met' if wave.median < TARGETS['wave'] else 'MISSED'}")

    Message.objects.all().delete()
    print("\nthe daily job, once each:")
    for label, job in (("invitations", jobs.invite), ("reminders", jobs.remind),
                       ("eligible again", jobs.eligible_again)):
        start = time.perf_counter()
        n = job(today)
        print(f"  {label:<16} {base.thousands(n):>9} messages in "
              f"{time.perf_counter() - start:6.1f} s")


def main():
    args = parse_args()
    from hienmau.accounts.models import User
    from hienmau.donors.models import Donor
    from hienmau.drives.models import Donation

    setup_test_environment()
    outbox_dir = Path(tempfile.mkdtemp(prefix="hienmau-bench-outbox-"))
    settings = override_settings(OUTREACH_QUIET_FROM_HOUR=0, OUTREACH_QUIET_UNTIL_HOUR=0,
                                 VAR_DIR=outbox_dir, SMS_GATEWAY_URL="", ZALO_API_URL="")
    with throwaway_database("outreach", keep=args.keep), settings:
        rng = random.Random(args.seed)
        today, now = timezone.localdate(), timezone.now()
        institution, units, _users = base.build_orgs()
        start = time.perf_counter()
        counts = base.donation_counts(args.donors, args.donations, rng)
        tables = [("donors_donor", base.DONOR_COLUMNS,
                   base.donor_rows(args.donors, units, today, now, rng)),
                  ("drives_donation", base.DONATION_COLUMNS,
                   base.donation_rows(counts, institution.pk, today, now, rng))]
        load = base.load_postgresql if connection.vendor == "postgresql" else base.load_sqlite
        load(tables)
        office = User.objects.get(username="office")
        province = units[0].parent_org()
        consenting = give_consents(rng)
        club = make_club(province, rng)
        make_drives(units, office, rng)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        version = (connection.pg_version if connection.vendor == "postgresql"
                   else connection.Database.sqlite_version)
        print(f"database: {connection.vendor} {version}; "
              f"{base.thousands(Donor.objects.count())} donors "
              f"({base.thousands(consenting)} consenting to SMS and Zalo), "
              f"{base.thousands(Donation.objects.count())} donations, {base.UNITS} units, "
              f"a club of {base.thousands(CLUB_MEMBERS)}, {DRIVES} drives ahead; "
              f"built in {time.perf_counter() - start:.1f} s")
        print(f"load average (1 / 5 / 15 min): "
              f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
        measure(args, province, club, office)


if __name__ == "__main__":
    main()
