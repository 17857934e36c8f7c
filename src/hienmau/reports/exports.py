"""A report's tables as one XLSX workbook: the figures beside last year's, the ranking
of the units below, the months, the deferrals by reason and the drives ahead. Numbers
are written as numbers (a user sums and filters them), percentages as Excel percents."""

import io

from django.utils.translation import gettext as _

from hienmau.drives.screening import REASONS
from hienmau.reports import queries
from hienmau.reports.dashboard import Report, indicators
from hienmau.text import search_key
from hienmau.workbooks import Workbook


def file_name(report: Report) -> str:
    org = report.organization
    name = search_key(org.short_name or org.name).replace(" ", "-")
    return f"bao-cao-{name}-{report.scope.start:%Y%m%d}-{report.scope.end:%Y%m%d}"


def title_lines(report: Report) -> list[str]:
    scope = report.scope
    lines = [_("BÁO CÁO KẾT QUẢ HIẾN MÁU TÌNH NGUYỆN"), report.organization.name,
             _("Từ ngày %(start)s đến ngày %(end)s") % {
                 "start": scope.start.strftime("%d/%m/%Y"), "end": scope.end.strftime("%d/%m/%Y")}]
    narrowed = [text for text in (
        scope.section and _("Mục %(number)s. %(title)s") % {
            "number": scope.section.number, "title": scope.section.title},
        scope.campaign and _("Chiến dịch: %(name)s") % {"name": scope.campaign.name},
        scope.institution and _("Đơn vị tiếp nhận: %(name)s") % {
            "name": scope.institution.name}) if text]
    return lines + narrowed


def report_xlsx(report: Report, *, equivalents: bool = False) -> bytes:
    out = io.BytesIO()
    book = Workbook(out)
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#f2f2f2", "border": 1,
                            "text_wrap": True, "valign": "top"})
    count = book.add_format({"num_format": "#,##0", "border": 1})
    pct = book.add_format({"num_format": "0.0%", "border": 1})
    dec = book.add_format({"num_format": "0.00", "border": 1})
    text = book.add_format({"border": 1, "text_wrap": True})
    formats = {"count": count, "percent": pct, "decimal": dec}

    def value(cell, kind):
        if cell is None:
            return None
        return float(cell) / 100 if kind == "percent" else float(cell)

    def write(sheet, row, col, cell, fmt):
        if cell is None:
            sheet.write_blank(row, col, None, fmt)
        else:
            sheet.write_number(row, col, cell, fmt)

    sheet = book.add_worksheet(_("Tổng hợp"))
    sheet.set_column(0, 0, 62)
    sheet.set_column(1, 2, 16)
    for row, line in enumerate(title_lines(report)):
        sheet.write(row, 0, line, bold)
    row = len(title_lines(report)) + 1
    sheet.write_row(row, 0, [_("Chỉ tiêu"), _("Kỳ này"), _("Cùng kỳ năm trước")], head)
    for line in indicators(report, equivalents=equivalents):
        row += 1
        sheet.write(row, 0, line.label, text)
        write(sheet, row, 1, value(line.now, line.kind), formats[line.kind])
        write(sheet, row, 2, value(line.before, line.kind), formats[line.kind])
    sheet.write(row + 2, 0, _("Một đơn vị máu là một túi máu, mọi thể tích. Đợt phối hợp "
                              "nhiều đơn vị được tính cho từng đơn vị theo tỷ lệ dự kiến."))
    if not report.comparison.comparable:  # last year's column is not a comparison
        sheet.write(row + 3, 0, report.comparison.note)

    if report.units:
        sheet = book.add_worksheet(_("Xếp hạng đơn vị"))
        sheet.set_column(0, 0, 6)
        sheet.set_column(1, 1, 50)
        sheet.set_column(2, 8, 14)
        sheet.write_row(0, 0, [_("Hạng"), _("Đơn vị"), _("Chỉ tiêu"), _("Đã tiếp nhận"),
                               _("Tỷ lệ đạt chỉ tiêu"), _("Số đợt"), _("Cùng kỳ năm trước"),
                               _("Tăng/giảm"), _("Dự kiến các đợt sắp tới")], head)
        # The ranked units, then what the organization holds itself (named so, without
        # a rank), then the total the rows add up to.
        rows = [(i, unit.label, unit) for i, unit in enumerate(report.ranked, start=1)]
        if report.own_row is not None:
            rows.append((None, report.own_row.label, report.own_row))
        for i, (rank, name, unit) in enumerate(rows, start=1):
            write(sheet, i, 0, rank, count)
            sheet.write(i, 1, name, text)
            write(sheet, i, 2, unit.quota, count)
            write(sheet, i, 3, unit.now.units, count)
            write(sheet, i, 4, value(unit.percent_of_quota, "percent"), pct)
            write(sheet, i, 5, unit.now.drives, count)
            write(sheet, i, 6, unit.before.units, count)
            if unit.growth is None:  # why not, in words
                sheet.write(i, 7, unit.compared.short, text)
            else:
                write(sheet, i, 7, value(unit.growth, "percent"), pct)
            write(sheet, i, 8, unit.planned_ahead, count)
        sheet.autofilter(0, 0, len(rows), 8)
        total, last = report.units_total, len(rows) + 1
        sheet.write(last, 1, _("Tổng cộng"), head)
        write(sheet, last, 2, total.quota, count)
        write(sheet, last, 3, total.now.units, count)
        write(sheet, last, 5, total.now.drives, count)
        write(sheet, last, 6, total.before.units, count)
        if total.growth is None:
            sheet.write(last, 7, total.compared.short, text)
        else:
            write(sheet, last, 7, value(total.growth, "percent"), pct)
        write(sheet, last, 8, total.planned_ahead, count)
        sheet.freeze_panes(1, 2)

    sheet = book.add_worksheet(_("Theo tháng"))
    sheet.set_column(0, 4, 16)
    sheet.write_row(0, 0, [_("Tháng"), _("Đơn vị máu"), _("Lũy kế"), _("Cùng kỳ năm trước"),
                           _("Tiến độ cần đạt")], head)
    cumulative_now = report.cumulative_now
    for i, label in enumerate(report.month_labels, start=1):
        sheet.write(i, 0, label, text)
        write(sheet, i, 1, report.monthly_now[i - 1], count)
        write(sheet, i, 2, cumulative_now[i - 1], count)
        write(sheet, i, 3, report.monthly_before[i - 1], count)
        write(sheet, i, 4, report.pace[i - 1] if report.pace else None, count)

    if report.now.deferrals:
        sheet = book.add_worksheet(_("Tạm hoãn theo lý do"))
        sheet.set_column(0, 0, 50)
        sheet.set_column(1, 1, 14)
        sheet.write_row(0, 0, [_("Lý do"), _("Số người")], head)
        for i, (code, n) in enumerate(report.now.deferrals.most_common(), start=1):
            sheet.write(i, 0, reason_label(code), text)
            sheet.write_number(i, 1, n, count)

    date = book.add_format({"num_format": "dd/mm/yyyy", "border": 1})
    if report.closed:
        sheet = book.add_worksheet(_("Các đợt đã kết thúc"))
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 3, 40)
        sheet.set_column(4, 6, 14)
        sheet.write_row(0, 0, [_("Ngày"), _("Đợt hiến máu"), _("Đơn vị tổ chức"),
                               _("Đơn vị tiếp nhận"), _("Dự kiến"), _("Tiếp nhận"),
                               _("Tỷ lệ so với dự kiến")], head)
        for i, (drive, figures) in enumerate(report.closed, start=1):
            sheet.write_datetime(i, 0, drive.date, date)
            sheet.write(i, 1, drive.title or drive.venue, text)
            sheet.write(i, 2, drive.organizer.name, text)
            institution = drive.receiving_institution
            sheet.write(i, 3, institution.name if institution else "", text)
            sheet.write_number(i, 4, figures.expected, count)
            sheet.write_number(i, 5, figures.units, count)
            write(sheet, i, 6, value(figures.percent_of_expected, "percent"), pct)
        sheet.autofilter(0, 0, len(report.closed), 6)

    if report.ahead_count:
        sheet = book.add_worksheet(_("Đợt sắp tới"))
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 2, 44)
        sheet.set_column(3, 3, 14)
        sheet.write_row(0, 0, [_("Ngày"), _("Đơn vị tổ chức"), _("Địa điểm"),
                               _("Dự kiến (đơn vị máu)")], head)
        for i, drive in enumerate(queries.drives_ahead(report.scope, report.today), start=1):
            sheet.write_datetime(i, 0, drive.date, date)
            sheet.write(i, 1, drive.organizer.name, text)
            sheet.write(i, 2, drive.venue, text)
            sheet.write_number(i, 3, drive.expected_units, count)
    book.close()
    return out.getvalue()


def reason_label(code: str) -> str:
    reason = REASONS.get(code)
    return str(reason.label) if reason else (code or _("Không ghi lý do"))
