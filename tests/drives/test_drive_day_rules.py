"""Drive-day rules as plain functions: ISBT 128 donation numbers and their check
characters, screening proposals and the bag sizes a donor may give."""

import dataclasses
import datetime
from decimal import Decimal

import pytest

from hienmau.donors.rules import DEFAULT_RULESET
from hienmau.drives import isbt128, screening

# JPAC Red Book, Annex 2: G123498654321 → checksum 17, eye-readable H, barcode flags 77.
WORKED = "G123498654321"


def test_the_published_worked_example_gives_h():
    assert isbt128.checksum(WORKED) == 17
    assert isbt128.check_character(WORKED) == "H"


@pytest.mark.parametrize("scanned", [
    "=G12349865432100",  # from the bag's barcode, plain flags
    "=G12349865432177",  # flags carrying the checksum (60 + 17)
    "G123498654321",  # typed, 13 characters
    "G1234 98 654321 H",  # typed from the label with its check character
    "g1234-98-654321-h",
])
def test_a_din_is_read_from_a_scanner_or_a_person(scanned):
    din = isbt128.parse(scanned)
    assert din.number == WORKED and str(din) == "G1234 98 654321 H"


@pytest.mark.parametrize("wrong", [
    "G1234 98 654321 J",  # wrong check character
    "=G12349865432178",  # flags carrying a wrong checksum
    "G12349865432",  # 12 characters
    "1123498654321",  # no letter first
    "GA23498654321",  # a letter among the digits
    "",
])
def test_a_wrong_din_is_refused_in_vietnamese(wrong):
    with pytest.raises(isbt128.DinError) as error:
        isbt128.parse(wrong)
    assert "mã" in error.value.message.lower() or "ký tự" in error.value.message


def test_every_check_character_satisfies_iso_7064():
    # ISO 7064 pure system: the characters weighted by 2^position from the right, the
    # check character with weight 1, sum to 1 modulo 37.
    for number in ("A000000000000", "Z999999999999", "W123424000001", WORKED):
        check = isbt128.check_character(number)
        weighted = sum(isbt128.CHARACTERS.index(character) * 2 ** (len(number) - i)
                       for i, character in enumerate(number))
        assert (weighted + isbt128.CHARACTERS.index(check)) % 37 == 1


@pytest.mark.parametrize("weight, sex, hb, sizes", [
    (Decimal("60"), "M", 135, [250, 350, 450]),
    (Decimal("45"), "M", 135, [250, 350]),  # 9 ml/kg: 405 ml
    (Decimal("44"), "F", 135, [250]),  # 42–45 kg: 250 ml only
    (Decimal("41"), "F", 135, []),  # under the women's minimum
    (Decimal("60"), "M", 122, [250]),  # Hb under 125: no bag from 350 ml
    (Decimal("60"), "M", 119, [250]),  # Hb under 120: deferral proposed; if overruled
    (Decimal("60"), "M", None, [250, 350, 450]),  # not measured: by weight
    (None, "M", 135, []),  # weight unknown
])
def test_allowed_volumes(weight, sex, hb, sizes):
    assert screening.allowed_volumes(weight, sex, DEFAULT_RULESET, hb) == sizes


def test_proposals_at_the_thresholds():
    rules = DEFAULT_RULESET
    assert screening.proposals(Decimal("60"), 125, "M", rules) == []
    smaller = screening.proposals(Decimal("60"), 124, "M", rules)
    assert [p.defer_reason for p in smaller] == [None] and smaller[0].max_volume_ml == 250
    low = screening.proposals(Decimal("60"), 119, "M", rules)
    assert [p.defer_reason for p in low] == ["hemoglobin"] and "119" in low[0].message
    assert screening.proposals(Decimal("60"), 120, "M", rules)[0].defer_reason is None
    light = screening.proposals(Decimal("41.5"), None, "F", rules)
    assert [p.defer_reason for p in light] == ["under_weight"] and "41,5" in light[0].message
    assert screening.proposals(Decimal("42"), None, "F", rules) == []


def test_reasons_give_the_period_of_the_rule_set():
    day, rules = datetime.date(2026, 6, 14), DEFAULT_RULESET
    assert screening.default_until("tattoo_piercing", day, rules) == (
        day + datetime.timedelta(days=182))
    assert screening.default_until("medication", day, rules) == day + datetime.timedelta(days=7)
    assert screening.default_until("hemoglobin", day, rules) is None
    assert screening.default_until("nonsense", day, rules) is None
    own = dataclasses.replace(rules, deferral_days={"hemoglobin": 84})
    assert screening.default_until("hemoglobin", day, own) == day + datetime.timedelta(days=84)
    assert screening.default_until("medication", day, own) is None
    assert screening.reason_choice(screening.REASONS["medication"], rules) == (
        "Đang dùng thuốc (kháng sinh, kháng viêm…) · 7 ngày")
    assert screening.reason_choice(screening.REASONS["pulse"], rules) == (
        "Mạch không đạt · ghi ngày hết tạm hoãn")
    assert screening.REASONS["permanent"].permanent
    assert screening.reason_label("acute_illness").startswith("Đang cảm")
