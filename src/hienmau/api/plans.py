"""Plans, their quotas, and drives, for units' and institutions' own systems.

Reads start from `plans/access.py` like the screens; every write goes through
`plans/services.py`. Outside the user's scope: 404; inside, without the right: 403;
a business rule refusing the change: 422 {"detail", "code", "field"} (see `api.py`).
"""

import datetime
import uuid
from decimal import Decimal

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from hienmau.api.pagination import Pages
from hienmau.api.plan_schemas import (
    CancelIn,
    DriveDetailOut,
    DriveFilters,
    DriveIn,
    DriveOut,
    DrivePatch,
    PlanDetailOut,
    PlanFilters,
    PlanIn,
    PlanOut,
    PlanPatch,
    QuotaIn,
)
from hienmau.api.schemas import ErrorOut
from hienmau.orgs.access import get_organization_for_user, has_perm
from hienmau.orgs.models import Kind, Organization
from hienmau.orgs.roles import CHANGE_DRIVES, MANAGE_PLANS, VIEW
from hienmau.plans import services
from hienmau.plans.access import (
    can_change_drive,
    can_manage_plan,
    get_drive_for_user,
    get_plan_for_user,
)
from hienmau.plans.checks import drive_warnings, plan_warnings
from hienmau.plans.documents import (
    PLAN_DOCUMENTS,
    announcement_response,
    plan_document_response,
)
from hienmau.plans.models import Campaign, Drive, DriveStatus, Plan, PlanStatus
from hienmau.plans.services import PlanError
from hienmau.plans.summary import quota_table

router = Router()

PAGE_SIZE = 50
COMMITTEE_KINDS = {Kind.NATIONAL_COMMITTEE, Kind.PROVINCIAL_COMMITTEE, Kind.COMMUNE_COMMITTEE,
                   Kind.INDUSTRIAL_ZONE_COMMITTEE}
READ_ERRORS = {404: ErrorOut}
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _values(payload, *, new: bool = False) -> dict:
    """The fields a client sent (with defaults for a new object), as the services take them.

    The audit trail stores snapshots as JSON, which has no Decimal or time: a percent
    is passed as a string (as the demo data does), and so are a new drive's times (both
    come from the payload, so `_check_drive` compares like with like). Model fields take
    the strings as well.
    """
    data = {}
    for name, value in payload.model_dump(exclude_unset=True).items():
        if isinstance(value, Decimal) or (new and isinstance(value, datetime.time)):
            value = value.isoformat() if isinstance(value, datetime.time) else str(value)
        data[name] = getattr(value, "value", value)  # an enum: its stored value
    return data


# ---- plans -------------------------------------------------------------------------


def _plan_detail(user, plan: Plan) -> Plan:
    plan = Plan.objects.select_related("committee", "previous").get(pk=plan.pk)
    plan.quota_table = quota_table(plan)
    plan.can_manage = can_manage_plan(user, plan)
    plan.warnings = plan_warnings(plan)
    return plan


@router.get("/plans", response=list[PlanOut], tags=["plans"],
            summary="Danh sách kế hoạch được xem")
@paginate(Pages, page_size=PAGE_SIZE)
def list_plans(request, filters: Query[PlanFilters]):
    plans = Plan.objects.visible_to(request.user).select_related("committee", "previous")
    if filters.committee:
        committee = get_organization_for_user(request.user, filters.committee)
        plans = plans.filter(committee=committee)
    if filters.status:
        plans = plans.filter(status=filters.status)
    if filters.on:
        plans = plans.filter(starts_on__lte=filters.on, ends_on__gte=filters.on)
    return plans.order_by("-starts_on", "committee__path", "pk")


@router.get("/plans/{code}", response={200: PlanDetailOut, **READ_ERRORS}, tags=["plans"],
            summary="Một kế hoạch: các mục, chỉ tiêu và tổng cộng")
def get_plan(request, code: uuid.UUID):
    return _plan_detail(request.user, get_plan_for_user(request.user, code))


@router.get("/plans/{code}/documents/{kind}", response=READ_ERRORS, tags=["plans"],
            summary="Tải văn bản của kế hoạch (bang-chi-tieu-xlsx, bang-chi-tieu-docx, "
                    "lich-to-chuc-docx)")
def plan_document(request, code: uuid.UUID, kind: str):
    plan = get_plan_for_user(request.user, code)
    if kind not in PLAN_DOCUMENTS:
        raise Http404(_("Không có loại văn bản này."))
    return plan_document_response(plan, PLAN_DOCUMENTS[kind])


@router.post("/plans", response={201: PlanDetailOut, **WRITE_ERRORS}, tags=["plans"],
             summary="Lập kế hoạch")
def create_plan(request, payload: PlanIn):
    committee = get_organization_for_user(request.user, payload.committee, MANAGE_PLANS)
    if committee.kind not in COMMITTEE_KINDS:  # its period: services.create_plan
        raise PlanError(_("Chỉ Ban Chỉ đạo mới lập kế hoạch."),
                        code="not_a_committee", field="committee")
    fields = _values(payload, new=True)
    del fields["committee"]
    plan = services.create_plan(actor=request.user, committee=committee, **fields)
    return Status(201, _plan_detail(request.user, plan))


@router.patch("/plans/{code}", response={200: PlanDetailOut, **WRITE_ERRORS}, tags=["plans"],
              summary="Sửa kế hoạch")
def update_plan(request, code: uuid.UUID, payload: PlanPatch):
    plan = get_plan_for_user(request.user, code, manage=True)
    fields = _values(payload)
    starts_on = fields.get("starts_on", plan.starts_on)
    if starts_on != plan.starts_on and Plan.objects.filter(
            committee=plan.committee, starts_on=starts_on).exclude(pk=plan.pk).exists():
        # The same rule create_plan applies, instead of the database's IntegrityError.
        raise PlanError(_("Ban Chỉ đạo này đã có kế hoạch cho năm kế hoạch này."),
                        code="duplicate_plan", field="starts_on")
    plan = services.update_plan(plan, actor=request.user, **fields)
    return _plan_detail(request.user, plan)


@router.put("/plans/{code}/quotas/{organization_code}",
            response={200: PlanDetailOut, **WRITE_ERRORS}, tags=["plans"],
            summary="Giao hoặc sửa chỉ tiêu của một đơn vị",
            description="Trả về kế hoạch với các tổng cộng đã tính lại.")
def save_quota(request, code: uuid.UUID, organization_code: uuid.UUID, payload: QuotaIn):
    plan = get_plan_for_user(request.user, code, manage=True)
    organization = get_organization_for_user(request.user, organization_code)
    if organization.pk == plan.committee_id or organization.kind == Kind.RECEIVING_INSTITUTION:
        # The screen's unit list leaves these out; save_quota only checks the subtree.
        raise PlanError(_("Chỉ giao chỉ tiêu cho đơn vị trực thuộc Ban Chỉ đạo lập kế hoạch."),
                        code="outside_committee", field="organization")
    fields = _values(payload)
    number = fields.pop("section", None)
    section = None
    if number:
        section = plan.sections.filter(number=number).first()
        if section is None:
            raise PlanError(_("Kế hoạch không có mục %(number)s.") % {"number": number},
                            code="unknown_section", field="section")
    services.save_quota(plan, actor=request.user, organization=organization,
                        section=section, **fields)
    return _plan_detail(request.user, plan)


@router.delete("/plans/{code}/quotas/{organization_code}",
               response={200: PlanDetailOut, **WRITE_ERRORS}, tags=["plans"],
               summary="Xóa chỉ tiêu của một đơn vị",
               description="Trả về kế hoạch với các tổng cộng đã tính lại.")
def delete_quota(request, code: uuid.UUID, organization_code: uuid.UUID):
    plan = get_plan_for_user(request.user, code, manage=True)
    quota = (plan.quotas.select_related("organization", "plan__committee")
             .filter(organization__code=organization_code).first())
    if quota is None:
        raise Http404(_("Kế hoạch không giao chỉ tiêu cho đơn vị này."))
    services.delete_quota(quota, actor=request.user)
    return _plan_detail(request.user, plan)


# ---- drives ------------------------------------------------------------------------


def _drives():
    return Drive.objects.select_related("organizer", "plan", "receiving_institution",
                                        "campaign")


def _drive_detail(user, drive: Drive) -> Drive:
    drive = (_drives().select_related("plan__committee")
             .prefetch_related("shares__organization", "coordinating_units", "executing_units")
             .get(pk=drive.pk))
    drive.can_change = can_change_drive(user, drive)
    drive.warnings = drive_warnings(drive)
    return drive


@router.get("/drives", response=list[DriveOut], tags=["drives"],
            summary="Danh sách đợt hiến máu được xem")
@paginate(Pages, page_size=PAGE_SIZE)
def list_drives(request, filters: Query[DriveFilters]):
    user = request.user
    drives = _drives().filter(pk__in=Drive.objects.visible_to(user).values("pk"))
    if filters.plan:
        drives = drives.filter(plan=get_plan_for_user(user, filters.plan))
    if filters.organizer:
        unit = get_organization_for_user(user, filters.organizer)
        drives = drives.filter(organizer__path__startswith=unit.path)
    if filters.month:
        year, month = (int(x) for x in filters.month.split("-"))
        drives = drives.filter(date__year=year, date__month=month)
    if filters.status:
        drives = drives.filter(status=filters.status)
    if filters.institution:
        # Institutions are shared: any code may filter, the rows stay the user's own.
        drives = drives.filter(receiving_institution__code=filters.institution)
    if filters.date_from:
        drives = drives.filter(date__gte=filters.date_from)
    if filters.date_to:
        drives = drives.filter(date__lte=filters.date_to)
    return drives.order_by("date", "start_time", "pk")


@router.get("/drives/{code}", response={200: DriveDetailOut, **READ_ERRORS}, tags=["drives"],
            summary="Một đợt hiến máu")
def get_drive(request, code: uuid.UUID):
    return _drive_detail(request.user, get_drive_for_user(request.user, code))


@router.get("/drives/{code}/announcement", response=READ_ERRORS, tags=["drives"],
            summary="Tải thông báo tổ chức đợt hiến máu (DOCX)")
def drive_announcement(request, code: uuid.UUID):
    return announcement_response(get_drive_for_user(request.user, code))


def _visible_units(user, codes, *, institutions: bool = False) -> list[Organization]:
    """Organizations named in a drive by code: the user's own, or (for executing units)
    any receiving institution. An unknown or foreign code is a 404, as everywhere."""
    wanted = set(codes)
    scope = Organization.objects.visible_to(user)
    if institutions:
        scope = Organization.objects.filter(
            Q(pk__in=scope.values("pk")) | Q(kind=Kind.RECEIVING_INSTITUTION))
    found = list(scope.filter(code__in=wanted))
    if len(found) != len(wanted):
        raise Http404(_("Không tìm thấy tổ chức, hoặc bạn không có quyền xem."))
    return found


def _institution(user, code) -> Organization | None:
    """Receiving institutions are shared by every unit: found by code, not through scope."""
    if code is None:
        return None
    org = Organization.objects.filter(code=code).first()
    if org is None or (org.kind != Kind.RECEIVING_INSTITUTION and not has_perm(user, org, VIEW)):
        raise PlanError(_("Không tìm thấy đơn vị tiếp nhận máu có mã này."),
                        code="unknown_institution", field="receiving_institution")
    return org  # a unit of another kind: create_drive/update_drive refuses it


def _drive_fields(user, payload, drive: Drive | None = None) -> dict:
    """Service arguments from a drive payload, each code resolved within the user's rights."""
    fields = _values(payload, new=drive is None)
    if fields.get("status") == DriveStatus.CANCELLED and (
            drive is None or drive.status != DriveStatus.CANCELLED):
        raise PlanError(_("Để hủy đợt hiến máu, hãy dùng chức năng hủy và ghi lý do."),
                        code="use_cancel", field="status")
    if "organizer" in fields:
        organizer = get_organization_for_user(user, fields["organizer"], CHANGE_DRIVES)
        changed = drive is None or organizer.pk != drive.organizer_id
        # Its period against the drive's date: services.create_drive/update_drive.
        if changed and organizer.kind == Kind.RECEIVING_INSTITUTION:
            raise PlanError(_("Đơn vị tổ chức không được là đơn vị tiếp nhận máu."),
                            code="invalid_organizer", field="organizer")
        fields["organizer"] = organizer
    if fields.get("plan") is not None:
        plan = get_plan_for_user(user, fields["plan"])
        if (drive is None or plan.pk != drive.plan_id) and plan.status == PlanStatus.CLOSED:
            raise PlanError(_("Kế hoạch này đã kết thúc, không thêm đợt vào được."),
                            code="plan_closed", field="plan")
        fields["plan"] = plan
    if fields.get("campaign") is not None:
        campaign = Campaign.objects.visible_to(user).filter(code=fields["campaign"]).first()
        if campaign is None:
            raise Http404(_("Không tìm thấy chiến dịch, hoặc bạn không có quyền xem."))
        fields["campaign"] = campaign
    if "receiving_institution" in fields:
        fields["receiving_institution"] = _institution(user, fields["receiving_institution"])
    coordinating = fields.pop("coordinating_units", None)
    if coordinating is not None:
        coordinating = _visible_units(user, coordinating)
    executing = fields.pop("executing_units", None)
    if executing is not None:
        executing = _visible_units(user, executing, institutions=True)
    shares = fields.pop("shares", None)
    if shares is not None:
        codes = [share["organization"] for share in shares]
        if len(set(codes)) != len(codes):
            raise PlanError(_("Mỗi đơn vị chỉ có một phần đóng góp trong một đợt."),
                            code="duplicate_share", field="shares")
        units = {org.code: org for org in _visible_units(user, codes)}
        shares = [(units[share["organization"]], share["expected_units"]) for share in shares]
    return {"coordinating": coordinating, "executing": executing, "shares": shares, **fields}


@router.post("/drives", response={201: DriveDetailOut, **WRITE_ERRORS}, tags=["drives"],
             summary="Thêm đợt hiến máu")
def create_drive(request, payload: DriveIn):
    fields = _drive_fields(request.user, payload)
    drive = services.create_drive(actor=request.user, **fields)
    return Status(201, _drive_detail(request.user, drive))


@router.patch("/drives/{code}", response={200: DriveDetailOut, **WRITE_ERRORS},
              tags=["drives"], summary="Sửa đợt hiến máu")
def update_drive(request, code: uuid.UUID, payload: DrivePatch):
    drive = get_drive_for_user(request.user, code, change=True)
    fields = _drive_fields(request.user, payload, drive)
    drive = services.update_drive(drive, actor=request.user, **fields)
    return _drive_detail(request.user, drive)


@router.post("/drives/{code}/cancel", response={200: DriveDetailOut, **WRITE_ERRORS},
             tags=["drives"], summary="Hủy đợt hiến máu (kèm lý do)")
def cancel_drive(request, code: uuid.UUID, payload: CancelIn):
    drive = get_drive_for_user(request.user, code, change=True)
    drive = services.cancel_drive(drive, actor=request.user, reason=payload.reason)
    return _drive_detail(request.user, drive)
