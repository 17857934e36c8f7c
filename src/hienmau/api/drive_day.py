"""Drive-day events for an institution's own system: check-in, screening, collection,
and the live tally. Each event is idempotent: sent again (a lost connection, a retry),
it changes nothing and answers `created: false`; a conflicting one (another bag for a
person already collected, a bag already used) is refused with 422.

Screening and collection are health data: only the receiving institution's staff may
send them (docs/domain.md §6); check-in is open to the organizer's side as well.
"""

import contextlib
import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from hienmau.api.drive_day_schemas import (
    CheckInIn,
    CollectionIn,
    CollectionOut,
    EventOut,
    ReasonOut,
    ScreeningIn,
    TallyOut,
)
from hienmau.api.schemas import ErrorOut
from hienmau.donors.history import rules_in_force
from hienmau.drives import drive_day, screening
from hienmau.drives import registrations as service
from hienmau.drives.access import can_check_in, get_drive_for_station, records_health
from hienmau.drives.models import Registration
from hienmau.plans.access import get_drive_for_user

router = Router()
TAGS = ["drive day"]
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _registration(drive, reference: str):
    return drive_day.by_reference(drive, service.normalize_reference(reference))


@contextlib.contextmanager
def _known_reference():
    try:
        yield
    except Registration.DoesNotExist:
        raise Http404(_("Đợt này không có mã đăng ký đó.")) from None


def _health_drive(request, code):
    drive = get_drive_for_station(request.user, code)
    if not records_health(request.user, drive):
        raise PermissionDenied(_("Chỉ cán bộ đơn vị tiếp nhận máu của đợt này ghi kết quả "
                                 "khám và lấy máu."))
    return drive


@router.post("/drives/{code}/check-ins", response={201: EventOut, 200: EventOut, **ERRORS},
             tags=TAGS, summary="Ghi nhận một người có mặt")
def check_in(request, code: uuid.UUID, payload: CheckInIn):
    drive = get_drive_for_station(request.user, code)
    if not can_check_in(request.user, drive):
        raise PermissionDenied(_("Vai trò của bạn không ghi nhận có mặt ở đợt này."))
    with _known_reference():
        registration, created = drive_day.check_in(
            _registration(drive, payload.reference), actor=request.user)
    return Status(201 if created else 200, {
        "reference": registration.reference, "status": registration.status,
        "created": created,
        "message": "" if created else drive_day.already_checked_in(registration)})


@router.post("/drives/{code}/screenings", response={200: EventOut, **ERRORS}, tags=TAGS,
             summary="Ghi kết quả khám sàng lọc (đủ điều kiện hoặc tạm hoãn)",
             description="Gửi lại thay kết quả trước (sửa được cho tới khi lấy máu).")
def screen(request, code: uuid.UUID, payload: ScreeningIn):
    drive = _health_drive(request, code)
    registration = _registration(drive, payload.reference)
    # Without a date, screen() takes the reason's own period from the rule set.
    values = drive_day.ScreeningInput(**payload.model_dump(exclude={"reference"}))
    with _known_reference():
        record = drive_day.screen(registration, values, actor=request.user)
    return {"reference": registration.reference, "status": record.registration.status,
            "created": True}


@router.post("/drives/{code}/collections", response={201: CollectionOut, 200: CollectionOut,
             **ERRORS}, tags=TAGS, summary="Ghi nhận đã lấy máu (mã túi, thể tích)")
def collect(request, code: uuid.UUID, payload: CollectionIn):
    drive = _health_drive(request, code)
    with _known_reference():
        donation, created = drive_day.collect(
            _registration(drive, payload.reference), volume_ml=payload.volume_ml,
            bag=payload.bag, donation_type=payload.type, actor=request.user)
    return Status(201 if created else 200, {
        "reference": donation.registration.reference, "status": "donated",
        "created": created, "bag": donation.bag_number, "volume_ml": donation.volume_ml,
        "certificate": str(donation.code)})


@router.get("/drives/{code}/tally", response={200: TallyOut, **ERRORS}, tags=TAGS,
            summary="Số liệu trực tiếp của đợt (không có thông tin cá nhân)")
def tally(request, code: uuid.UUID):
    counted = drive_day.shown_tally(get_drive_for_user(request.user, code))
    return {**counted.__dict__, "waiting": counted.waiting, "confirmed": counted.confirmed,
            "equivalents_250": counted.equivalents_250,
            "by_volume": {str(ml): n for ml, n in counted.by_volume.items()}}


@router.get("/deferral-reasons", response=list[ReasonOut], tags=TAGS,
            summary="Các lý do tạm hoãn và thời gian của từng lý do")
def deferral_reasons(request):
    rules = rules_in_force(timezone.localdate())
    return [{"code": r.code, "label": str(r.label), "permanent": r.permanent,
             "days": None if r.permanent else rules.deferral_period_days(r.code)}
            for r in screening.DEFERRAL_REASONS]
