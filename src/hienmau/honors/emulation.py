"""The emulation ranking (*thi đua*) of the units below a committee for a plan year: a
score out of 100 made of visible components, each a ratio between 0 and 1 times its
weight. Weights are the committee's (`EmulationWeights`), else `DEFAULT_WEIGHTS`.

Components (each shown with its value and points, so a unit sees why it ranks where):
- quota: units collected / quota, capped at 1 (no quota: no points);
- growth: growth over the same period last year, full points at `growth_full_at` %
  (no growth or no figures last year: none);
- large bags: share of bags of 350 ml and more;
- repeat donors: share of donations by people who had given before, on the drives that
  counted first-time donors;
- mobilization: units collected / units the drives expected, capped at 1.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

COMPONENTS = {
    "quota": _("Đạt chỉ tiêu"),
    "growth": _("Tăng so với cùng kỳ"),
    "large_bags": _("Túi 350 ml trở lên"),
    "repeat": _("Người hiến nhắc lại"),
    "mobilization": _("Đạt số dự kiến của các đợt"),
}


@dataclass(frozen=True)
class Weights:
    quota: int = 40
    growth: int = 20
    large_bags: int = 15
    repeat: int = 15
    mobilization: int = 10
    growth_full_at: int = 20  # % growth that earns the full points

    def of(self, key: str) -> int:
        return getattr(self, key)


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Component:
    key: str
    value: Decimal | None  # the figure, a percentage (None: not available)
    points: Decimal

    @property
    def label(self) -> str:
        return str(COMPONENTS[self.key])


@dataclass(frozen=True)
class Score:
    organization: object
    components: list[Component]

    @property
    def total(self) -> Decimal:
        return sum((c.points for c in self.components), Decimal("0"))


def _ratio(value: Decimal | None, full: Decimal = Decimal(100)) -> Decimal:
    if value is None or value <= 0:
        return Decimal(0)
    return min(value / full, Decimal(1))


def score(row, weights: Weights = DEFAULT_WEIGHTS) -> Score:
    """The score of one ranking row (`reports.dashboard.UnitRow`)."""
    now = row.now
    repeat_share = None if now.share_first_time is None else 100 - now.share_first_time
    values = {"quota": row.percent_of_quota, "growth": row.growth,
              "large_bags": now.share_large_bags, "repeat": repeat_share,
              "mobilization": now.percent_of_expected}
    components = []
    for key, value in values.items():
        full = Decimal(weights.growth_full_at) if key == "growth" else Decimal(100)
        points = (weights.of(key) * _ratio(value, full)).quantize(Decimal("0.1"),
                                                                  ROUND_HALF_UP)
        components.append(Component(key, value, points))
    return Score(row.organization, components)


def ranking(rows, weights: Weights = DEFAULT_WEIGHTS) -> list[Score]:
    """Scores, the highest first (then by name)."""
    return sorted((score(row, weights) for row in rows),
                  key=lambda s: (-s.total, s.organization.name))


def weights_for(organization) -> Weights:
    """The weights of the nearest committee at or above `organization` that set its own."""
    from hienmau.honors.models import EmulationWeights

    found = EmulationWeights.objects.filter(
        committee__path__in=organization.paths_above()).order_by(
        "-committee__depth").first()
    if found is None:
        return DEFAULT_WEIGHTS
    return Weights(found.quota, found.growth, found.large_bags, found.repeat,
                   found.mobilization, found.growth_full_at)
