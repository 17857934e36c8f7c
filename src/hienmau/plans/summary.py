"""The plan's quota table as the plan page and documents show it: computed, never typed.

Built in three queries whatever the plan's size (sections, quotas, drives with shares).
"""

from dataclasses import dataclass, field

from hienmau.plans.checks import contributions


@dataclass
class QuotaRow:
    quota: object
    planned: int  # expected units of the plan's drives credited to the unit or below it

    @property
    def coverage_percent(self) -> int | None:
        units = self.quota.units
        return round(100 * self.planned / units) if units else None


@dataclass
class SectionBlock:
    section: object  # None for quotas outside any section
    rows: list[QuotaRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(row.quota.units for row in self.rows)

    @property
    def planned(self) -> int:
        return sum(row.planned for row in self.rows)


@dataclass
class QuotaTable:
    blocks: list[SectionBlock]

    @property
    def total(self) -> int:
        return sum(block.total for block in self.blocks)

    @property
    def planned(self) -> int:
        return sum(block.planned for block in self.blocks)

    @property
    def section_numbers(self) -> str:
        return " + ".join(b.section.number for b in self.blocks if b.section is not None)


def quota_table(plan) -> QuotaTable:
    drives = plan.drives.active().select_related("organizer").prefetch_related(
        "shares__organization")
    credited = [(org.path, units) for _drive, org, units in contributions(drives)]
    blocks = {s.pk: SectionBlock(s) for s in plan.sections.all()}
    loose = SectionBlock(None)
    for quota in plan.quotas.select_related("organization", "section"):
        planned = sum(u for path, u in credited if path.startswith(quota.organization.path))
        blocks.get(quota.section_id, loose).rows.append(QuotaRow(quota, planned))
    ordered = list(blocks.values())
    if loose.rows:
        ordered.append(loose)
    return QuotaTable(ordered)
