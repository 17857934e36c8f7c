"""The report figures as plain functions, against figures worked out by hand."""

import datetime
from decimal import Decimal

import pytest

from hienmau.reports import metrics
from hienmau.reports.metrics import DriveFigures

D = datetime.date


MARCH = D(2023, 3, 5)


def drive(drive_id, units, expected=100, day=MARCH, **people):
    return DriveFigures(drive_id, day, expected, units, **people)


def test_percent_rounds_half_up_to_one_decimal():
    assert metrics.percent(18_499, 10_000) == Decimal("185.0")
    assert metrics.percent(18_499, 12_600) == Decimal("146.8")
    assert metrics.percent(1, 8) == Decimal("12.5")
    assert metrics.percent(1, 3) == Decimal("33.3")
    assert metrics.percent(5, 0) is None
    assert metrics.percent(None, 5) is None


@pytest.mark.parametrize("total, weights, parts", [
    (10, [1, 1], [5, 5]),
    (10, [1, 1, 1], [4, 3, 3]),  # the remainder to the earliest
    (297, [200, 50], [238, 59]),  # 237,6 and 59,4
    (7, [0, 0], [4, 3]),  # no weights: equal parts
    (0, [3, 5], [0, 0]),
    (1100, [300, 250, 200, 200, 150], [300, 250, 200, 200, 150]),
])
def test_apportion_adds_up(total, weights, parts):
    assert metrics.apportion(total, weights) == parts
    assert sum(parts) == total


def test_split_divides_every_count_by_the_shares():
    whole = drive(1, 297, expected=250, registered=620, present=590, deferred=293,
                  first_time=None, by_volume={350: 200, 250: 97},
                  deferrals={"hemoglobin": 200, "blood_pressure": 93})
    (a, first), (b, second) = metrics.split(whole, [("0001", 200), ("0002", 50)])
    assert (a, b) == ("0001", "0002")
    assert (first.units, second.units) == (238, 59)
    assert (first.expected, second.expected) == (200, 50)
    assert first.registered + second.registered == 620
    assert first.first_time is None and second.first_time is None
    assert first.by_volume[350] + second.by_volume[350] == 200
    assert sum(first.deferrals.values()) + sum(second.deferrals.values()) == 293


def test_totals_count_a_drive_once_and_people_only_where_known():
    parts = [
        drive(1, 100, expected=80, registered=150, present=120, deferred=20, first_time=30,
              repeat=68, by_volume={350: 60, 250: 40}, deferrals={"hemoglobin": 20}),
        drive(2, 50, expected=70, by_volume={450: 10, 350: 40}),  # people not given
        drive(2, 10, expected=10),  # another part of drive 2
    ]
    found = metrics.totals(parts)
    assert found.drives == 2
    assert (found.units, found.expected) == (160, 160)
    assert found.percent_of_expected == Decimal("100.0")
    assert found.sum_of("registered") == 150 and found.known["registered"] == 1
    assert found.first_time == 30
    assert found.repeat == 68  # people, not the 100 units less the first-time donors
    assert found.share_first_time == Decimal("30.6")  # 30 of the 98 people who gave
    assert found.registrations_per_unit == Decimal("1.50")
    # 150 bags of known volume, 110 of 350 ml or more
    assert found.share_large_bags == Decimal("73.3")
    # 60×350 + 40×250 + 10×450 + 40×350 = 49.500 ml, plus 10 bags of unknown volume as
    # 250 ml = 52.000 ml = 208 bags of 250 ml
    assert found.equivalents_250 == Decimal("208.0")
    assert found.deferrals == {"hemoglobin": 20}


def test_no_people_counts_show_as_unknown_not_zero():
    found = metrics.totals([drive(1, 40)])
    assert found.sum_of("registered") is None
    assert found.repeat is None and found.registrations_per_unit is None
    assert found.share_large_bags is None
    assert metrics.totals([]).drives == 0


def test_within_follows_the_tree():
    parts = [("0001", drive(1, 10)), ("00010001", drive(2, 20)), ("00010002", drive(3, 5)),
             ("0002", drive(4, 7))]
    assert [p.units for p in metrics.within(parts, ["0001"])] == [10, 20, 5]
    assert [p.units for p in metrics.within(parts, ["00010002", "0002"])] == [5, 7]


def test_totals_merge_and_count_a_drive_split_in_two_once():
    first, second = metrics.split(drive(9, 100, by_volume={350: 100}), [("a", 1), ("b", 1)])
    merged = metrics.merged([metrics.totals([first[1]]), metrics.totals([second[1]]),
                             metrics.Totals(whole_drives=2, units=30)])
    assert (merged.drives, merged.units, merged.by_volume[350]) == (3, 130, 100)


def test_months_of_a_plan_year():
    start, end = D(2022, 12, 1), D(2023, 11, 30)
    assert metrics.months(start, end)[0] == (2022, 12)
    assert metrics.months(start, end)[-1] == (2023, 11)
    assert len(metrics.months(start, end)) == 12
    assert metrics.cumulative([10, 12, 0, 3]) == [10, 22, 22, 25]


def test_needed_pace_is_a_straight_line_to_the_quota():
    line = metrics.needed_pace(12_000, D(2022, 12, 1), D(2023, 11, 30))
    assert line[-1] == 12_000
    assert line[0] == round(12_000 * 31 / 365)  # December: 31 of 365 days
    assert line == sorted(line)


def test_at_risk_and_previous_year():
    assert metrics.at_risk(500, 300, 900)
    assert not metrics.at_risk(500, 400, 900)
    assert not metrics.at_risk(0, 0, None)
    assert metrics.previous_year(D(2023, 12, 1), D(2024, 11, 30)) == (D(2022, 12, 1),
                                                                       D(2023, 11, 30))
    assert metrics.previous_year(D(2024, 2, 29), D(2024, 2, 29)) == (D(2023, 2, 28),
                                                                     D(2023, 2, 28))
