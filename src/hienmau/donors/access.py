"""The only ways views and the API fetch donors and check rights on them.

Outside what the user may see: 404 (same as a wrong code). Inside, without the
permission: 403. Health data (deferral and exclusion reasons) is for the receiving
institution's staff only (docs/domain.md §6).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from hienmau.donors.models import Donor
from hienmau.orgs.models import scope_paths, subtree_q
from hienmau.orgs.roles import CHANGE_DONORS, MANAGE_DONORS, SEE_HEALTH_DATA, VIEW


def _within(user, perm: str, *orgs) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    paths = scope_paths(user, perm)
    return any(org is not None and any(org.path.startswith(p) for p in paths) for org in orgs)


def can_change_donor(user, donor: Donor) -> bool:
    return _within(user, CHANGE_DONORS, donor.home, donor.workplace)


def can_manage_donor(user, donor: Donor) -> bool:
    """Merge and erase: the committee office of the unit keeping the record."""
    return _within(user, MANAGE_DONORS, donor.home)


def sees_health_data(user, donor: Donor) -> bool:
    """Institution staff, for donors who gave blood to their institution."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    paths = scope_paths(user, SEE_HEALTH_DATA)
    return bool(paths) and donor.donations.filter(
        subtree_q(paths, "receiving_institution__path")).exists()


def _refuse_inside_scope(user, code) -> None:
    """403, not 404, for a donor of the user's own units whom the role may not see
    (a viewer: leaders and press see counts, not people)."""
    paths = scope_paths(user, VIEW)
    if paths and Donor.objects.filter(code=code).filter(
            subtree_q(paths, "home__path") | subtree_q(paths, "workplace__path")).exists():
        raise PermissionDenied(_("Vai trò của bạn không cho phép xem hồ sơ người hiến máu."))


def reads_deferral_reasons(user):
    """A test for donations: may `user` read this donation's deferral reason? Only the
    staff of the institution that recorded it (another institution's reasons are not
    theirs to see)."""
    superuser = getattr(user, "is_superuser", False) and user.is_active
    paths = scope_paths(user, SEE_HEALTH_DATA)

    def readable(donation) -> bool:
        institution = donation.receiving_institution
        return superuser or (institution is not None
                             and any(institution.path.startswith(p) for p in paths))
    return readable


def get_donor_for_user(user, code, change: bool = False, manage: bool = False) -> Donor:
    try:
        donor = (Donor.objects.visible_to(user).select_related("home", "workplace")
                 .get(code=code))
    except (Donor.DoesNotExist, ValidationError, ValueError):
        _refuse_inside_scope(user, code)
        raise Http404(_("Không tìm thấy người hiến máu, hoặc bạn không có quyền xem.")) from None
    if change and not can_change_donor(user, donor):
        raise PermissionDenied(_("Vai trò của bạn không cho phép sửa hồ sơ này."))
    if manage and not can_manage_donor(user, donor):
        raise PermissionDenied(_("Chỉ Văn phòng thường trực được gộp hoặc xóa hồ sơ."))
    return donor
