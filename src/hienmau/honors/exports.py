"""A round's nomination lists (*danh sách đề nghị tôn vinh, khen thưởng*) as the
Department of Home Affairs and the Red Cross take them: one table per kind (individuals,
families, collectives) with TT, name, birth year, unit or address, achievement and the
award proposed. Described once (`tables`), written as XLSX and as DOCX; the XLSX adds
the office's changes to HienMau's proposal with their reasons. Vietnamese whatever the
screen language, as every official paper."""

import io
from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH

from hienmau.donors.models import Donor
from hienmau.honors.models import HIGHEST_FIRST, HonorRound, Kind, Nomination
from hienmau.plans.documents import layout
from hienmau.text import search_key
from hienmau.workbooks import Workbook

SEX = {"M": "Nam", "F": "Nữ"}


@dataclass
class Table:
    kind: str
    title: str
    headings: list[str]
    widths: list[int]  # mm, landscape A4
    rows: list[list]


def tables(honor_round: HonorRound) -> list[Table]:
    """The included nominations, by kind, the highest tiers first."""
    listed = list(honor_round.nominations.filter(included=True).select_related(
        "donor__workplace", "donor__home", "household", "organization").order_by(
        "kind", *HIGHEST_FIRST))
    members = member_names(listed)
    found = []
    individuals = [n for n in listed if n.kind == Kind.INDIVIDUAL]
    if individuals:
        found.append(Table(Kind.INDIVIDUAL, "Cá nhân", [
            "TT", "Họ và tên", "Năm sinh", "Giới tính", "Đơn vị công tác, học tập / địa chỉ",
            "Số lần hiến máu", "Hình thức đề nghị", "Căn cứ"], [10, 45, 17, 17, 55, 18, 50, 35],
            [[i, n.donor.full_name, _birth_year(n.donor), SEX.get(n.donor.sex, ""),
              _place(n.donor), n.donations, n.award, n.basis]
             for i, n in enumerate(individuals, start=1)]))
    families = [n for n in listed if n.kind == Kind.FAMILY]
    if families:
        found.append(Table(Kind.FAMILY, "Gia đình", [
            "TT", "Gia đình", "Các thành viên hiến máu", "Số lần hiến máu của gia đình",
            "Hình thức đề nghị", "Căn cứ"], [10, 50, 75, 27, 50, 35],
            [[i, n.household.name, members.get(n.household_id, ""), n.donations, n.award,
              n.basis] for i, n in enumerate(families, start=1)]))
    collectives = [n for n in listed if n.kind == Kind.COLLECTIVE]
    if collectives:
        found.append(Table(Kind.COLLECTIVE, "Tập thể", [
            "TT", "Tên tập thể", "Số đơn vị máu trong kỳ", "Thành tích", "Hình thức đề nghị"],
            [10, 70, 27, 80, 60],
            [[i, n.organization.name, n.donations, n.basis, n.award]
             for i, n in enumerate(collectives, start=1)]))
    return found


def member_names(listed: list[Nomination]) -> dict[int, str]:
    ids = [n.household_id for n in listed if n.household_id]
    names: dict[int, list[str]] = {}
    for household_id, name in Donor.objects.filter(
            household__in=ids, merged_into__isnull=True).order_by(
            "sort_key").values_list("household_id", "full_name"):
        names.setdefault(household_id, []).append(name)
    return {key: ", ".join(value) for key, value in names.items()}


def _birth_year(donor) -> str:
    year = donor.birth_date.year if donor.birth_date else donor.birth_year
    return str(year) if year else ""


def _place(donor) -> str:
    return donor.workplace.name if donor.workplace else (donor.address or donor.home.name)


def title_lines(honor_round: HonorRound) -> list[str]:
    return ["DANH SÁCH", "Đề nghị tôn vinh, khen thưởng cá nhân, gia đình và tập thể có "
            "thành tích trong phong trào hiến máu tình nguyện", honor_round.title,
            f"(Thời gian xét: từ {layout.short_date(honor_round.period_start)} đến "
            f"{layout.short_date(honor_round.period_end)})"]


def nominations_xlsx(honor_round: HonorRound) -> bytes:
    out = io.BytesIO()
    book = Workbook(out)
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#f2f2f2", "border": 1,
                            "text_wrap": True, "valign": "top", "align": "center"})
    cell = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    listed = tables(honor_round)
    for table in listed or [Table("", "Danh sách", ["TT"], [10], [])]:
        sheet = book.add_worksheet(table.title)
        for row, line in enumerate(title_lines(honor_round)):
            sheet.write(row, 0, line, bold)
        top = len(title_lines(honor_round)) + 1
        sheet.write_row(top, 0, table.headings, head)
        for col, width in enumerate(table.widths):
            sheet.set_column(col, col, width * 0.55)
        for i, values in enumerate(table.rows, start=top + 1):
            sheet.write_row(i, 0, values, cell)
        if table.rows:
            sheet.autofilter(top, 0, top + len(table.rows), len(table.headings) - 1)
        sheet.freeze_panes(top + 1, 0)
    changed = list(honor_round.nominations.filter(changed_at__isnull=False).select_related(
        "donor", "household", "organization", "changed_by").order_by("changed_at"))
    if changed:
        sheet = book.add_worksheet("Điều chỉnh")
        sheet.write_row(0, 0, ["Đối tượng", "Tên", "HienMau đề xuất", "Có trong danh sách",
                               "Lý do", "Người điều chỉnh", "Thời điểm"], head)
        for col, width in enumerate([12, 40, 16, 16, 60, 24, 18]):
            sheet.set_column(col, col, width)
        for i, n in enumerate(changed, start=1):
            who = n.changed_by.get_full_name() or n.changed_by.username if n.changed_by else ""
            sheet.write_row(i, 0, [n.get_kind_display(), str(n.recipient),
                                   "có" if n.proposed else "không",
                                   "có" if n.included else "không", n.reason, who,
                                   f"{n.changed_at:%d/%m/%Y %H:%M}"], cell)
    book.close()
    return out.getvalue()


def nominations_docx(honor_round: HonorRound) -> bytes:
    doc = layout.new_document(landscape=True)
    layout.header(doc, honor_round.committee, number="", day=None)
    kind, *subtitles = title_lines(honor_round)
    layout.title(doc, kind, *subtitles)
    listed = tables(honor_round)
    if not listed:
        layout.paragraph(doc, "Danh sách chưa có ai.", italic=True)
    for number, table in zip(("I", "II", "III"), listed, strict=False):
        layout.paragraph(doc, f"{number}. {table.title.upper()}", bold=True, space_after=3)
        grid = layout.table_with_header(doc, table.headings)
        for values in table.rows:
            cells = grid.add_row().cells
            for col, (target, value) in enumerate(zip(cells, values, strict=True)):
                target.paragraphs[0].alignment = (
                    WD_ALIGN_PARAGRAPH.CENTER if col == 0 or isinstance(value, int)
                    else WD_ALIGN_PARAGRAPH.LEFT)
                layout.add_run(target.paragraphs[0], "" if value is None else str(value),
                               size=12)
        layout.set_widths(grid, table.widths)
        layout.paragraph(doc, f"(Danh sách có {len(table.rows)} {table.title.lower()})",
                         italic=True, size=12)
    layout.signature(doc, honor_round.committee, recipients=[
        "Sở Nội vụ (Ban Thi đua - Khen thưởng)", "Hội Chữ thập đỏ tỉnh"])
    return layout.to_bytes(doc)


def file_name(honor_round: HonorRound, extension: str,
              prefix: str = "danh-sach-de-nghi") -> str:
    slug = "-".join(search_key(honor_round.title).split())[:60] or "dot-ton-vinh"
    return f"{prefix}-{slug}.{extension}"


def emulation_xlsx(scope, weights, scores) -> bytes:
    """The ranking with every component's figure and points, and the weights used."""
    from hienmau.honors.emulation import COMPONENTS

    out = io.BytesIO()
    book = Workbook(out)
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#f2f2f2", "border": 1,
                            "text_wrap": True, "valign": "top", "align": "center"})
    cell = book.add_format({"border": 1, "text_wrap": True})
    number = book.add_format({"border": 1, "num_format": "0.0"})
    sheet = book.add_worksheet("Thi đua")
    sheet.write(0, 0, f"Xếp hạng thi đua các đơn vị trực thuộc {scope.organization.name}", bold)
    sheet.write(1, 0, f"Năm kế hoạch {scope.end.year} (từ {layout.short_date(scope.start)} "
                      f"đến {layout.short_date(scope.end)}); thang điểm "
                      f"{sum(weights.of(key) for key in COMPONENTS)}", bold)
    headings = ["Hạng", "Đơn vị"]
    for key, label in COMPONENTS.items():
        headings += [f"{label} (%)", f"Điểm (tối đa {weights.of(key)})"]
    headings += ["Ghi chú", "Điểm đạt / tối đa của các tiêu chí được chấm", "Tổng điểm"]
    notes_at = len(headings) - 3
    sheet.write_row(3, 0, headings, head)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, len(headings) - 1, 12)
    sheet.set_column(notes_at, notes_at, 40)
    for i, score in enumerate(scores, start=4):
        sheet.write_number(i, 0, i - 3, cell)
        sheet.write(i, 1, score.organization.name, cell)
        for j, component in enumerate(score.components):
            if component.scored:
                sheet.write_number(i, 2 + 2 * j, float(component.value), number)
                sheet.write_number(i, 3 + 2 * j, float(component.points), number)
            else:  # not scored is not zero
                sheet.write(i, 2 + 2 * j, "không chấm", cell)
                sheet.write_blank(i, 3 + 2 * j, None, number)
        sheet.write(i, notes_at, "; ".join(
            f"{c.label}: {c.basis}" for c in score.components if c.basis), cell)
        sheet.write(i, notes_at + 1, f"{score.points:.1f}/{score.possible}".replace(".", ","),
                    cell)
        if score.total is None:
            sheet.write(i, notes_at + 2, "không chấm", cell)
        else:
            sheet.write_number(i, notes_at + 2, float(score.total), number)
    sheet.write(2, 0, "Tiêu chí không có số liệu là “không chấm” (không phải 0 điểm): tổng "
                      "điểm tính trên các tiêu chí được chấm, quy đổi ra thang điểm đầy đủ; "
                      "đơn vị chưa được giao chỉ tiêu được so với tổng dự kiến của các đợt.")
    if scores:
        sheet.autofilter(3, 0, 3 + len(scores), len(headings) - 1)
    sheet.freeze_panes(4, 2)
    book.close()
    return out.getvalue()
