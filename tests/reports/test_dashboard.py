"""Reports read from the database: credited parts, quotas, the ranking."""

import datetime
from decimal import Decimal

from hienmau.reports import dashboard, queries
from hienmau.reports.queries import Scope

D = datetime.date
TODAY = D(2023, 7, 1)


def report(org, **filters):
    start, end = queries.plan_year(2023)
    return dashboard.build(Scope(org, start, end, **filters), TODAY)


def test_plan_year_runs_december_to_november():
    assert queries.plan_year(2023) == (D(2022, 12, 1), D(2023, 11, 30))
    assert queries.plan_year_of(D(2022, 12, 1)) == 2023
    assert queries.plan_year_of(D(2023, 11, 30)) == 2023


def test_province_figures(tree, year_2023):
    found = report(tree["province"])
    assert (found.now.drives, found.now.units, found.now.expected) == (3, 310, 250)
    assert found.now.percent_of_expected == Decimal("124.0")
    assert (found.national_quota, found.provincial_quota) == (250, 310)
    assert found.percent_of_national == Decimal("124.0")
    assert found.percent_of_provincial == Decimal("100.0")
    assert found.before.units == 70
    assert found.now.sum_of("registered") == 180 and found.now.known["registered"] == 1


def test_a_joint_drive_counts_for_its_units_by_their_shares(tree, year_2023):
    one, two = report(tree["district_one"]), report(tree["district_two"])
    assert (one.now.units, one.now.drives, one.quota) == (250, 3, 300)
    assert one.percent_of_quota == Decimal("83.3")
    assert (two.now.units, two.now.drives, two.quota) == (60, 1, 200)
    assert two.percent_of_quota == Decimal("30.0")
    assert two.before.units == 70
    assert [(d.date, f.units, f.expected) for d, f in two.closed] == [(D(2023, 8, 1), 60, 40)]
    # The parts add up to the province's whole.
    assert one.now.units + two.now.units == report(tree["province"]).now.units


def test_ranking_of_the_units_below(tree, year_2023):
    found = report(tree["province"])
    rows = {row.organization.name: row for row in found.ranked}
    assert [row.organization.name for row in found.ranked] == ["BCĐ huyện Một",
                                                                "BCĐ huyện Hai"]
    assert rows["BCĐ huyện Một"].percent_of_quota == Decimal("83.3")
    assert rows["BCĐ huyện Hai"].growth == Decimal("-14.3")  # 60 against 70


def test_month_curve_and_pace(tree, year_2023):
    found = report(tree["province"])
    assert found.month_labels[0] == "12/22" and found.month_labels[-1] == "11/23"
    assert found.monthly_now[3] == 120  # March 2023
    assert found.monthly_now[8] is None  # August: after "today" (1 July)
    assert found.pace[-1] == 310  # the provincial quota, evenly
    assert found.cumulative_before[4] == 70  # April 2022


def test_filters_narrow_the_drives(tree, year_2023):
    province = tree["province"]
    assert report(province, section=year_2023["section"]).now.units == 310
    start, end = queries.month_range(2023, 3)
    march = dashboard.build(Scope(province, start, end), TODAY)
    assert (march.now.drives, march.now.units) == (1, 120)
    assert report(province, institution=tree["institute"]).now.units == 310


def test_an_institution_sees_the_drives_it_received(tree, year_2023):
    found = report(tree["institute"])
    assert (found.now.drives, found.now.units) == (3, 310)
    assert found.units == []  # no ranking of units it does not manage
    assert [(d.date, f.units) for d, f in found.closed] == [
        (D(2023, 8, 1), 150), (D(2023, 6, 10), 40), (D(2023, 3, 5), 120)]


def test_drives_ahead_and_units_at_risk(tree, year_2023):
    from hienmau.plans import services as plans

    plans.create_drive(actor=None, date=D(2023, 9, 9), venue="Hội trường",
                       organizer=tree["district_two"], expected_units=100,
                       receiving_institution=tree["institute"])
    found = report(tree["province"])
    assert [d.date for d in found.ahead] == [D(2023, 9, 9)]
    rows = {row.organization.name: row for row in found.units}
    assert rows["BCĐ huyện Hai"].planned_ahead == 100
    assert rows["BCĐ huyện Hai"].at_risk  # 60 + 100 < 200
    assert rows["BCĐ huyện Một"].at_risk  # 250 + 0 < 300
    assert found.needed_per_month is not None


def test_drives_ahead_credit_their_shares_and_are_counted_beyond_the_listed(tree, year_2023):
    from hienmau.plans import services as plans

    for day in range(1, dashboard.AHEAD_LISTED + 2):
        plans.create_drive(actor=None, date=D(2023, 10, day), venue="Nhà văn hóa",
                           organizer=tree["district_two"], expected_units=10,
                           receiving_institution=tree["institute"])
    plans.create_drive(actor=None, date=D(2023, 11, 20), venue="Quảng trường",
                       organizer=tree["province"], expected_units=100,
                       receiving_institution=tree["institute"],
                       shares=[(tree["district_one"], 70), (tree["district_two"], 30)])
    found = report(tree["province"])
    assert found.ahead_count == dashboard.AHEAD_LISTED + 2
    assert len(found.ahead) == dashboard.AHEAD_LISTED
    assert found.ahead[0].date == D(2023, 10, 1)
    assert found.planned_ahead == 11 * 10 + 100
    rows = {row.organization.name: row for row in found.units}
    assert rows["BCĐ huyện Một"].planned_ahead == 70
    assert rows["BCĐ huyện Hai"].planned_ahead == 110 + 30
    assert report(tree["district_one"]).planned_ahead == 70
    assert report(tree["institute"]).planned_ahead == 210


def test_shown_figures_are_written_the_vietnamese_way():
    assert dashboard.shown(18_499) == "18.499"
    assert dashboard.shown(Decimal("185.0"), "percent") == "185%"
    assert dashboard.shown(Decimal("1.4"), "percent") == "1,4%"
    assert dashboard.shown(Decimal("1.25"), "decimal") == "1,25"
    assert dashboard.shown(None, "percent") == "—"


def test_the_databases_sums_agree_with_the_drive_by_drive_ones(tree, year_2023):
    """`queries.cube` (sums made by the database, joint drives split here) gives the
    figures `metrics.totals` gives over every drive's parts, for every scope."""
    from hienmau.reports import metrics

    for org in tree.values():
        for year in (2022, 2023):
            scope = Scope(org, *queries.plan_year(year))
            length = len(org.path) + org.steplen
            summed = metrics.merged(
                totals for key, totals in queries.cube(scope, length).units.items()
                if scope.receives or key.startswith(org.path))
            expected = metrics.totals(queries.parts(scope))
            for name in ("drives", "expected", "units", "people", "known",
                         "units_where_known", "by_volume", "deferrals"):
                assert getattr(summed, name) == getattr(expected, name), (org, year, name)
