"""Text rules shared by every app: how names are stored and how they are compared.

Names are stored as written, in Unicode NFC (spreadsheets and phones send NFD too).
Comparison and search use a key without case, diacritics or extra spaces, so that
"nguyen van hung" finds "Nguyễn Văn Hùng" and "Mỹ Hào" meets "MỸ HÀO".
"""

import re
import unicodedata

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
