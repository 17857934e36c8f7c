"""The report charts' axes read as counts of units of blood."""

import pytest

from hienmau.reports import charts

MONTHS = ["12/26", "01/27", "02/27", "03/27"]


@pytest.mark.parametrize("now", [[3, None, None, None], [1, 2, None, None], [0, 0, 0, 0]])
def test_a_small_count_gets_whole_distinct_ticks(now):
    """A unit's first drive of the year collected 3 units: the monthly chart's axis said
    "0 0 1 1 2 2 3" (ticks every 0,5 written as whole numbers)."""
    figure, axes = charts._figure()
    axes.bar(range(len(MONTHS)), [v or 0 for v in now], label="Năm nay")
    charts._finish(axes, MONTHS)
    figure.draw_without_rendering()
    ticks = [tick for tick in axes.get_yticks() if axes.get_ylim()[0] <= tick
             <= axes.get_ylim()[1]]
    labels = [label.get_text() for label in axes.get_yticklabels()][:len(ticks)]
    assert all(float(tick).is_integer() for tick in ticks), ticks
    assert len(set(labels)) == len(labels), labels


def test_large_counts_keep_thousands_dots():
    figure, axes = charts._figure()
    axes.bar(range(len(MONTHS)), [1200, 4800, 300, 0], label="Năm nay")
    charts._finish(axes, MONTHS)
    figure.draw_without_rendering()
    assert "4.000" in [label.get_text() for label in axes.get_yticklabels()]
