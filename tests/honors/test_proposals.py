"""The proposal rules as plain functions: tiers crossed in the period (individuals,
families), quota achievement or growth (collectives)."""

from decimal import Decimal

from hienmau.donors.milestones import DEFAULT_TIERS
from hienmau.honors import proposals
from hienmau.honors.proposals import UnitResult


def test_an_individual_is_proposed_once_for_the_highest_tier_crossed():
    found = proposals.individuals({1: (19, 21), 2: (20, 22), 3: (3, 10), 4: (0, 1)},
                                  DEFAULT_TIERS, lowest=5)
    assert [(p.key, p.tier, p.donations) for p in found] == [(1, 20, 21), (3, 10, 10)]
    assert found[0].award == "Bằng khen của Chủ tịch UBND tỉnh"
    assert found[0].basis == "Đạt mốc 20 lần trong kỳ (từ 19 lên 21 lần)"
    # 2 had reached 20 before the period; 4 crossed only 1, under the round's lowest.


def test_the_lowest_tier_is_inclusive():
    assert [p.tier for p in proposals.individuals({1: (4, 5)}, DEFAULT_TIERS, lowest=5)] == [5]
    assert proposals.individuals({1: (4, 5)}, DEFAULT_TIERS, lowest=6) == []


def test_a_family_counts_its_members_together():
    found = proposals.families({7: [(1, 2), (1, 1), (0, 2)], 8: [(2, 2)]}, DEFAULT_TIERS,
                               lowest=3)
    assert [(p.key, p.tier, p.donations) for p in found] == [(7, 5, 5)]  # 2 → 5: 3 and 5
    assert found[0].award.startswith("Cúp thủy tinh màu đồng")


def test_collectives_by_quota_or_growth():
    units = [UnitResult(1, 250, 300, 200), UnitResult(2, 60, 200, 70),
             UnitResult(3, 90, None, 60), UnitResult(4, 300, 300, 0)]
    found = proposals.collectives(units, "Bằng khen", min_percent=Decimal("80"),
                                  min_growth=Decimal("50"))
    assert [(p.key, p.basis) for p in found] == [
        (1, "Đạt 83% chỉ tiêu (250/300 đơn vị máu)"),
        (3, "Tăng 50% so với cùng kỳ (60 → 90 đơn vị máu)"),
        (4, "Đạt 100% chỉ tiêu (300/300 đơn vị máu)")]
    assert proposals.collectives(units, "Bằng khen", min_percent=None, min_growth=None) == []
