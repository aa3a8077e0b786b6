from django.db import migrations, models


def unhang_from_made_up_ids(apps, schema_editor):
    # Refused creates were recorded on a made-up inspection 0, which a timeline then showed.
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditEvent.objects.filter(inspection_id__lte=0).update(inspection_id=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="inspection_id",
            field=models.BigIntegerField(blank=True, db_index=True, null=True),
        ),
        migrations.RunPython(unhang_from_made_up_ids, migrations.RunPython.noop),
    ]
