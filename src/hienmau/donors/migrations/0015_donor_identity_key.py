"""One record per person without a document (donors.matching): `identity_key` (name's
search key, birth year, phone) unique.

Records already sharing a key (typed twice before the rule) keep it on the oldest only;
the others are left without a key, so the migration never fails, and the duplicates
review proposes them for merging (same phone and name)."""

from django.db import migrations, models
from django.db.models import Q


def fill_keys(apps, schema_editor):
    Donor = apps.get_model("donors", "Donor")
    taken, batch = set(), []
    rows = (Donor.objects.filter(id_number__isnull=True, merged_into__isnull=True,
                                 erased_at__isnull=True).exclude(phone="")
            .order_by("pk").values_list("pk", "name_key", "birth_year", "phone"))
    for pk, name_key, birth_year, phone in rows.iterator(chunk_size=5000):
        if not (name_key and birth_year and phone):
            continue
        key = f"{name_key}|{birth_year}|{phone}"
        if key in taken:
            continue
        taken.add(key)
        batch.append(Donor(pk=pk, identity_key=key))
        if len(batch) >= 5000:
            Donor.objects.bulk_update(batch, ["identity_key"])
            batch = []
    Donor.objects.bulk_update(batch, ["identity_key"])


class Migration(migrations.Migration):

    dependencies = [("donors", "0014_constraint_messages")]

    operations = [
        migrations.AddField(
            model_name="donor", name="identity_key",
            field=models.CharField(blank=True, editable=False, max_length=200, null=True)),
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="donor",
            constraint=models.UniqueConstraint(
                condition=Q(identity_key__isnull=False), fields=("identity_key",),
                name="one_donor_per_person_key",
                violation_error_code="one_donor_per_person_key",
                violation_error_message="Đã có người hiến máu cùng họ tên, năm sinh và số "
                                        "điện thoại này.")),
    ]
