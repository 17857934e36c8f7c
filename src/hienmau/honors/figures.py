"""The awards received in a report's period, by kind, beside last year's (seed 000 counts
them in its results): added to every report's figures (`reports.dashboard`)."""

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from hienmau.honors.models import Award, Kind
from hienmau.orgs.models import subtree_q
from hienmau.reports.dashboard import Indicator, Report
from hienmau.reports.metrics import previous_year

LABELS = {Kind.INDIVIDUAL: _("Cá nhân được khen thưởng"),
          Kind.FAMILY: _("Gia đình được khen thưởng"),
          Kind.COLLECTIVE: _("Tập thể được khen thưởng")}


def award_indicators(report: Report) -> list[Indicator]:
    """One line per kind of recipient, when the unit or those below it received any in
    either year (a receiving institution's report has none: it honors no one)."""
    if report.scope.receives:
        return []
    prefixes = report.scope.prefixes()
    now = awards_by_kind(prefixes, report.scope.start, report.scope.end)
    before = awards_by_kind(prefixes, *previous_year(report.scope.start, report.scope.end))
    return [Indicator(f"awards_{kind}", str(LABELS[kind]), now.get(kind, 0),
                      before.get(kind, 0))
            for kind in Kind.values if now.get(kind) or before.get(kind)]


def awards_by_kind(prefixes: list[str], start: datetime.date,
                   end: datetime.date) -> dict[str, int]:
    """{kind: awards dated in the period} received by persons, families and units kept
    at or below `prefixes`."""
    if not prefixes:
        return {}
    rows = Award.objects.filter(recipients_under(prefixes), date__gte=start,
                                date__lte=end).values(
        "kind").annotate(n=Count("pk")).order_by()
    return {row["kind"]: row["n"] for row in rows}


def recipients_under(prefixes: list[str]) -> Q:
    """Awards of persons, families and units kept at or below `prefixes`."""
    return (subtree_q(prefixes, "donor__home__path")
            | subtree_q(prefixes, "household__home__path")
            | subtree_q(prefixes, "organization__path"))
