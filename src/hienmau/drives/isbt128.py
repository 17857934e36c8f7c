"""ISBT 128 donation identification numbers (DIN), as a blood bag's barcode carries them.

A DIN is 13 characters: the facility identification number (FIN, a letter and four
digits, assigned by ICCBBA), the year of collection (2 digits) and a sequence number
(6 digits), e.g. G1234 24 123456. Scanned from the bag, it comes as "=" + DIN + two flag
characters ("=G123424123456" + "00"); typed from the label, it may carry the
eye-readable check character printed in a box after it ("G1234 24 123456 H").

The check character is ISO/IEC 7064 MOD 37-2 over the 13 characters (JPAC Red Book,
Annex 2 "ISBT 128 check character calculation", worked example G123498654321 → H).
Flag characters 60–96 are that checksum plus 60: a scanner's way of carrying it.
"""

import re
from typing import NamedTuple

from django.utils.translation import gettext as _

from hienmau.errors import RuleError

CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*"
_DIN = re.compile(r"^[A-Z]\d{4}\d{2}\d{6}$")


class DinError(RuleError, ValueError):
    default_code = "invalid_din"


class Din(NamedTuple):
    facility: str  # FIN: letter + 4 digits
    year: str  # 2 digits
    sequence: str  # 6 digits

    @property
    def number(self) -> str:
        return f"{self.facility}{self.year}{self.sequence}"

    @property
    def check_character(self) -> str:
        return check_character(self.number)

    def __str__(self) -> str:
        """As printed on the label: G1234 24 123456 H."""
        return f"{self.facility} {self.year} {self.sequence} {self.check_character}"


def checksum(number: str) -> int:
    """ISO 7064 MOD 37-2 over `number` (0–36)."""
    total = 0
    for character in number:
        total = (total + CHARACTERS.index(character)) * 2 % 37
    return (38 - total) % 37


def check_character(number: str) -> str:
    return CHARACTERS[checksum(number)]


def parse(text: str) -> Din:
    """The DIN in what a scanner sent or a person typed; DinError (Vietnamese) otherwise.

    Accepted: "=G123424123456" + 2 flag characters (scanned), the 13 characters alone,
    or followed by the eye-readable check character; spaces and dashes ignored."""
    compact = re.sub(r"[\s\-]", "", text or "").upper()
    flags = check = None
    if compact.startswith("="):
        compact = compact[1:]
        if len(compact) == 15:
            compact, flags = compact[:13], compact[13:]
    elif len(compact) == 14:
        compact, check = compact[:13], compact[13]
    if not _DIN.match(compact):
        raise DinError(_("Mã túi “%(text)s” không phải mã hiến máu ISBT 128: cần 13 ký tự, "
                         "1 chữ cái và 12 chữ số (ví dụ G1234 24 123456).")
                       % {"text": (text or "").strip()})
    din = Din(compact[:5], compact[5:7], compact[7:])
    if check is not None and check != din.check_character:
        raise DinError(_("Ký tự kiểm tra “%(given)s” không khớp mã túi %(number)s (phải là "
                         "“%(expected)s”); hãy quét hoặc gõ lại.")
                       % {"given": check, "number": din.number,
                          "expected": din.check_character})
    if flags is not None and flags.isdigit() and 60 <= int(flags) <= 96 \
            and int(flags) - 60 != checksum(din.number):
        raise DinError(_("Mã quét được bị sai ký tự kiểm tra; hãy quét lại."))
    return din
