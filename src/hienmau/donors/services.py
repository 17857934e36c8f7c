"""Writes to the donor registry: each atomic and audited, with the identity rules applied.

Permission checks belong to the caller (`donors/access.py`).
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hienmau.donors import identity
from hienmau.donors.models import Donor, IdType
from hienmau.orgs import audit

PHONE_FIELDS = ("phone", "phone_other")


class DonorError(Exception):
    """A change refused by a rule; `code` is stable for tests and API clients."""

    def __init__(self, message: str, code: str, field: str | None = None, donor=None):
        super().__init__(message)
        self.message, self.code, self.field = message, code, field
        self.donor = donor  # the existing record a duplicate points to


def identity_warnings(fields: dict) -> list[str]:
    """What the citizen ID says that the record does not (birth year, sex)."""
    if fields.get("id_type") != IdType.CCCD or not fields.get("id_number"):
        return []
    return identity.check_cccd(fields["id_number"], birth_date=fields.get("birth_date"),
                               birth_year=fields.get("birth_year"), sex=fields.get("sex"))


def clean_fields(fields: dict, *, confirmed: bool = False) -> dict:
    """The fields as stored: phones in E.164, the ID number normalized and checked.

    A CCCD that disagrees with the birth date or sex is refused unless the user
    confirmed having checked the document (`confirmed`): one of the two is wrong, and
    only the person at the desk can tell which.
    """
    fields = dict(fields)
    if not (fields.get("birth_date") or fields.get("birth_year")):
        raise DonorError(_("Cần ngày sinh, hoặc ít nhất năm sinh."), "birth_missing",
                         "birth_date")
    if fields.get("birth_date"):
        fields["birth_year"] = fields["birth_date"].year  # the full date wins
    for name in PHONE_FIELDS:
        if fields.get(name):
            try:
                fields[name] = identity.normalize_phone(fields[name])
            except identity.IdentityError as error:
                raise DonorError(error.message, error.code, name) from None
    if fields.get("id_number"):
        if not fields.get("id_type"):
            raise DonorError(_("Hãy chọn loại giấy tờ."), "id_type_missing", "id_type")
        try:
            fields["id_number"] = identity.normalize_id_number(fields["id_number"],
                                                               fields["id_type"])
        except identity.IdentityError as error:
            raise DonorError(error.message, error.code, "id_number") from None
        disagreements = identity_warnings(fields)
        if disagreements and not confirmed:
            raise DonorError(" ".join(disagreements), "identity_mismatch", "id_number")
    return fields


def _check_unique_id(fields: dict, exclude_pk=None) -> None:
    if not fields.get("id_number"):
        return
    other = (Donor.objects.filter(id_type=fields["id_type"], id_number=fields["id_number"])
             .exclude(pk=exclude_pk).first())
    if other is not None:
        other = other.merged_into or other  # a merged-away record speaks for its successor
        raise DonorError(_("Số giấy tờ này đã có trong hồ sơ của %(name)s.")
                         % {"name": other.full_name}, "duplicate_id", "id_number", other)


@transaction.atomic
def create_donor(*, actor, confirmed: bool = False, clubs=(), **fields) -> Donor:
    fields = clean_fields(fields, confirmed=confirmed)
    _check_unique_id(fields)
    donor = Donor(**fields)
    try:
        # A savepoint, so a race lost to another desk is reported, not a broken transaction.
        with transaction.atomic():
            donor.save()
    except IntegrityError:
        _check_unique_id(fields)
        raise
    donor.clubs.set(clubs)
    audit.log("hienmau.donor.created", actor=actor, organization=donor.home, obj=donor,
              data={"fields": audit.snapshot(donor, Donor.AUDITED_FIELDS),
                    "identity_confirmed": confirmed})
    return donor


@transaction.atomic
def update_donor(donor: Donor, *, actor, confirmed: bool = False, clubs=None,
                 **fields) -> Donor:
    donor = Donor.objects.select_for_update().get(pk=donor.pk)
    merged = {name: getattr(donor, name) for name in Donor.AUDITED_FIELDS} | fields
    fields = clean_fields(merged, confirmed=confirmed)
    _check_unique_id(fields, exclude_pk=donor.pk)
    before = audit.snapshot(donor, Donor.AUDITED_FIELDS)
    for name, value in fields.items():
        setattr(donor, name, value)
    donor.save()
    if clubs is not None:
        donor.clubs.set(clubs)
    changes = audit.diff(before, audit.snapshot(donor, Donor.AUDITED_FIELDS))
    if changes:
        audit.log("hienmau.donor.changed", actor=actor, organization=donor.home, obj=donor,
                  data={"changes": changes, "identity_confirmed": confirmed})
    return donor
