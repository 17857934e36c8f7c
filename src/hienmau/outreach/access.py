"""The only ways views fetch mailings and appeals: outside the user's subtrees 404,
inside without the permission 403 (as `orgs.access`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from hienmau.orgs.access import has_perm
from hienmau.orgs.roles import MESSAGE_DONORS, SEND_APPEALS
from hienmau.outreach.models import Appeal, Mailing


def get_mailing_for_user(user, code, change: bool = False) -> Mailing:
    try:
        mailing = Mailing.objects.visible_to(user).select_related("sender").get(code=code)
    except (Mailing.DoesNotExist, ValidationError, ValueError):
        raise Http404(_("Không tìm thấy đợt gửi tin, hoặc bạn không có quyền xem.")) from None
    if change and not has_perm(user, mailing.sender, MESSAGE_DONORS):
        raise PermissionDenied(_("Vai trò của bạn không cho phép gửi tin."))
    return mailing


def get_appeal_for_user(user, code, change: bool = False) -> Appeal:
    try:
        appeal = Appeal.objects.visible_to(user).select_related("requester").get(code=code)
    except (Appeal.DoesNotExist, ValidationError, ValueError):
        raise Http404(_("Không tìm thấy lời kêu gọi, hoặc bạn không có quyền xem.")) from None
    if change and not has_perm(user, appeal.requester, SEND_APPEALS):
        raise PermissionDenied(_("Vai trò của bạn không cho phép kêu gọi hiến máu khẩn cấp."))
    return appeal
