"""Search results: names ending with the words typed first, then the other names holding
every word, each part in Vietnamese list order (by given name); pages across the two
parts; counts that stop at a limit. Runs on SQLite and PostgreSQL alike."""

import pytest

from hienmau.donors import services
from hienmau.donors.models import Donor
from hienmau.donors.search import search


@pytest.fixture
def people(office, tree):
    names = ["Nguyễn Văn Hùng", "Trần Văn Hùng", "Hùng Văn Nguyễn", "Nguyễn Văn Hùng Anh",
             "Lê Nguyễn Văn Hưng", "Phạm Thị Hà", "Nguyễn Thị Thu Hà", "Đỗ Văn An"]
    return {name: services.create_donor(actor=office, full_name=name, birth_year=1990,
                                         home=tree["district_one"]) for name in names}


def names(rows):
    return [d.full_name for d in rows]


def test_names_ending_with_the_words_come_first_then_the_others_by_given_name(people):
    found = search(Donor.objects.all(), "van hung")
    # Ending with "van hung" (Hùng and Hưng alike), by given name and then the words before
    # it from the last; then the names holding both words elsewhere.
    assert names(found) == ["Nguyễn Văn Hùng", "Lê Nguyễn Văn Hưng", "Trần Văn Hùng",
                            "Nguyễn Văn Hùng Anh", "Hùng Văn Nguyễn"]
    assert names(search(Donor.objects.all(), "nguyen van hung")) == [
        "Nguyễn Văn Hùng", "Lê Nguyễn Văn Hưng", "Nguyễn Văn Hùng Anh", "Hùng Văn Nguyễn"]
    # "Hùng Văn Nguyễn" is called Nguyễn: first.
    assert names(search(Donor.objects.all(), "nguyen")) == [
        "Hùng Văn Nguyễn", "Nguyễn Văn Hùng Anh", "Nguyễn Thị Thu Hà", "Nguyễn Văn Hùng",
        "Lê Nguyễn Văn Hưng"]


def test_the_list_is_in_vietnamese_order_by_given_name(people):
    # By given name; the same given name by the words before it, from the last.
    assert names(search(Donor.objects.all(), ""))[:4] == [
        "Đỗ Văn An", "Nguyễn Văn Hùng Anh", "Phạm Thị Hà", "Nguyễn Thị Thu Hà"]


def test_pages_and_counts_run_across_the_two_parts(people):
    found = search(Donor.objects.all(), "nguyen")
    every = names(found)
    assert found.count() == len(every) == 5
    for start in range(6):
        for stop in range(start, 7):
            assert names(found[start:stop]) == every[start:stop], (start, stop)
    assert found[4].full_name == every[4]
    with pytest.raises(IndexError):
        found[5]
    capped = search(Donor.objects.all(), "nguyen", count_limit=2)
    assert capped.count() == 3  # "more than 2"


def test_a_partly_typed_last_word_still_finds_the_name(people):
    assert "Nguyễn Văn Hùng" in names(search(Donor.objects.all(), "nguyen van hu"))


@pytest.mark.django_db
def test_on_postgresql_the_sort_key_is_byte_ordered():
    """Migration 0008: with a language collation, a prefix range is not a prefix."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT collation_name FROM information_schema.columns "
                       "WHERE table_name = 'donors_donor' AND column_name = 'sort_key'")
        assert cursor.fetchone()[0] == "C"
