# The Attachment model moved to the attachments app (its 0001_initial takes it over). Only
# Django's picture of the models changes here: the table, its rows and its constraints stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0006_list_partial_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Attachment")],
            database_operations=[],
        ),
    ]
