"""Downloads of the documents produced from a plan's data: whoever may see the plan or
the drive may download its papers, which show nothing the pages do not."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from hienmau.plans.access import get_drive_for_user, get_plan_for_user
from hienmau.plans.documents import (
    PLAN_DOCUMENTS,
    announcement_response,
    plan_document_response,
)


@login_required
def plan_document(request, code, kind):
    plan = get_plan_for_user(request.user, code)
    document = PLAN_DOCUMENTS.get(kind)
    if document is None:
        raise Http404
    return plan_document_response(plan, document)


@login_required
def drive_announcement(request, code):
    return announcement_response(get_drive_for_user(request.user, code))
