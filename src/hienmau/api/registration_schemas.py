"""Schemas of the registration endpoints (`api/registrations.py`). Identity and phone
numbers are masked in lists, as on the screens."""

import datetime
import uuid

from ninja import Field, Schema

from hienmau.api.schemas import InSchema
from hienmau.donors.identity import mask_id_number, mask_phone
from hienmau.drives.models import RegistrationStatus, Source


class RegistrationDonorOut(Schema):
    code: uuid.UUID
    full_name: str
    birth_year: int | None
    id_number_masked: str
    phone_masked: str

    @staticmethod
    def resolve_id_number_masked(donor) -> str:
        return mask_id_number(donor.id_number or "")

    @staticmethod
    def resolve_phone_masked(donor) -> str:
        return mask_phone(donor.phone) if donor.phone else ""


class RegistrationOut(Schema):
    reference: str = Field(description="Mã đăng ký người hiến máu mang theo (và trong mã QR).")
    status: RegistrationStatus
    source: Source
    donor: RegistrationDonorOut
    mobilized_by: uuid.UUID | None = Field(None, description="Mã đơn vị vận động.")
    note: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_mobilized_by(registration):
        return registration.mobilized_by.code if registration.mobilized_by_id else None


class RegistrationFilters(Schema):
    status: RegistrationStatus | None = None


class RegisterIn(InSchema):
    donor: uuid.UUID = Field(description="Mã hồ sơ người hiến máu.")
    mobilized_by: uuid.UUID | None = None
    note: str = Field("", max_length=500)


class PersonIn(InSchema):
    """One person as a list gives them: values as people write them (dates dd/mm/yyyy,
    yyyy-mm-dd or a year alone; phones in any usual form), read by the same rules as a
    spreadsheet's cells."""

    full_name: str = Field(max_length=150)
    birth_date: str = Field(max_length=20, description="04/05/1990, 1990-05-04 hoặc 1990.")
    sex: str | None = Field(None, max_length=10, description="Nam / Nữ (hoặc M / F).")
    id_number: str | None = Field(None, max_length=30)
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)
    blood_group: str | None = Field(None, max_length=10, description="O, A+, AB-…")
    workplace: str | None = Field(None, max_length=255,
                                  description="Tên đơn vị, nơi làm việc, học tập.")
    address: str | None = Field(None, max_length=255)
    weight: str | None = Field(None, max_length=10, description="Cân nặng (kg).")
    note: str | None = Field(None, max_length=500)


class BatchIn(InSchema):
    people: list[PersonIn]
    mobilized_by: uuid.UUID | None = Field(None, description="Đơn vị vận động những người này.")
    accept_changes: bool = Field(False, description="Cập nhật hồ sơ đã có theo giá trị gửi lên.")


class MessageOut(Schema):
    level: str = Field(description="error, warning hoặc info.")
    field: str
    text: str


class PersonResultOut(Schema):
    index: int = Field(description="Vị trí trong `people` (từ 0).")
    status: str = Field(description="ok, warning (đăng ký, có điều cần xem) hoặc error "
                                    "(không đăng ký).")
    reference: str | None
    messages: list[MessageOut]


class BatchOut(Schema):
    import_code: uuid.UUID
    counts: dict[str, int]
    results: list[PersonResultOut]
