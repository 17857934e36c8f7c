"""On PostgreSQL, a trigram index on the search key, so "contains" searches on names
("nguyen van hung", "van hung") use an index at a million donors (docs/architecture.md §6:
≈ 22 ms with it, ≈ 224 ms without). SQLite has no such index and needs none at its
scale. CREATE EXTENSION needs a database role allowed to create it; where the
application's role may not, an administrator runs the first statement once.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE INDEX IF NOT EXISTS donor_name_key_trgm ON donors_donor "
                          "USING gin (name_key gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS donor_name_key_trgm")


class Migration(migrations.Migration):
    dependencies = [("donors", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
