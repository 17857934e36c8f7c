"""Probable duplicate organizations: the same unit typed twice under one parent.

Seed 002 writes one district town as "Mỹ Hào" in its appendix and "Mỹ Hòa" in its
body. Two sibling names are probable duplicates when their search keys (no case,
diacritics or extra spaces) are equal, or differ by a single typo — one letter
added, dropped, replaced, or two neighbours swapped ("hao"/"hoa") — while their
numbers agree ("Móng Cái 1" and "Móng Cái 2" are different wards).

The movement's names are written in full or as acronyms, and the acronyms are mistyped:
"Ban Chỉ đạo vận động hiến máu tình nguyện phường X", "BCĐ vận động HMTN phường X" and
"BCĐ VĐ HMTM phường X" are one committee. Names are compared with their acronyms spelt
out (`canonical_key`), so those are equal.
"""

import re
from collections import defaultdict
from collections.abc import Iterable

from hienmau.text import search_key

_NUMBERS = re.compile(r"\d+")
# Acronyms of the movement's words (and of the few administrative words that come with
# them) in search-key form, with the misspellings met in the documents ("HMTM": the N
# typed as the M beside it). A token that strings several together ("vdhmtn",
# "bcdhmtn") is spelt out piece by piece.
ACRONYMS = {
    "bcd": "ban chi dao",
    "vd": "van dong",
    "hmtn": "hien mau tinh nguyen",
    "hmtm": "hien mau tinh nguyen",
    "htmn": "hien mau tinh nguyen",
    "hmnt": "hien mau tinh nguyen",
    "hmnd": "hien mau nhan dao",
    "ctd": "chu thap do",
    "clb": "cau lac bo",
    "kcn": "khu cong nghiep",
    "ubnd": "uy ban nhan dan",
    "tp": "thanh pho",
    "tx": "thi xa",
}
_SINGLE_LETTERS = re.compile(r"\b(?:[a-z] ){1,}[a-z]\b")  # "h m t n" (from "H.M.T.N")
# A typo is only believable in a name long enough to have a distinctive part.
_MIN_LENGTH_FOR_TYPO = 5


def _within_one_edit(a: str, b: str) -> bool:
    """Optimal-string-alignment distance ≤ 1, in linear time."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        if a[i + 1:] == b[i + 1:]:
            return True  # one substitution
        return a[i:i + 2] == b[i:i + 2][::-1] and a[i + 2:] == b[i + 2:]  # swap
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1:] == shorter[i:]  # one insertion


def _spelt_out(token: str) -> str | None:
    """`token` as the words of the acronyms it strings together, or None."""
    if token in ACRONYMS:
        return ACRONYMS[token]
    if len(token) > 12 or not token.isalpha():  # no string of acronyms is longer
        return None
    for end in range(len(token) - 1, 1, -1):
        head, rest = ACRONYMS.get(token[:end]), None
        if head is not None:
            rest = _spelt_out(token[end:])
        if rest is not None:
            return f"{head} {rest}"
    return None


def canonical_key(key: str) -> str:
    """A search key with the movement's acronyms spelt out: "bcd van dong hmtm phuong x"
    → "ban chi dao van dong hien mau tinh nguyen phuong x"."""
    key = _SINGLE_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), key)
    return " ".join(_spelt_out(token) or token for token in key.split())


def keys_look_alike(key_a: str, key_b: str) -> bool:
    if key_a == key_b:
        return True
    key_a, key_b = canonical_key(key_a), canonical_key(key_b)
    if key_a == key_b:
        return True
    if _NUMBERS.findall(key_a) != _NUMBERS.findall(key_b):
        return False
    if min(len(key_a), len(key_b)) < _MIN_LENGTH_FOR_TYPO:
        return False
    return _within_one_edit(key_a, key_b)


def names_look_alike(name_a: str, name_b: str) -> bool:
    return keys_look_alike(search_key(name_a), search_key(name_b))


def probable_duplicate_pairs(orgs: Iterable) -> list[tuple]:
    """Pairs of siblings (same parent) whose names look alike, in tree order.

    `orgs` are Organization rows (anything with `path`, `steplen`, `name_key`).
    Comparing every pair would be quadratic (an industrial-zone committee can have
    thousands of companies), so only candidates are compared: two keys within one
    edit of each other, with the same numbers, always share a "deletion variant"
    (the key with one non-digit character removed, or the key itself).
    """
    siblings = defaultdict(list)
    for org in orgs:
        siblings[org.path[: -org.steplen]].append(org)  # the parent's path
    pairs = []
    for group in siblings.values():
        buckets = defaultdict(set)
        for index, org in enumerate(group):
            for variant in _deletion_variants(canonical_key(org.name_key)):
                buckets[variant].add(index)
        candidates = {(i, j) for bucket in buckets.values() if len(bucket) > 1
                      for i in bucket for j in bucket if i < j}
        pairs.extend((group[i], group[j]) for i, j in candidates
                     if keys_look_alike(group[i].name_key, group[j].name_key))
    return sorted(pairs, key=lambda pair: (pair[0].path, pair[1].path))


def unreviewed(pairs: list[tuple], reviewed: set[tuple[int, int]]) -> list[tuple]:
    """The pairs nobody has yet confirmed to be two different units."""
    return [(a, b) for a, b in pairs
            if ((a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)) not in reviewed]


def _deletion_variants(key: str) -> set[tuple]:
    # Digits are never deleted, and the numbers are part of the bucket: "Công ty số 12"
    # and "Công ty số 13" must not even become candidates.
    numbers = tuple(_NUMBERS.findall(key))
    variants = {key} | {key[:i] + key[i + 1:] for i, ch in enumerate(key) if not ch.isdigit()}
    return {(numbers, variant) for variant in variants}
