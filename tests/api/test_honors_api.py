"""The honors endpoints: rounds and their lists, awards, the emulation ranking; the
same scoping as the pages."""

import datetime

from hienmau.honors import services
from hienmau.honors.models import Kind
from tests.honors.conftest import honor_round, people  # noqa: F401 (fixtures)
from tests.reports.conftest import year_2023  # noqa: F401 (fixture)


def test_rounds_and_their_lists(api, office, viewer, outsider, honor_round, people):  # noqa: F811
    services.propose(honor_round, actor=office)
    lan = honor_round.nominations.get(donor=people["lan"])
    services.decide(lan, actor=office, included=False, reason="Chưa đủ hồ sơ")
    assert [r["title"] for r in api(office, "GET", "/honors/rounds").json()] == [
        honor_round.title]
    data = api(office, "GET", f"/honors/rounds/{honor_round.code}").json()
    listed = {(n["name"], n["included"], n["reason"]) for n in data["nominations"]}
    assert ("Trần Thị Lan", False, "Chưa đủ hồ sơ") in listed
    assert data["collective_percent"] == 80.0
    names = [n["name"] for n in api(viewer, "GET",
                                    f"/honors/rounds/{honor_round.code}").json()["nominations"]]
    assert "Trần Thị Lan" not in names and "Nguyễn Văn Hùng" in names
    assert api(outsider, "GET", "/honors/rounds").json() == []
    assert api(outsider, "GET", f"/honors/rounds/{honor_round.code}").status_code == 404
    assert api(None, "GET", "/honors/rounds").status_code == 401


def test_awards_and_the_emulation_ranking(api, office, outsider, hung, tree, year_2023):  # noqa: F811
    services.record_award(actor=office, recorded_for=hung.home, kind=Kind.INDIVIDUAL,
                          recipient=hung, title="Bằng khen", issuer="UBND tỉnh A",
                          number="12/QĐ", date=datetime.date(2024, 6, 14))
    found = api(office, "GET", "/honors/awards",
                {"organization": str(tree["district_one"].code)}).json()
    assert [(a["recipient"], a["number"]) for a in found] == [("Nguyễn Văn Hùng", "12/QĐ")]
    assert api(office, "GET", "/honors/awards",
               {"organization": str(tree["district_two"].code)}).json() == []
    assert api(outsider, "GET", "/honors/awards",
               {"organization": str(tree["district_one"].code)}).status_code == 404
    data = api(office, "GET", "/honors/emulation", {"year": 2023}).json()
    first = data["ranking"][0]
    assert (first["rank"], first["name"]) == (1, "BCĐ huyện Một")
    points = {c["key"]: c["points"] for c in first["components"]}
    assert points["quota"] == 33.3  # 250 of 300 × 40
    assert api(outsider, "GET", "/honors/emulation",
               {"organization": str(tree["province"].code)}).status_code == 404
