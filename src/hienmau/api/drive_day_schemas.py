"""Schemas of the drive-day endpoints (`api/drive_day.py`)."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from hienmau.api.schemas import InSchema
from hienmau.drives.models import DonationType, RegistrationStatus


class CheckInIn(InSchema):
    reference: str = Field(description="Mã đăng ký (HM-…), như trong mã QR.")


class ScreeningIn(InSchema):
    reference: str
    accepted: bool
    weight_kg: Decimal | None = Field(None, ge=20, le=250)
    hemoglobin_g_l: int | None = Field(None, ge=30, le=250)
    systolic_mm_hg: int | None = Field(None, ge=50, le=260)
    diastolic_mm_hg: int | None = Field(None, ge=30, le=180)
    pulse_bpm: int | None = Field(None, ge=20, le=250)
    deferral_reason: str = Field("", description="Mã lý do tạm hoãn (xem /deferral-reasons).")
    deferred_until: datetime.date | None = Field(
        None, description="Ngày hết tạm hoãn; để trống: theo số ngày của lý do "
                          "(/deferral-reasons); lý do không có số ngày thì bắt buộc.")
    note: str = Field("", max_length=300)


class CollectionIn(InSchema):
    reference: str
    bag: str = Field(max_length=40, description="Mã túi máu; ISBT 128 nếu đơn vị dùng.")
    volume_ml: int = Field(ge=50, le=1000)
    type: DonationType = DonationType.WHOLE_BLOOD


class EventOut(Schema):
    reference: str
    status: RegistrationStatus
    created: bool = Field(description="false: sự kiện này đã được ghi trước đó (gửi lại).")
    message: str = Field("", description="Với created false: đã ghi nhận lúc nào, bởi ai "
                                         "(để báo cho bàn đang thao tác).")


class CollectionOut(EventOut):
    bag: str
    volume_ml: int
    certificate: str = Field(description="Mã giấy chứng nhận (trang kiểm tra công khai).")


class TallyOut(Schema):
    registered: int | None
    checked_in: int | None
    waiting: int
    deferred: int | None
    collected: int = Field(description="Số túi (đơn vị máu).")
    equivalents_250: Decimal = Field(description="Quy đổi túi 250 ml.")
    by_volume: dict[str, int]
    expected: int
    confirmed: bool = Field(description="true: đợt đã kết thúc, số liệu là kết quả chính "
                                        "thức do đơn vị tiếp nhận máu xác nhận.")
    confirmed_at: datetime.datetime | None = None


class ReasonOut(Schema):
    code: str
    label: str
    days: int | None = Field(description="Số ngày tạm hoãn theo bộ quy tắc đang áp dụng; "
                                          "null: phải gửi ngày hết tạm hoãn.")
    permanent: bool
