"""The Vietnamese administrative layout every generated DOCX shares.

Nghị định 30/2020/NĐ-CP (Phụ lục I) sets it: A4 paper, margins 20–25 mm top and bottom,
30–35 mm left, 15–20 mm right; Times New Roman 13–14 pt; a two-column header with the
issuing body on the left and the national motto on the right, the number line and the
place-and-date line under them; the document's kind in bold capitals, centred.
Numbers are grouped with dots (13.762) and dates written dd/mm/yyyy, whatever language
the person who downloads the file has chosen.
"""

import datetime
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from hienmau.orgs.models import Kind
from hienmau.text import group_thousands, printable

FONT = "Times New Roman"
BODY_SIZE = Pt(13)
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc"
COMMITTEE_KINDS = {Kind.NATIONAL_COMMITTEE, Kind.PROVINCIAL_COMMITTEE, Kind.COMMUNE_COMMITTEE,
                   Kind.INDUSTRIAL_ZONE_COMMITTEE}


def units(value: int | None) -> str:
    """13762 → "13.762", the way official documents write numbers."""
    return "" if value is None else group_thousands(value)


def short_date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def place_name(org) -> str:
    """The place written before the date: "Hưng Yên", "Hà Nội"."""
    name = org.province_name
    return name.removeprefix("Thành phố ").removeprefix("Tỉnh ")


def place_and_date(org, day: datetime.date | None) -> str:
    """ "Hưng Yên, ngày 05 tháng 12 năm 2023"; blanks to fill by hand when undated,
    as offices leave them on a draft ("ngày    tháng    năm 2023")."""
    place = place_name(org)
    if day is None:
        text = "ngày      tháng      năm"
    else:
        # Days and months below 10 (and below 3 for months) take a leading zero (NĐ 30/2020).
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text.capitalize()


def issuer_lines(org) -> tuple[str, str]:
    """(superior body, issuing body) for the header's left column, in capitals.

    A steering committee is set up by the People's Committee of its province, which the
    header names above it; other units name their parent organization.
    """
    superior = ""
    if org.kind in COMMITTEE_KINDS and org.province_name:
        province = org.province_name
        superior = "UBND " + (province if province.startswith("Thành phố")
                              else f"Tỉnh {province}")
    elif (parent := org.parent_org()) is not None:
        superior = parent.name
    return superior.upper(), org.name.upper()


def new_document(*, landscape: bool = False) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = BODY_SIZE
    # East-Asian and complex-script slots too, or Word falls back to another font there.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    style.paragraph_format.space_after = Pt(3)
    return doc


def paragraph(container, text: str = "", *, bold=False, italic=False, size=None,
              align=None, indent=False, space_after=None):
    """One paragraph of a single run; `container` is the document or a table cell."""
    para = container.add_paragraph()
    if text:
        add_run(para, text, bold=bold, italic=italic, size=size)
    if align is not None:
        para.alignment = align
    if indent:
        para.paragraph_format.first_line_indent = Mm(10)
    if space_after is not None:
        para.paragraph_format.space_after = Pt(space_after)
    return para


def add_run(para, text: str, *, bold=False, italic=False, underline=False, size=None):
    # Every text of every DOCX passes here: a control character stored before they were
    # refused (a bell in a cancel reason) is left out rather than failing the document.
    run = para.add_run(printable(text))
    run.bold, run.italic, run.underline = bold, italic, underline
    if size is not None:
        run.font.size = Pt(size)
    return run


def header(doc, issuer, *, number: str, day: datetime.date | None) -> None:
    """The two-column header: issuer and number left, motto and place-and-date right."""
    superior, name = issuer_lines(issuer)
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, [70, 95])
    left, right = table.rows[0].cells
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if superior:
        add_run(left.paragraphs[0], superior, size=12)
        paragraph(left, name, bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER)
    else:
        add_run(left.paragraphs[0], name, bold=True, size=12)
    paragraph(left, "———", align=WD_ALIGN_PARAGRAPH.CENTER, size=8)
    paragraph(left, f"Số: {number}" if number else "Số:      /", align=WD_ALIGN_PARAGRAPH.CENTER)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(right.paragraphs[0], MOTTO, bold=True, size=12)
    motto = paragraph(right, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_run(motto, MOTTO_LINE, bold=True, underline=True)
    paragraph(right, "", size=8)
    paragraph(right, place_and_date(issuer, day), italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def title(doc, kind: str, *subtitles: str) -> None:
    paragraph(doc, "", space_after=0)
    paragraph(doc, kind.upper(), bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER,
              space_after=0)
    for line in subtitles:
        paragraph(doc, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    paragraph(doc, "———", align=WD_ALIGN_PARAGRAPH.CENTER, size=8)


def signature(doc, issuer, *, recipients: list[str]) -> None:
    """"Nơi nhận" on the left, the signing block on the right; the name is signed by hand."""
    table = doc.add_table(rows=1, cols=2)
    set_widths(table, [80, 85])
    left, right = table.rows[0].cells
    add_run(left.paragraphs[0], "Nơi nhận:", bold=True, italic=True, size=12)
    for line in [*recipients, "Lưu: VT."]:
        paragraph(left, f"- {line}", size=11, space_after=0)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(right.paragraphs[0], f"TM. {issuer.name}".upper(), bold=True, size=13)
    paragraph(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=12,
              align=WD_ALIGN_PARAGRAPH.CENTER)


def table_with_header(doc, headings: list[str]):
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_run(cell.paragraphs[0], heading, bold=True, size=12)
    _repeat_as_header(table.rows[0])
    return table


def set_widths(table, widths_mm: list[int]) -> None:
    """Fix the column widths once the table is filled: LibreOffice reads the grid, Word
    each cell's own width, so both are set."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)


def _repeat_as_header(row) -> None:
    """Repeat the heading row at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    element = properties.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    properties.append(element)


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
