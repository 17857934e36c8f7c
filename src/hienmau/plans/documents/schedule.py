"""The month-by-month drive schedule (seed 002, section II.2) as DOCX.

One heading per month, naming the campaigns its drives belong to ("Tháng 3/2024 hưởng
ứng “Lễ hội Xuân hồng”"), then one block per drive in the seed's words. The weekday is
computed from the date, so seed 001's "16/6/2025 (Chủ nhật)" cannot be written here.
"""

from itertools import groupby

from docx.enum.text import WD_ALIGN_PARAGRAPH

from hienmau.plans.checks import weekday_name
from hienmau.plans.documents import layout


def schedule_drives(plan) -> list:
    """The plan's drives that will take place, by date, with what a block names."""
    return list(plan.drives.active()
                .select_related("organizer", "receiving_institution", "campaign")
                .prefetch_related("shares__organization", "coordinating_units",
                                  "executing_units")
                .order_by("date", "start_time", "pk"))


def month_heading(index: int, month, drives: list) -> str:
    campaigns = list(dict.fromkeys(d.campaign.name for d in drives if d.campaign))
    heading = f"2.{index}. Tháng {month[1]}/{month[0]}"
    if campaigns:
        heading += " hưởng ứng " + ", ".join(f"“{name}”" for name in campaigns)
    return heading


def time_text(drive) -> str:
    """ "Thứ Năm, 07/12/2023, từ 7h30 đến 11h30"."""
    text = f"{weekday_name(drive.date)}, {layout.short_date(drive.date)}"
    if drive.start_time:
        text += f", từ {_clock(drive.start_time)}"
        if drive.end_time:
            text += f" đến {_clock(drive.end_time)}"
    return text


def _clock(value) -> str:
    return f"{value.hour}h{value.minute:02d}"


def drive_lines(drive) -> list[tuple[str, str]]:
    """(label, text) lines of one drive's block, in the seed's order; empty ones left out."""
    shares = list(drive.shares.all())
    institution = drive.receiving_institution
    executing = list(drive.executing_units.all())
    lines = [
        ("Thời gian tổ chức", time_text(drive)),
        ("Số đơn vị máu dự kiến tiếp nhận", f"{layout.units(drive.expected_units)} đơn vị máu"),
        ("Các đơn vị tham gia", "; ".join(
            f"{s.organization.name}: {layout.units(s.expected_units)} đơn vị" for s in shares)),
        ("Địa điểm tổ chức", drive.venue),
        ("Đối tượng", drive.target_group),
        ("Đơn vị phối hợp chỉ đạo", ", ".join(o.name for o in drive.coordinating_units.all())),
        ("Đơn vị thực hiện", ", ".join(o.name for o in executing)),
        ("Đơn vị tiếp nhận máu", institution.name if institution and institution not in executing
         else ""),
    ]
    return [(label, text) for label, text in lines if text]


def drive_heading(drive) -> str:
    if drive.title and drive.title != drive.organizer.name:
        return f"{drive.organizer.name} ({drive.title})"
    return drive.organizer.name


def schedule_docx(plan) -> bytes:
    drives = schedule_drives(plan)
    doc = layout.new_document()
    layout.header(doc, plan.committee, number=plan.document_number, day=plan.document_date)
    layout.title(doc, "Lịch tổ chức các đợt hiến máu tình nguyện",
                 f"năm kế hoạch {layout.short_date(plan.starts_on)} – "
                 f"{layout.short_date(plan.ends_on)}")
    layout.paragraph(doc, f"(Kèm theo {plan.title})", italic=True,
                     align=WD_ALIGN_PARAGRAPH.CENTER)
    if not drives:
        layout.paragraph(doc, "Kế hoạch chưa có đợt hiến máu nào.", italic=True)
    months = groupby(drives, key=lambda d: (d.date.year, d.date.month))
    for index, (month, group) in enumerate(months, start=1):
        group = list(group)
        layout.paragraph(doc, month_heading(index, month, group), bold=True, indent=True)
        for drive in group:
            layout.paragraph(doc, f"* {drive_heading(drive)}", bold=True, italic=True,
                             indent=True, space_after=0)
            for label, text in drive_lines(drive):
                para = layout.paragraph(doc, indent=True, space_after=0)
                layout.add_run(para, f"- {label}: ")
                layout.add_run(para, text)
            layout.paragraph(doc, "", space_after=0)
    total = sum(d.expected_units for d in drives)
    layout.paragraph(doc, f"Tổng cộng: {layout.units(len(drives))} đợt, "
                          f"{layout.units(total)} đơn vị máu dự kiến tiếp nhận.", bold=True)
    layout.signature(doc, plan.committee, recipients=[
        "Các đơn vị được giao chỉ tiêu", "Các đơn vị tiếp nhận máu"])
    return layout.to_bytes(doc)
