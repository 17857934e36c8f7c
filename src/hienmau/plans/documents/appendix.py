"""The plan's appendix, BẢNG CHỈ TIÊU, as XLSX and DOCX, laid out like seed 002's.

Columns: TT | Đơn vị tổ chức | Chỉ tiêu giao | Dự kiến thời gian tổ chức | Số đơn vị máu
dự kiến tiếp nhận. A unit's first drive shares its row, later drives take the rows
below; each section ends with "Cộng mục I" and the table with "Tổng cộng mục I + II…".
Every figure comes from `summary.quota_table`, so nothing here is typed. The XLSX keeps
its totals as formulas (with their values stored), so a sheet an office edits afterwards
still adds up; `plans.importer` reads the file back.
"""

import datetime
import io
from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH

from hienmau.plans.documents import layout
from hienmau.plans.summary import quota_table
from hienmau.workbooks import Workbook

HEADINGS = ["TT", "Đơn vị tổ chức", "Chỉ tiêu giao", "Dự kiến thời gian tổ chức",
            "Số đơn vị máu dự kiến tiếp nhận"]
# Dots between thousands in every locale, while the cell stays a number Excel can add.
XLSX_UNITS_FORMAT = r"[>=1000000]#\.###\.##0;[>=1000]#\.##0;0"


@dataclass(frozen=True)
class Line:
    kind: str  # "section", "unit", "drive", "subtotal" or "total"
    number: str = ""
    label: str = ""
    quota: int | None = None
    date: datetime.date | None = None
    units: int | None = None


def appendix_lines(plan, table=None) -> list[Line]:
    """The appendix row by row, computed from the plan's quotas and drives."""
    table = table or quota_table(plan)
    lines = []
    for block in table.blocks:
        section = block.section
        lines.append(Line("section", section.number if section else "",
                          section.title if section else "Chưa xếp mục"))
        for index, row in enumerate(block.rows, start=1):
            drives = row.drives or [(None, None)]
            for position, (drive, units) in enumerate(drives):
                first = position == 0
                lines.append(Line(
                    "unit" if first else "drive",
                    str(index) if first else "",
                    row.quota.organization.name if first else "",
                    row.quota.units if first else None,
                    drive.date if drive else None, units))
        lines.append(Line("subtotal", label=(f"Cộng mục {section.number}" if section
                                             else "Cộng"),
                          quota=block.total, units=block.listed))
    numbers = table.section_numbers
    lines.append(Line("total", label=f"Tổng cộng mục {numbers}" if numbers else "Tổng cộng",
                      quota=table.total, units=table.listed))
    return lines


def unlisted_note(table) -> str:
    """A note under the table for what the plan's drives bring from units that have no
    quota (the committee's own share of a joint drive), so the table hides nothing."""
    if not table.unlisted:
        return ""
    parts = "; ".join(f"{org.name} ngày {layout.short_date(drive.date)}: "
                      f"{layout.units(units)}" for drive, org, units in table.unlisted)
    return (f"Ghi chú: ngoài bảng, các đợt còn dự kiến tiếp nhận "
            f"{layout.units(table.unlisted_units)} đơn vị "
            f"máu của đơn vị không được giao chỉ tiêu ({parts}).")


def appendix_title(plan) -> list[str]:
    year = plan.ends_on.year
    source = f"(Kèm theo Kế hoạch số {plan.document_number or '      /KH'}"
    if plan.document_date:
        source += f" ngày {layout.short_date(plan.document_date)}"
    source += f" của {plan.committee.name})"
    return ["PHỤ LỤC", f"BẢNG CHỈ TIÊU TỔ CHỨC HIẾN MÁU TÌNH NGUYỆN NĂM {year}", source]


def appendix_xlsx(plan) -> bytes:
    table = quota_table(plan)
    lines = appendix_lines(plan, table)
    buffer = io.BytesIO()
    book = Workbook(buffer)
    sheet = book.add_worksheet("Phụ lục")
    style = _XlsxStyles(book)
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=1.18, right=0.6, top=0.8, bottom=0.8)  # inches: 30/15/20 mm
    sheet.fit_to_pages(1, 0)
    for column, width in enumerate([6, 46, 12, 18, 18]):
        sheet.set_column(column, column, width)

    superior, issuer = layout.issuer_lines(plan.committee)
    sheet.merge_range(0, 0, 0, 1, superior, style.plain_center)
    sheet.merge_range(1, 0, 1, 1, issuer, style.bold_center)
    sheet.set_row(1, 32)  # a committee's name takes two lines
    sheet.merge_range(0, 2, 0, 4, layout.MOTTO, style.bold_center)
    sheet.merge_range(1, 2, 1, 4, layout.MOTTO_LINE, style.motto)
    row = 3
    for text in appendix_title(plan):
        sheet.merge_range(row, 0, row, 4, text, style.italic_center if text.startswith("(")
                          else style.title)
        row += 1
    row += 1
    sheet.write_row(row, 0, HEADINGS, style.heading)
    sheet.set_row(row, 45)
    sheet.repeat_rows(row)
    row += 1

    block_start, subtotal_rows = None, []
    for line in lines:
        excel_row = row + 1
        if line.kind == "section":
            sheet.write(row, 0, line.number, style.bold_center_cell)
            sheet.merge_range(row, 1, row, 4, line.label, style.bold_cell)
            block_start = excel_row + 1
        elif line.kind in ("unit", "drive"):
            sheet.write(row, 0, int(line.number) if line.number else "", style.center_cell)
            sheet.write(row, 1, line.label, style.cell)
            _number(sheet, row, 2, line.quota, style.units)
            if line.date:
                sheet.write_datetime(row, 3, line.date, style.date)
            else:
                sheet.write_blank(row, 3, None, style.center_cell)
            _number(sheet, row, 4, line.units, style.units)
        elif line.kind == "subtotal":
            sheet.write_blank(row, 0, None, style.bold_cell)
            sheet.write(row, 1, line.label, style.bold_cell)
            for column, letter, value in ((2, "C", line.quota), (4, "E", line.units)):
                formula = (f"=SUM({letter}{block_start}:{letter}{excel_row - 1})"
                           if excel_row > block_start else "=0")
                sheet.write_formula(row, column, formula, style.bold_units, value)
            sheet.write_blank(row, 3, None, style.bold_cell)
            subtotal_rows.append(excel_row)
        else:
            sheet.write_blank(row, 0, None, style.total_cell)
            sheet.write(row, 1, line.label, style.total_cell)
            for column, letter, value in ((2, "C", line.quota), (4, "E", line.units)):
                cells = "+".join(f"{letter}{r}" for r in subtotal_rows) or "0"
                sheet.write_formula(row, column, f"={cells}", style.total_units, value)
            sheet.write_blank(row, 3, None, style.total_cell)
        row += 1
    if note := unlisted_note(table):
        sheet.merge_range(row + 1, 0, row + 1, 4, note, style.note)
        sheet.set_row(row + 1, 48)
    book.close()
    return buffer.getvalue()


def _number(sheet, row, column, value, fmt) -> None:
    if value is None:
        sheet.write_blank(row, column, None, fmt)
    else:
        sheet.write_number(row, column, value, fmt)


class _XlsxStyles:
    """The few cell formats of the sheet, Times New Roman throughout."""

    def __init__(self, book):
        def make(**props):
            return book.add_format({"font_name": layout.FONT, "font_size": 12,
                                    "valign": "vcenter", **props})
        boxed = {"border": 1}
        self.plain_center = make(align="center")
        self.bold_center = make(align="center", bold=True, text_wrap=True)
        self.motto = make(align="center", bold=True, underline=1)
        self.title = make(align="center", bold=True, font_size=13)
        self.italic_center = make(align="center", italic=True)
        self.heading = make(align="center", bold=True, text_wrap=True, **boxed)
        self.cell = make(text_wrap=True, **boxed)
        self.center_cell = make(align="center", **boxed)
        self.bold_cell = make(bold=True, **boxed)
        self.bold_center_cell = make(bold=True, align="center", **boxed)
        self.total_cell = make(bold=True, bg_color="#F2DCDB", **boxed)
        self.units = make(num_format=XLSX_UNITS_FORMAT, **boxed)
        self.bold_units = make(num_format=XLSX_UNITS_FORMAT, bold=True, **boxed)
        self.total_units = make(num_format=XLSX_UNITS_FORMAT, bold=True, bg_color="#F2DCDB",
                                **boxed)
        self.date = make(num_format="dd/mm/yyyy", align="center", **boxed)
        self.note = make(italic=True, text_wrap=True, valign="top")


def appendix_docx(plan) -> bytes:
    doc = layout.new_document()
    for index, text in enumerate(appendix_title(plan)):
        layout.paragraph(doc, text, bold=index < 2, italic=index == 2,
                         size=14 if index == 1 else None, align=WD_ALIGN_PARAGRAPH.CENTER,
                         space_after=0)
    layout.paragraph(doc, "")
    summary = quota_table(plan)
    table = layout.table_with_header(doc, HEADINGS)
    for line in appendix_lines(plan, summary):
        cells = table.add_row().cells
        bold = line.kind in ("section", "subtotal", "total")
        values = [line.number, line.label, layout.units(line.quota),
                  layout.short_date(line.date), layout.units(line.units)]
        if line.kind == "section":
            cells[1].merge(cells[4])
            values = values[:2]
        aligns = [WD_ALIGN_PARAGRAPH.CENTER, None, WD_ALIGN_PARAGRAPH.RIGHT,
                  WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT]
        for cell, value, align in zip(cells, values, aligns, strict=False):
            para = cell.paragraphs[0]
            para.alignment = align
            if value:
                layout.add_run(para, value, bold=bold, size=12)
    layout.set_widths(table, [12, 72, 22, 30, 29])
    if note := unlisted_note(summary):
        layout.paragraph(doc, note, italic=True, size=12)
    return layout.to_bytes(doc)
