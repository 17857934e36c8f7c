"""Report figures for a unit, committee or institution, with the same filters and
scoping as the report page (`reports.access`): a user's token reads only the figures
of organizations the user may see."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from hienmau.api.report_schemas import ReportFilters, ReportOut
from hienmau.api.schemas import ErrorOut
from hienmau.reports import access, dashboard

router = Router()


def _number(value):
    return None if value is None else float(value)


@router.get("/reports", response={200: ReportOut, 404: ErrorOut}, tags=["reports"])
def report(request, filters: Query[ReportFilters]):
    """Every figure of the report page: this period beside the same period last year,
    by month, and the ranking of the units below."""
    scope, _choices = access.scope_for(
        request.user, today=timezone.localdate(), organization=filters.organization,
        year=filters.year, month=filters.month, section=filters.section,
        campaign=filters.campaign, institution=filters.institution)
    result = dashboard.build(scope, timezone.localdate())
    previous = scope.previous()
    equivalents = access.shows_equivalents(scope.organization)
    cumulative = result.cumulative_now
    compared = result.comparison
    return {
        "organization": scope.organization.code,
        "organization_name": scope.organization.name,
        "start": scope.start, "end": scope.end,
        "previous_start": previous.start, "previous_end": previous.end,
        "unit_of_blood": _("Một đơn vị máu là một túi máu, mọi thể tích."),
        "drives": result.now.drives, "units": result.now.units, "quota": result.quota,
        "national_quota": result.national_quota,
        "provincial_quota": result.provincial_quota,
        "indicators": [{"key": line.key, "label": line.label, "kind": line.kind,
                        "value": _number(line.now), "previous_year": _number(line.before)}
                       for line in dashboard.indicators(result, equivalents=equivalents)],
        "deferrals_by_reason": dict(result.now.deferrals),
        "months": [{"month": label, "units": result.monthly_now[i],
                    "cumulative": cumulative[i], "previous_year": result.monthly_before[i],
                    "needed_pace": result.pace[i] if result.pace else None}
                   for i, label in enumerate(result.month_labels)],
        "comparison": {"comparable": compared.comparable,
                       "growth_percent": _number(compared.percent),
                       "previous_plan_year": compared.previous_year,
                       "compared_until": compared.span_end, "note": compared.note},
        "ranking": [{"code": row.organization.code, "name": row.label, "own": row.own,
                     "quota": row.quota, "units": row.now.units,
                     "percent_of_quota": _number(row.percent_of_quota),
                     "drives": row.now.drives, "previous_year_units": row.before.units,
                     "growth_percent": _number(row.growth),
                     "growth_note": row.compared.short,
                     "planned_ahead": row.planned_ahead, "at_risk": row.at_risk}
                    for row in [*result.ranked, *filter(None, [result.own_row])]],
        "drives_ahead": result.ahead_count,
    }
