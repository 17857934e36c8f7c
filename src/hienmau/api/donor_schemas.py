"""Schemas of the donor endpoints (`api/donors.py`).

Organizations are named by their `code` (UUID). Lists carry masked identity and phone
numbers only; the full numbers are in the detail, whose every read is logged. Health
data (deferral and exclusion reasons) is null unless the user may see it.

Patch schema: a field left out is not changed; a text field is emptied with "", a
choice (sex, document type, blood group, Rh) with null.
"""

import datetime
import uuid
from decimal import Decimal

from ninja import Field, Schema

from hienmau.api.schemas import InSchema
from hienmau.donors import milestones
from hienmau.donors.identity import (
    IdentityError,
    format_phone_local,
    mask_id_number,
    mask_phone,
)
from hienmau.donors.models import BloodGroup, Donor, IdType, Rh, Sex
from hienmau.drives.models import Donation
from hienmau.orgs import geography


class DonorFilters(Schema):
    q: str | None = Field(None, max_length=100,
                          description="Họ tên (không cần dấu), số giấy tờ hoặc số điện thoại.")


def _local_phone(value: str) -> str:
    if not value:
        return ""
    try:
        return format_phone_local(value)
    except IdentityError:
        return value  # legacy data that is not a valid number: shown as stored


# ---- output ------------------------------------------------------------------------


class DonorBaseOut(Schema):
    code: uuid.UUID
    full_name: str
    birth_date: datetime.date | None
    birth_year: int | None
    sex: str | None = Field(description="M, F hoặc null (chưa rõ).")
    sex_label: str
    blood_group: str | None
    rh: str | None
    blood_type: str
    home_code: uuid.UUID
    home_name: str
    workplace_code: uuid.UUID | None
    workplace_name: str | None

    @staticmethod
    def resolve_sex(obj: Donor):
        return obj.sex or None

    @staticmethod
    def resolve_sex_label(obj: Donor) -> str:
        return str(obj.get_sex_display()) if obj.sex else ""

    @staticmethod
    def resolve_blood_group(obj: Donor):
        return obj.blood_group or None

    @staticmethod
    def resolve_rh(obj: Donor):
        return obj.rh or None

    @staticmethod
    def resolve_home_code(obj: Donor):
        return obj.home.code

    @staticmethod
    def resolve_home_name(obj: Donor):
        return obj.home.name

    @staticmethod
    def resolve_workplace_code(obj: Donor):
        return obj.workplace.code if obj.workplace_id else None

    @staticmethod
    def resolve_workplace_name(obj: Donor):
        return obj.workplace.name if obj.workplace_id else None


class DonorOut(DonorBaseOut):
    """A row of the list: identity and phone numbers masked, never in full."""

    id_type: str | None
    id_number_masked: str | None = Field(description="Chỉ 4 ký tự cuối, vd. ********2345.")
    phone_masked: str = Field(description="Chỉ nhóm số đầu và cuối, vd. 0912 *** 678.")

    @staticmethod
    def resolve_id_type(obj: Donor):
        return obj.id_type or None

    @staticmethod
    def resolve_id_number_masked(obj: Donor):
        return mask_id_number(obj.id_number) if obj.id_number else None

    @staticmethod
    def resolve_phone_masked(obj: Donor) -> str:
        return mask_phone(obj.phone) if obj.phone else ""


class EligibilityReasonOut(Schema):
    code: str
    message: str


class EligibilityOut(Schema):
    on: datetime.date
    eligible: bool
    reasons: list[EligibilityReasonOut]
    next_eligible_date: datetime.date | None = Field(
        description="Ngày sớm nhất có thể hiến lại (chỉ xét thời gian); null: không có.")
    max_whole_blood_ml: int | None
    warnings: list[EligibilityReasonOut]


class MilestoneOut(Schema):
    donations: int
    award: str
    confirmed: bool = Field(description="False: mốc theo thực tế, chưa có văn bản quy định.")


class HistoryOut(Schema):
    donation_count: int = Field(description="Số lần đã hiến ghi trong HienMau (chỉ các lần "
                                            "lấy được máu).")
    prior_donations: int = Field(description="Số lần hiến trước khi có HienMau (văn phòng "
                                             "ghi, kèm nguồn).")
    total_donations: int
    milestone_reached: MilestoneOut | None
    next_milestone: MilestoneOut | None
    last_donation_date: datetime.date | None
    eligibility: EligibilityOut = Field(description="Hiến máu toàn phần vào ngày `on` "
                                                    "(mặc định hôm nay).")


class DonorDetailOut(DonorBaseOut):
    """Built from a donor carrying `history` (donors/history.py), `on`, `health`,
    `can_change` and `club_codes`, which the endpoint sets on it."""

    id_type: str | None
    id_type_label: str
    id_number: str | None
    phone: str = Field(description="Dạng trong nước, vd. 0912 345 678.")
    phone_other: str
    email: str
    province_code: int | None
    province_name: str
    commune_code: int | None
    commune_name: str
    address: str
    club_codes: list[uuid.UUID]
    weight_kg: float | None
    notes: str
    permanently_excluded: bool
    exclusion_reason: str | None = Field(
        description="Dữ liệu sức khỏe: chỉ cán bộ đơn vị tiếp nhận máu thấy, còn lại null.")
    sees_health_data: bool
    can_change: bool
    history: HistoryOut
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_id_type(obj: Donor):
        return obj.id_type or None

    @staticmethod
    def resolve_id_type_label(obj: Donor) -> str:
        return str(obj.get_id_type_display()) if obj.id_type else ""

    @staticmethod
    def resolve_phone(obj: Donor) -> str:
        return _local_phone(obj.phone)

    @staticmethod
    def resolve_phone_other(obj: Donor) -> str:
        return _local_phone(obj.phone_other)

    @staticmethod
    def resolve_province_name(obj: Donor) -> str:
        return geography.province_name(obj.province_code)

    @staticmethod
    def resolve_commune_name(obj: Donor) -> str:
        return geography.commune_name(obj.commune_code)

    @staticmethod
    def resolve_exclusion_reason(obj):
        return obj.exclusion_reason if obj.health else None

    @staticmethod
    def resolve_sees_health_data(obj) -> bool:
        return obj.health

    @staticmethod
    def resolve_history(obj) -> dict:
        assessment = obj.history.assessment
        tiers = milestones.tiers_for(obj.home)
        last = obj.history.last
        return {
            "donation_count": obj.history.count,
            "prior_donations": obj.history.prior,
            "total_donations": obj.history.total,
            "milestone_reached": _tier(milestones.reached(obj.history.total, tiers)),
            "next_milestone": _tier(milestones.next_tier(obj.history.total, tiers)),
            "last_donation_date": last.date if last else None,
            "eligibility": {
                "on": obj.on,
                "eligible": assessment.eligible,
                "reasons": [{"code": r.code, "message": r.message} for r in assessment.reasons],
                "next_eligible_date": assessment.next_eligible_date,
                "max_whole_blood_ml": assessment.max_whole_blood_ml,
                "warnings": [{"code": w.code, "message": w.message}
                             for w in assessment.warnings],
            },
        }


class DonationOut(Schema):
    """Built from a donation carrying `health`, which the endpoint sets on it."""

    code: uuid.UUID
    date: datetime.date
    type: str
    type_label: str
    volume_ml: int | None
    outcome: str
    outcome_label: str
    deferred_until: datetime.date | None = Field(description="Ngày cuối của thời gian tạm hoãn.")
    deferral_reason: str | None = Field(
        description="Dữ liệu sức khỏe: chỉ cán bộ đơn vị tiếp nhận máu thấy, còn lại null.")
    drive_code: uuid.UUID | None
    receiving_institution_code: uuid.UUID | None
    receiving_institution_name: str | None
    bag_number: str | None

    @staticmethod
    def resolve_type_label(obj: Donation) -> str:
        return str(obj.get_type_display())

    @staticmethod
    def resolve_outcome_label(obj: Donation) -> str:
        return str(obj.get_outcome_display())

    @staticmethod
    def resolve_deferral_reason(obj):
        return obj.deferral_reason if obj.health else None

    @staticmethod
    def resolve_drive_code(obj: Donation):
        return obj.drive.code if obj.drive_id else None

    @staticmethod
    def resolve_receiving_institution_code(obj: Donation):
        return obj.receiving_institution.code if obj.receiving_institution_id else None

    @staticmethod
    def resolve_receiving_institution_name(obj: Donation):
        return obj.receiving_institution.name if obj.receiving_institution_id else None


# ---- input -------------------------------------------------------------------------

CONFIRMED = Field(False, description="Đã đối chiếu giấy tờ gốc: lưu dù số CCCD không khớp "
                                     "năm sinh hoặc giới tính (lỗi identity_mismatch).")


class DonorIn(InSchema):
    full_name: str = Field(min_length=1, max_length=150)
    birth_date: datetime.date | None = None
    birth_year: int | None = Field(None, ge=1900, le=2100,
                                   description="Khi chỉ biết năm sinh.")
    sex: Sex | None = None
    id_type: IdType | None = None
    id_number: str | None = Field(None, max_length=40, description="CCCD, CMND, hộ chiếu…; "
                                  "dấu cách, dấu chấm, gạch ngang được bỏ đi.")
    phone: str = Field("", max_length=30, description="Vd. 0912 345 678 hoặc +84 912 345 678; "
                                                      "lưu dạng +84….")
    phone_other: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    province_code: int | None = Field(None, ge=1)
    commune_code: int | None = Field(None, ge=1)
    address: str = Field("", max_length=255)
    home: uuid.UUID = Field(description="Đơn vị quản lý hồ sơ: một đơn vị bạn được sửa hồ sơ "
                                        "người hiến máu.")
    workplace: uuid.UUID | None = Field(None, description="Nơi làm việc, học tập.")
    clubs: list[uuid.UUID] = Field([], description="Mã các câu lạc bộ.")
    blood_group: BloodGroup | None = None
    rh: Rh | None = None
    weight_kg: Decimal | None = Field(None, gt=0, max_digits=4, decimal_places=1)
    notes: str = ""
    confirmed: bool = CONFIRMED


class DonorPatch(InSchema):
    # Default None without `| None`: the field may be left out, not set to null.
    full_name: str = Field(None, min_length=1, max_length=150)
    birth_date: datetime.date | None = None
    birth_year: int | None = Field(None, ge=1900, le=2100)
    sex: Sex | None = None
    id_type: IdType | None = None
    id_number: str | None = Field(None, max_length=40)
    phone: str = Field(None, max_length=30)
    phone_other: str = Field(None, max_length=30)
    email: str = Field(None, max_length=254)
    province_code: int | None = Field(None, ge=1)
    commune_code: int | None = Field(None, ge=1)
    address: str = Field(None, max_length=255)
    home: uuid.UUID = None
    workplace: uuid.UUID | None = None
    clubs: list[uuid.UUID] = None
    blood_group: BloodGroup | None = None
    rh: Rh | None = None
    weight_kg: Decimal | None = Field(None, gt=0, max_digits=4, decimal_places=1)
    notes: str = None
    confirmed: bool = CONFIRMED


def _tier(tier) -> dict | None:
    return tier and {"donations": tier.donations, "award": tier.award,
                     "confirmed": tier.confirmed}
