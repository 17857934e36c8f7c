"""Text rules shared by every app: how names are stored and how they are compared.

Names are stored as written, in Unicode NFC (spreadsheets and phones send NFD too).
Comparison and search use a key without case, diacritics or extra spaces, so that
"nguyen van hung" finds "Nguyễn Văn Hùng" and "Mỹ Hào" meets "MỸ HÀO".
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w\s]")


def clean_name(value: str) -> str:
    """The form a name is stored in: NFC, single spaces, no spaces at the ends."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def search_key(value: str) -> str:
    """Lower case, no diacritics (đ → d), punctuation as spaces, single spaces."""
    decomposed = unicodedata.normalize("NFD", value or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D").lower()
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", stripped)).strip()


def given_name_first(key: str) -> str:
    """"nguyen van hung" → "hung van nguyen": the words of a name from the given name
    back, the order Vietnamese lists sort people in (by tên, then đệm, then họ)."""
    return " ".join(reversed(key.split()))


def group_thousands(value: int) -> str:
    """13762 → "13.762": how Vietnamese documents write counts, whatever the screen's
    language (official papers and their warnings quote the documents' figures)."""
    return f"{value:,}".replace(",", ".")


# Characters no one types into a name, a note or a reason: C0 and C1 control characters
# (NUL, BEL…; tab and line breaks excepted), DEL, and the bidi embeddings, overrides and
# isolates (U+202A–U+202E, U+2066–U+2069) that make text read otherwise than it is stored.
# Documents (DOCX, XLSX) cannot hold the control characters at all.
# The longest free text (a note, a reason) any door takes: names and short fields have
# their own, smaller limits.
LONG_TEXT_MAX = 5000
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def unprintable_characters(value: str) -> list[str]:
    """The forbidden characters in `value` as code points ("U+202E"), in the order they
    appear."""
    found = []
    for ch in _UNPRINTABLE.findall(value or ""):
        code = f"U+{ord(ch):04X}"
        if code not in found:
            found.append(code)
    return found


def printable(value: str) -> str:
    """`value` without the forbidden characters: for documents written from data stored
    before those characters were refused."""
    return _UNPRINTABLE.sub("", value) if value else value


def text_error(value: str) -> str | None:
    """The Vietnamese message refusing `value`, or None when it may be stored."""
    found = unprintable_characters(value)
    if found:
        return _("Có ký tự không hợp lệ (%(codes)s), thường do dán từ nơi khác: hãy gõ lại "
                 "nội dung này.") % {"codes": ", ".join(found)}
    return None


def validate_text(value) -> None:
    """Django validator: the forbidden characters refused with a Vietnamese message."""
    if isinstance(value, str) and (message := text_error(value)):
        raise ValidationError(message, code="unprintable")
