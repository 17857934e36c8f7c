"""Who is this person? The registry's one rule (donors.matching), as one table of cases;
tests/test_identity_doors.py shows every door gives the same answer."""

import datetime

import pytest

from hienmau.donors import matching, merge
from hienmau.donors import services as donors
from hienmau.donors.matching import CONFLICT, NEW, SAME
from hienmau.donors.models import Donor

HUNG = {"full_name": "Nguyễn Văn Hùng", "birth_year": 1990, "id_type": "cccd",
        "id_number": "001090012345", "phone": "+84912345678"}  # the `hung` fixture
LAN = {"full_name": "Trần Thị Lan", "birth_year": 1995, "phone": "+84913000111"}
NEW_CCCD = "001195099999"  # a woman born in 1995, on nobody's record

CASES = [
    # (what was typed, outcome, whose record)
    (HUNG, SAME, "hung"),
    (HUNG | {"full_name": "nguyen van HUNG"}, SAME, "hung"),  # case, diacritics
    (HUNG | {"phone": "+84987000000"}, SAME, "hung"),  # the document decides, not the phone
    (HUNG | {"full_name": "Lê Văn Tám"}, CONFLICT, "hung"),
    (HUNG | {"birth_year": 1991}, CONFLICT, "hung"),
    (HUNG | {"birth_year": None}, SAME, "hung"),  # a year not given does not disagree
    (HUNG | {"id_type": "cmnd"}, NEW, None),  # same digits, another document
    (HUNG | {"id_type": "", "id_number": None}, SAME, "hung"),  # name, year, phone
    (HUNG | {"id_number": "001090099999"}, NEW, None),  # he holds another document
    (LAN, SAME, "lan"),
    (LAN | {"full_name": "TRAN THI LAN"}, SAME, "lan"),
    (LAN | {"birth_year": None}, SAME, "lan"),
    (LAN | {"phone": "+84913000222"}, SAME, "lan"),  # her other number
    (LAN | {"birth_year": 1996}, NEW, None),
    (LAN | {"full_name": "Trần Văn Nam"}, NEW, None),  # a family's shared phone
    (LAN | {"phone": ""}, NEW, None),  # a name and a year alone are not a person
    (LAN | {"id_type": "cccd", "id_number": NEW_CCCD}, SAME, "lan"),  # no document before
    (LAN | {"full_name": "Trần Thị Hoa"}, NEW, None),
]


@pytest.fixture
def records(hung, office, tree):
    lan = donors.create_donor(actor=office, full_name="Trần Thị Lan", birth_year=1995,
                              sex="F", phone="0913 000 111", phone_other="0913 000 222",
                              home=tree["district_two"])
    return {"hung": hung, "lan": lan}


@pytest.mark.parametrize(("typed", "outcome", "whose"), CASES)
def test_the_rule(records, typed, outcome, whose):
    match = matching.find(typed)
    assert (match.outcome, match.donor) == (outcome, records.get(whose))


def test_merged_and_erased_records(records, office, tree):
    """A document held by a merged-away record leads to the record it was merged into;
    an erased record is nobody."""
    copy = donors.create_donor(actor=office, full_name="Nguyễn Văn Hùng", birth_year=1990,
                               phone="0987 000 000", home=tree["district_one"])
    merge.merge_donors(copy, records["hung"], actor=office)  # the copy keeps, takes the CCCD
    assert matching.find(HUNG) == matching.Match(SAME, copy, True)
    Donor.objects.filter(pk=records["lan"].pk).update(erased_at=datetime.datetime.now(
        datetime.UTC), identity_key=None)
    assert matching.find(LAN).outcome == NEW


def test_creating_a_person_on_record_is_refused_naming_them_only_to_who_sees_them(
        records, office, coordinator):
    """Every door writes through create_donor, which applies the rule: the record is
    named (and offered) to a user who sees it, to nobody else."""
    with pytest.raises(donors.DonorError) as seen:
        donors.create_donor(actor=office, **LAN, home=records["lan"].home)
    assert seen.value.donor == records["lan"] and "Trần Thị Lan" in seen.value.message
    with pytest.raises(donors.DonorError) as unseen:  # district one's coordinator
        donors.create_donor(actor=coordinator, **LAN, home=records["hung"].home)
    assert unseen.value.donor is None and "Lan" not in unseen.value.message
    assert "đơn vị khác" in unseen.value.message
    assert Donor.objects.count() == 2


def test_the_database_keeps_one_record_per_person_without_a_document(records, tree):
    """What the rule says is held by the database too, whoever writes (two desks at once,
    an import's plain rows)."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Donor.objects.create(full_name="Trần  thị LAN", birth_year=1995, phone="+84913000111",
                             home=tree["district_one"])
    # A record with a document, or another year, is another key.
    Donor.objects.create(full_name="Trần Thị Lan", birth_year=1996, phone="+84913000111",
                         home=tree["district_one"])
    assert records["lan"].identity_key == "tran thi lan|1995|+84913000111"


def test_the_migration_keeps_the_key_on_the_oldest_of_existing_duplicates(tree):
    """Records typed twice before the rule must not make the migration fail: the oldest
    keeps the key, the other none (the duplicates review proposes the pair)."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("hienmau.donors.migrations.0015_donor_identity_key")
    twice = []
    for _n in range(2):
        donor = Donor.objects.create(full_name="Trần Thị Lan", birth_year=1995,
                                     phone="+84913000111", home=tree["district_one"])
        Donor.objects.filter(pk=donor.pk).update(identity_key=None)  # as before the rule
        twice.append(donor.pk)
    other = Donor.objects.create(full_name="Lê Văn Tám", birth_year=1990, phone="+84913000111",
                                 home=tree["district_one"])
    Donor.objects.update(identity_key=None)
    migration.fill_keys(apps, None)
    keys = dict(Donor.objects.values_list("pk", "identity_key"))
    assert keys == {twice[0]: "tran thi lan|1995|+84913000111", twice[1]: None,
                    other.pk: "le van tam|1990|+84913000111"}


def test_editing_a_record_into_another_persons_key_is_refused_in_words(records, office):
    """Two records cannot come to hold one person either: an edit that would is refused
    with a sentence, not a database error."""
    other = donors.create_donor(actor=office, full_name="Trần Thị Lan", birth_year=1995,
                                phone="0913 000 999", home=records["lan"].home)
    with pytest.raises(donors.DonorError) as refused:
        donors.update_donor(other, actor=office, phone="0913 000 111")
    assert refused.value.code == "duplicate_person" and refused.value.donor == records["lan"]
