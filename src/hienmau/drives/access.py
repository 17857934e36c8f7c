"""Who sees and enters a drive's registrations.

The organizer's side (its coordinators, the offices above it, the plan's committee) and
the receiving institution see every registration of the drive. A unit taking part in a
joint drive (a share, a coordinating or executing unit) sees and enters only the people
it mobilized. Everyone else: the drive's own 404/403 rules (`plans.access`).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from hienmau.donors.access import health_data
from hienmau.orgs.access import has_perm
from hienmau.orgs.models import Organization, scope_paths, subtree_q
from hienmau.orgs.roles import REGISTER_DONORS, VIEW_DONORS
from hienmau.plans.access import drive_sides, get_drive_for_user
from hienmau.plans.models import Drive


def sees_all_registrations(user, drive: Drive, perm: str = VIEW_DONORS) -> bool:
    return any(has_perm(user, org, perm) for org in drive_sides(drive))


def visible_registrations(user, drive: Drive, perm: str = VIEW_DONORS):
    registrations = drive.registrations.all()
    if sees_all_registrations(user, drive, perm):
        return registrations
    return registrations.filter(subtree_q(scope_paths(user, perm), "mobilized_by__path"))


def mobilizing_units(user, drive: Drive):
    """Units the user may register people for (as the unit that mobilized them), among
    those in activity on the drive's date: an old drive's ended district, not the commune
    that began after it (`OrganizationQuerySet.valid_on`)."""
    return Organization.objects.visible_to(user, REGISTER_DONORS).valid_on(drive.date)


def can_register(user, drive: Drive) -> bool:
    return sees_all_registrations(user, drive, REGISTER_DONORS) or (
        _takes_part(user, drive) and bool(scope_paths(user, REGISTER_DONORS)))


def _takes_part(user, drive: Drive) -> bool:
    paths = scope_paths(user, VIEW_DONORS)
    if not paths:
        return False
    taking_part = (list(drive.shares.values_list("organization__path", flat=True))
                   + list(drive.coordinating_units.values_list("path", flat=True))
                   + list(drive.executing_units.values_list("path", flat=True)))
    return any(p.startswith(s) or s.startswith(p) for p in taking_part for s in paths)


def sees_registrations(user, drive: Drive) -> bool:
    """All of the drive's registrations, or those of the people the user's unit
    mobilized (a unit taking part in a joint drive)."""
    return (user.is_superuser or sees_all_registrations(user, drive)
            or _takes_part(user, drive))


def get_drive_for_registrations(user, code, register: bool = False) -> Drive:
    """The drive, if the user may see (or, with `register`, enter) its registrations:
    404 when the drive is not theirs, 403 when their role does not reach people."""
    drive = get_drive_for_user(user, code)
    if not sees_registrations(user, drive):
        raise PermissionDenied(_("Vai trò của bạn không cho phép xem danh sách đăng ký "
                                 "của đợt này."))
    if register and not can_register(user, drive):
        raise PermissionDenied(_("Vai trò của bạn không cho phép đăng ký người hiến máu "
                                 "cho đợt này."))
    return drive


# ---- drive day ---------------------------------------------------------------------


def can_check_in(user, drive: Drive) -> bool:
    """The check-in desk: the organizer's side and the receiving institution."""
    return sees_all_registrations(user, drive, REGISTER_DONORS)


def records_health(user, drive: Drive) -> bool:
    """Screening and collection, and reading what they recorded: the receiving
    institution's staff only (health data, docs/domain.md §6)."""
    return health_data(user).recorded_by(drive.receiving_institution)


def get_drive_for_station(user, code) -> Drive:
    """The drive, for someone working at one of its stations: 404 when the drive is not
    theirs, 403 when their role has no station."""
    drive = get_drive_for_user(user, code, related=("organizer", "receiving_institution",
                                                    "plan__committee"))
    if not (can_check_in(user, drive) or records_health(user, drive)):
        raise PermissionDenied(_("Vai trò của bạn không có bàn làm việc nào ở đợt này."))
    return drive
