"""Benchmark: donor search and the donor page at a million donors.

    .venv/bin/python -m tests.bench.bench_donors --donors 200000 --donations 1000000  # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hienmau \
        .venv/bin/python -m tests.bench.bench_donors                         # PostgreSQL

Builds, in a throw-away test database (PostgreSQL: test_hienmau_bench_donors_<pid>; SQLite: a
temporary file, as deployed, not an in-memory database), a province committee with 30
units below it and one receiving institution, three users (the province's office, the
coordinator of one unit, the institution's staff), N donors (default 1.000.000) with
Vietnamese names drawn from common family, middle and given names (stored NFC, name_key
from `text.search_key` as `Donor.save` computes it), birth dates, unique CCCD-like numbers
and +849… phones, and M donations (default 5.000.000) over the last 5 years, at least 12
weeks apart per donor. PostgreSQL loads with COPY into the real tables (secondary indexes
and foreign keys dropped during the load and recreated from their own definitions after
it), SQLite with bulk_create; both ANALYZE afterwards.

Then times, through Django's test client (templates included) and as bare ORM queries, the
median and 95th percentile of --runs repetitions (after one warm-up; a figure marked *
stopped early at its time budget) of: the donor list as it opens and searched by name
without diacritics, by CCCD and by phone, for the three users; the donor page with history
and eligibility. Prints row counts, how each search reads the donors (trigram index, walk
of the name index, full scan), where the list pages spend their time (SQL statement by
statement, EXPLAIN ANALYZE on PostgreSQL), and the list pages again with JIT off.
Targets (issue 4): at 1.000.000 donors / 5.000.000 donations on PostgreSQL, a name search
returns its first page, and a donor page with eligibility renders, in under 100 ms
(median). Not part of the test run.
"""

import argparse
import contextlib
import datetime
import os
import random
import statistics
import sys
import time
import uuid
from itertools import islice

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.bench.database import throwaway_database  # noqa: E402

UNITS, YEARS, MIN_GAP_DAYS, MAX_PER_DONOR, BATCH = 30, 5, 84, 20, 10_000
CAPPED_COUNT = 1000
# A figure stops repeating after BUDGET_SECONDS once it has MIN_RUNS timings.
BUDGET_SECONDS, MIN_RUNS = 60, 5
HUNG_YEN = 33

# (name, weight): rough shares of the population (family names) or of first names.
FAMILY = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 3.1),
          ("Huỳnh", 2), ("Phan", 4.5), ("Vũ", 2), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2),
          ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Đinh", 1),
          ("Trịnh", 0.8), ("Đào", 0.7), ("Mai", 0.6), ("Cao", 0.5), ("Lương", 0.5),
          ("Hà", 0.5), ("Lâm", 0.3), ("Tạ", 0.3), ("Vương", 0.3), ("Chu", 0.2),
          ("Kiều", 0.1), ("Khúc", 0.05)]
MIDDLE_M = [("Văn", 35), ("Minh", 10), ("Đức", 8), ("Quang", 6), ("Hữu", 6), ("Công", 5),
            ("Thanh", 5), ("Ngọc", 4), ("Xuân", 4), ("Quốc", 4), ("Đình", 4), ("Tiến", 3),
            ("Duy", 3), ("Trung", 3), ("Hoàng", 3), ("Mạnh", 2), ("Anh", 2), ("Thế", 2),
            ("Việt", 2), ("Bá", 1)]
MIDDLE_F = [("Thị", 45), ("Ngọc", 8), ("Thu", 6), ("Thanh", 6), ("Minh", 4), ("Hồng", 4),
            ("Kim", 4), ("Phương", 3), ("Thùy", 3), ("Mai", 2), ("Bích", 2), ("Hải", 2),
            ("Khánh", 2), ("Quỳnh", 2), ("Bảo", 2), ("Như", 2), ("Diệu", 1), ("Lan", 1)]
GIVEN_M = ["Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Long", "Hải", "Hoàng", "Sơn", "Thắng",
           "Quân", "Phong", "Cường", "Hiếu", "Khánh", "Trung", "Đức", "Huy", "Bình", "Tâm",
           "Thành", "Tùng", "Việt", "Anh", "Hưng", "Phúc", "Lâm", "Vinh", "Toàn", "Thịnh",
           "Quang", "Kiên", "Đạt", "Tiến", "Lợi", "Tài", "Hòa", "Hậu", "Duy", "Khoa",
           "Nghĩa", "Trọng", "Tú", "Vũ", "Bảo", "Dương", "Hiệp", "Mạnh", "Thái", "Thiện",
           "Sang", "Lộc", "Phát", "Tín", "An", "Khôi", "Nhân", "Quý", "Hào", "Chiến"]
GIVEN_F = ["Lan", "Hương", "Hoa", "Mai", "Linh", "Trang", "Thảo", "Ngọc", "Hà", "Huyền",
           "Nhung", "Hằng", "Thủy", "Yến", "Vân", "Phương", "Anh", "Chi", "Dung", "Giang",
           "Hạnh", "Loan", "Nga", "Oanh", "Quyên", "Tâm", "Thu", "Trinh", "Uyên", "Vy", "Nhi",
           "Ly", "Thư", "Hiền", "Hồng", "Liên", "My", "Nhàn", "Quỳnh", "Thanh", "Trâm",
           "Tuyết", "Xuân", "Diệu", "Hạ", "Ngân", "Duyên", "Bích", "Châu", "Hoài"]
RARE_GIVEN = ["Khuê", "Thoại", "Khiêm", "Doãn", "Tần"]  # about 1 person in 5.000 each
# CCCD: 3-digit province of birth registration, century/sex digit, 2-digit year, 6 digits.
CCCD_PROVINCES = ["033", "033", "033", "001", "022", "031", "030", "034", "036", "037"]
# What people type in the search box: full names, a part of a name, a rare given name,
# and one family name alone (the broadest query; a third of the country is "Nguyễn").
# "" is the list as it opens, before anything is typed.
COMMON, BROAD = "nguyen van hung", "nguyen"
NAME_QUERIES = ["", COMMON, "tran thi thu ha", "le minh tuan", "van hung", "thu ha", "khue",
                BROAD]


def weighted(pairs_or_names, skew=0.8):
    """(values, cumulative weights) for random.choices; plain lists get Zipf-like weights."""
    if isinstance(pairs_or_names[0], tuple):
        values, weights = zip(*pairs_or_names, strict=True)
    else:
        values = pairs_or_names
        weights = [1 / (rank + 1) ** skew for rank in range(len(values))]
    total, cumulative = 0.0, []
    for w in weights:
        total += w
        cumulative.append(total)
    return list(values), cumulative


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--donors", type=int, default=1_000_000)
    parser.add_argument("--donations", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=30, help="timed repetitions per figure")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--keep", action="store_true",
                        help="keep the database afterwards (to study queries by hand)")
    parser.add_argument("--reuse", metavar="DATABASE",
                        help="time against a database a --keep run left (PostgreSQL), "
                             "without building one")
    return parser.parse_args()


def build_orgs():
    from hienmau.accounts.models import User
    from hienmau.orgs.models import Kind, Membership, Organization
    from hienmau.text import search_key

    rows = []

    def add(parent_path, depth, pos, name, kind, numchild=0):
        path = Organization._get_path(parent_path, depth, pos)
        rows.append(Organization(path=path, depth=depth, numchild=numchild, name=name,
                                 name_key=search_key(name), kind=kind,
                                 province_code=HUNG_YEN))
        return path

    root = add(None, 1, 1, "BCĐ Quốc gia", Kind.NATIONAL_COMMITTEE, numchild=2)
    add(root, 2, 1, "Ban Chỉ đạo vận động hiến máu tình nguyện tỉnh Hưng Yên",
        Kind.PROVINCIAL_COMMITTEE, numchild=UNITS)
    add(root, 2, 2, "Trung tâm Huyết học - Truyền máu tỉnh Hưng Yên",
        Kind.RECEIVING_INSTITUTION)
    kinds = [Kind.COMMUNE_COMMITTEE, Kind.UNIVERSITY, Kind.COMPANY, Kind.AGENCY]
    for u in range(1, UNITS + 1):
        kind = kinds[u % len(kinds)]
        add(rows[1].path, 3, u, f"{kind.label} số {u}", kind)
    Organization.objects.bulk_create(rows)
    province = Organization.objects.get(kind=Kind.PROVINCIAL_COMMITTEE)
    institution = Organization.objects.get(kind=Kind.RECEIVING_INSTITUTION)
    units = list(Organization.objects.filter(depth=3).order_by("path"))
    users = {}
    for username, org, role in (("office", province, "office"),
                                ("coordinator", units[0], "coordinator"),
                                ("staff", institution, "institution_staff")):
        users[username] = User.objects.create_user(username, password="x" * 12)
        Membership.objects.create(user=users[username], organization=org, role=role)
    return institution, units, users


DONOR_COLUMNS = ("id", "code", "full_name", "name_key", "sort_key", "birth_date", "birth_year",
                 "sex", "id_type", "id_number", "phone", "phone_other", "email", "province_code",
                 "commune_code", "address", "blood_group", "rh", "weight_kg", "notes",
                 "permanently_excluded", "exclusion_reason", "erased_at", "created_at",
                 "updated_at", "home_id", "merged_into_id", "workplace_id", "prior_donations",
                 "prior_donations_source")
DONATION_COLUMNS = ("id", "code", "donor_id", "date", "type", "volume_ml", "outcome",
                    "deferral_reason", "deferred_until", "drive_id", "receiving_institution_id",
                    "bag_number", "source", "created_at")


def donor_rows(n, units, today, now, rng):
    """Rows of donors_donor in DONOR_COLUMNS order, ids 1..n."""
    from hienmau.orgs import geography
    from hienmau.text import clean_name, given_name_first, search_key

    family, family_w = weighted(FAMILY)
    middle_m, middle_m_w = weighted(MIDDLE_M)
    middle_f, middle_f_w = weighted(MIDDLE_F)
    given_m, given_m_w = weighted(GIVEN_M)
    given_f, given_f_w = weighted(GIVEN_F)
    communes = [code for code, _name in geography.communes(HUNG_YEN)]
    workplaces = [u.pk for u in units if u.kind in ("university", "company", "agency")]
    groups, group_w = weighted([("O", 42), ("B", 30), ("A", 21), ("AB", 7)])
    phones = rng.sample(range(8 * 10**7), n)  # unique: +849 + one of 8 digits + 7 digits
    keys, cccds = {}, set()
    for i in range(1, n + 1):
        male = rng.random() < 0.55
        parts = [rng.choices(family, cum_weights=family_w)[0]]
        middles, middles_w = (middle_m, middle_m_w) if male else (middle_f, middle_f_w)
        parts.append(rng.choices(middles, cum_weights=middles_w)[0])
        if rng.random() < (0.05 if male else 0.15):
            second = rng.choices(middles, cum_weights=middles_w)[0]
            if second != parts[-1] and second != "Thị":
                parts.append(second)
        if rng.random() < 0.001:
            parts.append(rng.choice(RARE_GIVEN))
        else:
            givens, givens_w = (given_m, given_m_w) if male else (given_f, given_f_w)
            parts.append(rng.choices(givens, cum_weights=givens_w)[0])
        name = " ".join(parts)
        if name not in keys:  # as Donor.save: clean_name, then search_key of the result
            key = search_key(clean_name(name))
            keys[name] = (clean_name(name), key, given_name_first(key))
        full_name, name_key, sort_key = keys[name]
        born = today - datetime.timedelta(days=rng.randint(18 * 365 + 5, 60 * 365))
        century_sex = (0 if born.year < 2000 else 2) + (0 if male else 1)
        while True:
            cccd = (f"{rng.choice(CCCD_PROVINCES)}{century_sex}{born.year % 100:02d}"
                    f"{rng.randrange(10**6):06d}")
            if cccd not in cccds:
                cccds.add(cccd)
                break
        phone = f"+849{'01346789'[phones[i - 1] // 10**7]}{phones[i - 1] % 10**7:07d}"
        blood = rng.choices(groups, cum_weights=group_w)[0] if rng.random() < 0.9 else ""
        yield (i, uuid.uuid4(), full_name, name_key, sort_key, born, born.year,
               "M" if male else "F", "cccd", cccd, phone, "", "", HUNG_YEN,
               rng.choice(communes), "",
               blood, ("-" if rng.random() < 0.001 else "+") if blood else "",
               f"{rng.randint(450, 850) / 10:.1f}", "", False, "", None, now, now,
               units[(i * 7919) % len(units)].pk,  # homes spread evenly over the units
               None, rng.choice(workplaces) if rng.random() < 0.3 else None, 0, "")


def donation_counts(n, m, rng):
    """How many donations each donor has: skewed (many give once, a few give every
    quarter), at most MAX_PER_DONOR in 5 years, summing exactly to m."""
    mean = m / n
    counts = bytearray(min(MAX_PER_DONOR, int(rng.gammavariate(1.2, mean / 1.2) + 0.5))
                       for _ in range(n))
    diff = m - sum(counts)
    while diff:
        i = rng.randrange(n)
        if diff > 0 and counts[i] < MAX_PER_DONOR:
            counts[i] += 1
            diff -= 1
        elif diff < 0 and counts[i] > 0:
            counts[i] -= 1
            diff += 1
    return counts


def donation_rows(counts, institution_id, today, now, rng):
    """Rows of drives_donation: each donor's donations spread over the last YEARS years,
    at least MIN_GAP_DAYS apart, most collected, some deferred or incomplete."""
    span = YEARS * 365
    types = ["whole_blood"] * 19 + ["platelets_apheresis"]
    pk = 0
    for donor_id, k in enumerate(counts, start=1):
        if not k:
            continue
        free = span - MIN_GAP_DAYS * (k - 1)
        for j, offset in enumerate(sorted(rng.randrange(free) for _ in range(k))):
            pk += 1
            day = today - datetime.timedelta(days=span - offset - MIN_GAP_DAYS * j)
            kind = rng.choice(types)
            roll = rng.random()
            if roll < 0.92:
                outcome, volume = "collected", (rng.choice((250, 350, 350, 350, 450))
                                                if kind == "whole_blood" else 250)
                until = None
            elif roll < 0.98:
                outcome, volume = "deferred", None
                until = day + datetime.timedelta(days=rng.choice((7, 30, 90, 180)))
            else:
                outcome, volume, until = "incomplete", None, None
            yield (pk, uuid.uuid4(), donor_id, day, kind, volume, outcome,
                   "", until, None, institution_id, None, "", now)


def load_postgresql(tables):
    """COPY each table's rows; secondary indexes and foreign keys are dropped during the
    load and recreated after it from the definitions PostgreSQL gave for them."""
    timings = {}
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        saved_indexes, saved_fks = [], []
        for table, _columns, _rows in tables:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND "
                "indexname NOT IN (SELECT conname FROM pg_constraint "
                "WHERE conrelid = %s::regclass)", [table, table])
            saved_indexes += cursor.fetchall()
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
            saved_fks += [(table, name, definition) for name, definition in cursor.fetchall()]
        for table, name, _definition in saved_fks:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in saved_indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        for table, columns, rows in tables:
            start = time.perf_counter()
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT max(id) FROM {table}))")
            timings[f"generate + COPY {table}"] = time.perf_counter() - start
        start = time.perf_counter()
        for _name, definition in saved_indexes:
            cursor.execute(definition)
        timings[f"recreate {len(saved_indexes)} indexes"] = time.perf_counter() - start
        start = time.perf_counter()
        for table, name, definition in saved_fks:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        timings[f"recreate and check {len(saved_fks)} foreign keys"] = (
            time.perf_counter() - start)
        start = time.perf_counter()
        fill_donor_units(cursor, timings)
        start = time.perf_counter()
        # Every table, the organizations too: without their statistics PostgreSQL takes a
        # province's 31 units for 1 and hashes a million donor links to count a page.
        cursor.execute("VACUUM ANALYZE")
        timings["VACUUM ANALYZE"] = time.perf_counter() - start
    return timings


def load_sqlite(tables):
    from hienmau.donors.models import Donor
    from hienmau.drives.models import Donation

    timings = {}
    models = {"donors_donor": Donor, "drives_donation": Donation}
    for table, columns, rows in tables:
        start = time.perf_counter()
        model = models[table]
        with transaction.atomic():
            while batch := list(islice(rows, BATCH)):
                model.objects.bulk_create([model(**dict(zip(columns, row, strict=True)))
                                           for row in batch], batch_size=BATCH)
        timings[f"generate + bulk_create {table}"] = time.perf_counter() - start
    with connection.cursor() as cursor:
        fill_donor_units(cursor, timings)
        start = time.perf_counter()
        cursor.execute("ANALYZE")
    timings["ANALYZE"] = time.perf_counter() - start
    return timings


def fill_donor_units(cursor, timings):
    """The donors' units (who sees them) as `donors.models.refresh_units` computes them:
    home, workplace and the institutions they gave blood at, in one statement."""
    start = time.perf_counter()
    cursor.execute(
        "INSERT INTO donors_donorunit (donor_id, organization_id) "
        "SELECT id, home_id FROM donors_donor "
        "UNION SELECT id, workplace_id FROM donors_donor WHERE workplace_id IS NOT NULL "
        "UNION SELECT donor_id, receiving_institution_id FROM drives_donation "
        "WHERE receiving_institution_id IS NOT NULL")
    timings["fill donors_donorunit"] = time.perf_counter() - start


class Figure:
    """Median and 95th percentile of some timings, in ms; marked * when the time budget
    stopped the repetitions before --runs."""

    def __init__(self, times, runs):
        self.median, self.n, self.runs = statistics.median(times), len(times), runs
        self.p95 = (statistics.quantiles(times, n=20, method="inclusive")[-1]
                    if len(times) > 1 else times[0])

    def __format__(self, spec):
        return f"{self.median:8.1f} {self.p95:8.1f}{'*' if self.n < self.runs else ' '}"


def timed(fn, runs):
    fn()  # warm-up, not counted
    times, started = [], time.perf_counter()
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        if len(times) >= MIN_RUNS and time.perf_counter() - started > BUDGET_SECONDS:
            break
    return Figure(times, runs)


def get_ok(client, url):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response
    return fetch


def list_url(q):
    return f"/nguoi-hien-mau/?q={q.replace(' ', '+')}" if q else "/nguoi-hien-mau/"


def thousands(value):
    return f"{value:,}".replace(",", ".")


def local_phone(e164):
    rest = e164[3:]
    return f"0{rest[:3]} {rest[3:6]} {rest[6:]}"


def access_path(plan):
    """How a plan reads donors_donor, in a few words."""
    if "donor_name_key_trgm" in plan:
        return "trigram GIN"
    if "donor_sort_key" in plan and ("Index" in plan or "USING INDEX" in plan):
        return "sort_key index"
    if "Seq Scan on donors_donor" in plan or "SCAN donors_donor\n" in plan + "\n":
        return "full scan"
    return "other"


def main():
    args = parse_args()
    from django.db.models import Count

    from hienmau.accounts.models import User
    from hienmau.donors.models import Donor
    from hienmau.drives.models import Donation
    from hienmau.orgs.models import Organization

    setup_test_environment()
    if args.reuse:
        connection.settings_dict["NAME"] = args.reuse
        connection.close()
        users = {u.username: u for u in User.objects.filter(
            username__in=("office", "coordinator", "staff"))}
        units = list(Organization.objects.filter(depth=3).order_by("path"))
        several = sorted(Donor.objects.annotate(n=Count("donations")).filter(n__gte=8)
                         .values_list("pk", flat=True))
        print(f"database: {args.reuse}, reused; {thousands(Donor.objects.count())} donors")
        measure(args, users, units, random.Random(args.seed).sample(several, 20))
        return
    with throwaway_database("donors", keep=args.keep):
        rng = random.Random(args.seed)
        today, now = timezone.localdate(), timezone.now()
        institution, units, users = build_orgs()
        start = time.perf_counter()
        counts = donation_counts(args.donors, args.donations, rng)
        tables = [("donors_donor", DONOR_COLUMNS, donor_rows(args.donors, units, today, now,
                                                             rng)),
                  ("drives_donation", DONATION_COLUMNS,
                   donation_rows(counts, institution.pk, today, now, rng))]
        load = load_postgresql if connection.vendor == "postgresql" else load_sqlite
        timings = load(tables)
        total = time.perf_counter() - start
        version = (connection.pg_version if connection.vendor == "postgresql"
                   else connection.Database.sqlite_version)
        print(f"database: {connection.vendor} {version}; "
              f"{thousands(Donor.objects.count())} donors, "
              f"{thousands(Donation.objects.count())} donations, {UNITS} units; "
              f"loaded in {total:.1f} s")
        for label, seconds in timings.items():
            print(f"  {label:<44} {seconds:8.1f} s")
        several = [i for i, k in enumerate(counts, start=1) if k >= 8]
        sample = rng.sample(several, min(20, len(several)))
        print(f"donations per donor: median {statistics.median(counts)}, "
              f"max {max(counts)}, {thousands(sum(1 for k in counts if k >= 8))} "
              f"donors with 8 or more; donor pages timed over {len(sample)} of them")
        print(f"load average of the machine (1 / 5 / 15 min) before timing: "
              f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
        measure(args, users, units, sample)
        print(f"\nload average of the machine (1 / 5 / 15 min) after timing: "
              f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())}")


def search_parts(user, q):
    """The app's search as bare ORM: its parts (names ending with the words typed, then
    the others), each a QuerySet."""
    from hienmau.donors.models import Donor

    return Donor.objects.visible_to(user).search(q).parts


def first_page(user, q):
    from hienmau.donors.models import Donor

    return Donor.objects.visible_to(user).search(q)[0:50]


def measure(args, users, units, sample):
    from hienmau.donors.models import Donor

    runs, postgresql = args.runs, connection.vendor == "postgresql"
    office = users["office"]
    clients = {}
    for username, user in users.items():
        clients[username] = Client()
        clients[username].force_login(user)

    print(f"\nname search as office (median / p95 of {runs}, ms; matches = all donors whose"
          " name holds every word, ending = those whose name ends with the words; ORM = "
          "the first page as the app reads it; donors read by = the plan of each part)")
    print(f"  {'query':<18} {'matches':>9} {'ending':>9} {'page':>8} {'p95':>8}  "
          f"{'ORM':>8} {'p95':>8}  donors read by (ending / others)")
    for q in NAME_QUERIES:
        parts = Donor.objects.search(q).parts
        matches, ending = sum(p.count() for p in parts), parts[0].count()
        page = timed(get_ok(clients["office"], list_url(q)), runs)
        orm = timed(lambda q=q: first_page(office, q), runs)
        used = " / ".join(access_path(part[:50].explain()) for part in search_parts(office, q))
        print(f"  {q or '(no query)':<18} {thousands(matches):>9} {thousands(ending):>9} "
              f"{page} {orm} {used}")

    donors = list(Donor.objects.filter(pk__in=sample).order_by("pk"))
    print(f"\nnumber search as office (median / p95 of {runs}, ms; {len(donors)} donors "
          "in turn)")
    for label, typed in (("CCCD", lambda d: d.id_number), ("phone", lambda d: local_phone(
            d.phone))):
        queries = [typed(d) for d in donors]
        turn = iter(range(10**9))

        def page(queries=queries, turn=turn):
            q = queries[next(turn) % len(queries)]
            response = clients["office"].get("/nguoi-hien-mau/", {"q": q})
            assert response.status_code == 200 and b"donor-row" in response.content, q

        def orm(queries=queries, turn=turn):
            rows = first_page(office, queries[next(turn) % len(queries)])
            assert len(rows) == 1

        p, o = timed(page, runs), timed(orm, runs)
        print(f"  {label:<8} e.g. {queries[0]:<14} page {p}  ORM {o}")

    print(f"\ndonor page with history and eligibility (median / p95 of {runs}, ms)")
    codes = [d.code for d in donors]
    for username in ("office", "staff"):
        turn = iter(range(10**9))

        def detail(username=username, turn=turn):
            code = codes[next(turn) % len(codes)]
            response = clients[username].get(f"/nguoi-hien-mau/{code}/")
            assert response.status_code == 200, (username, response.status_code)

        print(f"  as {username:<12} {timed(detail, runs)}")
    mine = Donor.objects.filter(home=units[0]).order_by("pk").values_list("code", flat=True)[:1]
    figure = timed(get_ok(clients["coordinator"], f"/nguoi-hien-mau/{mine[0]}/"), runs)
    print(f"  as {'coordinator':<12} {figure}")

    print(f"\nlist page as the other users (median / p95 of {runs}, ms)")
    for username in ("coordinator", "staff"):
        for q in ("", COMMON, BROAD):
            figure = timed(get_ok(clients[username], list_url(q)), runs)
            print(f"  as {username:<12} {q or '(no query)':<18} {figure}")

    explain_and_breakdown(clients, users, donors, postgresql)
    prototypes(args, clients, postgresql)


def print_plan(plan, head=6):
    """The plan's first lines, then the lines that say how the tables are read."""
    lines = plan.splitlines()
    for line in lines[:head] + [line for line in lines[head:]
                                if "Scan" in line or "SCAN" in line or "SEARCH" in line]:
        print(f"  {line[:150]}")


def explain_and_breakdown(clients, users, donors, postgresql):
    office = users["office"]
    for q in (COMMON, BROAD):
        for label, part in zip(("ending with", "others holding"), search_parts(office, q),
                               strict=True):
            print(f"\nplan of the ORM search '{q}' as office, names {label} the words "
                  "(first lines, then the scans):")
            print_plan(part[:50].explain())
    if donors:
        print(f"\nplan of the ORM search by CCCD '{donors[0].id_number}':")
        print_plan(search_parts(office, donors[0].id_number)[0][:50].explain(), head=2)
    pages = [("office", f"list page '{COMMON}'", list_url(COMMON)),
             ("office", f"list page '{BROAD}'", list_url(BROAD)),
             ("office", "list page with no query", list_url("")),
             ("coordinator", f"list page '{COMMON}'", list_url(COMMON)),
             ("coordinator", "list page with no query", list_url("")),
             ("staff", "list page with no query", list_url(""))]
    if donors:
        pages.append(("office", "donor page", f"/nguoi-hien-mau/{donors[0].code}/"))
    slowest = {}
    for username, label, url in pages:
        print(f"\nwhere the {label} spends its time (one request as {username}, ms per SQL "
              "statement):")
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            clients[username].get(url)
            total = (time.perf_counter() - start) * 1000
        for query in queries.captured_queries:
            print(f"  {float(query['time']) * 1000:8.1f}  {query['sql'][:110]}")
        sql_time = sum(float(query["time"]) for query in queries.captured_queries) * 1000
        print(f"  {sql_time:8.1f}  SQL in all; {total:.1f} ms for the whole request")
        if "list" in label:
            slowest[username, label] = max(queries.captured_queries,
                                           key=lambda query: float(query["time"]))
    if not postgresql:
        return
    for key in (("office", f"list page '{COMMON}'"), ("coordinator", "list page with no query"),
                ("staff", "list page with no query")):
        print(f"\nEXPLAIN ANALYZE of the slowest statement of the {key[1]} as {key[0]}:")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest[key]["sql"])
            lines = [line for (line,) in cursor.fetchall()]
        for line in lines[:30] + [line for line in lines[30:] if line.startswith(
                ("Planning", "JIT", "  Timing", "Execution"))]:
            print(f"  {line[:150]}")


def prototypes(args, clients, postgresql):
    """What the list pages become with JIT off (PostgreSQL); the app's settings are not
    changed (the running connection is)."""
    if not postgresql:
        return
    runs = args.runs
    print(f"\nprototype: the list page (median / p95 of {runs}, ms), as the app is and with "
          "SET jit = off")
    print(f"  {'user':<12} {'query':<18} {'now':>8} {'p95':>8}  {'no JIT':>8} {'p95':>8}")
    cases = [("office", q) for q in NAME_QUERIES] + [
        (username, q) for username in ("coordinator", "staff") for q in ("", COMMON, BROAD)]
    for username, q in cases:
        now = timed(get_ok(clients[username], list_url(q)), runs)
        with jit_off():
            without = timed(get_ok(clients[username], list_url(q)), runs)
        print(f"  {username:<12} {q or '(no query)':<18} {now} {without}")


@contextlib.contextmanager
def jit_off():
    """SET jit = off for this connection (PostgreSQL), as an OPTIONS entry would."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")


if __name__ == "__main__":
    sys.exit(main())
