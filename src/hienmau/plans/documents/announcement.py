"""A drive's announcement (Thông báo) as DOCX: when, where, who, how many, and what a
donor must bring, ready to sign and send to the units that mobilize."""

import datetime

from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH

from hienmau.plans.documents import layout
from hienmau.plans.documents.schedule import drive_lines

# What every donor must know before coming, from Thông tư 26/2013/TT-BYT (Điều 4 on age
# and weight, Điều 6 on the interval, Điều 7 on the identity document). Keep in step with
# the eligibility rule set when it changes (docs/domain.md §1).
DONOR_CONDITIONS = [
    "Mang theo Căn cước công dân (CCCD) hoặc giấy tờ tùy thân có ảnh.",
    "Từ đủ 18 tuổi đến 60 tuổi, khỏe mạnh, tự nguyện hiến máu.",
    "Cân nặng từ 42 kg trở lên đối với nữ, từ 45 kg trở lên đối với nam.",
    "Lần hiến máu toàn phần gần nhất cách ít nhất 12 tuần.",
    "Không mắc các bệnh lây truyền qua đường máu; không sử dụng ma túy.",
    "Tối hôm trước ngủ đủ giấc; sáng hôm hiến máu ăn nhẹ, không uống rượu, bia.",
]


def announcement_title(drive) -> str:
    name = drive.title or "đợt hiến máu tình nguyện"
    return f"Về việc tổ chức {name[:1].lower() + name[1:]} ngày {layout.short_date(drive.date)}"


def announcement_docx(drive, *, day: datetime.date | None = None) -> bytes:
    """The announcement as its issuer signs it: the plan's committee, else the organizer."""
    issuer = drive.plan.committee if drive.plan_id else drive.organizer
    doc = layout.new_document()
    layout.header(doc, issuer, number=drive.announcement_number,
                  day=day or timezone.localdate())
    layout.title(doc, "Thông báo", announcement_title(drive))
    if drive.plan_id:
        basis = f"Thực hiện {drive.plan.title}"
        if drive.plan.document_number:
            basis += f" (số {drive.plan.document_number})"
        layout.paragraph(doc, basis + ";", indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    layout.paragraph(doc, f"{issuer.name} thông báo tổ chức đợt hiến máu tình nguyện "
                          "như sau:", indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    for number, (label, text) in enumerate(_facts(drive), start=1):
        para = layout.paragraph(doc, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        layout.add_run(para, f"{number}. {label}: ", bold=True)
        layout.add_run(para, text)
    layout.paragraph(doc, "Điều kiện tham gia hiến máu:", bold=True, indent=True)
    for condition in DONOR_CONDITIONS:
        layout.paragraph(doc, f"- {condition}", indent=True, space_after=0)
    layout.paragraph(doc, "")
    layout.paragraph(doc, "Đề nghị các đơn vị thông báo rộng rãi tới cán bộ, đoàn viên, hội "
                          "viên, người lao động và nhân dân; lập danh sách người đăng ký hiến "
                          "máu gửi về đơn vị tổ chức trước ngày hiến máu./.", indent=True,
                     align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    layout.signature(doc, issuer, recipients=_recipients(drive))
    return layout.to_bytes(doc)


def _facts(drive) -> list[tuple[str, str]]:
    facts = drive_lines(drive)
    facts.insert(0, ("Đơn vị tổ chức", drive.organizer.name))
    if drive.registration_target:
        facts.append(("Chỉ tiêu vận động", f"ít nhất {layout.units(drive.registration_target)} "
                                           "người đăng ký hiến máu"))
    contact = ", ".join(x for x in (drive.organizer.contact_name,
                                    drive.organizer.contact_phone) if x)
    if contact:
        facts.append(("Liên hệ", contact))
    return facts


def _recipients(drive) -> list[str]:
    names = [o.name for o in drive.coordinating_units.all()]
    names += [o.name for o in drive.executing_units.all()]
    names += [s.organization.name for s in drive.shares.all()]
    if drive.receiving_institution:
        names.append(drive.receiving_institution.name)
    names.append(drive.organizer.name)
    return list(dict.fromkeys(names))
