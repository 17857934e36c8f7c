"""Benchmark: a drive day under load (issue 6's speed target), against the real server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hienmau \\
        .venv/bin/python -m tests.bench.bench_drive_day                    # PostgreSQL
    .venv/bin/python -m tests.bench.bench_drive_day                        # SQLite

Builds, in a throw-away database, a drive today with --people registrations (default
1.000) and --stations institution staff accounts (default 20), each with an API token.
Starts gunicorn (as `./dev start` does, --workers workers) on a free loopback port and
warms it up (each station asks for the tally three times). Then runs the stations as
threads, each over its own HTTP connection: for each of its people a check-in, a
screening (accepted) and a collection with a unique bag number, through the API; one
event in --retry-every (default 10) is sent twice, as a station that lost its
connection would. The stations together send --rate events per second (default 50,
each on its own schedule; a late event goes at once, and its latency counts from when
it was due, so that a server falling behind shows); --rate 0 sends as fast as the
server answers (its capacity). Prints events recorded per second, latency percentiles,
and checks that the final tally equals exactly what was sent (every person checked in
and collected once, no bag twice). Target on PostgreSQL: at least 50 events/s with p95
under 200 ms. Not part of the tests.
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.bench.database import throwaway_database  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def build(people: int, stations: int):
    from hienmau.accounts.models import ApiToken, User
    from hienmau.donors.models import Donor
    from hienmau.drives.models import Registration
    from hienmau.drives.registrations import new_references
    from hienmau.orgs import services
    from hienmau.orgs.models import Kind
    from hienmau.orgs.roles import Role
    from hienmau.plans.models import Drive
    from hienmau.text import given_name_first, search_key

    province = services.create_organization(actor=None, parent=None, name="BCĐ tỉnh Bench",
                                            kind=Kind.PROVINCIAL_COMMITTEE, province_code=31)
    institute = services.create_organization(actor=None, parent=None, name="Viện Bench",
                                             kind=Kind.RECEIVING_INSTITUTION)
    drive = Drive.objects.create(date=timezone.localdate(), venue="Cung văn hóa",
                                 organizer=province, receiving_institution=institute,
                                 expected_units=people, title="Ngày hội bench")
    tokens = []
    for n in range(stations):
        user = User.objects.create_user(f"station{n}", password="x" * 12)
        services.add_membership(actor=None, organization=institute, user=user,
                                role=Role.INSTITUTION_STAFF)
        tokens.append(ApiToken.issue(user, "bench")[1])
    donors = []
    for n in range(people):
        name = f"Nguyễn Văn {'ABCDEGHIKLMNOPQRSTUVXY'[n % 22]}"
        key = search_key(name)
        donors.append(Donor(full_name=name, name_key=key, sort_key=given_name_first(key),
                            birth_year=1990, sex="M", weight_kg=Decimal("60"),
                            home=province))
    Donor.objects.bulk_create(donors, batch_size=1000)
    references = new_references(people)
    Registration.objects.bulk_create(
        [Registration(drive=drive, donor=d, source="walk_in", reference=r)
         for d, r in zip(donors, references, strict=True)], batch_size=1000)
    return drive, tokens, references


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database_name: str, port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="hienmau.settings")
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (f"postgres://{settings['USER']}@{settings['HOST']}:"
                               f"{settings['PORT']}/{database_name}")
    else:
        env["DATABASE_URL"] = f"sqlite:///{database_name}"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "hienmau.wsgi", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"],
        cwd=ROOT, env=env)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


class Station(threading.Thread):
    def __init__(self, port, token, drive_code, references, first_bag, retry_every, start,
                 interval):
        super().__init__()
        self.port, self.token, self.drive_code = port, token, drive_code
        self.references, self.first_bag = references, first_bag
        self.retry_every, self.start_signal = retry_every, start
        self.interval = interval  # seconds between this station's events; 0: no pause
        self.latencies, self.errors, self.sent = [], [], 0
        self.due = 0.0
        self.ready = threading.Event()

    def post(self, connection, path, body):
        payload = json.dumps(body)
        if self.interval:
            self.due += self.interval
            time.sleep(max(0.0, self.due - time.perf_counter()))
        started = min(time.perf_counter(), self.due) if self.interval else time.perf_counter()
        connection.request("POST", f"/api/drives/{self.drive_code}/{path}", payload, {
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        response = connection.getresponse()
        content = response.read()
        self.latencies.append(time.perf_counter() - started)
        self.sent += 1
        if response.status not in (200, 201):
            self.errors.append((path, response.status, content[:200]))

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        for _ in range(3):  # warm the workers up (first requests load code and caches)
            connection.request("GET", f"/api/drives/{self.drive_code}/tally",
                               headers={"Authorization": f"Bearer {self.token}"})
            connection.getresponse().read()
        self.ready.set()
        self.start_signal.wait()
        # Stations start spread over one interval, not all in the same millisecond.
        self.due = time.perf_counter() + self.interval * (self.first_bag % 97) / 97
        count = 0
        for n, reference in enumerate(self.references):
            events = [("check-ins", {"reference": reference}),
                      ("screenings", {"reference": reference, "accepted": True,
                                      "weight_kg": "60", "hemoglobin_g_l": 135}),
                      ("collections", {"reference": reference, "volume_ml": 350,
                                       "bag": f"BENCH-{self.first_bag + n:06d}"})]
            for path, body in events:
                self.post(connection, path, body)
                count += 1
                if count % self.retry_every == 0:
                    self.post(connection, path, body)  # the retry of a lost answer
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--stations", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--retry-every", type=int, default=10)
    parser.add_argument("--rate", type=float, default=50,
                        help="events per second from all stations; 0: as fast as possible")
    args = parser.parse_args()
    setup_test_environment()
    with throwaway_database("drive_day") as database_name:
        drive, tokens, references = build(args.people, args.stations)
        from django.db import connections
        connections.close_all()  # the server's workers take over the database
        port = free_port()
        server = start_server(database_name, port, args.workers)
        try:
            start = threading.Event()
            share = -(-len(references) // args.stations)
            interval = args.stations / args.rate if args.rate else 0
            stations = [Station(port, tokens[i], drive.code,
                                references[i * share:(i + 1) * share], i * share,
                                args.retry_every, start, interval)
                        for i in range(args.stations)]
            for station in stations:
                station.start()
            for station in stations:
                station.ready.wait()
            began = time.perf_counter()
            start.set()
            for station in stations:
                station.join()
            elapsed = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(timeout=30)
        from hienmau.drives import drive_day
        from hienmau.drives.models import Donation
        latencies = sorted(x for s in stations for x in s.latencies)
        errors = [e for s in stations for e in s.errors]
        sent = sum(s.sent for s in stations)
        counted = drive_day.tally(drive)
        bags = Donation.objects.filter(drive=drive).values("bag_number").distinct().count()
        version = (connection.pg_version if connection.vendor == "postgresql"
                   else connection.Database.sqlite_version)
        offered = f"{args.rate:g} events/s offered" if args.rate else "as fast as possible"
        print(f"database: {connection.vendor} {version}; gunicorn --workers {args.workers}; "
              f"{args.stations} stations, {args.people} people, 3 events each, "
              f"1 in {args.retry_every} sent twice; {offered}")
        print(f"events sent: {sent} in {elapsed:.1f} s = {sent / elapsed:.0f} events/s "
              f"(target ≥ 50)")
        print(f"latency ms: p50 {statistics.median(latencies) * 1000:.0f}, "
              f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.0f} (target < 200), "
              f"max {latencies[-1] * 1000:.0f}")
        print(f"errors: {len(errors)} {errors[:3]}")
        exact = (counted.checked_in == counted.collected == args.people == bags
                 and counted.deferred == 0)
        print(f"tally: {counted.checked_in} checked in, {counted.collected} collected, "
              f"{bags} distinct bags; equals what was sent: {'yes' if exact else 'NO'}")
        return 0 if exact and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
