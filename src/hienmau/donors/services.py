"""Writes to the donor registry: each atomic and audited, with the identity rules applied.

Permission checks belong to the caller (`donors/access.py`).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.donors import identity, matching
from hienmau.donors.models import Consent, Donor, Household, IdType, MilestoneTier
from hienmau.errors import RuleError
from hienmau.orgs import audit
from hienmau.text import text_error

PHONE_FIELDS = ("phone", "phone_other")
# What the CCCD check compares: once a person confirmed a disagreement, editing anything
# else does not ask again.
IDENTITY_FIELDS = ("id_type", "id_number", "birth_date", "birth_year", "sex")


class DonorError(RuleError):
    """A change refused by a rule; `code` is stable for tests and API clients."""

    def __init__(self, message: str, code: str, field: str | None = None, donor=None):
        super().__init__(message, code, field)
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
    try:
        fields["full_name"] = identity.normalize_person_name(fields.get("full_name"))
    except identity.IdentityError as error:
        raise DonorError(error.message, error.code, "full_name") from None
    if not (fields.get("birth_date") or fields.get("birth_year")):
        raise DonorError(_("Cần ngày sinh, hoặc ít nhất năm sinh."), "birth_missing",
                         "birth_date")
    if fields.get("birth_date"):
        fields["birth_year"] = fields["birth_date"].year  # the full date wins
    today = timezone.localdate()
    if message := identity.birth_error(fields.get("birth_date"), fields.get("birth_year"),
                                       today=today):
        raise DonorError(message, "birth_out_of_range",
                         "birth_date" if fields.get("birth_date") else "birth_year")
    if message := identity.weight_error(fields.get("weight_kg")):
        raise DonorError(message, "weight_out_of_range", "weight_kg")
    for name, value in fields.items():
        if isinstance(value, str) and (message := text_error(value)):
            raise DonorError(message, "unprintable", name)
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


def _check_unique_id(fields: dict, actor, exclude_pk=None) -> None:
    if not fields.get("id_number"):
        return
    other = (Donor.objects.filter(id_type=fields["id_type"], id_number=fields["id_number"])
             .exclude(pk=exclude_pk).first())
    if other is None:
        return
    other = other.merged_into or other  # a merged-away record speaks for its successor
    if not Donor.objects.visible_to(actor).filter(pk=other.pk).exists():
        # Name nobody outside the user's scope: an ID number must not reveal a person.
        raise DonorError(_("Số giấy tờ này đã có trong hồ sơ do một đơn vị khác quản lý; "
                           "hãy liên hệ Văn phòng thường trực."), "duplicate_id", "id_number")
    raise DonorError(_("Số giấy tờ này đã có trong hồ sơ của %(name)s.")
                     % {"name": other.full_name}, "duplicate_id", "id_number", other)


def match_refusal(match: matching.Match, actor) -> DonorError:
    """Why a person the registry already has (`matching.find`: SAME or CONFLICT) is not
    written again. The record is named, and offered to register, only to a user who
    sees it: to anyone else, an ID number, a name or a phone reveals nobody."""
    donor = match.donor
    if match.by_document:
        try:
            _check_unique_id({"id_type": donor.id_type, "id_number": donor.id_number}, actor)
        except DonorError as error:
            return error
    if not Donor.objects.visible_to(actor).filter(pk=donor.pk).exists():
        return DonorError(_("Người này (cùng họ tên, năm sinh và số điện thoại) đã có hồ sơ "
                            "do một đơn vị khác quản lý; hãy liên hệ Văn phòng thường "
                            "trực."), "duplicate_person", "phone")
    return DonorError(_("%(name)s đã có hồ sơ với cùng họ tên, năm sinh và số điện thoại "
                        "này.") % {"name": donor.full_name}, "duplicate_person", "phone",
                      donor)


def _save_reporting_races(donor: Donor, fields: dict, actor) -> None:
    """Save in a savepoint, so that an ID number (or a person without one) another desk
    saved a moment ago is reported as a duplicate, not as a broken transaction."""
    try:
        with transaction.atomic():
            donor.save()
    except IntegrityError:
        _check_unique_id(fields, actor, exclude_pk=donor.pk)
        key = donor.person_key()
        other = key and Donor.objects.filter(identity_key=key).exclude(pk=donor.pk).first()
        if other:
            raise match_refusal(matching.Match(matching.SAME, other), actor) from None
        raise


@transaction.atomic
def create_donor(*, actor, confirmed: bool = False, clubs=(), **fields) -> Donor:
    fields = clean_fields(fields, confirmed=confirmed)
    match = matching.find(fields)  # one rule for every door (donors.matching)
    if match.outcome != matching.NEW:
        raise match_refusal(match, actor)
    donor = Donor(**fields)
    _save_reporting_races(donor, fields, actor)
    donor.clubs.set(clubs)
    audit.log("hienmau.donor.created", actor=actor, organization=donor.home, obj=donor,
              data={"fields": audit.snapshot(donor, Donor.AUDITED_FIELDS),
                    "identity_confirmed": confirmed})
    return donor


@transaction.atomic
def update_donor(donor: Donor, *, actor, confirmed: bool = False, clubs=None,
                 **fields) -> Donor:
    donor = Donor.objects.select_for_update().get(pk=donor.pk)
    stored = {name: getattr(donor, name) for name in Donor.AUDITED_FIELDS}
    merged = stored | fields
    unchanged = all(merged[name] == stored[name] for name in IDENTITY_FIELDS)
    fields = clean_fields(merged, confirmed=confirmed or unchanged)
    _check_unique_id(fields, actor, exclude_pk=donor.pk)
    before = audit.snapshot(donor, Donor.AUDITED_FIELDS)
    for name, value in fields.items():
        setattr(donor, name, value)
    _save_reporting_races(donor, fields, actor)
    if clubs is not None:
        donor.clubs.set(clubs)
    changes = audit.diff(before, audit.snapshot(donor, Donor.AUDITED_FIELDS))
    if changes:
        audit.log("hienmau.donor.changed", actor=actor, organization=donor.home, obj=donor,
                  data={"changes": changes, "identity_confirmed": confirmed})
    return donor


@transaction.atomic
def give_consent(donor: Donor, *, actor, purpose: str, channel: str) -> Consent:
    """Record a consent; one standing consent per purpose (giving it again is a no-op)."""
    standing = donor.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()
    if standing is not None:
        return standing
    consent = Consent.objects.create(donor=donor, purpose=purpose, channel=channel,
                                     given_at=timezone.now(),
                                     recorded_by=actor if getattr(actor, "pk", None) else None)
    audit.log("hienmau.donor.consent_given", actor=actor, organization=donor.home, obj=donor,
              data={"purpose": purpose, "channel": channel})
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, *, actor) -> Consent:
    """Withdrawn, never deleted: the record of what was agreed stays (Luật 91/2025)."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        audit.log("hienmau.donor.consent_withdrawn", actor=actor, organization=consent.donor.home,
                  obj=consent.donor, data={"purpose": consent.purpose})
    return consent


@transaction.atomic
def record_prior_donations(donor: Donor, *, actor, count: int, source: str) -> Donor:
    """The donations the person gave before HienMau, with where the figure comes from
    (milestones and certificates count them). A count needs its source."""
    if count and not source.strip():
        raise DonorError(_("Hãy ghi nguồn của số lần hiến trước (sổ theo dõi, giấy chứng "
                           "nhận…)."), "source_required", field="prior_donations_source")
    donor = Donor.objects.select_for_update().get(pk=donor.pk)
    before = {"count": donor.prior_donations, "source": donor.prior_donations_source}
    donor.prior_donations, donor.prior_donations_source = count, source.strip()
    donor.save(update_fields=["prior_donations", "prior_donations_source", "updated_at"])
    audit.log("hienmau.donor.prior_donations", actor=actor, organization=donor.home,
              obj=donor, data={"before": before, "count": count, "source": source.strip()})
    return donor


@transaction.atomic
def join_household(donor: Donor, relative: Donor, *, actor) -> Household:
    """`donor` joins the family of `relative` (a family is made for `relative` when it
    has none): their donations then count together for the family milestones."""
    if donor.pk == relative.pk:
        raise DonorError(_("Hãy chọn một người khác trong gia đình."), "same_person")
    donor, relative = (Donor.objects.select_for_update().get(pk=pk)
                       for pk in (donor.pk, relative.pk))
    if donor.household_id and donor.household_id == relative.household_id:
        return donor.household
    if donor.household_id:
        raise DonorError(_("%(name)s đã thuộc một gia đình khác; hãy cho người này rời gia "
                           "đình đó trước.") % {"name": donor.full_name}, "other_household")
    household = relative.household
    if household is None:
        household = Household.objects.create(
            name=_("Gia đình %(name)s") % {"name": relative.full_name}, home=relative.home)
        relative.household = household
        relative.save(update_fields=["household", "updated_at"])
        audit.log("hienmau.donor.household_joined", actor=actor, organization=relative.home,
                  obj=relative, data={"household": str(household.code)})
    donor.household = household
    donor.save(update_fields=["household", "updated_at"])
    audit.log("hienmau.donor.household_joined", actor=actor, organization=donor.home,
              obj=donor, data={"household": str(household.code), "with": str(relative.code)})
    return household


@transaction.atomic
def leave_household(donor: Donor, *, actor) -> None:
    """The person's donations stop counting for the family (the family stays, with its
    awards, for the members left)."""
    donor = Donor.objects.select_for_update().get(pk=donor.pk)
    if donor.household_id is None:
        return
    code = str(donor.household.code)
    donor.household = None
    donor.save(update_fields=["household", "updated_at"])
    audit.log("hienmau.donor.household_left", actor=actor, organization=donor.home, obj=donor,
              data={"household": code})


def one_by_number(donors, text: str) -> Donor:
    """The one donor among `donors` with this phone or identity number (a relative, a
    person to nominate), or a DonorError that says what to type instead."""
    from hienmau.donors.search import search_filter

    digits = "".join(c for c in text if c.isdigit())
    if len(digits) < 9:
        raise DonorError(_("Hãy nhập số điện thoại hoặc số giấy tờ của người đó."),
                         "number_required")
    found = list(donors.filter(search_filter(text))[:2])
    if not found:
        raise DonorError(_("Không tìm thấy người hiến máu có số “%(text)s” trong các hồ sơ "
                           "bạn quản lý.") % {"text": text.strip()}, "number_not_found")
    if len(found) > 1:
        raise DonorError(_("Có nhiều người mang số “%(text)s”; hãy nhập số giấy tờ.")
                         % {"text": text.strip()}, "number_ambiguous")
    return found[0]


@transaction.atomic
def save_tiers(committee, *, actor, tiers: list[tuple[str, int, str, bool]]) -> None:
    """The committee's own milestones, (kind, donations, award, confirmed) each, in place
    of those it had; none: back to the tiers of the committee above (or the quy chế's)."""
    seen = set()
    for kind, donations, _award, _confirmed in tiers:
        if (kind, donations) in seen:
            raise DonorError(_("Mốc %(n)s lần được ghi hai lần.") % {"n": donations},
                             "duplicate_tier")
        seen.add((kind, donations))
    before = list(committee.milestone_tiers.values_list("kind", "donations", "award"))
    committee.milestone_tiers.all().delete()
    MilestoneTier.objects.bulk_create([
        MilestoneTier(committee=committee, kind=kind, donations=donations, award=award,
                      confirmed=confirmed) for kind, donations, award, confirmed in tiers])
    audit.log("hienmau.donor.tiers_saved", actor=actor, organization=committee,
              obj=committee, data={"before": [list(t) for t in before],
                                   "after": [[k, d, a] for k, d, a, _c in tiers]})
