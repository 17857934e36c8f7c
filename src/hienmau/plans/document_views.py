"""Downloads of the documents produced from a plan's data: whoever may see the plan or
the drive may download its papers, which show nothing the pages do not."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from hienmau.plans.access import get_drive_for_user, get_plan_for_user
from hienmau.plans.documents import (
    CONTENT_TYPES,
    PLAN_DOCUMENTS,
    announcement_docx,
    announcement_filename,
)


def _download(content: bytes, extension: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def plan_document(request, code, kind):
    plan = get_plan_for_user(request.user, code)
    document = PLAN_DOCUMENTS.get(kind)
    if document is None:
        raise Http404
    return _download(document.build(plan), document.extension, document.filename(plan))


@login_required
def drive_announcement(request, code):
    drive = get_drive_for_user(request.user, code)
    return _download(announcement_docx(drive), "docx", announcement_filename(drive))
