"""Report pages: the dashboard of a unit, committee or institution, and its tables as
XLSX. Whoever may see an organization may see its figures (counts only, no person)."""

import base64

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.orgs.access import get_organization_for_user
from hienmau.orgs.models import Organization
from hienmau.plans.models import Campaign
from hienmau.reports import charts, dashboard, exports, queries
from hienmau.reports.dashboard import shown
from hienmau.reports.queries import Scope

FIRST_YEAR = 2015


@login_required
def report(request):
    scope, choices = scope_from_request(request)
    result = dashboard.build(scope, timezone.localdate())
    equivalents = shows_equivalents(scope.organization)
    quota, quota_note = _main_quota(result)
    return render(request, "reports/dashboard.html", {
        "report": result, "choices": choices, "charts": _charts(result),
        "query": request.GET.urlencode(), "equivalents": equivalents,
        "lines": dashboard.indicators(result, equivalents=equivalents),
        "units_shown": shown(result.now.units), "before_units_shown": shown(result.before.units),
        "equivalents_shown": shown(result.now.equivalents_250, "decimal"),
        "kpi_quota": shown(quota, "percent"), "kpi_quota_note": quota_note,
        "needed_per_month": shown(result.needed_per_month),
        "ahead": result.ahead[:AHEAD_SHOWN],
        "deferrals": [(exports.reason_label(code), n)
                      for code, n in result.now.deferrals.most_common()],
        "ranking": [_ranking_row(request, row) for row in result.ranked]})


AHEAD_SHOWN = 10


def _main_quota(result: dashboard.Report) -> tuple:
    """The quota the headline compares with, and what it is."""
    if result.quota:
        return result.percent_of_quota, _("chỉ tiêu được giao: %(n)s") % {
            "n": shown(result.quota)}
    if result.provincial_quota:
        return result.percent_of_provincial, _("kế hoạch UBND tỉnh giao: %(n)s") % {
            "n": shown(result.provincial_quota)}
    if result.national_quota:
        return result.percent_of_national, _("kế hoạch BCĐ Quốc gia giao: %(n)s") % {
            "n": shown(result.national_quota)}
    return None, _("chưa có chỉ tiêu cho kỳ này")


def _ranking_row(request, row: dashboard.UnitRow) -> dict:
    params = request.GET.copy()
    params["don_vi"] = str(row.organization.code)
    return {"row": row, "query": params.urlencode(), "quota": shown(row.quota),
            "units": shown(row.now.units), "percent": shown(row.percent_of_quota, "percent"),
            "before": shown(row.before.units)}


@login_required
def report_xlsx(request):
    scope, _choices = scope_from_request(request)
    result = dashboard.build(scope, timezone.localdate())
    content = exports.report_xlsx(result, equivalents=shows_equivalents(scope.organization))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-"
                                                  "officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(result)}.xlsx"'
    return response


def shows_equivalents(organization: Organization) -> bool:
    """250 ml equivalents are shown where the organization or one above it asks."""
    if organization.shows_250ml_equivalents:
        return True
    return organization.ancestors().filter(shows_250ml_equivalents=True).exists()


def default_organization(user) -> Organization:
    visible = Organization.objects.visible_to(user).order_by("depth", "path")
    found = visible.first()
    if found is None:
        raise Http404(_("Bạn chưa có vai trò ở tổ chức nào."))
    return found


def scope_from_request(request) -> tuple[Scope, dict]:
    """The scope the query string asks for, within what the user may see: don_vi (an
    organization's code), nam (plan year), thang (1–12), muc (a plan section's number),
    chien_dich (a campaign's code), noi_tiep_nhan (a receiving institution's code)."""
    user, params = request.user, request.GET
    code = params.get("don_vi")
    org = get_organization_for_user(user, code) if code else default_organization(user)
    today = timezone.localdate()
    this_year = queries.plan_year_of(today)
    year = _int(params.get("nam"), this_year, FIRST_YEAR, this_year + 1)
    start, end = queries.plan_year(year)
    month = _int(params.get("thang"), None, 1, 12)
    if month:
        # A plan year runs December to November: its December is the year before's.
        start, end = queries.month_range(start.year if month >= start.month else end.year,
                                         month)
    plan = queries.committee_plan(_committee(org), start, end)
    section = None
    if params.get("muc") and plan is not None:
        section = plan.sections.filter(number=params["muc"]).first()
    campaign = _by_code(Campaign.objects.all(), params.get("chien_dich"))
    institution = _by_code(Organization.objects.filter(kind="receiving_institution"),
                           params.get("noi_tiep_nhan"))
    scope = Scope(org, start, end, section, campaign, institution)
    choices = {
        "year": year, "years": list(range(this_year + 1, FIRST_YEAR - 1, -1)), "month": month,
        "months": range(1, 13), "sections": list(plan.sections.all()) if plan else [],
        "section": section, "campaigns": list(Campaign.objects.order_by("name")),
        "campaign": campaign, "institutions": list(Organization.objects.filter(
            kind="receiving_institution").order_by("name")), "institution": institution,
        "organizations": _organization_choices(user, org),
    }
    return scope, choices


def _committee(org: Organization) -> Organization:
    """The committee whose plan sets the unit's year: itself or the nearest above."""
    if org.kind.endswith("committee"):
        return org
    return org.ancestors().filter(kind__endswith="committee").order_by("-depth").first() \
        or org


def _organization_choices(user, current: Organization) -> list[Organization]:
    """The current organization, the path above it that the user may see, and the
    units just below it: where a report can go next."""
    visible = Organization.objects.visible_to(user)
    above = list(visible.filter(path__in=[current.path[:i] for i in range(
        Organization.steplen, len(current.path), Organization.steplen)]).order_by("depth"))
    return above + [current] + list(current.children().order_by("name"))


def _int(text, default, low, high):
    try:
        value = int(text)
    except (TypeError, ValueError):
        return default
    return value if low <= value <= high else default


def _by_code(queryset, code):
    if not code:
        return None
    try:
        return queryset.filter(code=code).first()
    except ValidationError:
        return None


def _charts(result: dashboard.Report) -> dict:
    names = {"now": _("Năm nay"), "before": _("Cùng kỳ năm trước"),
             "pace": _("Tiến độ cần đạt")}
    found = {
        "cumulative": charts.cumulative(result.month_labels, result.cumulative_now,
                                        result.cumulative_before, result.pace, names=names),
        "monthly": charts.monthly(result.month_labels, result.monthly_now,
                                  result.monthly_before, names=names),
    }
    ranked = [row for row in result.ranked if row.percent_of_quota is not None]
    if ranked:
        found["ranking"] = charts.ranking(
            [row.organization.short_name or row.organization.name for row in ranked],
            [float(row.percent_of_quota) for row in ranked], title=_("% chỉ tiêu đã đạt"))
    return {name: "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
            for name, svg in found.items()}

