"""Inspections already in the cache get the stay they are in now (Open ones dated by createdAt)."""

from django.db import migrations

TRACKED = ("Open", "In Progress", "In Buyer Review")


def open_current_stays(apps, schema_editor):
    Inspection = apps.get_model("inspections", "Inspection")
    StageStay = apps.get_model("analytics", "StageStay")
    rows = (
        Inspection.objects.filter(status__in=TRACKED, gone_at__isnull=True)
        .values_list("coupa_id", "supplier_id", "status", "created_at", "due_date")
        .iterator(chunk_size=2000)
    )
    batch = []
    for coupa_id, supplier_id, status, created_at, due_date in rows:
        batch.append(
            StageStay(
                inspection_id=coupa_id,
                supplier_id=supplier_id,
                stage=status,
                entered_at=created_at if status == "Open" else None,
                due_date=due_date,
            )
        )
        if len(batch) == 2000:
            StageStay.objects.bulk_create(batch)
            batch = []
    StageStay.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("inspections", "0005_search_indexes_postgresql"),
    ]

    operations = [migrations.RunPython(open_current_stays, migrations.RunPython.noop)]
