"""What a search box query means: a name without diacritics, an identity number or a
phone number, as a single filter that works the same on SQLite and PostgreSQL.

Names match word by word anywhere in the name ("nguyen hung" finds "Nguyễn Văn Hùng"),
on the stored search key; on PostgreSQL each word is a LIKE '%…%' that the trigram
index of migration 0002 serves.
"""

import contextlib
import re

from django.db.models import Q

from hienmau.donors import identity
from hienmau.text import search_key

_NUMBER_CHARS = re.compile(r"[\s.\-+()]")
# Shorter than a phone number or an identity number: not worth a lookup.
_MIN_DIGITS = 8


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
    return q | Q(phone=phone) | Q(phone_other=phone)
