"""What a search box query means: a name without diacritics, an identity number or a
phone number; the same results on SQLite and PostgreSQL.

Names match word by word anywhere in the name ("nguyen hung" finds "Nguyễn Văn Hùng"),
on the stored search key. Results come in two parts, each in list order (by given
name): first the names that end with the words typed ("hung", "van hung", "nguyen van
hung": how people look a person up), found as a prefix of `sort_key` by a btree range,
then the other names holding every word (each word a LIKE '%…%' that the trigram index
of migration 0002 serves on PostgreSQL). A page is served by the first part whenever it
can: sorting every "Nguyễn Văn Hùng" among a million donors took 100–400 ms, reading
the first 50 of the range takes a few (tests/bench/bench_donors.py).
"""

import contextlib
import re

from django.db.models import Q

from hienmau.donors import identity
from hienmau.text import given_name_first, search_key

# Above every character: the end of a prefix range on byte-ordered keys.
_LAST_CHAR = chr(0x10FFFF)

_NUMBER_CHARS = re.compile(r"[\s.\-+()]")
# Shorter than a phone number or an identity number: not worth a lookup.
_MIN_DIGITS = 8


class Matches:
    """Search results as consecutive parts, each a QuerySet in its own order and none
    holding another's rows; a slice reads the parts in turn and stops once it has its
    rows. Paginators take it as they take a QuerySet (count, slicing)."""

    ordered = True

    def __init__(self, *parts, count_limit: int | None = None):
        self.parts, self.count_limit = parts, count_limit

    def all(self):
        return self

    def count(self) -> int:
        """The number of matches, or `count_limit` + 1 once there are more than that."""
        total = 0
        for part in self.parts:
            if self.count_limit is None:
                total += part.count()
                continue
            total += part.order_by()[:self.count_limit + 1 - total].count()
            if total > self.count_limit:
                break
        return total

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        for part in self.parts:
            yield from part

    def __getitem__(self, index):
        if not isinstance(index, slice):
            rows = self[index:index + 1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        start, stop = index.start or 0, index.stop
        rows, offset = [], start
        for part in self.parts:
            want = None if stop is None else stop - start - len(rows)
            if want is not None and want <= 0:
                break
            got = list(part[offset:] if want is None else part[offset:offset + want])
            rows += got
            if want is not None and len(got) == want:
                break
            # This part ends here: skip its rows in the next one's offset.
            size = offset + len(got) if got else part.order_by()[:offset].count()
            offset = max(0, offset - size)
        return rows


def search(donors, text: str, count_limit: int | None = None) -> Matches:
    """`donors` matching `text` (see the module's docstring), in list order."""
    text = (text or "").strip()
    digits = _NUMBER_CHARS.sub("", text)
    if digits.isdigit() and len(digits) >= _MIN_DIGITS:
        # Each condition on its own index, then the few records they name: SQLite, given
        # the OR in one query with the list's order, walked the whole name index (2,5 s
        # at a million donors, tests/bench/bench_donors.py).
        model = donors.model
        pks = set()
        for condition in _number_filter(digits, text).children:
            pks.update(model.objects.filter(Q(condition)).order_by()
                       .values_list("pk", flat=True)[:100])
        # By key: the few rows are fetched by their keys. Given the list's order, SQLite
        # walks the name index to the end looking for them.
        found = donors.filter(pk__in=pks).order_by("pk")
        return Matches(found, count_limit=count_limit)
    words = search_key(text).split()
    if not words:
        return Matches(donors.order_by("sort_key", "pk"), count_limit=count_limit)
    ending = given_name_first(" ".join(words))
    ends_so = Q(sort_key__gte=ending, sort_key__lt=ending + _LAST_CHAR)
    holds_every_word = search_filter(text)
    return Matches(donors.filter(ends_so).order_by("sort_key", "pk"),
                   donors.filter(holds_every_word).exclude(ends_so).order_by("sort_key", "pk"),
                   count_limit=count_limit)


def search_filter(text: str) -> Q:
    text = (text or "").strip()
    digits = _NUMBER_CHARS.sub("", text)
    if digits.isdigit() and len(digits) >= _MIN_DIGITS:
        return _number_filter(digits, text)
    words = search_key(text).split()
    if not words:
        return Q()
    q = Q()
    for word in words:
        q &= Q(name_key__contains=word)
    return q


def _number_filter(digits: str, text: str) -> Q:
    # An identity number as typed, or with the leading zeros a spreadsheet dropped.
    numbers = {digits}
    for doc_type in (identity.CCCD, identity.CMND):
        with contextlib.suppress(identity.IdentityError):
            numbers.add(identity.normalize_id_number(digits, doc_type))
    q = Q(id_number__in=numbers)
    try:
        phone = identity.normalize_phone(text)
    except identity.IdentityError:
        return q
    # An OR of conditions each answered by an index; the second phone's condition names
    # its partial index's own (Donor.Meta.indexes).
    return q | Q(phone=phone) | (Q(phone_other=phone) & ~Q(phone_other=""))
