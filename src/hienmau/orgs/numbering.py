"""A receiving institution's own bag numbering, as a pattern its office writes down.

Institutions that label bags with ISBT 128 donation numbers say so
(`Organization.uses_isbt128`, checked by `drives.isbt128`). Others number bags their
own way; the office writes that way as a pattern, and a bag number that does not
follow it is refused at the collection station, as a mistyped or wrongly scanned code.

In a pattern `#` is a digit, `@` a letter, `*` a letter or a digit; any other letter,
digit or mark (`-`, `/`, `.`) stands for itself. Several patterns, separated by commas,
are several accepted forms. Spaces do not count, in the pattern or in the number, and
letters are compared in capitals: “hm 2024-000123” follows “HM####-######”.
"""

import re

from django.utils.translation import gettext as _

from hienmau.errors import RuleError

DIGIT, LETTER, EITHER = "#", "@", "*"
_LITERAL = re.compile(r"[A-Z0-9\-/.]")
MAX_LENGTH = 30


class PatternError(RuleError, ValueError):
    default_code = "invalid_pattern"


def compact(text: str) -> str:
    """The number as stored and compared: no spaces, capitals."""
    return re.sub(r"\s+", "", text or "").upper()


def patterns(text: str) -> list[str]:
    """The patterns written in `text` (comma-separated), compacted; PatternError
    (Vietnamese) for one that could not be a bag number's form."""
    found = [compact(part) for part in (text or "").split(",")]
    found = [pattern for pattern in found if pattern]
    for pattern in found:
        wrong = sorted({c for c in pattern if c not in (DIGIT, LETTER, EITHER)
                        and not _LITERAL.fullmatch(c)})
        if wrong:
            raise PatternError(_("Quy cách “%(pattern)s” có ký tự không dùng được: "
                                 "%(chars)s.") % {"pattern": pattern,
                                                  "chars": " ".join(wrong)})
        if not any(c in (DIGIT, EITHER) for c in pattern):
            raise PatternError(_("Quy cách “%(pattern)s” phải có số thứ tự của túi (ít nhất "
                                 "một dấu # hoặc *).") % {"pattern": pattern})
        if len(pattern) > MAX_LENGTH:
            raise PatternError(_("Quy cách “%(pattern)s” dài quá %(n)s ký tự.")
                               % {"pattern": pattern, "n": MAX_LENGTH})
    return found


def _regex(pattern: str) -> re.Pattern:
    parts = {DIGIT: "[0-9]", LETTER: "[A-Z]", EITHER: "[A-Z0-9]"}
    return re.compile("".join(parts.get(c, re.escape(c)) for c in pattern))


def follows(number: str, text: str) -> bool:
    """Whether `number` follows one of the patterns of `text` (True when there is none)."""
    found = patterns(text)
    return not found or any(_regex(p).fullmatch(compact(number)) for p in found)


def looks_like_a_bag_number(number: str) -> bool:
    """Where an institution wrote no numbering: letters, digits and marks, with at least
    one digit (the bag's serial number); “abc” is not a bag number."""
    number = compact(number)
    return bool(number) and len(number) <= MAX_LENGTH and bool(
        re.fullmatch(r"[A-Z0-9\-/.]+", number)) and any(c.isdigit() for c in number)
