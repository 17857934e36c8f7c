"""Donation milestones and the award each proposes (Quy chế tôn vinh, khen thưởng, issued
with Quyết định 122/QĐ-BCĐQG of 2017; docs/domain.md §3.2–3.3). Plain functions over counts.

A person's count includes the donations given before HienMau, as an office recorded
them with their source (`Donor.prior_donations`). The tiers the quy chế's sources confirm
are marked so; the others (5, 10, 15, 50 and 100 donations for individuals) exist in
provincial practice but their award was not found, and stay configurable
(`MilestoneTier` rows of a committee replace these defaults).
"""

from dataclasses import dataclass

INDIVIDUAL, FAMILY = "individual", "family"


@dataclass(frozen=True)
class Tier:
    kind: str  # INDIVIDUAL or FAMILY
    donations: int
    award: str
    confirmed: bool = True  # False: the award is the usual practice, not the text

    def __str__(self) -> str:
        return f"{self.donations}: {self.award}"


DEFAULT_TIERS = [
    # Điều 7: individuals.
    Tier(INDIVIDUAL, 1, "Giấy chứng nhận hiến máu tình nguyện và phù hiệu"),
    Tier(INDIVIDUAL, 5, "Giấy khen của Hội Chữ thập đỏ tỉnh", confirmed=False),
    Tier(INDIVIDUAL, 10, "Giấy khen của Hội Chữ thập đỏ tỉnh", confirmed=False),
    Tier(INDIVIDUAL, 15, "Giấy khen của Hội Chữ thập đỏ tỉnh", confirmed=False),
    Tier(INDIVIDUAL, 20, "Bằng khen của Chủ tịch UBND tỉnh"),
    Tier(INDIVIDUAL, 30, "Bằng khen của Trung ương Hội Chữ thập đỏ Việt Nam"),
    Tier(INDIVIDUAL, 40, "Kỷ niệm chương “Vì sự nghiệp nhân đạo”"),
    Tier(INDIVIDUAL, 50, "Khen thưởng của Ban Chỉ đạo quốc gia", confirmed=False),
    Tier(INDIVIDUAL, 70, "Bằng khen của Thủ tướng Chính phủ"),
    Tier(INDIVIDUAL, 100, "Khen thưởng của Ban Chỉ đạo quốc gia", confirmed=False),
    # Điều 8: families (the family's count: see `family_count`).
    Tier(FAMILY, 3, "Giấy khen của UBND cấp xã"),
    Tier(FAMILY, 5, "Cúp thủy tinh màu đồng của Ban Chỉ đạo tỉnh"),
    Tier(FAMILY, 10, "Cúp thủy tinh màu bạc của Ban Chỉ đạo tỉnh"),
    Tier(FAMILY, 15, "Cúp thủy tinh màu vàng của Ban Chỉ đạo tỉnh"),
    Tier(FAMILY, 20, "Bằng khen của Chủ tịch UBND tỉnh"),
]


def of_kind(tiers: list[Tier], kind: str) -> list[Tier]:
    return sorted((t for t in tiers if t.kind == kind), key=lambda t: t.donations)


def reached(count: int, tiers: list[Tier], kind: str = INDIVIDUAL) -> Tier | None:
    """The highest tier `count` donations reach."""
    found = [t for t in of_kind(tiers, kind) if t.donations <= count]
    return found[-1] if found else None


def next_tier(count: int, tiers: list[Tier], kind: str = INDIVIDUAL) -> Tier | None:
    """The next tier to reach, None past the last."""
    return next((t for t in of_kind(tiers, kind) if t.donations > count), None)


def crossed(before: int, after: int, tiers: list[Tier], kind: str = INDIVIDUAL) -> list[Tier]:
    """The tiers reached between two counts: from `before` donations (at the start of a
    period) to `after` (at its end). A person who went from 19 to 21 crossed 20."""
    return [t for t in of_kind(tiers, kind) if before < t.donations <= after]


def family_count(member_counts: list[int]) -> int:
    """A family's donations: the sum of its members'. docs/domain.md §3.3: the quy chế does not
    say how a family's count is made; the sum is the reading offices use most."""
    return sum(member_counts)


def tiers_for(organization) -> list[Tier]:
    """The tiers in force for a unit's donors: those of the nearest committee at or above
    it that defines its own (`MilestoneTier`), else the defaults."""
    from hienmau.donors.models import MilestoneTier

    rows = list(MilestoneTier.objects.filter(
        committee__path__in=organization.paths_above()).values_list(
        "committee__path", "kind", "donations", "award", "confirmed"))
    if not rows:
        return DEFAULT_TIERS
    nearest = max(path for path, *_rest in rows)
    return [Tier(kind, donations, award, confirmed)
            for path, kind, donations, award, confirmed in rows if path == nearest]
