"""Migration operations of our own.

``AddIndexConcurrentlyOnPostgres``: an index added to a table that is already large in
production. On PostgreSQL it is built with ``CREATE INDEX CONCURRENTLY``, which does not
lock the table against writes while it is built (the migration must be ``atomic = False``,
as Django's ``AddIndexConcurrently`` requires); on other databases (SQLite in development)
it is a plain ``AddIndex``.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.migrations.operations import AddIndex


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
