from django.db import migrations

# A GIN index on the same weighted 'simple' tsvector expression that claims.search builds,
# so PostgreSQL answers full-text queries from the index. SQLite has no such index; its
# search falls back to LIKE (see claims.search).
VECTOR = (
    "(setweight(to_tsvector('simple'::regconfig, COALESCE(claim_reviewed, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, COALESCE(claimant, '')), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, COALESCE(conclusion, '')), 'C'))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS claims_claim_search ON claims_claim USING gin ({VECTOR})"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS claims_claim_search")


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_mention_cascade")]

    operations = [migrations.RunPython(create_index, drop_index)]
