"""The name from the given name back (`Donor.sort_key`), the list's order and the index a
name's ending is found by. On PostgreSQL the column's collation is "C": with a
language collation (en_US…) the order skips spaces and a range such as
["hung van", "hung van\\U0010ffff") is not the set of keys starting with "hung van";
byte order is what SQLite does too, and the keys are plain lower-case ASCII anyway.
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    Donor = apps.get_model("donors", "Donor")
    batch = []
    for donor in Donor.objects.only("pk", "name_key").iterator(chunk_size=5000):
        donor.sort_key = " ".join(reversed(donor.name_key.split()))
        batch.append(donor)
        if len(batch) == 5000:
            Donor.objects.bulk_update(batch, ["sort_key"])
            batch = []
    Donor.objects.bulk_update(batch, ["sort_key"])


def byte_order(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE donors_donor ALTER COLUMN sort_key '
                              'TYPE varchar(150) COLLATE "C"')


class Migration(migrations.Migration):

    dependencies = [
        ('donors', '0007_donor_units'),
        ('orgs', '0002_duplicate_review'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='donor',
            options={'ordering': ['sort_key', 'pk'], 'verbose_name': 'người hiến máu',
                     'verbose_name_plural': 'người hiến máu'},
        ),
        migrations.AddField(
            model_name='donor',
            name='sort_key',
            field=models.CharField(default='', editable=False, max_length=150),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(byte_order, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name='donor',
            index=models.Index(fields=['sort_key', 'id'], name='donor_sort_key'),
        ),
    ]
