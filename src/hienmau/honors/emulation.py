"""The emulation ranking (*thi đua*) of the units below a committee for a plan year: a
score made of visible components, each a ratio between 0 and 1 times its weight.
Weights are the committee's (`EmulationWeights`), else `DEFAULT_WEIGHTS`.

Components (each shown with its value and points, so a unit sees why it ranks where):
- quota: units collected / the unit's target, capped at 1. The target is its quota;
  without one, the units its drives of the year expect (those held and those ahead),
  and the page says which (`Component.basis`);
- growth: growth over the same period last year, full points at `growth_full_at` %,
  where last year is comparable (`reports.comparison`: the unit had results then,
  entered for its drives);
- large bags: share of bags of 350 ml and more;
- repeat donors: share of donations by people who had given before, on the drives that
  counted first-time donors;
- mobilization: units collected / units the drives expected, capped at 1.

**Not scored is not zero.** A component whose figure does not exist for a unit (no
comparable last year, no target, no bag volume or first-time count recorded) is "không
chấm": it gives no points and is left out of the points the unit could have earned. The
total is the points earned over the criteria scored, brought to the full scale (the sum
of all weights, 100 by default): 69 of the 80 points a unit without a last year could
earn is 86,3 of 100. A unit scored on no criterion at all has no total and ranks last.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from hienmau.reports.dashboard import shown
from hienmau.reports.metrics import percent

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
    value: Decimal | None  # the figure, a percentage (None: not scored, "không chấm")
    points: Decimal
    weight: int = 0  # the most it can earn
    basis: str = ""  # what the figure is measured against, when it says more

    @property
    def label(self) -> str:
        return str(COMPONENTS[self.key])

    @property
    def scored(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Score:
    organization: object
    components: list[Component]

    @property
    def points(self) -> Decimal:
        """The points earned, on the criteria scored."""
        return sum((c.points for c in self.components), Decimal("0"))

    @property
    def possible(self) -> int:
        """The most the criteria scored could earn."""
        return sum(c.weight for c in self.components if c.scored)

    @property
    def full(self) -> int:
        return sum(c.weight for c in self.components)

    @property
    def rescaled(self) -> bool:
        """Some criterion is not scored: the total is brought to the full scale."""
        return self.possible != self.full

    @property
    def total(self) -> Decimal | None:
        """Points over the criteria scored, on the full scale (None: none scored)."""
        if not self.possible:
            return None
        return (self.points * self.full / self.possible).quantize(Decimal("0.1"),
                                                                   ROUND_HALF_UP)


def _ratio(value: Decimal | None, full: Decimal = Decimal(100)) -> Decimal:
    if value is None or value <= 0:
        return Decimal(0)
    return min(value / full, Decimal(1))


def target(row) -> tuple[int | None, str]:
    """(the units a unit is measured against, what they are when not its quota): its
    quota, else the units its drives of the year expect (held and ahead); (None, "")
    without either."""
    if row.quota:
        return row.quota, ""
    expected = row.now.expected + row.planned_ahead
    if expected:
        return expected, str(_("chưa giao chỉ tiêu, so với tổng dự kiến của các đợt: %(n)s")
                             % {"n": shown(expected)})
    return None, ""


def score(row, weights: Weights = DEFAULT_WEIGHTS) -> Score:
    """The score of one ranking row (`reports.dashboard.UnitRow`)."""
    now = row.now
    repeat_share = None if now.share_first_time is None else 100 - now.share_first_time
    units_target, basis = target(row)
    values = {"quota": percent(now.units, units_target), "growth": row.growth,
              "large_bags": now.share_large_bags, "repeat": repeat_share,
              "mobilization": now.percent_of_expected}
    bases = {"quota": basis, "growth": "" if row.growth is not None else row.compared.short}
    components = []
    for key, value in values.items():
        full = Decimal(weights.growth_full_at) if key == "growth" else Decimal(100)
        points = (weights.of(key) * _ratio(value, full)).quantize(Decimal("0.1"),
                                                                  ROUND_HALF_UP)
        components.append(Component(key, value, points, weights.of(key), bases.get(key, "")))
    return Score(row.organization, components)


def ranking(rows, weights: Weights = DEFAULT_WEIGHTS) -> list[Score]:
    """Scores, the highest first (then by name); units scored on nothing last."""
    return sorted((score(row, weights) for row in rows),
                  key=lambda s: (s.total is None, -(s.total or 0), s.organization.name))


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
