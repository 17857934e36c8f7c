"""The checks that catch hand-typed plans' mistakes, as plain functions."""

import datetime

from hienmau.plans.checks import (
    over_capacity,
    parse_weekday,
    similar_name_pairs,
    text_weekday_mismatches,
    uncovered,
    weekday_mismatch,
)

D = datetime.date


def test_seed_001_sunday_that_is_a_monday_is_caught():
    text = "dự kiến tổ chức vào ngày 16/6/2025 (Chủ nhật) tại Trung tâm Y tế TP Móng Cái"
    assert text_weekday_mismatches(text) == [(D(2025, 6, 16), "Chủ nhật", "Thứ Hai")]


def test_correct_weekdays_stay_silent_in_every_spelling():
    assert text_weekday_mismatches("ngày 15/6/2025 (Chủ nhật), Thứ 2, ngày 16/06/2025") == []
    assert weekday_mismatch(D(2025, 6, 16), "Thứ Hai") is None
    assert weekday_mismatch(D(2025, 6, 16), "thứ 2") is None
    assert weekday_mismatch(D(2025, 6, 16), "T2") is None
    assert weekday_mismatch(D(2025, 6, 16), "") is None
    assert weekday_mismatch(D(2025, 6, 16), "buổi sáng") is None


def test_weekday_names_parse():
    assert [parse_weekday(t) for t in ["Thứ Hai", "THỨ BẢY", "Chủ Nhật", "CN", "thu tu"]] == [
        0, 5, 6, 6, 2]


def test_a_quota_the_drives_do_not_reach_is_reported_with_subtree_credit():
    quotas = [("district", "0001", 1000), ("company", "00010001", 300)]
    planned = [("0001", 500), ("00010001", 250), ("0002", 900)]
    assert uncovered(quotas, planned) == [("district", 1000, 750), ("company", 300, 250)]
    assert uncovered([("district", "0001", 750)], planned) == []


def test_institution_capacity_by_drives_or_units():
    booked = {("nihbt", D(2024, 3, 6)): (2, 1650), ("nihbt", D(2024, 3, 7)): (1, 300),
              ("vietduc", D(2024, 3, 6)): (3, 900)}
    capacities = {"nihbt": (None, 1200), "vietduc": (2, None)}
    assert over_capacity(booked, capacities) == [
        ("nihbt", D(2024, 3, 6), 2, 1650), ("vietduc", D(2024, 3, 6), 3, 900)]
    assert over_capacity(booked, {}) == []


def test_look_alike_unit_names_in_a_plan():
    names = [(1, "BCĐ vận động HMTN thị xã Mỹ Hào"), (2, "BCĐ vận động HMTN thị xã Mỹ Hòa"),
             (3, "BCĐ vận động HMTN huyện Ân Thi")]
    assert [(a, b) for a, _na, b, _nb in similar_name_pairs(names)] == [(1, 2)]
