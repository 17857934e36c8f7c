from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("drives", "0006_constraint_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="registrationimport",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
