"""Who a round proposes, as plain functions over counts (the services read the counts).

- **Individuals**: a person who crossed a tier during the period (from the count before
  it to the count at its end), at or above the round's lowest tier: proposed once, for
  the highest tier crossed.
- **Families**: the same over the family's count (`donors.milestones.family_count`).
- **Collectives**: a unit that reached the round's % of its quota, or grew by the
  round's % over the same period a year before.
"""

from dataclasses import dataclass
from decimal import Decimal

from hienmau.donors import milestones
from hienmau.donors.milestones import Tier
from hienmau.reports.metrics import percent


@dataclass(frozen=True)
class Proposal:
    key: int  # the donor's, household's or organization's id
    award: str
    basis: str
    tier: int | None = None
    donations: int | None = None


def individuals(counts: dict[int, tuple[int, int]], tiers: list[Tier],
                lowest: int) -> list[Proposal]:
    """`counts`: {donor id: (donations before the period, donations at its end)}."""
    return _crossing(counts, tiers, milestones.INDIVIDUAL, lowest)


def families(member_counts: dict[int, list[tuple[int, int]]], tiers: list[Tier],
             lowest: int) -> list[Proposal]:
    """`member_counts`: {household id: [(before, at the end) of each member]}."""
    counts = {key: (milestones.family_count([before for before, _after in members]),
                    milestones.family_count([after for _before, after in members]))
              for key, members in member_counts.items()}
    return _crossing(counts, tiers, milestones.FAMILY, lowest)


def _crossing(counts, tiers, kind, lowest) -> list[Proposal]:
    found = []
    for key, (before, after) in counts.items():
        crossed = [t for t in milestones.crossed(before, after, tiers, kind)
                   if t.donations >= lowest]
        if crossed:
            tier = crossed[-1]
            found.append(Proposal(key, tier.award, f"Đạt mốc {tier.donations} lần trong kỳ "
                                  f"(từ {before} lên {after} lần)", tier.donations, after))
    return found


@dataclass(frozen=True)
class UnitResult:
    key: int
    units: int  # units collected in the period
    quota: int | None
    before: int  # units in the same period a year before


def collectives(results: list[UnitResult], award: str, *, min_percent: Decimal | None,
                min_growth: Decimal | None) -> list[Proposal]:
    found = []
    for unit in results:
        reached = percent(unit.units, unit.quota)
        growth = percent(unit.units - unit.before, unit.before) if unit.before else None
        reasons = []
        if min_percent is not None and reached is not None and reached >= min_percent:
            reasons.append(f"Đạt {_shown(reached)}% chỉ tiêu ({unit.units}/{unit.quota} "
                           "đơn vị máu)")
        if min_growth is not None and growth is not None and growth >= min_growth:
            reasons.append(f"Tăng {_shown(growth)}% so với cùng kỳ ({unit.before} → "
                           f"{unit.units} đơn vị máu)")
        if reasons:
            found.append(Proposal(unit.key, award, "; ".join(reasons), donations=unit.units))
    return found


def _shown(value: Decimal) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".replace(".", ",")
