"""Benchmark: the organization screens and API on a national-size tree.

    .venv/bin/python -m tests.bench.bench_orgs            # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hienmau \
        .venv/bin/python -m tests.bench.bench_orgs                 # PostgreSQL

Builds, in a throw-away test database, 34 provinces × 100 communes × 3 units plus an
industrial-zone committee with 2.000 companies (≈ 15.700 organizations), then times
the pages people wait for, through Django's test client (templates included), and
prints the median and worst of 20 requests each. Not part of the test run.
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

PROVINCES, COMMUNES, UNITS, COMPANIES, RUNS = 34, 100, 3, 2000, 20


def build_tree():
    from hienmau.accounts.models import User
    from hienmau.orgs.models import Kind, Membership, Organization
    from hienmau.text import search_key

    rows = []

    def add(parent_path, depth, pos, name, kind):
        path = Organization._get_path(parent_path, depth, pos)
        rows.append(Organization(path=path, depth=depth, numchild=0, name=name,
                                 name_key=search_key(name), kind=kind))
        return path

    root = add(None, 1, 1, "BCĐ Quốc gia", Kind.NATIONAL_COMMITTEE)
    for p in range(1, PROVINCES + 1):
        province = add(root, 2, p, f"BCĐ tỉnh số {p}", Kind.PROVINCIAL_COMMITTEE)
        for c in range(1, COMMUNES + 1):
            commune = add(province, 3, c, f"BCĐ xã Khoái Châu {p}-{c}", Kind.COMMUNE_COMMITTEE)
            for u in range(1, UNITS + 1):
                add(commune, 4, u, f"Trường THPT {p}-{c}-{u}", Kind.UNIVERSITY)
        if p == 1:
            zone = add(province, 3, COMMUNES + 1, "BCĐ các KCN", Kind.INDUSTRIAL_ZONE_COMMITTEE)
            for n in range(1, COMPANIES + 1):
                add(zone, 4, n, f"Công ty TNHH sản xuất {n}", Kind.COMPANY)
    # numchild drives the tree's unfold buttons: count each node's children in memory.
    children = {}
    for row in rows:
        parent = row.path[: -Organization.steplen]
        children[parent] = children.get(parent, 0) + 1
    for row in rows:
        row.numchild = children.get(row.path, 0)
    Organization.objects.bulk_create(rows, batch_size=2000)
    province = Organization.objects.get(name="BCĐ tỉnh số 1")
    commune = Organization.objects.get(name="BCĐ xã Khoái Châu 1-1")
    office = User.objects.create_user("office", password="x" * 12)
    coordinator = User.objects.create_user("coordinator", password="x" * 12)
    Membership.objects.create(user=office, organization=province, role="office")
    Membership.objects.create(user=coordinator, organization=commune, role="coordinator")
    return len(rows), province, office, coordinator


def timed(client, url):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), max(times)


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        start = time.perf_counter()
        count, province, office, coordinator = build_tree()
        print(f"database: {connection.vendor}; {count:,} organizations built in "
              f"{time.perf_counter() - start:.1f} s".replace(",", "."))
        for user in (office, coordinator):
            client = Client()
            client.force_login(user)
            print(f"\nas {user.username} (median / worst of {RUNS}, ms)")
            pages = [("home", "/"), ("tree", "/don-vi/"),
                     ("search 'khoai chau 1-1'", "/don-vi/?q=khoai+chau+1-1"),
                     ("API list", "/api/organizations")]
            if user is office:
                pages += [("province detail", f"/don-vi/{province.code}/"),
                          ("duplicates page", "/don-vi/trung-lap/"),
                          ("children of the zone (2.000)",
                           f"/don-vi/{province.children().get(name='BCĐ các KCN').code}"
                           "/truc-thuoc/")]
            for label, url in pages:
                median, worst = timed(client, url)
                print(f"  {label:<32} {median:8.1f} {worst:8.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
