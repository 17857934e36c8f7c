"""Fast inserts (imports.bulk): reserved ids, generated UUIDs, lookups by many ids, on
the database the suite runs on (SQLite, PostgreSQL in CI)."""

import uuid

import pytest
from django.db import transaction
from django.utils import timezone

from hienmau.donors.models import Consent, Donor
from hienmau.drives.registrations import new_references
from hienmau.imports import bulk
from hienmau.imports.rows import _id_number, _phone

pytestmark = pytest.mark.django_db


def _donor_row(pk, n, home):
    return {"id": pk, "full_name": f"Người {n}", "name_key": f"nguoi {n}",
            "sort_key": f"{n} nguoi", "birth_year": 1990, "home_id": home.pk}


def test_reserved_ids_are_the_ids_rows_get_and_later_rows_come_after(tree):
    home = tree["district_one"]
    existing = Donor.objects.create(full_name="Đã có", birth_year=1980, home=home)
    with transaction.atomic():
        ids = bulk.reserve_ids(Donor, 3)
        bulk.insert(Donor, [_donor_row(pk, n, home) for n, pk in enumerate(ids)])
        bulk.insert(Consent, [{"donor_id": pk, "purpose": Consent.Purpose.REGISTRY,
                               "channel": Consent.Channel.IMPORT, "given_at": timezone.now()}
                              for pk in ids])
    assert len(set(ids)) == 3 and min(ids) > existing.pk
    assert sorted(Donor.objects.filter(name_key__startswith="nguoi")
                  .values_list("pk", flat=True)) == sorted(ids)
    assert Consent.objects.filter(donor_id__in=ids).count() == 3
    # The sequence (or SQLite's largest id) moved on too.
    later = Donor.objects.create(full_name="Sau", birth_year=1980, home=home)
    assert later.pk > max(ids)
    codes = list(Donor.objects.filter(pk__in=ids).values_list("code", flat=True))
    assert len(set(codes)) == 3 and all(code.version == 4 for code in codes)


@pytest.mark.django_db(transaction=True)
def test_reserving_ids_on_sqlite_needs_the_inserting_transaction():
    from django.db import connection
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's sequence hands ids out in any transaction")
    with pytest.raises(RuntimeError):
        bulk.reserve_ids(Donor, 2)


def test_random_uuids_are_version_4_and_distinct():
    next_uuid = bulk.random_uuids(batch=8)
    values = [uuid.UUID(next_uuid()) for _ in range(100)]  # crosses several batches
    assert len(set(values)) == 100
    assert all(value.version == 4 and value.variant == uuid.RFC_4122 for value in values)


def test_in_ids_finds_rows_by_many_ids_and_by_a_foreign_key(tree):
    home = tree["district_one"]
    donors = [Donor.objects.create(full_name=f"Người {n}", birth_year=1980, home=home)
              for n in range(5)]
    wanted = [d.pk for d in donors[:3]] + [10**9]
    found = list(bulk.in_ids(Donor.objects.all(), wanted, chunk=2))
    assert sorted(d.pk for d in found) == wanted[:3]
    assert {d.pk for d in bulk.in_ids(Donor.objects.all(), [home.pk], field="home")} == {
        d.pk for d in donors}
    assert list(bulk.in_ids(Donor.objects.all(), [])) == []


def test_references_come_many_at_once_in_the_usual_form():
    references = new_references(500)
    assert len(set(references)) == 500
    assert all(len(r) == 11 and r.startswith("HM-") for r in references)
    assert not set("".join(r[3:] for r in references)) - set("234679ACDEFGHJKMNPQRTUVWXYZ")


@pytest.mark.parametrize("fast, typed", [
    ("001090012345", " 001.090.012.345 "), ("079201000123", "079 201 000 123"),
])
def test_a_plain_cccd_reads_as_the_same_number_typed_any_way(fast, typed):
    assert _id_number(fast, None) == _id_number(typed, None)


@pytest.mark.parametrize("fast, typed", [
    ("0912345678", "+84 912 345 678"), ("0362345678", "0362.345.678"),
    ("02438251234", "024 3825 1234"),  # a landline takes the general path
])
def test_a_plain_phone_reads_as_the_same_number_typed_any_way(fast, typed):
    assert _phone(fast, None) == _phone(typed, None)


def test_an_import_draws_references_distinct_from_each_other_and_from_the_stored(
        monkeypatch, tree, hung):
    """Random references can collide (about once in fifty 100.000-row imports): the
    draw is repeated until every reference is new."""
    from hienmau.drives.models import Registration
    from hienmau.imports import registration_import
    from hienmau.plans.models import Drive

    drive = Drive.objects.create(date=timezone.localdate(), venue="X",
                                 organizer=tree["district_one"], expected_units=1)
    Registration.objects.create(drive=drive, donor=hung, source="import",
                                reference="HM-AAAAAAAA")
    draws = iter([["HM-AAAAAAAA", "HM-BBBBBBBB", "HM-BBBBBBBB"],  # taken, twice the same
                  ["HM-CCCCCCCC"], ["HM-DDDDDDDD"]])
    monkeypatch.setattr(registration_import, "new_references", lambda n: next(draws)[:n])
    assert registration_import._unique_references(3) == [
        "HM-BBBBBBBB", "HM-CCCCCCCC", "HM-DDDDDDDD"]
