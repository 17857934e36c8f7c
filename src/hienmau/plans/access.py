"""The only ways views and the API fetch plans and drives and check rights on them.

Outside what the user may see: 404 (same as a wrong code). Inside, without the
permission: 403.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from hienmau.orgs.access import has_perm
from hienmau.orgs.models import Organization, scope_paths
from hienmau.orgs.roles import CHANGE_DRIVES, CLOSE_DRIVES, MANAGE_PLANS, VIEW
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


def drive_sides(drive: Drive) -> list:
    """The organizations that run a drive: its organizer, its receiving institution and
    the committee of its plan."""
    return [org for org in (drive.organizer, drive.receiving_institution,
                            drive.plan.committee if drive.plan_id else None) if org]


def can_close_drive(user, drive: Drive) -> bool:
    """Confirming the final count: the receiving institution's staff, or the office
    above the organizer or of the plan's committee (past drives known by totals)."""
    return any(has_perm(user, org, CLOSE_DRIVES) for org in drive_sides(drive))


def sees_drive(user, drive: Drive) -> bool:
    """`Drive.objects.visible_to` for one drive already fetched: its organizations
    against the user's subtrees. On drive day every station request asks this; the
    queryset's six-way join with DISTINCT cost PostgreSQL some 40 ms to plan and run
    (tests/bench/bench_drive_day.py), these lookups a millisecond or two."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    paths = scope_paths(user, VIEW)

    def inside(path: str) -> bool:
        return any(path.startswith(scope) for scope in paths)

    if not paths or any(inside(org.path) for org in drive_sides(drive)):
        return bool(paths)
    taking_part = Organization.objects.filter(drive_shares__drive=drive).order_by(
        ).values_list("path", flat=True).union(
        drive.coordinating_units.order_by().values_list("path", flat=True),
        drive.executing_units.order_by().values_list("path", flat=True))
    return any(inside(path) for path in taking_part)


DRIVE_RELATED = ("organizer", "plan__committee", "receiving_institution", "campaign")


def get_drive_for_user(user, code, change: bool = False, related=DRIVE_RELATED) -> Drive:
    """`related`: what the page shows with the drive (the drive-day stations, asked
    dozens of times a second, take only the organizations that decide access)."""
    try:
        drive = Drive.objects.select_related(*related).get(code=code)
    except (Drive.DoesNotExist, ValidationError, ValueError):
        drive = None
    if drive is None or not sees_drive(user, drive):
        raise Http404(_("Không tìm thấy đợt hiến máu, hoặc bạn không có quyền xem."))
    if change and not can_change_drive(user, drive):
        raise PermissionDenied(_("Vai trò của bạn không cho phép sửa đợt hiến máu này."))
    return drive
