"""The report endpoint: the same figures as the page, the same scoping."""

import pytest

from tests.reports.conftest import year_2023  # noqa: F401 (fixture)


def test_the_province_report(api, office, tree, year_2023):  # noqa: F811
    response = api(office, "GET", "/reports", {"year": 2023})
    assert response.status_code == 200
    data = response.json()
    assert (data["drives"], data["units"]) == (3, 310)
    assert (data["national_quota"], data["provincial_quota"]) == (250, 310)
    figures = {line["key"]: line for line in data["indicators"]}
    assert figures["percent_of_national"]["value"] == 124.0
    assert figures["units"]["previous_year"] == 70
    assert [unit["name"] for unit in data["ranking"]] == ["BCĐ huyện Một", "BCĐ huyện Hai"]
    assert data["ranking"][0]["percent_of_quota"] == 83.3
    # By 31 March, 121 of the plan year's 365 days: 310 × 121 / 365 = 102,8
    assert data["months"][3] == {"month": "03/23", "units": 120, "cumulative": 120,
                                 "previous_year": 0, "needed_pace": 103}


def test_filters_by_month_and_unit(api, office, tree, year_2023):  # noqa: F811
    data = api(office, "GET", "/reports", {"year": 2023, "month": 3,
                                           "organization": str(tree["district_one"].code)}
               ).json()
    assert (data["drives"], data["units"], data["start"]) == (1, 120, "2023-03-01")


@pytest.mark.parametrize("who", ["outsider", "staff"])
def test_another_units_figures_are_refused(api, request, tree, year_2023, who):  # noqa: F811
    user = request.getfixturevalue(who)
    response = api(user, "GET", "/reports", {"organization": str(tree["district_one"].code)})
    assert response.status_code == 404
    assert api(None, "GET", "/reports").status_code == 401
