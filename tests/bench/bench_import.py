"""Benchmark: importing registration lists (issue 5's speed targets).

    .venv/bin/python -m tests.bench.bench_import                               # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hienmau \\
        .venv/bin/python -m tests.bench.bench_import                           # PostgreSQL

Builds, in a throw-away database (PostgreSQL: test_hienmau_bench_import_<pid>; SQLite: a
temporary file), a province with a unit, a coordinator and a drive a month ahead, and
--known donors already on record (default 20.000, with donations). Generates its own
XLSX files with XlsxWriter: --rows rows (default 100.000; one in five a person already
on record, a few with errors, dates and phones typed in several ways) and a 1.000-row
one. Then times, as the coordinator's steps run them (`imports.runner`), reading and
validating the file, and writing it (donors upserted, registrations created), and the
1.000-row file's validation report. Prints peak memory (the process's maximum resident
set) after each step. Targets: 100.000 rows read, validated and imported in under 10 s;
peak memory under 600 MB; a 1.000-row file's report in under 2 s. Not part of the tests.
"""

import argparse
import datetime
import io
import os
import random
import resource
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

import xlsxwriter  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.bench.database import throwaway_database  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh", "Hữu", "Hồng"]
GIVEN = ["Hùng", "Lan", "Tuấn", "Hà", "Minh", "Hương", "Dũng", "Linh", "Nam", "Trang",
         "Khuê", "Phúc", "Sơn", "Yến", "Long", "Mai", "Quân", "Thảo", "Bình", "Châu"]
HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại",
          "Nhóm máu", "Ghi chú"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def person(i: int, rng: random.Random) -> tuple:
    male = rng.random() < 0.55
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    born = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randint(0, 35 * 365))
    cccd = f"001{(0 if male else 1) + (2 if born.year >= 2000 else 0)}{born.year % 100:02d}" \
           f"{i:06d}"
    phone = f"09{i:08d}"
    return name, born, "Nam" if male else "Nữ", cccd, phone


def make_file(rows: int, known: list[tuple], rng: random.Random) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["DANH SÁCH ĐĂNG KÝ HIẾN MÁU"])
    sheet.write_row(2, 0, HEADER)
    for r in range(rows):
        if known and r % 5 == 0:
            name, born, sex, cccd, phone = known[(r // 5) % len(known)]
        else:
            name, born, sex, cccd, phone = person(100_000 + r, rng)
        born_cell = (born.strftime("%d/%m/%Y") if r % 3 else born.strftime("%-d/%-m/%y")
                     if r % 2 else str(born.year))
        phone_cell = phone if r % 4 else f"+84 {phone[1:4]} {phone[4:7]} {phone[7:]}"
        if r % 997 == 0:
            born_cell = "31/02/1990"  # an error the report must show
        sheet.write_row(3 + r, 0, [r + 1, name, born_cell, sex, cccd, phone_cell,
                                   rng.choice(["O+", "A+", "B", ""]), ""])
    book.close()
    return out.getvalue()


def build(known_count: int, rng: random.Random):
    from hienmau.accounts.models import User
    from hienmau.donors.models import Donor, DonorUnit
    from hienmau.drives.models import Donation
    from hienmau.orgs import services
    from hienmau.orgs.models import Kind, Membership
    from hienmau.plans.models import Drive
    from hienmau.text import given_name_first, search_key

    province = services.create_organization(actor=None, parent=None, name="BCĐ tỉnh Bench",
                                            kind=Kind.PROVINCIAL_COMMITTEE, province_code=33)
    unit = services.create_organization(actor=None, parent=province, name="Công ty Bench",
                                        kind=Kind.COMPANY)
    user = User.objects.create_user("coordinator", password="x" * 12)
    Membership.objects.create(user=user, organization=unit, role="coordinator")
    drive = Drive.objects.create(date=timezone.localdate() + datetime.timedelta(days=30),
                                 venue="Nhà văn hóa", organizer=unit, expected_units=1000)
    known = [person(i, rng) for i in range(known_count)]
    donors = []
    for name, born, sex, cccd, phone in known:
        key = search_key(name)
        donors.append(Donor(full_name=name, name_key=key, sort_key=given_name_first(key),
                            birth_date=born, birth_year=born.year,
                            sex="M" if sex == "Nam" else "F", id_type="cccd",
                            id_number=cccd, phone=f"+84{phone[1:]}", home=unit))
    Donor.objects.bulk_create(donors, batch_size=5000)
    DonorUnit.objects.bulk_create([DonorUnit(donor=d, organization=unit) for d in donors],
                                  batch_size=5000)
    Donation.objects.bulk_create(
        [Donation(donor=d, date=timezone.localdate() - datetime.timedelta(days=rng.randint(
            30, 900)), volume_ml=350) for d in donors], batch_size=5000)
    return user, drive, known


def run(label: str, content: bytes, user, drive) -> None:
    from hienmau.drives.models import RegistrationImport
    from hienmau.imports import registration_import as ri
    from hienmau.imports import runner

    start = time.perf_counter()
    sheet = ri.read_sheet(content, "ds.xlsx")
    record = RegistrationImport.objects.create(
        drive=drive, file_name="ds.xlsx", file_sha256=ri.file_digest(content),
        file_data=content, mapping={str(i): n for i, n in sheet.mapping.items()},
        rows_total=len(sheet.rows) - sheet.header_index - 1, created_by=user)
    read = time.perf_counter() - start
    record = runner.validate(record.pk)
    validated = time.perf_counter() - start
    print(f"  {label}: read {read:.2f} s; read + validated {validated:.2f} s "
          f"({record.summary['rows']} rows, {record.summary['error']} errors, "
          f"{record.summary['known_donors']} known people); peak {peak_mb():.0f} MB")
    return record, start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--known", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    from hienmau.drives.models import ImportStatus, Registration
    from hienmau.imports import runner

    setup_test_environment()
    with throwaway_database("import"):
        rng = random.Random(args.seed)
        user, drive, known = build(args.known, rng)
        big = make_file(args.rows, known, rng)
        small = make_file(1000, known, rng)
        version = (connection.pg_version if connection.vendor == "postgresql"
                   else connection.Database.sqlite_version)
        print(f"database: {connection.vendor} {version}; {args.known:,} people on record; "
              f"files {len(big) / 1e6:.1f} MB ({args.rows:,} rows) and "
              f"{len(small) / 1e3:.0f} kB (1.000 rows); peak so far {peak_mb():.0f} MB"
              .replace(",", "."))
        print("1.000-row file, its validation report (target < 2 s):")
        run("1.000 rows", small, user, drive)
        print(f"{args.rows:,}-row file (target: everything < 10 s, peak < 600 MB):"
              .replace(",", "."))
        record, start = run(f"{args.rows:,} rows".replace(",", "."), big, user, drive)
        record = runner.write(record.pk, user.pk)
        total = time.perf_counter() - start
        assert record.status == ImportStatus.DONE, record.error
        print(f"  written: {record.registrations_created:,} registrations, "
              f"{record.donors_created:,} new donors; read + validated + written "
              f"{total:.2f} s; peak {peak_mb():.0f} MB".replace(",", "."))
        again = time.perf_counter()
        record2, _start = run("the same file again", big, user, drive)
        record2 = runner.write(record2.pk, user.pk)
        print(f"  again: {record2.registrations_created} registrations created, "
              f"{time.perf_counter() - again:.2f} s in all; "
              f"{Registration.objects.count():,} registrations in the database"
              .replace(",", "."))


if __name__ == "__main__":
    sys.exit(main())
