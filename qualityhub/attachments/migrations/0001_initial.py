# Takes over the Attachment model from the inspections app (see its migration 0007) with its
# table, `inspections_attachment`, as it is: no SQL runs on the table. The content type is
# renamed rather than created anew, so admin history and any permission granted on the model
# stay attached to it.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import qualityhub.attachments.storage


def take_over_content_type(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    moved = content_type.objects.using(schema_editor.connection.alias)
    if not moved.filter(app_label="attachments", model="attachment").exists():
        moved.filter(app_label="inspections", model="attachment").update(app_label="attachments")


def give_back_content_type(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    moved = content_type.objects.using(schema_editor.connection.alias)
    if not moved.filter(app_label="inspections", model="attachment").exists():
        moved.filter(app_label="attachments", model="attachment").update(app_label="inspections")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("inspections", "0007_attachment_moves_to_attachments_app"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Attachment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("coupa_id", models.BigIntegerField(blank=True, null=True, unique=True)),
                        ("file_name", models.CharField(blank=True, max_length=255)),
                        ("content_type", models.CharField(blank=True, max_length=255)),
                        ("size", models.BigIntegerField(blank=True, null=True)),
                        ("intent", models.CharField(blank=True, max_length=40)),
                        ("coupa_url", models.CharField(blank=True, max_length=500)),
                        ("uploaded_at", models.DateTimeField(blank=True, null=True)),
                        ("uploaded_by", models.CharField(blank=True, max_length=255)),
                        (
                            "state",
                            models.CharField(
                                choices=[
                                    ("synced", "in Coupa"),
                                    ("pending", "waiting to send"),
                                    ("uploading", "sending"),
                                    ("uploaded", "in Coupa"),
                                    ("failed", "not sent"),
                                    ("deleting", "deleting"),
                                ],
                                db_index=True,
                                default="synced",
                                max_length=10,
                            ),
                        ),
                        (
                            "local_file",
                            models.FileField(
                                blank=True,
                                max_length=200,
                                storage=qualityhub.attachments.storage.upload_storage,
                                upload_to="",
                            ),
                        ),
                        ("sha256", models.CharField(blank=True, max_length=64)),
                        ("error", models.TextField(blank=True)),
                        ("requested_at", models.DateTimeField(blank=True, null=True)),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("last_sent_at", models.DateTimeField(blank=True, null=True)),
                        ("may_have_landed", models.BooleanField(default=False)),
                        ("state_changed_at", models.DateTimeField(blank=True, null=True)),
                        ("audit_event_id", models.BigIntegerField(blank=True, null=True)),
                        (
                            "characteristic",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attachments",
                                to="inspections.characteristic",
                            ),
                        ),
                        (
                            "inspection",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="attachments",
                                to="inspections.inspection",
                            ),
                        ),
                        (
                            "requested_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "inspections_attachment",
                        "ordering": ["inspection_id", "characteristic_id", "coupa_id"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(take_over_content_type, give_back_content_type),
    ]
