"""A donor's rights over their data (Luật 91/2025/QH15, Nghị định 356/2025; docs/domain.md §6):
a copy of everything held about them, and erasure that keeps the counts.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hienmau.donors.access import health_data
from hienmau.donors.models import Donor
from hienmau.donors.services import DonorError
from hienmau.orgs import audit
from hienmau.orgs.models import AuditEntry

ERASED_NAME = "(đã xóa thông tin cá nhân)"
# Kept after erasure, because reports count by them: year of birth, sex, blood group,
# the units the person belonged to, and every donation (without its bag number).
PERSONAL_FIELDS = {"birth_date": None, "id_type": "", "id_number": None, "phone": "",
                   "phone_other": "", "email": "", "commune_code": None, "address": "",
                   "weight_kg": None, "notes": "", "exclusion_reason": ""}


def export_data(donor: Donor, *, actor) -> bytes:
    """Everything the registry holds about the person, as JSON (readable, and loadable
    by another system), less the health data that is not `actor`'s to read (null:
    `access.health_data`, as on the page and in the API)."""
    health = health_data(actor)
    fields = {f.name: getattr(donor, f.attname) for f in Donor._meta.concrete_fields
              if f.name not in ("id", "name_key", "merged_into")}
    fields["exclusion_reason"] = health.exclusion_reason(donor)
    fields["home"] = donor.home.name
    fields["workplace"] = donor.workplace.name if donor.workplace else None
    data = {
        "donor": fields,
        "clubs": [c.name for c in donor.clubs.all()],
        "consents": list(donor.consents.values("purpose", "channel", "given_at",
                                               "withdrawn_at")),
        "donations": [{
            "date": d.date, "type": d.type, "volume_ml": d.volume_ml, "outcome": d.outcome,
            "deferral_reason": health.deferral_reason(d), "deferred_until": d.deferred_until,
            "receiving_institution__name": (d.receiving_institution.name
                                            if d.receiving_institution else None),
            "drive__title": d.drive.title if d.drive else None, "bag_number": d.bag_number}
            for d in donor.donations.select_related("receiving_institution", "drive")
            .order_by("date", "pk")],
        "page_views": list(donor.views.values("viewed_at", "viewer__username")),
        "exported_at": timezone.now(),
    }
    audit.log("hienmau.donor.exported", actor=actor, organization=donor.home, obj=donor)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


@transaction.atomic
def erase(donor: Donor, *, actor, reason: str) -> Donor:
    """Anonymize the record: identity, contacts and notes go; counts stay. Earlier audit
    entries about the person lose the personal values they recorded."""
    if not reason.strip():
        raise DonorError(_("Hãy ghi lý do xóa dữ liệu."), "reason_required", "reason")
    donor = Donor.objects.select_for_update().get(pk=donor.pk)
    if donor.erased_at:
        raise DonorError(_("Dữ liệu của người này đã được xóa."), "already_erased")
    for name, value in PERSONAL_FIELDS.items():
        setattr(donor, name, value)
    donor.full_name = ERASED_NAME
    donor.erased_at = timezone.now()
    donor.save()
    donor.donations.update(bag_number=None, deferral_reason="")
    donor.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=donor.erased_at)
    AuditEntry.objects.filter(object_type="donor", object_code=str(donor.code)).update(
        data={"erased": True}, object_repr=ERASED_NAME)
    audit.log("hienmau.donor.erased", actor=actor, organization=donor.home, obj=donor,
              data={"reason": reason.strip()})
    return donor
