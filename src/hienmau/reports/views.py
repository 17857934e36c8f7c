"""Report pages: the dashboard of a unit, committee or institution, and its tables as
XLSX. Whoever may see an organization may see its figures (counts only, no person)."""

import base64

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.reports import access, charts, dashboard, documents, exports, queries
from hienmau.reports.dashboard import shown


@login_required
def report(request):
    scope, choices = scope_from_request(request)
    result = dashboard.build(scope, timezone.localdate())
    equivalents = access.shows_equivalents(scope.organization)
    quota, quota_note = _main_quota(result)
    empty = not (result.now.drives or result.before.drives)
    return render(request, "reports/dashboard.html", {
        "report": result, "choices": choices, "charts": {} if empty else _charts(result),
        "query": request.GET.urlencode(), "equivalents": equivalents,
        "lines": dashboard.indicators(result, equivalents=equivalents),
        "units_shown": shown(result.now.units), "before_units_shown": shown(result.before.units),
        "equivalents_shown": shown(result.now.equivalents_250, "decimal"),
        "kpi_quota": shown(quota, "percent"), "kpi_quota_note": quota_note,
        "needed_per_month": shown(result.needed_per_month),
        "expected_shown": shown(result.now.percent_of_expected, "percent"),
        "expected_units_shown": shown(result.now.expected),
        "deferrals": [(exports.reason_label(code), n)
                      for code, n in result.now.deferrals.most_common()],
        "ranking": [_ranking_row(request, row) for row in result.ranked],
        "own_row": result.own_row and _ranking_row(request, result.own_row),
        "total_row": result.units and _ranking_row(request, result.units_total),
        "joint_drives_in_rows": sum(row.now.drives for row in result.units)
        != result.now.drives,
        "comparison": result.comparison, "growth_shown": growth_shown(result.comparison),
        "months": range(1, 13), "summary": documents.is_summary(result),
        "empty": empty,
        "latest_year": _latest_year(request, result) if empty else None})


def _latest_year(request, result: dashboard.Report) -> dict | None:
    """Where an empty report can send the user: the plan year of the latest result."""
    latest = queries.latest_result(result.scope)
    if latest is None:
        return None
    params = request.GET.copy()
    params["nam"] = str(queries.plan_year_of(latest))
    params.pop("thang", None)
    return {"year": queries.plan_year_of(latest), "query": params.urlencode()}


RANKING_CHARTED = 40


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


def growth_shown(compared) -> str:
    """"tăng 12%", "giảm 3%", or in a few words why last year is not compared with."""
    if not compared.comparable:
        return compared.short
    percent = shown(abs(compared.percent), "percent")
    return (_("tăng %(n)s") if compared.change >= 0 else _("giảm %(n)s")) % {"n": percent}


def _ranking_row(request, row: dashboard.UnitRow) -> dict:
    params = request.GET.copy()
    params["don_vi"] = str(row.organization.code)
    return {"row": row, "query": params.urlencode(), "quota": shown(row.quota),
            "units": shown(row.now.units), "percent": shown(row.percent_of_quota, "percent"),
            "before": shown(row.before.units)}


def scope_from_request(request):
    params = request.GET
    return access.scope_for(
        request.user, today=timezone.localdate(), organization=params.get("don_vi"),
        year=params.get("nam"), month=params.get("thang"), section=params.get("muc"),
        campaign=params.get("chien_dich"), institution=params.get("noi_tiep_nhan"))


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
WRITERS = {"xlsx": exports.report_xlsx, "docx": documents.report_docx,
           "pdf": documents.report_pdf}


@login_required
def report_file(request, extension: str):
    """The report as XLSX (its tables) or as the signed paper (DOCX to edit, PDF)."""
    scope, _choices = scope_from_request(request)
    result = dashboard.build(scope, timezone.localdate())
    content = WRITERS[extension](result,
                                 equivalents=access.shows_equivalents(scope.organization))
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = (f'attachment; filename="{exports.file_name(result)}.'
                                       f'{extension}"')
    return response


def _charts(result: dashboard.Report) -> dict:
    names = {"now": _("Năm nay"), "before": _("Cùng kỳ năm trước (số liệu chưa đầy đủ)")
             if result.comparison.before_incomplete else _("Cùng kỳ năm trước"),
             "pace": _("Tiến độ cần đạt")}
    found = {
        "cumulative": charts.cumulative(result.month_labels, result.cumulative_now,
                                        result.cumulative_before, result.pace, names=names),
        "monthly": charts.monthly(result.month_labels, result.monthly_now,
                                  result.monthly_before, names=names),
    }
    # Beyond RANKING_CHARTED units a chart is unreadable: the table ranks them all.
    ranked = [row for row in result.ranked if row.percent_of_quota is not None]
    if 0 < len(ranked) <= RANKING_CHARTED:
        found["ranking"] = charts.ranking(
            [row.organization.short_name or row.organization.name for row in ranked],
            [float(row.percent_of_quota) for row in ranked],
            title=_("Tỷ lệ đạt chỉ tiêu (phần trăm)"))
    return {name: "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
            for name, svg in found.items()}

