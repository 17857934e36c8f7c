"""Documents produced from a plan's data, in Vietnamese administrative layout.

The documents themselves are in Vietnamese whatever the screen language: they are the
official papers a committee signs. Only their labels on screen are translated.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from hienmau.plans.documents.announcement import announcement_docx
from hienmau.plans.documents.appendix import appendix_docx, appendix_xlsx
from hienmau.plans.documents.schedule import schedule_docx
from hienmau.text import search_key

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class PlanDocument:
    label: str
    build: Callable[..., bytes]
    extension: str
    basename: str

    def filename(self, plan) -> str:
        committee = plan.committee.short_name or plan.committee.name
        return f"{self.basename}-{plan.ends_on.year}-{slugify(search_key(committee))}" \
               f".{self.extension}"


# The kinds appear in URLs: keep them stable.
PLAN_DOCUMENTS = {
    "bang-chi-tieu-xlsx": PlanDocument(_("Bảng chỉ tiêu (XLSX)"), appendix_xlsx, "xlsx",
                                       "bang-chi-tieu"),
    "bang-chi-tieu-docx": PlanDocument(_("Bảng chỉ tiêu (DOCX)"), appendix_docx, "docx",
                                       "bang-chi-tieu"),
    "lich-to-chuc-docx": PlanDocument(_("Lịch tổ chức các đợt (DOCX)"), schedule_docx, "docx",
                                      "lich-to-chuc"),
}


def announcement_filename(drive) -> str:
    return f"thong-bao-hien-mau-{drive.date:%Y-%m-%d}-{slugify(search_key(drive.organizer.name))}" \
           ".docx"


def plan_document_response(plan, document: PlanDocument) -> HttpResponse:
    return _attachment(document.build(plan), document.extension, document.filename(plan))


def announcement_response(drive) -> HttpResponse:
    return _attachment(announcement_docx(drive), "docx", announcement_filename(drive))


def _attachment(content: bytes, extension: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


__all__ = ["PLAN_DOCUMENTS", "PlanDocument", "announcement_docx", "announcement_response",
           "plan_document_response"]
