"""The only ways views fetch mailings and appeals: outside the user's subtrees 404;
inside, a role that may not see donors (a viewer) or may not send gets 403 (as
`orgs.access` and `donors.access`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from hienmau.drives.registrations import open_for_registration
from hienmau.orgs.access import has_perm
from hienmau.orgs.models import scope_paths, subtree_q
from hienmau.orgs.roles import MESSAGE_DONORS, SEND_APPEALS, VIEW
from hienmau.outreach.models import Appeal, Mailing
from hienmau.plans.models import Drive, DriveStatus


def _fetch(model, user, code, unit_field: str, not_found: str):
    try:
        return model.objects.visible_to(user).select_related(unit_field).get(code=code)
    except (model.DoesNotExist, ValidationError, ValueError):
        paths = scope_paths(user, VIEW)
        try:
            inside = bool(paths) and model.objects.filter(
                subtree_q(paths, f"{unit_field}__path"), code=code).exists()
        except (ValidationError, ValueError):
            inside = False
        if inside:
            raise PermissionDenied(_("Vai trò của bạn không cho phép xem thông tin người hiến "
                                     "máu.")) from None
        raise Http404(not_found) from None


def get_mailing_for_user(user, code, change: bool = False) -> Mailing:
    mailing = _fetch(Mailing, user, code, "sender",
                     _("Không tìm thấy đợt gửi tin, hoặc bạn không có quyền xem."))
    if change and not has_perm(user, mailing.sender, MESSAGE_DONORS):
        raise PermissionDenied(_("Vai trò của bạn không cho phép gửi tin."))
    return mailing


def get_appeal_for_user(user, code, change: bool = False) -> Appeal:
    appeal = _fetch(Appeal, user, code, "requester",
                    _("Không tìm thấy lời kêu gọi, hoặc bạn không có quyền xem."))
    if change and not has_perm(user, appeal.requester, SEND_APPEALS):
        raise PermissionDenied(_("Vai trò của bạn không cho phép kêu gọi hiến máu khẩn cấp."))
    return appeal


def drives_to_announce(user, today) -> list[Drive]:
    """The drives a mailing of this user may be about: those the user sees that still
    take sign-ups (`drives.registrations.open_for_registration`: the link in the message
    must open), soonest first."""
    found = (Drive.objects.visible_to(user).filter(date__gte=today)
             .exclude(status__in=[DriveStatus.CLOSED, DriveStatus.CANCELLED])
             .select_related("organizer").order_by("date", "start_time", "pk"))
    return [drive for drive in found if open_for_registration(drive, today)]
