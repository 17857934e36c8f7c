"""Schemas of the plan and drive endpoints (`api/plans.py`).

Input schemas name organizations, plans and campaigns by their `code` (UUID). Patch
schemas: a field left out is not changed; a field that cannot be empty refuses null.
"""

import datetime
import uuid
from decimal import Decimal
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator

from hienmau.api.schemas import InSchema
from hienmau.plans.models import Drive, DriveStatus, Plan, PlanStatus

# PositiveIntegerField: 0 … 2^31 − 1 on every database.
Count = Annotated[int, Field(ge=0, le=2_147_483_647)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


def _local_time(value: datetime.time) -> datetime.time:
    if value.tzinfo is not None:
        raise ValueError(_("Giờ ghi theo giờ Việt Nam, không kèm múi giờ."))
    return value


# A drive's hours are wall-clock times in Vietnam, as the database keeps them.
LocalTime = Annotated[datetime.time, AfterValidator(_local_time)]


class WarningOut(Schema):
    code: str
    message: str


# ---- plans -------------------------------------------------------------------------


class PlanFilters(Schema):
    committee: uuid.UUID | None = Field(None, description="Chỉ kế hoạch của Ban Chỉ đạo này.")
    status: PlanStatus | None = None
    on: datetime.date | None = Field(None, description="Kế hoạch có năm kế hoạch chứa ngày này.")


class PlanIn(InSchema):
    committee: uuid.UUID = Field(description="Mã Ban Chỉ đạo lập kế hoạch.")
    title: str = Field(min_length=1, max_length=300)
    starts_on: datetime.date
    ends_on: datetime.date
    document_number: str = Field("", max_length=100)
    document_date: datetime.date | None = None
    national_quota: Count | None = None
    provincial_quota: Count | None = None
    population_target_percent: Percent | None = None
    status: PlanStatus = PlanStatus.DRAFT


class PlanPatch(InSchema):
    # Default None without `| None`: the field may be left out, not set to null.
    title: str = Field(None, min_length=1, max_length=300)
    starts_on: datetime.date = None
    ends_on: datetime.date = None
    document_number: str = Field(None, max_length=100)
    document_date: datetime.date | None = None
    national_quota: Count | None = None
    provincial_quota: Count | None = None
    population_target_percent: Percent | None = None
    status: PlanStatus = None


class PlanOut(Schema):
    code: uuid.UUID
    committee_code: uuid.UUID
    committee_name: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    document_number: str
    document_date: datetime.date | None
    national_quota: int | None
    provincial_quota: int | None
    population_target_percent: float | None
    status: str
    status_label: str
    previous_code: uuid.UUID | None
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_committee_code(obj: Plan):
        return obj.committee.code

    @staticmethod
    def resolve_committee_name(obj: Plan):
        return obj.committee.name

    @staticmethod
    def resolve_status_label(obj: Plan) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_previous_code(obj: Plan):
        return obj.previous.code if obj.previous_id else None


class QuotaIn(InSchema):
    units: Count = Field(description="Chỉ tiêu (đơn vị máu).")
    section: str | None = Field(None, max_length=10,
                                description="Số mục trong phụ lục (vd. “I”); bỏ trống: ngoài mục.")
    registration_target: Count | None = None
    staff_share_percent: int | None = Field(None, ge=0, le=100)
    note: str = Field("", max_length=300)


class QuotaOut(Schema):
    organization_code: uuid.UUID
    organization_name: str
    section_number: str | None
    units: int
    registration_target: int | None
    staff_share_percent: int | None
    note: str
    planned_units: int = Field(description="Đơn vị máu dự kiến của các đợt trong kế hoạch "
                                           "tính cho đơn vị này và các đơn vị dưới nó.")
    coverage_percent: int | None


class SectionOut(Schema):
    number: str | None = Field(description="null: các chỉ tiêu không thuộc mục nào.")
    title: str
    total_units: int
    planned_units: int
    quotas: list[QuotaOut]


class PlanDetailOut(PlanOut):
    """Built from a plan carrying `quota_table` (plans/summary.py), `can_manage` and
    `warnings`, which the endpoint sets on it."""

    sections: list[SectionOut]
    total_units: int = Field(description="Tổng chỉ tiêu: tính từ các chỉ tiêu, không lưu.")
    planned_units: int
    can_manage: bool
    warnings: list[WarningOut]

    @staticmethod
    def resolve_sections(obj) -> list[dict]:
        return [{
            "number": block.section.number if block.section else None,
            "title": block.section.title if block.section else "",
            "total_units": block.total,
            "planned_units": block.planned,
            "quotas": [{
                "organization_code": row.quota.organization.code,
                "organization_name": row.quota.organization.name,
                "section_number": block.section.number if block.section else None,
                "units": row.quota.units,
                "registration_target": row.quota.registration_target,
                "staff_share_percent": row.quota.staff_share_percent,
                "note": row.quota.note,
                "planned_units": row.planned,
                "coverage_percent": row.coverage_percent,
            } for row in block.rows],
        } for block in obj.quota_table.blocks]

    @staticmethod
    def resolve_total_units(obj) -> int:
        return obj.quota_table.total

    @staticmethod
    def resolve_planned_units(obj) -> int:
        return obj.quota_table.planned


# ---- drives ------------------------------------------------------------------------


class DriveFilters(Schema):
    plan: uuid.UUID | None = None
    organizer: uuid.UUID | None = Field(
        None, description="Đợt do đơn vị này hoặc các đơn vị dưới nó tổ chức.")
    month: str | None = Field(None, pattern=r"^[1-9]\d{3}-(0[1-9]|1[0-2])$",
                              description="Tháng dạng YYYY-MM.")
    status: DriveStatus | None = None
    institution: uuid.UUID | None = Field(None, description="Mã đơn vị tiếp nhận máu.")
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


class ShareIn(InSchema):
    organization: uuid.UUID
    expected_units: int = Field(ge=1, le=2_147_483_647)


class DriveIn(InSchema):
    organizer: uuid.UUID = Field(description="Đơn vị tổ chức: một đơn vị bạn được sửa đợt.")
    plan: uuid.UUID | None = Field(
        None, description="Bỏ trống: đợt tự vào kế hoạch của Ban Chỉ đạo gần nhất phủ ngày đó.")
    title: str = Field("", max_length=300)
    campaign: uuid.UUID | None = None
    date: datetime.date
    weekday_text: str = Field("", max_length=20)
    start_time: LocalTime | None = None
    end_time: LocalTime | None = None
    venue: str = Field(min_length=1, max_length=300)
    receiving_institution: uuid.UUID | None = Field(
        None, description="Mã đơn vị tiếp nhận máu (dùng chung, không cần thuộc đơn vị bạn).")
    coordinating_units: list[uuid.UUID] | None = None
    executing_units: list[uuid.UUID] | None = None
    target_group: str = Field("", max_length=300)
    expected_units: Count
    registration_target: Count | None = None
    announcement_number: str = Field("", max_length=100)
    status: DriveStatus = Field(DriveStatus.PLANNED,
                                description="Để hủy đợt, dùng POST /api/drives/{code}/cancel.")
    notes: str = ""
    shares: list[ShareIn] | None = Field(
        None, description="Đợt phối hợp: phần của từng đơn vị; tổng phải bằng expected_units.")


class DrivePatch(InSchema):
    organizer: uuid.UUID = None
    plan: uuid.UUID | None = None
    title: str = Field(None, max_length=300)
    campaign: uuid.UUID | None = None
    date: datetime.date = None
    weekday_text: str = Field(None, max_length=20)
    start_time: LocalTime | None = None
    end_time: LocalTime | None = None
    venue: str = Field(None, min_length=1, max_length=300)
    receiving_institution: uuid.UUID | None = None
    coordinating_units: list[uuid.UUID] = None
    executing_units: list[uuid.UUID] = None
    target_group: str = Field(None, max_length=300)
    expected_units: Count = None
    registration_target: Count | None = None
    announcement_number: str = Field(None, max_length=100)
    status: DriveStatus = None
    notes: str = None
    shares: list[ShareIn] = None


class CancelIn(InSchema):
    reason: str = Field(description="Lý do hủy, ghi vào ghi chú của đợt.")


class DriveOut(Schema):
    code: uuid.UUID
    title: str
    date: datetime.date
    weekday_text: str
    start_time: datetime.time | None
    end_time: datetime.time | None
    venue: str
    status: str
    status_label: str
    organizer_code: uuid.UUID
    organizer_name: str
    plan_code: uuid.UUID | None
    receiving_institution_code: uuid.UUID | None
    receiving_institution_name: str | None
    campaign_code: uuid.UUID | None
    campaign_name: str | None
    target_group: str
    expected_units: int
    registration_target: int | None
    announcement_number: str
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_status_label(obj: Drive) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_organizer_code(obj: Drive):
        return obj.organizer.code

    @staticmethod
    def resolve_organizer_name(obj: Drive):
        return obj.organizer.name

    @staticmethod
    def resolve_plan_code(obj: Drive):
        return obj.plan.code if obj.plan_id else None

    @staticmethod
    def resolve_receiving_institution_code(obj: Drive):
        return obj.receiving_institution.code if obj.receiving_institution_id else None

    @staticmethod
    def resolve_receiving_institution_name(obj: Drive):
        return obj.receiving_institution.name if obj.receiving_institution_id else None

    @staticmethod
    def resolve_campaign_code(obj: Drive):
        return obj.campaign.code if obj.campaign_id else None

    @staticmethod
    def resolve_campaign_name(obj: Drive):
        return obj.campaign.name if obj.campaign_id else None


class ShareOut(Schema):
    organization_code: uuid.UUID
    organization_name: str
    expected_units: int

    @staticmethod
    def resolve_organization_code(obj):
        return obj.organization.code

    @staticmethod
    def resolve_organization_name(obj):
        return obj.organization.name


class DriveDetailOut(DriveOut):
    """Built from a drive with shares and units prefetched, carrying `can_change` and
    `warnings`, which the endpoint sets on it."""

    shares: list[ShareOut]
    coordinating_unit_codes: list[uuid.UUID]
    executing_unit_codes: list[uuid.UUID]
    can_change: bool
    warnings: list[WarningOut]

    @staticmethod
    def resolve_coordinating_unit_codes(obj: Drive):
        return [org.code for org in obj.coordinating_units.all()]

    @staticmethod
    def resolve_executing_unit_codes(obj: Drive):
        return [org.code for org in obj.executing_units.all()]
