"""Benchmark: the report dashboards on a national-size history (issue 7's speed targets).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hienmau \\
        .venv/bin/python -m tests.bench.bench_reports                          # PostgreSQL
    .venv/bin/python -m tests.bench.bench_reports --donations 1000000         # SQLite
    .venv/bin/python -m tests.bench.bench_reports --donations 100000 --units 300  # a try

Builds, in a throw-away database (PostgreSQL: test_hienmau_bench_reports_<pid>; SQLite:
a temporary file, as deployed), the national committee with --provinces provincial
committees below it (province_code 1..34, population set; sizes skewed as the country's
are, the largest about a sixth of the whole), --units units spread over them in
proportion (commune committees, and companies, schools, agencies directly below the
province or below a commune) and six receiving institutions. For every plan year (01/12
to 30/11) of the last --years years: the national committee's plan with a quota for each
province, and each province's plan (national and provincial quota) with quotas for its
units. Drives, closed, about 100 donations each, over the --years plan years up to
yesterday (organizer a unit, some the provincial committee itself; 5% joint with 2–3
shares; receiving institution set), and planned drives from today to the end of the
plan year. Donors (default one for five donations) and --donations donations (mostly
collected, 250/350/450 ml; some deferred with a reason), then every drive's DriveResult
computed from its donations in one INSERT … SELECT … GROUP BY, as closing would, and
(VACUUM) ANALYZE. PostgreSQL generates donors and donations in SQL (generate_series,
gen_random_uuid) with their secondary indexes, unique and foreign-key constraints
dropped during the load and recreated from their own definitions after it; SQLite
inserts rows made in Python with executemany. (Donors' units, `DonorUnit`, are not
filled: reports do not read them.)

Then, for the current plan year and the previous full one, prints the median and 95th
percentile of --runs repetitions (after one warm-up; * = stopped at its time budget) of
`reports.dashboard.build` (bare) and of the dashboard page through Django's test client
(templates and charts included; the first render with an empty chart cache shown
apart), for the largest province, a middle-sized one and the national committee, each
as a user with role "office" there; and of GET /api/reports. With each: how many drives
and drive parts the report summed, and the share of the time spent in SQL. Then where
the current year's national and largest provincial page spend their time: SQL statement
by statement (EXPLAIN ANALYZE of the slowest on PostgreSQL) and the Python functions (cProfile).
--keep leaves the database, --reuse times one again without building. Targets (issue 7):
with 10.000.000 donations over 5 years, 34 provinces and 3.000 units on PostgreSQL, a
provincial dashboard renders in under 500 ms and the national one in under 2 s; SQLite
figures reported at 1.000.000 donations. Not part of the test run.
"""

import argparse
import cProfile
import datetime
import io
import os
import pstats
import random
import statistics
import sys
import time
import uuid
from itertools import islice

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.bench.database import throwaway_database  # noqa: E402

PER_DRIVE = 100  # donations per drive, on average
JOINT_SHARE = 0.05  # drives organized jointly, with 2–3 shares
COMMITTEE_OWN_SHARE = 0.03  # drives the provincial committee organizes itself
COLLECTED, DEFERRED = 0.92, 0.07  # outcomes; the rest did not complete
REASONS = ["hemoglobin", "blood_pressure", "under_weight", "acute_illness"]
VOLUMES = [(250, 0.2), (350, 0.6), (450, 0.2)]
INSTITUTIONS = ["Viện Huyết học - Truyền máu Trung ương", "Bệnh viện Chợ Rẫy",
                "Trung tâm Truyền máu Chợ Rẫy", "Bệnh viện Trung ương Huế",
                "Bệnh viện Truyền máu - Huyết học TP.HCM", "Trung tâm Truyền máu Cần Thơ"]
TARGETS_MS = {"province": 500, "national": 2000}  # the page, on PostgreSQL
# A figure stops repeating after BUDGET_SECONDS once it has MIN_RUNS timings.
BUDGET_SECONDS, MIN_RUNS = 120, 5
BATCH = 10_000
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = {"M": ["Văn", "Đức", "Minh", "Quang"], "F": ["Thị", "Ngọc", "Thu", "Thanh"]}
GIVEN = {"M": ["Hùng", "Dũng", "Tuấn", "Nam", "Long", "Hải", "Sơn", "Thắng", "Quân", "Huy"],
         "F": ["Lan", "Hương", "Hoa", "Mai", "Linh", "Trang", "Thảo", "Hà", "Huyền", "Yến"]}
DONOR_COLUMNS = ("id", "code", "full_name", "name_key", "sort_key", "birth_date", "birth_year",
                 "sex", "id_type", "id_number", "phone", "phone_other", "email", "province_code",
                 "commune_code", "address", "home_id", "workplace_id", "blood_group", "rh",
                 "weight_kg", "notes", "permanently_excluded", "exclusion_reason",
                 "merged_into_id", "erased_at", "created_at", "updated_at")
DONATION_COLUMNS = ("code", "donor_id", "date", "type", "volume_ml", "outcome",
                    "deferral_reason", "deferred_until", "drive_id", "receiving_institution_id",
                    "bag_number", "source", "created_at")
DRIVE_COLUMNS = ("id", "code", "plan_id", "title", "date", "weekday_text", "venue",
                 "organizer_id", "receiving_institution_id", "target_group", "expected_units",
                 "announcement_number", "status", "notes", "created_at", "updated_at")
SHARE_COLUMNS = ("drive_id", "organization_id", "expected_units")
BLOOD_GROUPS = ["O", "O", "O", "O", "B", "B", "B", "A", "A", "AB"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--donations", type=int, default=10_000_000)
    parser.add_argument("--donors", type=int, help="default: one for five donations")
    parser.add_argument("--years", type=int, default=5, help="plan years up to today")
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=10, help="timed repetitions per figure")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true",
                        help="keep the database afterwards (to study queries by hand)")
    parser.add_argument("--reuse", metavar="DATABASE",
                        help="time against a database a --keep run left, without building")
    args = parser.parse_args()
    args.donors = args.donors or max(1, args.donations // 5)
    return args


def thousands(value) -> str:
    return f"{value:,}".replace(",", ".")


def skewed(n: int, rng: random.Random, skew: float = 0.8) -> list[float]:
    """n weights, Zipf-like (the largest ≈ a sixth of the whole for 34), in random order."""
    weights = [1 / (rank + 1) ** skew for rank in range(n)]
    rng.shuffle(weights)
    return weights


# ---- the organizations, plans and quotas --------------------------------------------------


class Tree:
    """What the build needs to know of the organizations it created."""

    def __init__(self):
        self.root = None
        self.provinces = []  # Organization, by province_code
        self.share = {}  # province id → its share of the country's drives
        self.organizers = {}  # province id → [(organization id, weight of its drives)]
        self.children = {}  # province id → ids of its children (ranked in its report)
        self.share_below = {}  # child id → its subtree's share of its province's drives
        self.institutions = []  # ids
        self.homes = []  # (unit id, province_code) of every unit below a province


def build_tree(args, rng: random.Random) -> Tree:
    from hienmau.orgs.models import Kind, Organization
    from hienmau.reports.metrics import apportion
    from hienmau.text import search_key

    rows, weight = [], {}  # weight: path → weight of the drives it organizes

    def add(parent_path, depth, pos, name, kind, **extra):
        path = Organization._get_path(parent_path, depth, pos)
        rows.append(Organization(path=path, depth=depth, numchild=0, name=name,
                                 name_key=search_key(name), kind=kind, **extra))
        return path

    shares = skewed(args.provinces, rng)
    shares = [w / sum(shares) for w in shares]
    unit_counts = [max(3, n) for n in apportion(args.units, [round(w * 10**6)
                                                             for w in shares])]
    root = add(None, 1, 1, "Ban Chỉ đạo quốc gia vận động hiến máu tình nguyện",
               Kind.NATIONAL_COMMITTEE)
    direct_kinds = [Kind.COMPANY, Kind.UNIVERSITY, Kind.AGENCY, Kind.UNION, Kind.RED_CROSS]
    nested_kinds = [Kind.UNIVERSITY, Kind.COMPANY, Kind.AGENCY, Kind.UNION]
    for p in range(1, args.provinces + 1):
        province = add(root, 2, p, f"Ban Chỉ đạo vận động hiến máu tình nguyện tỉnh số {p}",
                       Kind.PROVINCIAL_COMMITTEE, province_code=p,
                       population=int(101_000_000 * shares[p - 1]))
        n = unit_counts[p - 1]
        communes = max(1, n // 3)
        direct = (n - communes + 1) // 2
        commune_paths = []
        for c in range(1, communes + 1):
            path = add(province, 3, c, f"Ban Chỉ đạo xã số {p}-{c}", Kind.COMMUNE_COMMITTEE,
                       province_code=p, population=rng.randint(8_000, 60_000))
            commune_paths.append(path)
            weight[path] = 2 * rng.lognormvariate(0, 0.6)
        for d in range(1, direct + 1):
            kind = direct_kinds[d % len(direct_kinds)]
            path = add(province, 3, communes + d, f"{kind.label} số {p}-{d}", kind,
                       province_code=p, headcount=rng.randint(100, 5_000))
            weight[path] = rng.lognormvariate(0, 0.8)
        for k in range(n - communes - direct):
            kind = nested_kinds[k % len(nested_kinds)]
            path = add(commune_paths[k % communes], 4, k // communes + 1,
                       f"{kind.label} số {p}-{k % communes + 1}-{k // communes + 1}", kind,
                       province_code=p)
            weight[path] = rng.lognormvariate(0, 0.8)
    for i, name in enumerate(INSTITUTIONS, start=1):
        add(root, 2, args.provinces + i, name, Kind.RECEIVING_INSTITUTION, uses_isbt128=True)
    # numchild drives the tree's unfold buttons: count each node's children in memory.
    children = {}
    for row in rows[1:]:
        parent = row.path[:-Organization.steplen]
        children[parent] = children.get(parent, 0) + 1
    for row in rows:
        row.numchild = children.get(row.path, 0)
    Organization.objects.bulk_create(rows, batch_size=2000)

    tree = Tree()
    orgs = list(Organization.objects.all())
    tree.root = next(o for o in orgs if o.depth == 1)
    tree.provinces = sorted((o for o in orgs if o.kind == Kind.PROVINCIAL_COMMITTEE),
                            key=lambda o: o.province_code)
    tree.institutions = [o.pk for o in orgs if o.kind == Kind.RECEIVING_INSTITUTION]
    for province in tree.provinces:
        tree.share[province.pk] = shares[province.province_code - 1]
        inside = [o for o in orgs if o.depth > 2 and o.path.startswith(province.path)]
        own = sum(weight[o.path] for o in inside) * COMMITTEE_OWN_SHARE
        tree.organizers[province.pk] = [(province.pk, own)] + [(o.pk, weight[o.path])
                                                                for o in inside]
        whole = own + sum(weight[o.path] for o in inside)
        tree.children[province.pk] = [o.pk for o in inside if o.depth == 3]
        for child in (o for o in inside if o.depth == 3):
            tree.share_below[child.pk] = sum(weight[o.path] for o in inside
                                             if o.path.startswith(child.path)) / whole
        tree.homes += [(o.pk, province.province_code) for o in inside]
    return tree


def build_plans(args, tree: Tree, years: list[int], rng: random.Random) -> dict:
    """The national plan (a quota per province) and each province's plan (national and
    provincial quota, quotas for nine in ten of its units) of every plan year:
    {(committee id, plan year): plan id}."""
    from hienmau.plans.models import Plan, PlanStatus, Quota
    from hienmau.reports.queries import plan_year, plan_year_of

    per_year = args.donations * COLLECTED / len(years)  # units collected in a year
    plans = []
    for year in years:
        start, end = plan_year(year)
        status = PlanStatus.APPROVED if year == years[-1] else PlanStatus.CLOSED
        plans.append(Plan(committee=tree.root, title=f"Kế hoạch vận động hiến máu năm {year}",
                          starts_on=start, ends_on=end, status=status,
                          national_quota=round(per_year * 1.05, -3)))
        for province in tree.provinces:
            expected = per_year * tree.share[province.pk]
            plans.append(Plan(
                committee=province, starts_on=start, ends_on=end, status=status,
                title=f"Kế hoạch hiến máu năm {year} tỉnh số {province.province_code}",
                document_number=f"{province.province_code}/KH-BCĐ",
                national_quota=round(expected * rng.uniform(0.9, 1.05), -2),
                provincial_quota=round(expected * rng.uniform(0.95, 1.15), -2)))
    Plan.objects.bulk_create(plans)
    plan_of = {(committee_id, plan_year_of(starts_on)): pk for pk, committee_id, starts_on
               in Plan.objects.values_list("pk", "committee_id", "starts_on")}
    quotas = []
    for year in years:
        for position, province in enumerate(tree.provinces):
            expected = per_year * tree.share[province.pk]
            quotas.append(Quota(plan_id=plan_of[tree.root.pk, year], organization=province,
                                units=round(expected * rng.uniform(0.9, 1.05), -2),
                                position=position))
            for position, child in enumerate(tree.children[province.pk]):
                if rng.random() < 0.1:
                    continue
                units = expected * tree.share_below[child] * rng.uniform(0.85, 1.25)
                quotas.append(Quota(plan_id=plan_of[province.pk, year], organization_id=child,
                                    units=max(10, round(units)), position=position))
    Quota.objects.bulk_create(quotas, batch_size=5000)
    return plan_of


def build_users(tree: Tree) -> None:
    """Users with role "office" on the national committee, on the largest province and
    on a middle-sized one."""
    from hienmau.accounts.models import User
    from hienmau.orgs import services

    by_size = sorted(tree.provinces, key=lambda p: -tree.share[p.pk])
    for label, org in (("national", tree.root), ("largest", by_size[0]),
                       ("middle", by_size[len(by_size) // 2])):
        user = User.objects.create_user(f"office_{label}", password="x" * 12)
        services.add_membership(actor=None, organization=org, user=user, role="office")


def drive_rows(args, tree: Tree, plan_of: dict, years: list[int], today: datetime.date,
               rng: random.Random):
    """(drives, shares, sizes): rows of plans_drive (ids 1..n: the closed drives by date,
    then the planned ones), of plans_driveshare, and each closed drive's donations."""
    from hienmau.reports.metrics import apportion
    from hienmau.reports.queries import plan_year, plan_year_of

    first, last = plan_year(years[0])[0], plan_year(years[-1])[1]
    past = [first + datetime.timedelta(days=i) for i in range((today - first).days)]
    # More drives on weekends and in spring and summer, fewer at Tết (February).
    weights = [(3 if d.weekday() == 6 else 2 if d.weekday() == 5 else 1)
               * (0.5 if d.month == 2 else 1.2 if d.month in (3, 4, 6, 7) else 1)
               for d in past]
    n_closed = max(1, round(args.donations / PER_DRIVE))
    sizes = apportion(args.donations, [max(15, round(rng.gammavariate(3, PER_DRIVE / 3)))
                                       for _ in range(n_closed)])
    ahead = [today + datetime.timedelta(days=i) for i in range((last - today).days + 1)]
    n_ahead = round(n_closed / len(past) * len(ahead) * 0.8)
    dates = (sorted(rng.choices(past, weights=weights, k=n_closed))
             + sorted(rng.choices(ahead, k=n_ahead) if ahead else []))
    provinces = [p.pk for p in tree.provinces]
    chosen = rng.choices(provinces, weights=[tree.share[p] for p in provinces],
                         k=len(dates))
    code_of = {p.pk: p.province_code for p in tree.provinces}
    pickers = {p: [list(column) for column in zip(*tree.organizers[p], strict=True)]
               for p in provinces}
    now = timezone.now()
    drives, shares = [], []
    for pk, (date, province) in enumerate(zip(dates, chosen, strict=True), start=1):
        closed = pk <= n_closed
        ids, unit_weights = pickers[province]
        organizer = rng.choices(ids, weights=unit_weights)[0]
        people = sizes[pk - 1] if closed else rng.randint(40, 250)
        expected = max(10, round(people * COLLECTED * rng.uniform(0.85, 1.2)))
        code = code_of[province]
        drives.append((pk, uuid.uuid4(), plan_of[province, plan_year_of(date)],
                       f"Ngày hội hiến máu {code}-{pk}", date, "", f"Nhà văn hóa số {pk}",
                       organizer, tree.institutions[code % len(tree.institutions)], "",
                       expected, "", "closed" if closed else rng.choice(("planned",
                                                                         "confirmed")),
                       "", now, now))
        if rng.random() < JOINT_SHARE:
            partners, wanted = {organizer}, rng.choice((2, 3))
            while len(partners) < min(wanted, len(ids)):
                partners.add(rng.choice(ids))
            parts = apportion(expected, [rng.randint(1, 4) for _ in partners])
            shares += [(pk, org, part) for org, part in zip(sorted(partners), parts,
                                                            strict=True)]
    return drives, shares, sizes


# ---- loading -----------------------------------------------------------------------------


def sqlite_value(value):
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def other_columns(table: str, columns) -> tuple[tuple, tuple]:
    """The columns of `table` that `columns` leave out and that may not be NULL, with
    their model's defaults: so that the raw inserts below keep working when a model
    gains a field."""
    from django.apps import apps

    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.column not in columns and not field.null and not field.primary_key:
            names.append(field.column)
            values.append(field.get_db_prep_save(field.get_default(), connection))
    return tuple(names), tuple(values)


def insert_rows(cursor, table: str, columns, rows) -> None:
    """COPY (PostgreSQL) or executemany (SQLite) of `rows` into `table`."""
    more, defaults = other_columns(table, columns)
    columns = (*columns, *more)
    rows = (tuple(row) + defaults for row in rows)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if "id" in columns:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT max(id) FROM {table}))")
        return
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    rows = iter(rows)
    while batch := list(islice(rows, BATCH)):
        cursor.executemany(sql, [[sqlite_value(v) for v in row] for row in batch])


def donor_names() -> list[tuple]:
    """(full name, name_key, sort_key, sex) of 800 names, keyed as `Donor.save` keys them."""
    from hienmau.text import clean_name, given_name_first, search_key

    found = []
    for sex in ("M", "F"):
        for family in FAMILY:
            for middle in MIDDLE[sex]:
                for given in GIVEN[sex]:
                    name = clean_name(f"{family} {middle} {given}")
                    key = search_key(name)
                    found.append((name, key, given_name_first(key), sex))
    return found


# Donor i: name (i·7919) mod the names, home (i·104729) mod the units, born
# 1966-01-01 + (i·37 mod 14000) days, CCCD i on 12 digits, phone +849 and i on 8 digits:
# the same formulas in SQL (PostgreSQL) and in Python (SQLite).
DONORS_SQL = f"""
INSERT INTO donors_donor ({', '.join(DONOR_COLUMNS)}{{more}})
SELECT i, gen_random_uuid(), (%(full)s::text[])[k], (%(keys)s::text[])[k],
       (%(sorts)s::text[])[k], born, extract(year FROM born)::int, (%(sexes)s::text[])[k],
       'cccd', lpad(i::text, 12, '0'), '+849' || lpad(i::text, 8, '0'), '', '',
       (%(provinces)s::int[])[h], NULL, '', (%(homes)s::bigint[])[h], NULL,
       (%(groups)s::text[])[1 + (i * 31) %% 10], '+', 50 + i %% 30, '', false, '', NULL,
       NULL, now(), now(){{defaults}}
FROM generate_series(1::bigint, %(donors)s) AS i,
     LATERAL (SELECT 1 + (i * 7919) %% %(n_names)s AS k, 1 + (i * 104729) %% %(n_homes)s AS h,
                     DATE '1966-01-01' + ((i * 37) %% 14000)::int AS born) AS x
"""


def donor_rows(n, names, homes, now):
    for i in range(1, n + 1):
        name, key, sort_key, sex = names[(i * 7919) % len(names)]
        home, province = homes[(i * 104729) % len(homes)]
        born = datetime.date(1966, 1, 1) + datetime.timedelta(days=(i * 37) % 14000)
        yield (i, uuid.uuid4(), name, key, sort_key, born, born.year, sex, "cccd",
               f"{i:012d}", f"+849{i:08d}", "", "", province, None, "", home, None,
               BLOOD_GROUPS[(i * 31) % 10], "+", 50 + i % 30, "", False, "", None, None, now,
               now)


# Each closed drive's donations: the drive's date and institution, a donor drawn at
# random, COLLECTED collected (3% platelets by apheresis, 250 ml; whole blood 250, 350 or
# 450 ml), DEFERRED deferred for one of REASONS, the rest incomplete. The random draws
# sit below OFFSET 0 so that each row draws them once.
DONATIONS_SQL = f"""
INSERT INTO drives_donation ({', '.join(DONATION_COLUMNS)}{{more}})
SELECT gen_random_uuid(), 1 + floor(r_donor * %(donors)s)::bigint, date,
       CASE WHEN r_kind < 0.03 THEN 'platelets_apheresis' ELSE 'whole_blood' END,
       CASE WHEN r_outcome < {COLLECTED} THEN
         CASE WHEN r_kind < 0.03 OR r_volume < {VOLUMES[0][1]} THEN 250
              WHEN r_volume < {VOLUMES[0][1] + VOLUMES[1][1]} THEN 350 ELSE 450 END END,
       CASE WHEN r_outcome < {COLLECTED} THEN 'collected'
            WHEN r_outcome < {COLLECTED + DEFERRED} THEN 'deferred' ELSE 'incomplete' END,
       CASE WHEN r_outcome >= {COLLECTED} AND r_outcome < {COLLECTED + DEFERRED}
            THEN (%(reasons)s::text[])[1 + floor(r_volume * {len(REASONS)})::int] ELSE '' END,
       CASE WHEN r_outcome >= {COLLECTED} AND r_outcome < {COLLECTED + DEFERRED}
            THEN date + 14 END,
       drive_id, institution, NULL, '', date + TIME '08:00'{{defaults}}
FROM (SELECT d.id AS drive_id, d.date, d.receiving_institution_id AS institution,
             random() AS r_donor, random() AS r_outcome, random() AS r_volume,
             random() AS r_kind
      FROM unnest(%(sizes)s::int[]) WITH ORDINALITY AS s(n, drive_id)
      JOIN plans_drive d ON d.id = s.drive_id
      CROSS JOIN LATERAL generate_series(1, s.n) AS g
      OFFSET 0) AS x
"""


def donation_rows(drives, sizes, donors, rng):
    date_at, institution_at = DRIVE_COLUMNS.index("date"), DRIVE_COLUMNS.index(
        "receiving_institution_id")
    for drive, n in zip(drives, sizes, strict=False):  # the closed drives come first
        pk, date, institution = drive[0], drive[date_at], drive[institution_at]
        created = datetime.datetime.combine(date, datetime.time(8), tzinfo=datetime.UTC)
        for _ in range(n):
            r_outcome, r_volume, r_kind = rng.random(), rng.random(), rng.random()
            apheresis = r_kind < 0.03
            volume, reason, until = None, "", None
            if r_outcome < COLLECTED:
                outcome = "collected"
                volume = 250 if apheresis or r_volume < VOLUMES[0][1] else (
                    350 if r_volume < VOLUMES[0][1] + VOLUMES[1][1] else 450)
            elif r_outcome < COLLECTED + DEFERRED:
                outcome = "deferred"
                reason = REASONS[int(r_volume * len(REASONS))]
                until = date + datetime.timedelta(days=14)
            else:
                outcome = "incomplete"
            yield (uuid.uuid4(), rng.randint(1, donors), date,
                   "platelets_apheresis" if apheresis else "whole_blood", volume, outcome,
                   reason, until, pk, institution, None, "", created)


def json_counts(pairs: list[tuple[str, str]]) -> str:
    """SQL for a JSON object {key: rows meeting the condition} of the group, without the
    keys no row meets (as closing writes them)."""
    inner = ", ".join(f"'{key}', NULLIF(count(*) FILTER (WHERE {condition}), 0)"
                      for key, condition in pairs)
    if connection.vendor == "postgresql":
        return f"jsonb_strip_nulls(jsonb_build_object({inner}))"
    return f"json_patch('{{}}', json_object({inner}))"  # a merge patch drops null keys


def with_other_columns(sql: str, table: str, columns, params: dict) -> str:
    """`sql` (an INSERT … SELECT into `table` of `columns`, with {more} and {defaults}
    where the other columns go) with them filled; their values added to `params`."""
    more, defaults = other_columns(table, columns)
    params.update({f"default_{i}": value for i, value in enumerate(defaults)})
    return sql.format(more="".join(f", {name}" for name in more),
                      defaults="".join(f", %(default_{i})s" for i in range(len(defaults))))


def results_sql() -> tuple[str, list]:
    """Every drive's DriveResult from its donations, as closing computes it; registered
    people one in nine more than came, first-time donors about 3 in 10 of the collected
    (donor id mod 10 < 3: a stand-in for "never collected before")."""
    volumes = json_counts([(str(ml), f"outcome = 'collected' AND volume_ml = {ml}")
                           for ml, _share in VOLUMES])
    reasons = json_counts([(code, f"outcome = 'deferred' AND deferral_reason = '{code}'")
                           for code in REASONS])
    now = "now()" if connection.vendor == "postgresql" else "CURRENT_TIMESTAMP"
    columns = ("drive_id", "units_collected", "people_registered", "people_present",
               "people_deferred", "people_first_time", "deferrals_by_reason",
               "units_by_volume", "tally_units", "note", "confirmed_at")
    more, defaults = other_columns("drives_driveresult", columns)
    return f"""
INSERT INTO drives_driveresult ({', '.join(columns + more)})
SELECT drive_id, count(*) FILTER (WHERE outcome = 'collected'), count(*) + count(*) / 8,
       count(*), count(*) FILTER (WHERE outcome = 'deferred'),
       count(*) FILTER (WHERE outcome = 'collected' AND donor_id %% 10 < 3),
       {reasons}, {volumes}, count(*) FILTER (WHERE outcome = 'collected'), '',
       {now}{''.join(', %s' for _value in defaults)}
FROM drives_donation WHERE drive_id IS NOT NULL GROUP BY drive_id""", list(defaults)


def drop_secondary(cursor, tables: list[str]) -> list[str]:
    """Drop the tables' secondary indexes, unique and foreign-key constraints; the
    statements that recreate them, in order (indexes, unique, foreign keys)."""
    restore, later, drops = [], [], []
    for table in tables:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                           "tbl_name = %s AND sql IS NOT NULL", [table])
            for name, definition in cursor.fetchall():
                drops.append(f'DROP INDEX "{name}"')
                restore.append(definition)
            continue
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND "
                       "indexname NOT IN (SELECT conname FROM pg_constraint "
                       "WHERE conrelid = %s::regclass)", [table, table])
        for name, definition in cursor.fetchall():
            drops.append(f'DROP INDEX "{name}"')
            restore.append(definition)
        cursor.execute("SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') "
                       "ORDER BY contype DESC", [table])
        for name, kind, definition in cursor.fetchall():
            drops.insert(0, f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            statement = f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            (restore if kind == "u" else later).append(statement)
    for statement in drops:
        cursor.execute(statement)
    return restore + later


def build(args, today: datetime.date) -> dict:
    """Everything the reports read; {step: seconds}."""
    from hienmau.reports.queries import plan_year_of

    rng = random.Random(args.seed)
    years = list(range(plan_year_of(today) - args.years + 1, plan_year_of(today) + 1))
    timings, postgresql = {}, connection.vendor == "postgresql"

    def step(label):
        timings[label] = time.perf_counter() - step.start
        step.start = time.perf_counter()

    step.start = time.perf_counter()
    tree = build_tree(args, rng)
    plan_of = build_plans(args, tree, years, rng)
    build_users(tree)
    step("organizations, plans, quotas, users (ORM)")
    drives, shares, sizes = drive_rows(args, tree, plan_of, years, today, rng)
    step("drives and shares made in Python")
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        restore = drop_secondary(cursor, ["donors_donor", "drives_donation"])
        insert_rows(cursor, "plans_drive", DRIVE_COLUMNS, drives)
        insert_rows(cursor, "plans_driveshare", SHARE_COLUMNS, shares)
        if postgresql:
            # Check the drives' foreign keys now: a table with pending checks cannot
            # be referenced by a new constraint (the donations' ones, recreated below).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        step("drives and shares " + ("COPY" if postgresql else "executemany"))
        if postgresql:
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SELECT setseed(%s)", [args.seed / 100])
        names = donor_names()
        if postgresql:
            params = {
                "full": [n[0] for n in names], "keys": [n[1] for n in names],
                "sorts": [n[2] for n in names], "sexes": [n[3] for n in names],
                "n_names": len(names), "homes": [h for h, _p in tree.homes],
                "provinces": [p for _h, p in tree.homes], "n_homes": len(tree.homes),
                "groups": BLOOD_GROUPS, "donors": args.donors}
            cursor.execute(with_other_columns(DONORS_SQL, "donors_donor", DONOR_COLUMNS,
                                              params), params)
            step("donors INSERT … SELECT generate_series")
            params = {"donors": args.donors, "reasons": REASONS, "sizes": sizes}
            cursor.execute(with_other_columns(DONATIONS_SQL, "drives_donation",
                                              DONATION_COLUMNS, params), params)
            step("donations INSERT … SELECT generate_series")
        else:
            insert_rows(cursor, "donors_donor", DONOR_COLUMNS,
                        donor_rows(args.donors, names, tree.homes, now))
            step("donors made in Python, executemany")
            insert_rows(cursor, "drives_donation", DONATION_COLUMNS,
                        donation_rows(drives, sizes, args.donors, rng))
            step("donations made in Python, executemany")
        for statement in restore:
            cursor.execute(statement)
        step(f"{len(restore)} indexes and constraints recreated")
        cursor.execute(*results_sql())
        step("drive results INSERT … SELECT … GROUP BY drive_id")
    with connection.cursor() as cursor:
        # Statistics for every table (the organizations too); VACUUM also sets the
        # visibility map, as autovacuum would have long before anyone reads a report.
        cursor.execute("VACUUM ANALYZE" if postgresql else "ANALYZE")
    step("VACUUM ANALYZE" if postgresql else "ANALYZE")
    return timings


def print_counts() -> None:
    from hienmau.donors.models import Donor
    from hienmau.drives.models import Donation, DriveResult
    from hienmau.orgs.models import Kind, Organization
    from hienmau.plans.models import Drive, DriveShare, Plan, Quota

    orgs = Organization.objects
    units = orgs.exclude(kind__in=(Kind.NATIONAL_COMMITTEE, Kind.PROVINCIAL_COMMITTEE,
                                   Kind.RECEIVING_INSTITUTION)).count()
    closed = Drive.objects.filter(status="closed").count()
    donations = Donation.objects.count()
    print(f"  {orgs.filter(kind=Kind.PROVINCIAL_COMMITTEE).count()} provinces, "
          f"{thousands(units)} units, "
          f"{orgs.filter(kind=Kind.RECEIVING_INSTITUTION).count()} receiving institutions; "
          f"{thousands(Plan.objects.count())} plans, {thousands(Quota.objects.count())} quotas")
    print(f"  {thousands(closed)} closed drives "
          f"({thousands(Drive.objects.filter(shares__isnull=False).distinct().count())} "
          f"joint, {thousands(DriveShare.objects.count())} shares), "
          f"{thousands(Drive.objects.exclude(status='closed').count())} planned ahead, "
          f"{thousands(DriveResult.objects.count())} drive results")
    print(f"  {thousands(Donor.objects.count())} donors, {thousands(donations)} donations "
          f"({thousands(Donation.objects.filter(outcome='collected').count())} collected), "
          f"{thousands(round(donations / max(1, closed)))} per drive on average")


# ---- measuring ---------------------------------------------------------------------------


class SqlClock:
    """An execute wrapper summing the time spent in the database's calls; with `keep`,
    each statement too: (seconds, sql, params)."""

    def __init__(self, keep: bool = False):
        self.seconds, self.count, self.keep, self.statements = 0.0, 0, keep, []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - start
            self.seconds += elapsed
            self.count += 1
            if self.keep:
                self.statements.append((elapsed, sql, params))


class Figure:
    """Median and 95th percentile of some timings, in ms, with the share spent in SQL;
    marked * when the time budget stopped the repetitions before --runs."""

    def __init__(self, times, sql, queries, runs):
        self.median, self.n, self.runs = statistics.median(times), len(times), runs
        self.p95 = (statistics.quantiles(times, n=20, method="inclusive")[-1]
                    if len(times) > 1 else times[0])
        self.sql_share, self.queries = sum(sql) / sum(times), queries

    def __format__(self, spec):
        return (f"{self.median:8.1f} {self.p95:8.1f}{'*' if self.n < self.runs else ' '}  "
                f"SQL {self.sql_share:4.0%} ({self.queries} queries)")


def timed(fn, runs) -> Figure:
    fn()  # warm-up, not counted
    times, sql, started, queries = [], [], time.perf_counter(), 0
    for _ in range(runs):
        clock = SqlClock()
        with connection.execute_wrapper(clock):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        sql.append(clock.seconds * 1000)
        queries = clock.count
        if len(times) >= MIN_RUNS and time.perf_counter() - started > BUDGET_SECONDS:
            break
    return Figure(times, sql, queries, runs)


def get_ok(client, url, params):
    def fetch():
        response = client.get(url, params)
        assert response.status_code == 200, (url, params, response.status_code)
        return response
    return fetch


def cases() -> list[tuple[str, object, Client]]:
    """(label, organization, logged-in client) of the three office users."""
    from hienmau.accounts.models import User

    found = []
    for label in ("largest", "middle", "national"):
        user = User.objects.get(username=f"office_{label}")
        client = Client()
        client.force_login(user)
        found.append((label, user.memberships.get().organization, client))
    return found


def summed(scope) -> str:
    """What a report sums: drives and drive parts this year and the year before, and
    the parts read from the database (joint drives' parts outside the scope included)."""
    from hienmau.reports import metrics, queries

    said = []
    for period in (scope, scope.previous()):
        found = queries.credited_parts(period)
        parts = metrics.within(found, period.prefixes())
        said.append((len({p.drive_id for p in parts}), len(parts), len(found)))
    (d1, p1, r1), (d0, p0, r0) = said
    return (f"{thousands(d1)} drives / {thousands(p1)} parts summed this year, "
            f"{thousands(d0)} / {thousands(p0)} the year before "
            f"({thousands(r1 + r0)} parts read)")


def measure(args, today: datetime.date) -> list[tuple]:
    from hienmau.reports import dashboard
    from hienmau.reports.queries import Scope, plan_year, plan_year_of

    runs, postgresql = args.runs, connection.vendor == "postgresql"
    url, api = reverse("reports:dashboard"), "/api/reports"
    found = cases()
    current = plan_year_of(today)
    # A first request before any figure: imports (matplotlib), templates, fonts.
    get_ok(found[1][2], url, {"nam": current})()
    verdicts = []
    for year in (current, current - 1):
        start, end = plan_year(year)
        print(f"\nplan year {year} ({start:%d/%m/%Y}–{end:%d/%m/%Y}"
              f"{f', today {today:%d/%m/%Y}' if year == current else ', full'}); "
              f"median / p95 of {runs} runs, ms; SQL = share of the time in database calls")
        for label, org, client in found:
            scope = Scope(org, start, end)
            report = dashboard.build(scope, today)
            print(f"  {org.name} ({label}; {len(report.units)} units ranked, "
                  f"{report.ahead_count} drives ahead)")
            print(f"    {summed(scope)}")
            bare = timed(lambda scope=scope: dashboard.build(scope, today), runs)
            print(f"    {'build (bare)':<28} {bare}")
            cache.clear()
            clock = SqlClock()
            with connection.execute_wrapper(clock):
                began = time.perf_counter()
                get_ok(client, url, {"nam": year})()
                cold = (time.perf_counter() - began) * 1000
            print(f"    {'page, charts not cached':<28} {cold:8.1f}           "
                  f"SQL {clock.seconds * 1000 / cold:4.0%} ({clock.count} queries)")
            page = timed(get_ok(client, url, {"nam": year}), runs)
            target = TARGETS_MS["national" if label == "national" else "province"]
            verdict = "met" if page.median < target else "MISSED"
            note = f"target < {thousands(target)} ms{'' if postgresql else ' (PostgreSQL)'}"
            print(f"    {'page':<28} {page}   {note}: {verdict}")
            print(f"    {'API /api/reports':<28} "
                  f"{timed(get_ok(client, api, {'year': year}), runs)}")
            verdicts.append((year, label, page.median, target, verdict))
    return verdicts

def diagnose(today: datetime.date) -> None:
    """Where the current year's national and largest provincial pages spend their time."""
    from hienmau.reports.queries import plan_year_of

    postgresql = connection.vendor == "postgresql"
    url, year = reverse("reports:dashboard"), plan_year_of(today)
    for label, org, client in cases():
        if label == "middle":
            continue
        client.get(url, {"nam": year})  # charts cached, as in the warm figures
        clock = SqlClock(keep=True)
        with connection.execute_wrapper(clock):
            start = time.perf_counter()
            client.get(url, {"nam": year})
            total = (time.perf_counter() - start) * 1000
        print(f"\nwhere the page of {org.name} ({label}, {year}) spends its time: "
              f"{total:.1f} ms, {clock.seconds * 1000:.1f} ms of it in {clock.count} SQL "
              "statements (ms, the slowest first):")
        slowest = sorted(clock.statements, key=lambda statement: -statement[0])
        for seconds, sql, _params in slowest[:8]:
            print(f"  {seconds * 1000:8.1f}  {' '.join(sql.split())[:140]}")
        if postgresql:
            _seconds, sql, params = slowest[0]
            print("\n  EXPLAIN (ANALYZE, BUFFERS) of the slowest:")
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                lines = [line for (line,) in cursor.fetchall()]
            for line in lines[:40] + [line for line in lines[40:] if line.startswith(
                    ("Planning", "JIT", "  Timing", "Execution"))]:
                print(f"    {line[:160]}")
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(url, {"nam": year})
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(14)
        stats.sort_stats("cumulative").print_stats(r"hienmau|django/(template|db/models)", 22)
        print(f"\n  cProfile of one request ({label}; times inflated by the profiler), "
              "by own time, then cumulative within hienmau and Django:")
        for line in out.getvalue().splitlines():
            if line.strip() and not line.startswith(("   Ordered", "   List reduced")):
                print(f"  {line[:170]}")


def main():
    args = parse_args()
    code = code_state()
    setup_test_environment()
    today = timezone.localdate()
    if args.reuse:
        connection.settings_dict["NAME"] = args.reuse
        connection.close()
        print(f"database: {version()}, {args.reuse} reused")
        print_counts()
        run(args, today, code)
        return
    with throwaway_database("reports", keep=args.keep):
        start = time.perf_counter()
        timings = build(args, today)
        print(f"database: {version()}; built in "
              f"{time.perf_counter() - start:.1f} s")
        for label, seconds in timings.items():
            print(f"  {label:<52} {seconds:8.1f} s")
        print_counts()
        run(args, today, code)


def version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    return f"SQLite {connection.Database.sqlite_version}"


def code_state() -> str:
    """The commit measured, and the files under src/ changed since (work in progress);
    read when the run starts, with the report modules imported at once, so that the
    code timed is the code named here even if someone edits it meanwhile."""
    import subprocess

    import hienmau
    from hienmau.reports import dashboard, queries, views  # noqa: F401

    where = os.path.dirname(os.path.dirname(os.path.abspath(hienmau.__file__)))
    if os.path.abspath(where) != os.path.abspath("src"):
        return f"hienmau imported from {where}"
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "status", "--porcelain", "--", "src"],
                                 capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    changed = [name for name in changed if name.startswith("src/")]
    return f"git {head}" + (f", changed since: {', '.join(changed)}" if changed else "")


def run(args, today, code):
    print(f"code measured: {code}")
    print(f"load average (1 / 5 / 15 min) before timing: "
          f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    verdicts = measure(args, today)
    print("\ntargets (issue 7, the page's median; on PostgreSQL at 10.000.000 donations):")
    for year, label, median, target, verdict in verdicts:
        print(f"  {year} {label:<9} {median:8.1f} ms  < {thousands(target)} ms: {verdict}")
    diagnose(today)
    print(f"\nload average (1 / 5 / 15 min) after timing: "
          f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    sys.exit(main())
