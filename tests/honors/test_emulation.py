"""The emulation ranking: each component's points by hand, the order, the committee's
own weights, the page and its XLSX, who may change the weights."""

import io
from collections import Counter
from decimal import Decimal

import openpyxl
from django.urls import reverse

from hienmau.honors import emulation
from hienmau.honors.emulation import Weights
from hienmau.reports.dashboard import UnitRow
from hienmau.reports.metrics import Totals


class Unit:
    def __init__(self, name):
        self.name = name


def row(name, *, units, quota, before, expected, by_volume=None, first_time=None):
    now = Totals(whole_drives=1, expected=expected, units=units,
                 by_volume=Counter(by_volume or {}))
    if first_time is not None:
        now.people["first_time"], now.known["first_time"] = first_time, 1
        now.people["repeat"], now.known["repeat"] = units - first_time, 1
    return UnitRow(Unit(name), now, Totals(units=before), quota)


def test_each_component_by_hand():
    score = emulation.score(row("A", units=250, quota=200, before=200, expected=300,
                                by_volume={350: 150, 250: 100}, first_time=50))
    points = {c.key: c.points for c in score.components}
    # quota 125% → capped: 40; growth +25% ≥ 20%: 20; 60% large bags: 9; first-time 20%,
    # so 80% repeat: 12; 250 of 300 expected (83,3%): 8,3.
    assert points == {"quota": Decimal("40.0"), "growth": Decimal("20.0"),
                      "large_bags": Decimal("9.0"), "repeat": Decimal("12.0"),
                      "mobilization": Decimal("8.3")}
    assert score.total == Decimal("89.3")


def test_missing_figures_are_not_scored_and_weights_change_the_order():
    a = row("A", units=100, quota=None, before=0, expected=100)  # no quota, no last year
    b = row("B", units=50, quota=100, before=40, expected=100)
    scored = {c.key: (c.scored, c.points) for c in emulation.score(a).components}
    # A has no quota: measured against the 100 units its drives expected (40 points). No
    # last year, no bag volume, no first-time count: not scored, rather than 0 points.
    assert scored == {"quota": (True, 40), "growth": (False, 0), "large_bags": (False, 0),
                      "repeat": (False, 0), "mobilization": (True, 10)}
    a_score, b_score = emulation.score(a), emulation.score(b)
    assert (a_score.points, a_score.possible, a_score.total) == (50, 50, 100)
    assert a_score.components[0].basis == ("chưa giao chỉ tiêu, so với tổng dự kiến của "
                                           "các đợt: 100")
    # B: quota 50% → 20; growth 25% → 20; mobilization 50% → 5: 45 of 70, 64,3 of 100.
    assert (b_score.points, b_score.possible, b_score.total) == (45, 70, Decimal("64.3"))
    assert [s.organization.name for s in emulation.ranking([a, b])] == ["A", "B"]
    # Growth alone: A is scored on nothing (no total), and ranks after B.
    only_growth = Weights(quota=0, growth=100, large_bags=0, repeat=0, mobilization=0)
    ranked = emulation.ranking([a, b], only_growth)
    assert [(s.organization.name, s.total) for s in ranked] == [("B", 100), ("A", None)]


def test_the_office_sets_weights_for_its_units_ranking(client, office, viewer, outsider,
                                                         tree, year_2023):
    url = f"{reverse('honors:emulation')}?don_vi={tree['province'].code}&nam=2023"
    client.force_login(office)
    page = client.get(url).content.decode()
    assert "BCĐ huyện Một" in page and "BCĐ huyện Hai" in page
    weights = {"quota": 100, "growth": 0, "large_bags": 0, "repeat": 0, "mobilization": 0,
               "growth_full_at": 20}
    page = client.post(url, weights, follow=True).content.decode()
    assert "Đã lưu cách tính điểm thi đua." in page
    assert emulation.weights_for(tree["company"]).quota == 100  # the units below too
    xlsx = client.get(f"{reverse('honors:emulation_xlsx')}?don_vi={tree['province'].code}"
                      "&nam=2023")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["Thi đua"]
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    # Quota only: huyện Một 250 of 300 (83,3 points), huyện Hai 60 of 200 (30).
    assert [(r[1], r[-1]) for r in rows] == [("BCĐ huyện Một", 83.3), ("BCĐ huyện Hai", 30)]
    client.force_login(viewer)  # sees the ranking, may not change the weights
    assert client.get(url).status_code == 200
    assert client.post(url, weights).status_code == 403
    client.force_login(outsider)  # a sibling district: not the province's ranking
    assert client.get(url).status_code == 404
    assert client.get(f"{reverse('honors:emulation_xlsx')}?don_vi={tree['province'].code}") \
        .status_code == 404


def test_the_page_says_what_is_not_scored_and_which_target(client, office, tree, year_2023):
    # Huyện Một's ranking: Công ty Một has no quota; its drive expected 50 and gave 40.
    url = f"{reverse('honors:emulation')}?don_vi={tree['district_one'].code}&nam=2023"
    client.force_login(office)
    page = client.get(url).content.decode()
    row = page[page.index(">Công ty Một</a>"):]
    row = row[:row.index("</tr>")]
    assert ('<td class="text-end" data-key="quota"><span class="text-muted small">80%</span> '
            '<strong>32</strong><div class="small text-muted">chưa giao chỉ tiêu, so với tổng '
            'dự kiến của các đợt: 50</div></td>') in row
    assert ('<td class="text-end" data-key="growth"><span class="text-muted small '
            'fst-italic">không chấm</span><div class="small text-muted">năm trước chưa có số '
            'liệu</div></td>') in row
    # 32 of 40 for the quota, 8 of 10 for mobilization: 40 of 50, 80 of 100.
    assert ('<strong>80</strong><div class="small text-muted">quy đổi từ 40/50 điểm</div>'
            in row)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(
        f"{reverse('honors:emulation_xlsx')}?don_vi={tree['district_one'].code}&nam=2023"
    ).content))["Thi đua"]
    found = next(r for r in sheet.iter_rows(min_row=5, values_only=True)
                 if r[1] == "Công ty Một")
    assert found[2:6] == (80, 32, "không chấm", None)
    assert found[-3:] == ("Đạt chỉ tiêu: chưa giao chỉ tiêu, so với tổng dự kiến của các "
                          "đợt: 50; Tăng so với cùng kỳ: năm trước chưa có số liệu",
                          "40,0/50", 80)
