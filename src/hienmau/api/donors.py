"""Donor records, for units' and institutions' own systems.

Reads start from `donors/access.py` like the screens; every write goes through
`donors/services.py`. Outside the user's scope: 404; inside, without the right: 403
(a role without `donors.view`, such as a viewer, gets 403 on the list too, as on the
screens); a rule refusing the change: 422 {"detail", "code", "field"} (see `api.py`).

Personal data (docs/domain.md §6): the list masks identity and phone numbers; every response
that carries a donor's full record or donations writes a `DonorView` (the access log the
donor page writes). Deferral and exclusion reasons are health data: null unless
`health_data` says the reader may see them.
"""

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from hienmau.api.donor_schemas import (
    DonationOut,
    DonorDetailOut,
    DonorFilters,
    DonorIn,
    DonorOut,
    DonorPatch,
)
from hienmau.api.pagination import Pages
from hienmau.api.schemas import ErrorOut
from hienmau.donors import services
from hienmau.donors.access import (
    can_change_donor,
    get_donor_for_user,
    health_data,
    record_view,
)
from hienmau.donors.history import donor_history
from hienmau.donors.models import Donor
from hienmau.donors.services import DonorError
from hienmau.orgs import geography
from hienmau.orgs.models import Kind, Organization, scope_paths
from hienmau.orgs.roles import CHANGE_DONORS, VIEW_DONORS

router = Router()

PAGE_SIZE = 50
TAGS = ["donors"]
READ_ERRORS = {403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# Blank in the model, null in the API.
CHOICE_FIELDS = ("sex", "id_type", "blood_group", "rh")


def _anywhere(user, perm: str) -> bool:
    return (user.is_superuser and user.is_active) or bool(scope_paths(user, perm))


def _not_found_organization():
    return Http404(_("Không tìm thấy tổ chức, hoặc bạn không có quyền xem."))


def _viewed(user, donor: Donor) -> None:
    record_view(user, donor)


def _detail(user, donor: Donor, on: datetime.date | None = None) -> Donor:
    donor = Donor.objects.select_related("home", "workplace").get(pk=donor.pk)
    _viewed(user, donor)
    donor.on = on or timezone.localdate()
    donor.history = donor_history(donor, donor.on)
    donor.health = health_data(user).of_donor(donor)
    donor.can_change = can_change_donor(user, donor)
    donor.club_codes = list(donor.clubs.values_list("code", flat=True))
    return donor


# ---- reads -------------------------------------------------------------------------


@router.get("/donors", response={200: list[DonorOut], 403: ErrorOut}, tags=TAGS,
            summary="Danh sách người hiến máu được xem (che số giấy tờ, số điện thoại)",
            description="Vai trò không được xem người hiến máu ở đơn vị nào (vd. người xem): "
                        "403, như trên màn hình.")
@paginate(Pages, page_size=PAGE_SIZE)
def list_donors(request, filters: Query[DonorFilters]):
    if not _anywhere(request.user, VIEW_DONORS):
        raise PermissionDenied(_("Vai trò của bạn không cho phép xem hồ sơ người hiến máu."))
    donors = Donor.objects.visible_to(request.user).select_related("home", "workplace")
    return donors.search(filters.q or "")


@router.get("/donors/{code}", response={200: DonorDetailOut, **READ_ERRORS}, tags=TAGS,
            summary="Hồ sơ một người hiến máu: thông tin, số lần hiến, điều kiện hiến máu",
            description="Điều kiện hiến máu xét cho ngày `on` (mặc định hôm nay), ví dụ ngày "
                        "của đợt người này đã đăng ký. Mỗi lần đọc được ghi vào nhật ký xem "
                        "hồ sơ.")
def get_donor(request, code: uuid.UUID, on: datetime.date | None = None):
    return _detail(request.user, get_donor_for_user(request.user, code), on)


@router.get("/donors/{code}/donations", response={200: list[DonationOut], **READ_ERRORS},
            tags=TAGS, summary="Các lần hiến máu của một người (mới nhất trước)",
            description="Mỗi lần đọc được ghi vào nhật ký xem hồ sơ.")
def list_donations(request, code: uuid.UUID):
    donor = get_donor_for_user(request.user, code)
    _viewed(request.user, donor)
    health = health_data(request.user)
    donations = list(donor.donations.select_related("drive", "receiving_institution")
                     .order_by("-date", "-pk"))
    for donation in donations:
        donation.health = health.recorded_by(donation.receiving_institution)
    return donations


# ---- writes ------------------------------------------------------------------------


def _home(user, code, donor: Donor | None) -> Organization:
    if donor is not None and code == donor.home.code:
        return donor.home  # unchanged: kept, even if this user could not choose it
    home = Organization.objects.visible_to(user, CHANGE_DONORS).filter(code=code).first()
    if home is None:
        raise _not_found_organization()
    if not home.is_current:
        raise DonorError(_("Đơn vị quản lý hồ sơ phải là một đơn vị đang hoạt động."),
                         "invalid_home", "home")
    return home


def _workplace(user, code, donor: Donor | None) -> Organization | None:
    if code is None:
        return None
    if donor is not None and donor.workplace_id and code == donor.workplace.code:
        return donor.workplace
    workplace = Organization.objects.visible_to(user).filter(code=code).first()
    if workplace is None:
        raise _not_found_organization()
    if workplace.kind == Kind.RECEIVING_INSTITUTION or not workplace.is_current:
        raise DonorError(_("Nơi làm việc, học tập phải là một đơn vị đang hoạt động, không "
                           "phải đơn vị tiếp nhận máu."), "invalid_workplace", "workplace")
    return workplace


def _clubs(user, codes, donor: Donor | None) -> list[Organization]:
    kept = {club.code: club for club in donor.clubs.all()} if donor is not None else {}
    wanted = set(codes)
    new = {org.code: org for org in
           Organization.objects.visible_to(user).filter(code__in=wanted - set(kept))}
    if len(new) != len(wanted - set(kept)):
        raise _not_found_organization()
    for org in new.values():
        if org.kind != Kind.CLUB or not org.is_current:
            raise DonorError(_("“%(name)s” không phải một câu lạc bộ đang hoạt động.")
                             % {"name": org.name}, "invalid_club", "clubs")
    return [kept.get(code) or new[code] for code in wanted]


def _donor_fields(user, payload, donor: Donor | None = None) -> tuple[bool, list | None, dict]:
    """(confirmed, clubs, fields) for the services, each code resolved within the user's
    rights; the checks the donor form makes before the services' own."""
    data = payload.model_dump(exclude_unset=donor is not None)
    confirmed = data.pop("confirmed", False)
    clubs = data.pop("clubs", None)
    fields = {}
    for name, value in data.items():
        value = getattr(value, "value", value)  # an enum: its stored value
        fields[name] = "" if value is None and name in CHOICE_FIELDS else value
    if "home" in fields:
        fields["home"] = _home(user, fields["home"], donor)
    if "workplace" in fields:
        fields["workplace"] = _workplace(user, fields["workplace"], donor)
    if clubs is not None:
        clubs = _clubs(user, clubs, donor)
    if fields.get("email"):
        try:
            validate_email(fields["email"])
        except ValidationError:
            raise DonorError(_("Địa chỉ e-mail không hợp lệ."), "email_invalid",
                             "email") from None
    if "province_code" in fields or "commune_code" in fields:
        province = fields.get("province_code", getattr(donor, "province_code", None))
        commune = fields.get("commune_code", getattr(donor, "commune_code", None))
        errors = geography.check_place(province, commune)
        if errors:
            field, message = next(iter(errors.items()))
            raise DonorError(message, "invalid_place", field)
    return confirmed, clubs, fields


@router.post("/donors", response={201: DonorDetailOut, **WRITE_ERRORS}, tags=TAGS,
             summary="Thêm người hiến máu",
             description="Số CCCD không khớp năm sinh hoặc giới tính: 422 identity_mismatch; "
                         "sau khi đối chiếu giấy tờ gốc, gửi lại với `confirmed: true`.")
def create_donor(request, payload: DonorIn):
    user = request.user
    if not _anywhere(user, CHANGE_DONORS):
        raise PermissionDenied(_("Vai trò của bạn không cho phép thêm người hiến máu."))
    confirmed, clubs, fields = _donor_fields(user, payload)
    donor = services.create_donor(actor=user, confirmed=confirmed, clubs=clubs, **fields)
    return Status(201, _detail(user, donor))


@router.patch("/donors/{code}", response={200: DonorDetailOut, **WRITE_ERRORS}, tags=TAGS,
              summary="Sửa hồ sơ người hiến máu",
              description="Số CCCD không khớp năm sinh hoặc giới tính: 422 identity_mismatch; "
                          "sau khi đối chiếu giấy tờ gốc, gửi lại với `confirmed: true`.")
def update_donor(request, code: uuid.UUID, payload: DonorPatch):
    user = request.user
    donor = get_donor_for_user(user, code, change=True)
    confirmed, clubs, fields = _donor_fields(user, payload, donor)
    donor = services.update_donor(donor, actor=user, confirmed=confirmed, clubs=clubs,
                                  **fields)
    return _detail(user, donor)
