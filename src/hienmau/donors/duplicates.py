"""Probable duplicates in the registry, for a person to review.

Exact duplicates (one identity document, two records) cannot exist: the database refuses
them. Probable ones are records of one name (search key) and one birth date, or of one
phone and one given name ("Nguyễn Văn Hùng" and "Nguyễn Hùng" on the same number). Found
with two GROUP BY queries, then paired in Python within each small group.
"""

from collections import defaultdict
from itertools import combinations
from typing import NamedTuple

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from hienmau.donors.models import NotDuplicate

REASONS = {
    "name_birth": _("Cùng họ tên và ngày sinh"),
    "phone_name": _("Cùng số điện thoại và tên"),
}


class Pair(NamedTuple):
    first: object
    second: object
    reason: str

    @property
    def reason_label(self) -> str:
        return REASONS[self.reason]


def same_birth(a, b) -> bool:
    """One birth date, or one birth year where a record knows only the year."""
    if a.birth_date and b.birth_date:
        return a.birth_date == b.birth_date
    return a.birth_year == b.birth_year


def given_name(donor) -> str:
    return donor.name_key.rsplit(" ", 1)[-1]


def probable_pairs(donors) -> list[Pair]:
    """Pairs among `donors` (an already scoped queryset) that may be one person."""
    # Group over a plain subquery: the scope's DISTINCT and ordering would otherwise
    # split every group into rows of one.
    donors = donors.model.objects.filter(pk__in=donors.values("pk")).select_related("home")
    found: dict[tuple, Pair] = {}
    names = (donors.order_by().values("name_key", "birth_year").annotate(n=Count("pk"))
             .filter(n__gt=1).values_list("name_key", flat=True))
    groups = defaultdict(list)
    for donor in donors.filter(name_key__in=list(names)):
        groups[(donor.name_key, donor.birth_year)].append(donor)
    for group in groups.values():
        for a, b in combinations(group, 2):
            if same_birth(a, b):
                found[_key(a, b)] = Pair(*_ordered(a, b), "name_birth")
    phones = (donors.exclude(phone="").order_by().values("phone").annotate(n=Count("pk"))
              .filter(n__gt=1).values_list("phone", flat=True))
    groups = defaultdict(list)
    for donor in donors.filter(phone__in=list(phones)):
        groups[donor.phone].append(donor)
    for group in groups.values():
        for a, b in combinations(group, 2):
            if given_name(a) == given_name(b):
                found.setdefault(_key(a, b), Pair(*_ordered(a, b), "phone_name"))
    reviewed = set(NotDuplicate.objects.filter(first__in=[p.first.pk for p in found.values()])
                   .values_list("first", "second"))
    return sorted((p for k, p in found.items() if k not in reviewed),
                  key=lambda p: (p.first.name_key, p.first.pk))


def _ordered(a, b):
    return (a, b) if a.pk < b.pk else (b, a)


def _key(a, b) -> tuple[int, int]:
    return tuple(sorted((a.pk, b.pk)))
