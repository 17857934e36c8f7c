"""The plan's quota table as the plan page and documents show it: computed, never typed.

Built in three queries whatever the plan's size (sections, quotas, drives with shares).
"""

from dataclasses import dataclass, field

from hienmau.plans.checks import contributions


@dataclass
class QuotaRow:
    quota: object
    planned: int  # expected units of the plan's drives credited to the unit or below it
    # (drive, units) listed under this quota in the appendix: contributions of the unit
    # and of units below it that have no quota of their own, in date order.
    drives: list = field(default_factory=list)

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

    @property
    def listed(self) -> int:
        """Expected units of the drives listed under the section's quotas, each once."""
        return sum(units for row in self.rows for _drive, units in row.drives)


@dataclass
class QuotaTable:
    blocks: list[SectionBlock]
    # (drive, organization, units) credited to units with no quota at or above them,
    # such as the committee's own share of a joint drive.
    unlisted: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(block.total for block in self.blocks)

    @property
    def planned(self) -> int:
        return sum(block.planned for block in self.blocks)

    @property
    def listed(self) -> int:
        return sum(block.listed for block in self.blocks)

    @property
    def unlisted_units(self) -> int:
        return sum(units for _drive, _org, units in self.unlisted)

    @property
    def section_numbers(self) -> str:
        return " + ".join(b.section.number for b in self.blocks if b.section is not None)


def quota_table(plan) -> QuotaTable:
    drives = plan.drives.active().select_related("organizer").prefetch_related(
        "shares__organization")
    credited = contributions(drives)
    blocks = {s.pk: SectionBlock(s) for s in plan.sections.all()}
    loose = SectionBlock(None)
    rows = []
    for quota in plan.quotas.select_related("organization", "section"):
        path = quota.organization.path
        planned = sum(u for _d, org, u in credited if org.path.startswith(path))
        rows.append(QuotaRow(quota, planned))
        blocks.get(quota.section_id, loose).rows.append(rows[-1])
    unlisted = _list_drives(rows, credited)
    ordered = list(blocks.values())
    if loose.rows:
        ordered.append(loose)
    return QuotaTable(ordered, unlisted)


def _list_drives(rows: list[QuotaRow], credited: list[tuple]) -> list[tuple]:
    """Put each contribution under the quota of the nearest unit at or above its unit,
    so a drive is listed once even when a district and its commune both have quotas.
    Returns the contributions no quota takes."""
    by_path = sorted(rows, key=lambda row: len(row.quota.organization.path), reverse=True)
    unlisted = []
    for drive, org, units in sorted(credited, key=lambda c: (c[0].date, c[0].pk)):
        row = next((r for r in by_path if org.path.startswith(r.quota.organization.path)),
                   None)
        if row is None:
            unlisted.append((drive, org, units))
        else:
            row.drives.append((drive, units))
    return unlisted
