"""Who may change a donor's record: `changeable_donors` (many at once, as imports ask)
answers as `can_change_donor` (one record, as the pages ask)."""

import pytest

from hienmau.donors import services
from hienmau.donors.access import can_change_donor, changeable_donors


@pytest.fixture
def people(tree, office):
    def person(name, home, workplace=None):
        return services.create_donor(actor=office, full_name=name, birth_year=1990,
                                     home=tree[home], workplace=workplace and tree[workplace])
    return {"kept by district one": person("Nguyễn Văn An", "district_one"),
            "kept by district two, works in district one": person(
                "Trần Văn Bình", "district_two", "company"),
            "kept by district two": person("Lê Thị Chi", "district_two")}


# Who changes which record.
EXPECTED = {
    "coordinator": {"kept by district one", "kept by district two, works in district one"},
    "outsider": {"kept by district two, works in district one", "kept by district two"},
    "office": {"kept by district one", "kept by district two, works in district one",
               "kept by district two"},
    "viewer": set(),
    "staff": set(),
    "superuser": {"kept by district one", "kept by district two, works in district one",
                  "kept by district two"},
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_changeable_donors_agrees_with_can_change_donor(role, request, people):
    user = request.getfixturevalue(role)
    found = set(changeable_donors(user).filter(pk__in=[p.pk for p in people.values()]))
    assert {label for label, p in people.items() if p in found} == EXPECTED[role]
    assert {label for label, p in people.items() if can_change_donor(user, p)} == EXPECTED[role]


def test_nobody_signed_in_changes_nothing(people):
    assert not changeable_donors(None).exists()
