"""The year-end summary report (*Báo cáo tổng kết*) of a committee and the result report
of a unit, as DOCX and PDF in Vietnamese administrative layout (plans.documents.layout,
NĐ 30/2020/NĐ-CP): the figures in the sentence the seeds write them in, the comparison
with last year, the figures' table, the ranking of the units below and the charts.

The document is described once as a list of blocks (`blocks`), then written by two
renderers (`report_docx`, `report_pdf`), so both files always say the same thing. Like
every official paper HienMau writes, it is in Vietnamese whatever the screen language.
"""

import datetime
import io
from dataclasses import dataclass, field

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from hienmau import pdf
from hienmau.plans.documents import layout
from hienmau.reports import charts
from hienmau.reports.dashboard import Report, indicators, shown
from hienmau.reports.exports import reason_label

COMMITTEE_KINDS = layout.COMMITTEE_KINDS


@dataclass
class Block:
    kind: str  # heading, text, table, image
    text: str = ""
    headings: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)  # mm
    image: bytes = b""


def is_summary(report: Report) -> bool:
    """A committee's report over a whole plan year is its year-end summary."""
    return report.organization.kind in COMMITTEE_KINDS and report.scope.start.month == 12 \
        and report.scope.start.day == 1 and (report.scope.end - report.scope.start).days > 300


def titles(report: Report) -> tuple[str, str]:
    year = report.scope.end.year
    if is_summary(report):
        return "BÁO CÁO", f"Tổng kết công tác vận động hiến máu tình nguyện năm {year}"
    return "BÁO CÁO", (f"Kết quả hiến máu tình nguyện của {report.organization.name} "
                       f"từ {layout.short_date(report.scope.start)} đến "
                       f"{layout.short_date(report.scope.end)}")


def result_sentence(report: Report) -> str:
    """The result as seed 002 writes it: "Tính từ ngày 01/12/2022 đến 30/11/2023, …
    đã triển khai 47 cuộc hiến máu, tiếp nhận 18.499 đơn vị máu, đạt 185% kế hoạch do
    Ban Chỉ đạo Quốc gia vận động hiến máu tình nguyện giao, đạt 147% kế hoạch do UBND
    tỉnh giao"."""
    scope, now = report.scope, report.now
    who = ("các cơ quan, đơn vị, địa phương" if is_summary(report) or report.units
           else report.organization.name)
    text = (f"Tính từ ngày {layout.short_date(scope.start)} đến "
            f"{layout.short_date(scope.end)}, {who} đã triển khai {shown(now.drives)} cuộc "
            f"hiến máu, tiếp nhận {shown(now.units)} đơn vị máu")
    reached = []
    if report.national_quota:
        reached.append(f"đạt {shown(report.percent_of_national, 'percent')} kế hoạch do Ban "
                       f"Chỉ đạo Quốc gia vận động hiến máu tình nguyện giao")
    if report.provincial_quota:
        reached.append(f"đạt {shown(report.percent_of_provincial, 'percent')} kế hoạch do "
                       f"UBND tỉnh giao")
    if report.quota:
        reached.append(f"đạt {shown(report.percent_of_quota, 'percent')} so với chỉ tiêu "
                       f"được giao ({shown(report.quota)} đơn vị máu)")
    if not reached and now.expected:
        reached.append(f"đạt {shown(now.percent_of_expected, 'percent')} so với số dự kiến "
                       f"({shown(now.expected)} đơn vị máu)")
    return ", ".join([text, *reached]) + "."


def comparison_sentence(report: Report) -> str:
    """The growth over the same period last year, or why there is none: last year is
    compared with only when its figures are like this year's (`reports.comparison`)."""
    compared = report.comparison
    if not compared.comparable:
        return compared.note
    change = compared.change
    direction = "tăng" if change >= 0 else "giảm"
    until = (f"đến ngày {layout.short_date(compared.span_end)}: " if compared.span_end
             else "")
    return (f"So với cùng kỳ năm trước ({until}{shown(compared.before_drives)} cuộc, "
            f"{shown(compared.before)} đơn vị máu), số đơn vị máu {direction} "
            f"{shown(abs(change))} đơn vị ({direction} "
            f"{shown(abs(compared.percent), 'percent')}).")


def blocks(report: Report, *, equivalents: bool = False) -> list[Block]:
    found = [
        Block("heading", "I. KẾT QUẢ"),
        Block("text", result_sentence(report)),
        Block("text", comparison_sentence(report)),
        Block("text", "Một đơn vị máu là một túi máu, mọi thể tích; đợt phối hợp nhiều đơn vị "
                      "được tính cho từng đơn vị theo tỷ lệ số dự kiến."),
        Block("table", headings=["Chỉ số", "Năm nay", "Cùng kỳ năm trước"], widths=[95, 35, 35],
              rows=[[line.label, line.shown_now, line.shown_before]
                    for line in indicators(report, equivalents=equivalents)]),
    ]
    if report.now.deferrals:
        found += [Block("text", "Số người tạm hoãn hiến máu theo lý do:"),
                  Block("table", headings=["Lý do", "Số người"], widths=[130, 35],
                        rows=[[reason_label(code), shown(n)]
                              for code, n in report.now.deferrals.most_common()])]
    names = {"now": "Năm nay", "before": "Cùng kỳ năm trước" + (
        " (số liệu chưa đầy đủ)" if report.comparison.before_incomplete else ""),
        "pace": "Tiến độ cần đạt"}
    found += [
        Block("heading", "II. DIỄN BIẾN THEO THÁNG"),
        Block("image", "Biểu đồ 1. Lũy kế đơn vị máu so với tiến độ cần đạt",
              image=charts.cumulative(report.month_labels, report.cumulative_now,
                                      report.cumulative_before, report.pace, names=names,
                                      fmt="png")),
        Block("image", "Biểu đồ 2. Đơn vị máu theo tháng",
              image=charts.monthly(report.month_labels, report.monthly_now,
                                   report.monthly_before, names=names, fmt="png")),
    ]
    if report.units:
        found += [
            Block("heading", "III. KẾT QUẢ CỦA CÁC ĐƠN VỊ"),
            Block("table", headings=["TT", "Đơn vị", "Chỉ tiêu", "Đã tiếp nhận", "% chỉ tiêu",
                                     "Năm trước"], widths=[10, 75, 20, 22, 18, 20],
                  rows=[_unit_cells(str(i), row.label, row)
                        for i, row in enumerate(report.ranked, start=1)] + _unit_end(report)),
        ]
        at_risk = report.at_risk
        if at_risk and report.today <= report.scope.end:
            found.append(Block("text", "Đơn vị có nguy cơ không đạt chỉ tiêu: " + "; ".join(
                f"{row.organization.name} (đã có {shown(row.now.units)}, dự kiến thêm "
                f"{shown(row.planned_ahead)}, chỉ tiêu {shown(row.quota)})" for row in at_risk)
                + "."))
    return found


def _unit_cells(number: str, name: str, row, *, quota: bool = True) -> list[str]:
    cells = [number, name, shown(row.quota), shown(row.now.units),
             shown(row.percent_of_quota, "percent"), shown(row.before.units)]
    if not quota:  # no quota of its own: nothing to write, not a missing figure
        cells[2] = cells[4] = ""
    return cells


def _unit_end(report: Report) -> list[list[str]]:
    """The rows after the ranked units: what the organization holds itself (named so,
    without a rank), then the total, which the rows add up to."""
    own = report.own_row
    rows = [] if own is None else [_unit_cells("", own.label, own, quota=False)]
    total = report.units_total
    return [*rows, ["", "Tổng cộng", shown(total.quota) if total.quota else "",
                    shown(total.now.units), "", shown(total.before.units)]]


# ---- DOCX --------------------------------------------------------------------------


def report_docx(report: Report, *, equivalents: bool = False,
                day: datetime.date | None = None) -> bytes:
    doc = layout.new_document()
    layout.header(doc, report.organization, number="", day=day)
    layout.title(doc, *titles(report))
    for block in blocks(report, equivalents=equivalents):
        if block.kind == "heading":
            heading = layout.paragraph(doc, block.text, bold=True, space_after=3)
            heading.paragraph_format.keep_with_next = True
        elif block.kind == "text":
            layout.paragraph(doc, block.text, indent=True,
                             align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        elif block.kind == "table":
            table = layout.table_with_header(doc, block.headings)
            for values in block.rows:
                cells = table.add_row().cells
                for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
                    cell.paragraphs[0].alignment = (WD_ALIGN_PARAGRAPH.LEFT if i == _text_column(
                        block) else WD_ALIGN_PARAGRAPH.RIGHT)
                    layout.add_run(cell.paragraphs[0], value, size=12)
            layout.set_widths(table, block.widths)
            layout.paragraph(doc, "", space_after=0)
        elif block.kind == "image":
            doc.add_picture(io.BytesIO(block.image), width=Mm(165))
            layout.paragraph(doc, block.text, italic=True, size=12,
                             align=WD_ALIGN_PARAGRAPH.CENTER)
    layout.signature(doc, report.organization, recipients=_recipients(report))
    return layout.to_bytes(doc)


def _text_column(block: Block) -> int:
    """The column of names (left-aligned); figures are right-aligned."""
    return 1 if block.headings and block.headings[0] == "TT" else 0


def _recipients(report: Report) -> list[str]:
    parent = report.organization.parent_org()
    return [parent.name] if parent else []


# ---- PDF ---------------------------------------------------------------------------

_LEFT, _RIGHT, _TOP = 30, 15, 20
_WIDTH = 210 - _LEFT - _RIGHT


def report_pdf(report: Report, *, equivalents: bool = False,
               day: datetime.date | None = None) -> bytes:
    document = pdf.new_document("P", "A4")
    document.set_margins(_LEFT, _TOP, _RIGHT)
    document.set_auto_page_break(True, margin=20)
    document.add_page()
    _pdf_header(document, report, day)
    kind, subtitle = titles(report)
    document.ln(6)
    document.set_font(pdf.FAMILY, "B", 14)
    document.cell(_WIDTH, 7, kind, align="C", new_x="LMARGIN", new_y="NEXT")
    document.set_font(pdf.FAMILY, "B", 13)
    document.multi_cell(_WIDTH, 6, subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    document.cell(_WIDTH, 5, "———", align="C", new_x="LMARGIN", new_y="NEXT")
    for block in blocks(report, equivalents=equivalents):
        if block.kind == "heading":
            if document.get_y() > document.h - 70:  # not alone at the foot of a page
                document.add_page()
            document.ln(2)
            document.set_font(pdf.FAMILY, "B", 13)
            document.multi_cell(_WIDTH, 6.5, block.text, new_x="LMARGIN", new_y="NEXT")
        elif block.kind == "text":
            document.set_font(pdf.FAMILY, "", 13)
            document.multi_cell(_WIDTH, 6.5, "          " + block.text, align="J",
                                new_x="LMARGIN", new_y="NEXT")
        elif block.kind == "table":
            _pdf_table(document, block)
        elif block.kind == "image":
            height = _WIDTH * 3.2 / 7.5  # the charts' aspect ratio
            if document.get_y() + height + 10 > document.h - 20:
                document.add_page()
            document.image(io.BytesIO(block.image), x=_LEFT, w=_WIDTH)
            document.set_font(pdf.FAMILY, "I", 12)
            document.cell(_WIDTH, 6, block.text, align="C", new_x="LMARGIN", new_y="NEXT")
    _pdf_signature(document, report)
    return bytes(document.output())


def _pdf_header(document, report: Report, day) -> None:
    superior, name = layout.issuer_lines(report.organization)
    top = document.get_y()
    document.set_font(pdf.FAMILY, "", 11)
    document.multi_cell(75, 5, superior, align="C", new_x="LEFT", new_y="NEXT")
    document.set_font(pdf.FAMILY, "B", 11)
    document.multi_cell(75, 5, name, align="C", new_x="LEFT", new_y="NEXT")
    document.cell(75, 5, "Số:      /BC", align="C", new_x="LMARGIN", new_y="NEXT")
    bottom = document.get_y()
    document.set_xy(_LEFT + 75, top)
    document.set_font(pdf.FAMILY, "B", 11)
    document.cell(_WIDTH - 75, 5, layout.MOTTO, align="C", new_x="LEFT", new_y="NEXT")
    document.set_font(pdf.FAMILY, "BU", 12)
    document.cell(_WIDTH - 75, 6, layout.MOTTO_LINE, align="C", new_x="LEFT", new_y="NEXT")
    document.set_font(pdf.FAMILY, "I", 12)
    document.cell(_WIDTH - 75, 7, layout.place_and_date(report.organization, day), align="C",
                  new_x="LMARGIN", new_y="NEXT")
    document.set_y(max(bottom, document.get_y()))


def _pdf_table(document, block: Block) -> None:
    document.set_font(pdf.FAMILY, "", 11)
    scale = _WIDTH / sum(block.widths)
    widths = [w * scale for w in block.widths]
    text_column = _text_column(block)
    aligns = ["LEFT" if i == text_column else "RIGHT" for i in range(len(widths))]
    with document.table(col_widths=widths, text_align=aligns, line_height=5.5,
                        first_row_as_headings=True) as table:
        heading = table.row()
        for text in block.headings:
            heading.cell(text)
        for values in block.rows:
            row = table.row()
            for value in values:
                row.cell(value)
    document.ln(2)


def _pdf_signature(document, report: Report) -> None:
    if document.get_y() > document.h - 60:
        document.add_page()
    document.ln(6)
    top = document.get_y()
    document.set_font(pdf.FAMILY, "BI", 12)
    document.cell(80, 6, "Nơi nhận:", new_x="LMARGIN", new_y="NEXT")
    document.set_font(pdf.FAMILY, "", 11)
    for line in [*_recipients(report), "Lưu: VT."]:
        document.multi_cell(80, 5, f"- {line}", new_x="LMARGIN", new_y="NEXT")
    document.set_xy(_LEFT + 80, top)
    document.set_font(pdf.FAMILY, "B", 12)
    document.multi_cell(_WIDTH - 80, 6, f"TM. {report.organization.name}".upper(), align="C",
                        new_x="LEFT", new_y="NEXT")
    document.set_font(pdf.FAMILY, "I", 12)
    document.cell(_WIDTH - 80, 6, "(Ký, ghi rõ họ tên, đóng dấu)", align="C")
