import datetime
import uuid

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, field_validator

from hienmau.orgs.models import Organization
from hienmau.text import LONG_TEXT_MAX, text_error


def _check_text(value):
    if isinstance(value, str):
        if message := text_error(value):
            raise ValueError(message)
        if len(value) > LONG_TEXT_MAX:
            raise ValueError(_("Dài quá %(limit)s ký tự.") % {"limit": LONG_TEXT_MAX})
    elif isinstance(value, list | tuple | set):
        for item in value:
            _check_text(item)
    elif isinstance(value, dict):
        for item in (*value.keys(), *value.values()):
            _check_text(item)


class InSchema(Schema):
    """Every request body: unknown fields refused, text stripped, and the text rules
    of every door (`hienmau.text`): no control character or bidi override, no text
    longer than the longest note, whatever the field."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value):
        _check_text(value)
        return value


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
