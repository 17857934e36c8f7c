"""An institution's own bag numbering as a pattern (`orgs.numbering`)."""

import pytest

from hienmau.orgs import numbering


@pytest.mark.parametrize(("number", "pattern", "follows"), [
    ("HM2024-000123", "HM####-######", True),
    ("hm 2024-000123", "HM####-######", True),  # typed: spaces, small letters
    ("HM2024-00012", "HM####-######", False),
    ("HX2024-000123", "HM####-######", False),
    ("AB12", "@@##", True),
    ("A112", "@@##", False),
    ("7Z-1", "**-#", True),
    ("25/000123", "##/######, HM########", True),  # one of several forms
    ("HM00000123", "##/######, HM########", True),
    ("ABC", "##/######, HM########", False),
    ("anything-1", "", True),  # no pattern: nothing to follow
])
def test_numbers_against_patterns(number, pattern, follows):
    assert numbering.follows(number, pattern) is follows


@pytest.mark.parametrize(("pattern", "message"), [
    ("HM-ABC", "phải có số thứ tự của túi"),
    ("HM_####", "có ký tự không dùng được: _"),
    ("#" * 31, "dài quá 30 ký tự"),
])
def test_a_pattern_that_cannot_be_a_bag_number_is_refused(pattern, message):
    with pytest.raises(numbering.PatternError, match=message):
        numbering.patterns(pattern)


def test_without_a_pattern_a_bag_number_needs_a_digit():
    assert numbering.looks_like_a_bag_number("PN-260612-001")
    assert numbering.looks_like_a_bag_number("b-1")
    assert not numbering.looks_like_a_bag_number("abc")
    assert not numbering.looks_like_a_bag_number("12;34")
    assert not numbering.looks_like_a_bag_number("")
