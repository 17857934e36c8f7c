"""Giấy chứng nhận hiến máu tình nguyện: one A5 landscape page per donation collected,
in the administrative layout (issuer and national motto at the top, place and date
above the signature), with a QR code to the public page that verifies it.

The verification page shows what the paper shows (name, birth year, date, volume,
drive, institution) and nothing more: no CCCD, phone or health data.
"""

import io

import segno
from django.utils.translation import gettext as _

from hienmau import pdf
from hienmau.donors.history import donor_times_given
from hienmau.drives.models import Donation, DonationType
from hienmau.orgs import geography

RED = (178, 34, 34)
INK = (33, 37, 41)


def issuer(drive) -> str:
    """The committee that issues the certificate: the plan's, else the organizer."""
    committee = drive.plan.committee if drive.plan_id else None
    return (committee or drive.organizer).name


def place(org) -> str:
    """The province written before the date ("Hưng Yên, ngày …"): the first one found
    from the organizer up."""
    while org is not None:
        if org.province_code:
            return geography.province_name(org.province_code).removeprefix(
                "Tỉnh ").removeprefix("Thành phố ")
        org = org.parent_org()
    return ""


def title_for(sex: str) -> str:
    return {"M": _("Ông"), "F": _("Bà")}.get(sex, _("Ông/Bà"))


def render(donations: list[Donation], verify_url) -> bytes:
    """A PDF with one certificate per donation; `verify_url(donation)` gives the address
    its QR code opens."""
    document = pdf.new_document("L", "A5")
    document.set_title(_("Giấy chứng nhận hiến máu tình nguyện"))
    for donation in donations:
        _page(document, donation, verify_url(donation))
    return bytes(document.output())


def _page(document, donation: Donation, url: str) -> None:
    drive, donor = donation.drive, donation.donor
    document.add_page()
    width, height = document.w, document.h
    document.set_draw_color(*RED)
    document.set_line_width(1.2)
    document.rect(6, 6, width - 12, height - 12)
    document.set_line_width(0.3)
    document.rect(8, 8, width - 16, height - 16)
    document.set_text_color(*INK)
    # Header: issuer on the left, national name and motto on the right.
    document.set_xy(12, 12)
    document.set_font(pdf.FAMILY, "B", 9.5)
    document.multi_cell(80, 4.5, issuer(drive).upper(), align="C")
    document.set_xy(width - 102, 12)
    document.multi_cell(90, 4.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C")
    document.set_x(width - 102)
    document.set_font(pdf.FAMILY, "B", 10.5)
    document.cell(90, 5, "Độc lập - Tự do - Hạnh phúc", align="C")
    document.line(width - 80, 23, width - 34, 23)
    # Title.
    document.set_text_color(*RED)
    document.set_font(pdf.FAMILY, "B", 22)
    document.set_xy(10, 30)
    document.cell(width - 20, 10, _("GIẤY CHỨNG NHẬN"), align="C")
    document.set_xy(10, 40)
    document.set_font(pdf.FAMILY, "B", 15)
    document.cell(width - 20, 8, _("HIẾN MÁU TÌNH NGUYỆN"), align="C")
    # Body.
    document.set_text_color(*INK)
    left, line = 24, 7.2
    document.set_xy(left, 54)
    document.set_font(pdf.FAMILY, "", 12.5)
    label = _("Chứng nhận %(title)s: ") % {"title": title_for(donor.sex)}
    document.cell(document.get_string_width(label) + 1, line, label)
    document.set_font(pdf.FAMILY, "B", 14)
    document.cell(0, line, donor.full_name.upper(), new_x="LMARGIN", new_y="NEXT")
    document.set_font(pdf.FAMILY, "", 12.5)
    year = donor.birth_date.year if donor.birth_date else donor.birth_year
    volume = f"{donation.volume_ml} ml" if donation.volume_ml else ""
    kind = DonationType(donation.type).label.lower()
    lines = [
        _("Năm sinh: %(year)s") % {"year": year or "—"},
        _("Đã hiến %(volume)s %(kind)s, lần thứ %(count)s, ngày %(day)s") % {
            "volume": volume, "kind": kind, "count": donor_times_given(donor, donation.date),
            "day": donation.date.strftime("%d/%m/%Y")},
        _("Tại: %(drive)s") % {"drive": ", ".join(x for x in (drive.title, drive.venue) if x)},
        _("Đơn vị tiếp nhận máu: %(name)s") % {"name": donation.receiving_institution.name
                                                if donation.receiving_institution else "—"},
    ]
    for text in lines:
        document.set_x(left)
        document.multi_cell(width - left - 60, line, text, new_x="LMARGIN", new_y="NEXT")
    # QR code and its code, bottom left.
    qr = io.BytesIO()
    segno.make_qr(url, error="m").save(qr, kind="png", scale=4, border=1)
    document.image(qr, x=14, y=height - 44, w=28, h=28)
    document.set_font(pdf.FAMILY, "I", 7.5)
    document.set_xy(44, height - 36)
    document.multi_cell(62, 3.6, _("Quét mã để kiểm tra giấy chứng nhận.\nMã: %(code)s")
                        % {"code": str(donation.code)[:8].upper()})
    # Place, date and signature, bottom right.
    day = donation.date
    document.set_font(pdf.FAMILY, "I", 11.5)
    document.set_xy(width - 100, height - 46)
    where = place(drive.organizer)
    document.cell(88, 6, (f"{where}, " if where else "") + _(
        "ngày %(d)s tháng %(m)s năm %(y)s") % {"d": f"{day.day:02d}", "m": f"{day.month:02d}",
                                               "y": day.year}, align="C")
    document.set_font(pdf.FAMILY, "B", 11.5)
    document.set_xy(width - 100, height - 39)
    document.cell(88, 6, _("TM. BAN CHỈ ĐẠO"), align="C")
