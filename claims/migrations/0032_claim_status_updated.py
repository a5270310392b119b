"""The index behind the sitemap index's lastmod of the claims section, built without
locking the claims table on PostgreSQL (CREATE INDEX CONCURRENTLY, outside a
transaction); a plain CREATE INDEX elsewhere."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.migrations.operations import AddIndex


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("claims", "0031_matching_names")]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="claim",
            index=models.Index(fields=["status", "updated_at"], name="claim_status_updated"),
        ),
    ]
