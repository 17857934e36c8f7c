"""A drive's registrations, for units' own systems: list, register a known donor, submit
people one by one or in batches, cancel.

People submitted by the API go through the very pipeline a spreadsheet does
(`imports.registration_import`): the same reading of each value, the same matching to
the registry (same CCCD with another name is refused, not overwritten), the same
warnings about the drive's date, all or nothing, and a re-submission creates nothing
new. Each batch is kept in the drive's import history, and can be undone there.
"""

import hashlib
import json
import uuid

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from hienmau.api.pagination import Pages
from hienmau.api.registration_schemas import (
    BatchIn,
    BatchOut,
    RegisterIn,
    RegistrationFilters,
    RegistrationOut,
)
from hienmau.api.schemas import ErrorOut
from hienmau.donors.access import get_donor_for_user
from hienmau.drives import registrations as service
from hienmau.drives.access import (
    get_drive_for_registrations,
    mobilizing_units,
    visible_registrations,
)
from hienmau.drives.models import RegistrationImport, Source
from hienmau.errors import RuleError
from hienmau.imports import columns
from hienmau.imports import registration_import as ri

router = Router()
TAGS = ["registrations"]
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MAX_BATCH = 1000


def _unit(user, drive, code):
    if code is None:
        return None
    unit = mobilizing_units(user, drive).filter(code=code).first()
    if unit is None:
        raise Http404(_("Không tìm thấy tổ chức, hoặc bạn không có quyền xem."))
    return unit


@router.get("/drives/{code}/registrations", response={200: list[RegistrationOut], **ERRORS},
            tags=TAGS, summary="Danh sách đăng ký của một đợt (che số giấy tờ, số điện thoại)",
            description="Đơn vị tham gia một đợt chung chỉ thấy những người mình vận động.")
@paginate(Pages, page_size=100)
def list_registrations(request, code: uuid.UUID, filters: Query[RegistrationFilters]):
    drive = get_drive_for_registrations(request.user, code)
    registrations = (visible_registrations(request.user, drive)
                     .select_related("donor", "mobilized_by").order_by("donor__sort_key", "pk"))
    if filters.status:
        registrations = registrations.filter(status=filters.status)
    return registrations


@router.post("/drives/{code}/registrations", response={201: RegistrationOut, 200:
             RegistrationOut, **ERRORS}, tags=TAGS,
             summary="Đăng ký một người đã có hồ sơ",
             description="201 khi tạo mới; 200 khi người này đã đăng ký đợt này (trả lại "
                         "đăng ký đó, không tạo thêm). Người chưa có hồ sơ: dùng `/batch`.")
def register_donor(request, code: uuid.UUID, payload: RegisterIn):
    drive = get_drive_for_registrations(request.user, code, register=True)
    donor = get_donor_for_user(request.user, payload.donor)
    registration, created = service.register(
        drive, donor, source=Source.COORDINATOR, actor=request.user,
        today=timezone.localdate(), mobilized_by=_unit(request.user, drive, payload.mobilized_by),
        note=payload.note)
    return Status(201 if created else 200, registration)


@router.post("/drives/{code}/registrations/batch", response={200: BatchOut, **ERRORS},
             tags=TAGS, summary="Đăng ký nhiều người (một hoặc tối đa 1.000) theo thông tin",
             description="Như nhập danh sách từ tệp: mỗi người được đối chiếu với hồ sơ (theo "
                         "CCCD, hoặc số điện thoại và họ tên); người hợp lệ được đăng ký, "
                         "tất cả hoặc không người nào; mỗi dòng có kết quả và thông báo. Gửi "
                         "lại cùng danh sách không tạo thêm gì.")
def register_batch(request, code: uuid.UUID, payload: BatchIn):
    user = request.user
    drive = get_drive_for_registrations(user, code, register=True)
    if not payload.people:
        raise RuleError(_("Danh sách trống."), "empty_batch", "people")
    if len(payload.people) > MAX_BATCH:
        raise RuleError(_("Mỗi lần gửi tối đa %(n)s người.") % {"n": MAX_BATCH},
                        "batch_too_long", "people")
    names = [f.name for f in columns.FIELDS]
    rows = [names] + [[getattr(person, name) for name in names] for person in payload.people]
    sheet = ri.Sheet(rows, 0, names, dict(enumerate(names)))
    today = timezone.localdate()
    result = ri.review(drive, sheet, sheet.mapping, actor=user, today=today)
    content = json.dumps(payload.model_dump(mode="json"), ensure_ascii=False).encode()
    record = RegistrationImport.objects.create(
        drive=drive, mobilized_by=_unit(user, drive, payload.mobilized_by),
        file_name="api.json", file_sha256=hashlib.sha256(content).hexdigest(),
        file_data=content, mapping={str(i): n for i, n in sheet.mapping.items()},
        accepted_changes=payload.accept_changes, rows_total=len(payload.people),
        summary=result.counts, report=result.report(), created_by=user)
    try:
        ri.write(record, result, actor=user, today=today)
    except ri.ImportRefused:
        record.delete()
        raise
    references = dict(drive.registrations.filter(
        donor_id__in=[p.donor.pk if p.donor else p.new_donor_id for p in result.planned])
        .values_list("donor_id", "reference"))
    planned = {p.row.number: references.get(p.donor.pk if p.donor else p.new_donor_id)
               for p in result.planned}
    by_row = {row.number: row for row in result.rows}
    return {
        "import_code": record.code, "counts": result.counts,
        "results": [{"index": number - 2, "status": by_row[number].status if number in by_row
                     else "empty", "reference": planned.get(number),
                     "messages": [m.as_dict() for m in by_row[number].messages]
                     if number in by_row else []}
                    for number in range(2, len(payload.people) + 2)],
    }


@router.post("/drives/{code}/registrations/{reference}/cancel",
             response={200: RegistrationOut, **ERRORS}, tags=TAGS, summary="Hủy một đăng ký")
def cancel_registration(request, code: uuid.UUID, reference: str):
    drive = get_drive_for_registrations(request.user, code, register=True)
    registration = get_object_or_404(visible_registrations(request.user, drive),
                                     reference=service.normalize_reference(reference))
    return service.cancel(registration, actor=request.user)
