"""The only ways views and the API fetch plans and drives and check rights on them.

Outside what the user may see: 404 (same as a wrong code). Inside, without the
permission: 403.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from hienmau.orgs.access import has_perm
from hienmau.orgs.roles import CHANGE_DRIVES, MANAGE_PLANS
from hienmau.plans.models import Drive, Plan


def can_manage_plan(user, plan: Plan) -> bool:
    return has_perm(user, plan.committee, MANAGE_PLANS)


def can_change_drive(user, drive: Drive) -> bool:
    """The organizer's coordinators and offices above it, and the plan's office."""
    return has_perm(user, drive.organizer, CHANGE_DRIVES) or (
        drive.plan_id is not None and can_manage_plan(user, drive.plan))


def get_plan_for_user(user, code, manage: bool = False) -> Plan:
    try:
        plan = Plan.objects.visible_to(user).select_related("committee").get(code=code)
    except (Plan.DoesNotExist, ValidationError, ValueError):
        raise Http404(_("Không tìm thấy kế hoạch, hoặc bạn không có quyền xem.")) from None
    if manage and not can_manage_plan(user, plan):
        raise PermissionDenied(_("Chỉ Văn phòng thường trực Ban Chỉ đạo được sửa kế hoạch."))
    return plan


def get_drive_for_user(user, code, change: bool = False) -> Drive:
    try:
        drive = (Drive.objects.visible_to(user)
                 .select_related("organizer", "plan__committee", "receiving_institution",
                                 "campaign")
                 .get(code=code))
    except (Drive.DoesNotExist, ValidationError, ValueError):
        raise Http404(_("Không tìm thấy đợt hiến máu, hoặc bạn không có quyền xem.")) from None
    if change and not can_change_drive(user, drive):
        raise PermissionDenied(_("Vai trò của bạn không cho phép sửa đợt hiến máu này."))
    return drive
