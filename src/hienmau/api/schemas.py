import datetime
import uuid

from ninja import Schema

from hienmau.orgs.models import Organization


class OrganizationOut(Schema):
    code: uuid.UUID
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_code: uuid.UUID | None
    depth: int
    province_code: int | None
    province_name: str
    commune_code: int | None
    commune_name: str
    population: int | None
    headcount: int | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    successor_code: uuid.UUID | None
    is_current: bool

    @staticmethod
    def resolve_kind_label(obj: Organization) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_parent_code(obj: Organization):
        return getattr(obj, "parent_code", None)

    @staticmethod
    def resolve_successor_code(obj: Organization):
        return obj.successor.code if obj.successor_id else None


class OrganizationDetailOut(OrganizationOut):
    address: str
    contact_name: str
    contact_phone: str
    contact_email: str
    notes: str


class MembershipOut(Schema):
    organization_code: uuid.UUID
    organization_name: str
    role: str


class MeOut(Schema):
    username: str
    full_name: str
    is_superuser: bool
    memberships: list[MembershipOut]


class ErrorOut(Schema):
    """Every error of the API: a Vietnamese `detail` for people, a stable `code` for
    programs, and the input `field` it is about (null when it is about no one field)."""

    detail: str
    code: str
    field: str | None = None
