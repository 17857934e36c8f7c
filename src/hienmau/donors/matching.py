"""Who is this person? One answer for every door that brings a person into the registry:
the public sign-up, a coordinator's entry and the walk-in desk, a registration list
import and the API batch, a club's members (docs/domain.md §7.4).

The rule, given what was typed (already normalized by `services.clean_fields` or the
import's row reader):

1. With an identity document (type and number): the record holding that same document
   (or the record it was merged into) is the person when the name (its search key: no
   case, no diacritics) is the same and the birth years agree where both are known;
   otherwise it is a CONFLICT: one of the two is wrong, a person decides, nothing is
   overwritten. No record holds the document: a record *without* a document with the
   same name, birth year and phone is the person (they gave no document before); a
   record holding another document is another person.
2. Without a document: a live record (not merged, not erased) with the same name and
   the same phone (its main or other number), and the same birth year when both are
   known, is the person; the oldest if there are several.
3. Otherwise the person is NEW.

The database holds the rule under concurrent writes: a document is unique per type, and
so is `Donor.identity_key` (name, birth year, phone) among records without a document,
so two desks or two imports writing the same new person at once cannot both succeed.

`decide` applies the rule to candidates already loaded (the import loads 100.000 rows'
candidates in bulk); `find` loads them for one person. What a door may tell its user
about a match outside the user's scope is the door's business (`services.match_refusal`):
the public page and a club's leader never learn another unit's record.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Q

from hienmau.donors.models import Donor
from hienmau.text import search_key

NEW, SAME, CONFLICT = "new", "same", "conflict"


class Person(NamedTuple):
    """What a door knows of the person, normalized."""

    name_key: str
    birth_year: int | None = None
    id_type: str = ""
    id_number: str | None = None
    phone: str = ""

    @classmethod
    def of(cls, fields: dict) -> "Person":
        """From a donor's cleaned fields (`services.clean_fields`) or an import row's
        values: `full_name` or `name_key`, `birth_date`/`birth_year`, `id_type`,
        `id_number`, `phone`."""
        name_key = fields.get("name_key") or search_key(fields.get("full_name") or "")
        birth_year = fields.get("birth_year") or (
            fields["birth_date"].year if fields.get("birth_date") else None)
        return cls(name_key, birth_year, fields.get("id_type") or "",
                   fields.get("id_number") or None, fields.get("phone") or "")


@dataclass(frozen=True)
class Match:
    outcome: str  # NEW, SAME or CONFLICT
    donor: Donor | None = None  # the record found (SAME) or in the way (CONFLICT)
    by_document: bool = False  # found through the identity document


def _years_agree(donor, person: Person) -> bool:
    return not (donor.birth_year and person.birth_year
                and donor.birth_year != person.birth_year)


def same_person(donor, person: Person) -> bool:
    """Whether a record holding the person's document is them: same name, birth years
    agreeing where both are known."""
    return donor.name_key == person.name_key and _years_agree(donor, person)


def decide(person: Person, by_document: Donor | None, by_name_phone=()) -> Match:
    """The rule (module docstring) on candidates already loaded: `by_document` the record
    holding the person's document, if any (merged_into followed or not: it is followed
    here); `by_name_phone` the records sharing the person's phone (main or other) and
    name key, any state (this keeps to the live ones)."""
    if person.id_number and by_document is not None:
        donor = by_document.merged_into or by_document
        return Match(SAME if same_person(donor, person) else CONFLICT, donor, True)
    if not (person.phone and person.name_key):
        return Match(NEW)
    candidates = sorted(
        (d for d in by_name_phone
         if d.merged_into_id is None and d.erased_at is None
         and d.name_key == person.name_key and person.phone in (d.phone, d.phone_other)
         and _years_agree(d, person)
         # a record holding another document is another person
         and not (person.id_number and d.id_number)), key=lambda d: d.pk)
    return Match(SAME, candidates[0]) if candidates else Match(NEW)


def find(fields: dict | Person, *, exclude_pk=None) -> Match:
    """The rule for one person, looked up in the registry."""
    person = fields if isinstance(fields, Person) else Person.of(fields)
    by_document = None
    if person.id_number:
        by_document = (Donor.objects.filter(id_type=person.id_type, id_number=person.id_number)
                       .exclude(pk=exclude_pk).select_related("merged_into").first())
    by_name_phone = []
    if by_document is None and person.phone and person.name_key:
        by_name_phone = list(Donor.objects.filter(
            Q(phone=person.phone) | (~Q(phone_other="") & Q(phone_other=person.phone)),
            name_key=person.name_key).exclude(pk=exclude_pk))
    return decide(person, by_document, by_name_phone)
