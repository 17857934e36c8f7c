"""Certificates of honor (*giấy chứng nhận tôn vinh*) for an approved round, in one PDF:
an A4 landscape page per person, family or unit on its lists, in the administrative
layout of the donation certificates (`drives.certificates`), dated on the ceremony."""

import datetime

from hienmau import pdf
from hienmau.drives.certificates import INK, RED, place, title_for
from hienmau.honors.exports import member_names
from hienmau.honors.models import HIGHEST_FIRST, HonorRound, Kind, Nomination


def render(honor_round: HonorRound) -> bytes:
    listed = list(honor_round.nominations.filter(included=True).select_related(
        "donor", "household", "organization").order_by("kind", *HIGHEST_FIRST))
    members = member_names(listed)
    day = honor_round.ceremony_date or (honor_round.approved_at.date()
                                        if honor_round.approved_at else datetime.date.today())
    document = pdf.new_document("L", "A4")
    document.set_title("Giấy chứng nhận tôn vinh")
    for nomination in listed:
        _page(document, honor_round, nomination, members, day)
    return bytes(document.output())


def _lines(nomination: Nomination, members: dict) -> tuple[str, str, list[str]]:
    """(label, name, the lines under it) of one certificate."""
    if nomination.kind == Kind.INDIVIDUAL:
        donor = nomination.donor
        year = donor.birth_date.year if donor.birth_date else donor.birth_year
        return (f"Chứng nhận {title_for(donor.sex)}: ", donor.full_name.upper(), [
            f"Năm sinh: {year or '—'}",
            f"Đã hiến máu tình nguyện {nomination.donations} lần"])
    if nomination.kind == Kind.FAMILY:
        return ("Chứng nhận: ", nomination.household.name.upper(), [
            f"Các thành viên: {members.get(nomination.household_id, '')}",
            f"Cả gia đình đã hiến máu tình nguyện {nomination.donations} lần"])
    return ("Chứng nhận: ", nomination.organization.name.upper(), [nomination.basis])


def _page(document, honor_round: HonorRound, nomination: Nomination, members: dict,
          day: datetime.date) -> None:
    document.add_page()
    width, height = document.w, document.h
    document.set_draw_color(*RED)
    document.set_line_width(1.6)
    document.rect(8, 8, width - 16, height - 16)
    document.set_line_width(0.4)
    document.rect(11, 11, width - 22, height - 22)
    document.set_text_color(*INK)
    document.set_xy(16, 16)
    document.set_font(pdf.FAMILY, "B", 11)
    document.multi_cell(100, 5.5, honor_round.committee.name.upper(), align="C")
    document.set_xy(width - 126, 16)
    document.multi_cell(110, 5.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C")
    document.set_x(width - 126)
    document.set_font(pdf.FAMILY, "B", 12)
    document.cell(110, 6, "Độc lập - Tự do - Hạnh phúc", align="C")
    document.line(width - 98, 29, width - 44, 29)
    document.set_text_color(*RED)
    document.set_font(pdf.FAMILY, "B", 30)
    document.set_xy(10, 44)
    document.cell(width - 20, 14, "GIẤY CHỨNG NHẬN", align="C")
    document.set_font(pdf.FAMILY, "B", 17)
    document.set_xy(10, 58)
    document.cell(width - 20, 9, "TÔN VINH HIẾN MÁU TÌNH NGUYỆN", align="C")
    document.set_text_color(*INK)
    label, name, lines = _lines(nomination, members)
    document.set_font(pdf.FAMILY, "", 15)
    label_width = document.get_string_width(label)
    document.set_font(pdf.FAMILY, "B", 18)
    left = max(20, (width - label_width - document.get_string_width(name)) / 2)
    document.set_xy(left, 78)
    document.set_font(pdf.FAMILY, "", 15)
    document.cell(label_width + 1, 10, label)
    document.set_font(pdf.FAMILY, "B", 18)
    document.cell(0, 10, name, new_x="LMARGIN", new_y="NEXT")
    document.set_font(pdf.FAMILY, "", 14)
    for text in [*lines, f"Được tôn vinh: {nomination.award}", honor_round.title]:
        document.set_x(30)
        document.multi_cell(width - 60, 8, text, align="C", new_x="LMARGIN", new_y="NEXT")
    where = place(honor_round.committee)
    document.set_font(pdf.FAMILY, "I", 13)
    document.set_xy(width - 130, height - 58)
    document.cell(110, 7, (f"{where}, " if where else "") + (
        f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"), align="C")
    document.set_font(pdf.FAMILY, "B", 13)
    document.set_xy(width - 130, height - 50)
    document.cell(110, 7, "TM. BAN CHỈ ĐẠO", align="C")
