"""Merging two records of one person, and undoing it.

Nothing is lost: every donation, registration, consent, club membership and note of the absorbed
record moves to the kept one; empty fields of the kept record take the absorbed one's
values. The absorbed record stays (pointing at the kept one) so that an undo can put
every row back where it was; `Merge` lists what moved.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.donors.models import Donor, Merge, refresh_units
from hienmau.donors.services import DonorError
from hienmau.orgs import audit

# Fields the kept record takes from the absorbed one when it has none of its own.
FILLABLE = ("birth_date", "sex", "id_type", "id_number", "phone", "phone_other", "email",
            "province_code", "commune_code", "address", "workplace", "blood_group", "rh",
            "weight_kg")


@transaction.atomic
def merge_donors(kept: Donor, absorbed: Donor, *, actor) -> Merge:
    # Lock both rows in a fixed order, so two offices merging the same pair cannot
    # interleave.
    locked = {d.pk: d for d in Donor.objects.select_for_update().filter(
        pk__in=[kept.pk, absorbed.pk]).order_by("pk")}
    kept, absorbed = locked[kept.pk], locked[absorbed.pk]
    if kept.pk == absorbed.pk or kept.merged_into_id or absorbed.merged_into_id:
        raise DonorError(_("Hai hồ sơ này không thể gộp (trùng nhau hoặc đã được gộp)."),
                         "cannot_merge")
    before = {name: _plain(getattr(kept, Donor._meta.get_field(name).attname))
              for name in (*FILLABLE, "notes", "permanently_excluded")}
    moved = {
        "donations": list(absorbed.donations.values_list("pk", flat=True)),
        "consents": list(absorbed.consents.values_list("pk", flat=True)),
        "clubs": [c.pk for c in absorbed.clubs.all() if not kept.clubs.filter(pk=c.pk).exists()],
        # A drive both records are registered for keeps the kept record's registration;
        # the other stays with the absorbed record (one registration per person and drive).
        "registrations": list(absorbed.registrations.exclude(
            drive__in=kept.registrations.values("drive")).values_list("pk", flat=True)),
    }
    absorbed.registrations.filter(pk__in=moved["registrations"]).update(donor=kept)
    absorbed.donations.update(donor=kept)
    absorbed.consents.update(donor=kept)
    kept.clubs.add(*moved["clubs"])
    taken = {}
    for name in FILLABLE:
        if not getattr(kept, name) and getattr(absorbed, name):
            taken[name] = getattr(absorbed, name)
    # The identity document moves with its record: free it on the absorbed one first,
    # and the absorbed record's person key (donors.matching), which the kept one may take.
    Donor.objects.filter(pk=absorbed.pk).update(identity_key=None, **(
        {"id_number": None} if "id_number" in taken else {}))
    for name, value in taken.items():
        setattr(kept, name, value)
    if absorbed.notes:
        kept.notes = "\n".join(x for x in (kept.notes, absorbed.notes) if x)
    kept.permanently_excluded = kept.permanently_excluded or absorbed.permanently_excluded
    kept.save()
    Donor.objects.filter(pk=absorbed.pk).update(merged_into=kept)
    refresh_units([kept.pk, absorbed.pk])
    moved["taken_id_number"] = absorbed.id_number if "id_number" in taken else None
    record = Merge.objects.create(kept=kept, absorbed=absorbed, moved=moved,
                                  kept_before=before, merged_by=actor)
    audit.log("hienmau.donor.merged", actor=actor, organization=kept.home, obj=kept,
              data={"absorbed": str(absorbed.code), "donations": len(moved["donations"]),
                    "fields": sorted(taken)})
    return record


@transaction.atomic
def undo_merge(record: Merge, *, actor) -> Donor:
    record = Merge.objects.select_for_update().get(pk=record.pk)
    if record.undone_at:
        raise DonorError(_("Lần gộp này đã được hoàn tác."), "already_undone")
    kept, absorbed = record.kept, record.absorbed
    moved = record.moved
    kept.donations.filter(pk__in=moved["donations"]).update(donor=absorbed)
    kept.registrations.filter(pk__in=moved.get("registrations", [])).update(donor=absorbed)
    kept.consents.filter(pk__in=moved["consents"]).update(donor=absorbed)
    kept.clubs.remove(*moved["clubs"])
    for name, value in record.kept_before.items():
        field = Donor._meta.get_field(name)
        setattr(kept, field.attname, None if value is None else field.to_python(value))
    kept.save()
    absorbed.merged_into, absorbed.id_number = None, (moved.get("taken_id_number")
                                                      or absorbed.id_number)
    key = absorbed.person_key()
    if key and Donor.objects.filter(identity_key=key).exists():
        key = None  # taken since by another record: the duplicates review shows the pair
    Donor.objects.filter(pk=absorbed.pk).update(merged_into=None,
                                                id_number=absorbed.id_number,
                                                identity_key=key)
    refresh_units([kept.pk, absorbed.pk])
    record.undone_at, record.undone_by = timezone.now(), actor
    record.save(update_fields=["undone_at", "undone_by"])
    audit.log("hienmau.donor.unmerged", actor=actor, organization=kept.home, obj=kept,
              data={"absorbed": str(absorbed.code)})
    return absorbed


def _plain(value):
    """JSON-able, and back to the same value when assigned to the field again."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is not None and not isinstance(value, (str, int, bool)):
        return str(value)  # Decimal weight
    return value
