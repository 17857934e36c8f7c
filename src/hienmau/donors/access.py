"""The only ways views and the API fetch donors and check rights on them.

Outside what the user may see: 404 (same as a wrong code). Inside, without the
permission: 403. Health data (screening values, deferral and exclusion reasons) is for
the receiving institution's staff only: `health_data` (docs/domain.md §6). Every view of
a person's record is logged: `record_view`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from hienmau.donors.models import Donor, DonorView
from hienmau.orgs.models import scope_paths, subtree_q
from hienmau.orgs.roles import CHANGE_DONORS, MANAGE_DONORS, SEE_HEALTH_DATA, VIEW


def _within(user, perm: str, *orgs) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    paths = scope_paths(user, perm)
    return any(org is not None and any(org.path.startswith(p) for p in paths) for org in orgs)


def can_change_donor(user, donor: Donor) -> bool:
    return _within(user, CHANGE_DONORS, donor.home, donor.workplace)


def changeable_donors(user):
    """The donors `user` may change, as a queryset (`can_change_donor` for many): the
    unit keeping the record or the workplace within their scope."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Donor.objects.all()
    paths = scope_paths(user, CHANGE_DONORS)
    return Donor.objects.filter(subtree_q(paths, "home__path")
                                | subtree_q(paths, "workplace__path"))


def can_manage_donor(user, donor: Donor) -> bool:
    """Merge and erase: the committee office of the unit keeping the record."""
    return _within(user, MANAGE_DONORS, donor.home)


def _refuse_inside_scope(user, code) -> None:
    """403, not 404, for a donor of the user's own units whom the role may not see
    (a viewer: leaders and press see counts, not people)."""
    paths = scope_paths(user, VIEW)
    if paths and Donor.objects.filter(code=code).filter(
            subtree_q(paths, "home__path") | subtree_q(paths, "workplace__path")).exists():
        raise PermissionDenied(_("Vai trò của bạn không cho phép xem hồ sơ người hiến máu."))


class HealthData:
    """What of people's health data one user may read (docs/domain.md §6): screening
    values, deferral reasons and permanent exclusion reasons are for the staff of the
    receiving institution that recorded them (permission `donors.health` on it or above
    it), never for committees, units, viewers or documents, who see identity, contact,
    dates, volumes and "eligible again from". Every output of donor data (pages, API,
    exports, documents) asks `health_data(user)` and nothing else."""

    def __init__(self, user):
        self.everything = bool(getattr(user, "is_superuser", False) and user.is_active)
        self.paths = [] if self.everything else scope_paths(user, SEE_HEALTH_DATA)

    def recorded_by(self, institution) -> bool:
        """Was something recorded by `institution` the user's to read? (Screenings at a
        drive: the drive's receiving institution.)"""
        return self.everything or (institution is not None and any(
            institution.path.startswith(p) for p in self.paths))

    def deferral_reason(self, donation) -> str | None:
        """The donation's deferral reason, or None when it is not the user's to read."""
        return (donation.deferral_reason
                if self.recorded_by(donation.receiving_institution) else None)

    def of_donor(self, donor: Donor) -> bool:
        """The person's permanent exclusion reason: for the staff of an institution the
        person gave blood at."""
        return self.everything or (bool(self.paths) and donor.donations.filter(
            subtree_q(self.paths, "receiving_institution__path")).exists())

    def exclusion_reason(self, donor: Donor) -> str | None:
        return donor.exclusion_reason if self.of_donor(donor) else None


def health_data(user) -> HealthData:
    """The one rule for health data in every output (`HealthData`)."""
    return HealthData(user)


def record_view(user, donor: Donor) -> None:
    """The access log: every opening of a person's full record (donor page and edit
    form, drive-day person page, API, admin) is written down, and the person's page
    shows who looked (docs/domain.md §6)."""
    DonorView.objects.create(donor=donor, viewer=user)


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
