"""Indexes the archive at scale showed to be needed (issue #22, docs/performance-work.md), and
the claims' full-text search document stored on PostgreSQL.

Built with CREATE INDEX CONCURRENTLY on PostgreSQL, which does not block writes while a
large table is indexed (so this migration is not atomic). The search document is a stored
generated column (PostgreSQL computes it on every insert and update, COPY included): adding
it rewrites the claims table once, under a lock, for a few seconds at 100,000 claims. Its
GIN index replaces the expression index of migration 0005; ranking then reads the stored
document instead of building it again for every matching claim. SQLite has neither (its
search is a LIKE fallback: claims.search).
"""

from django.conf import settings
from django.db import migrations, models

from claims.migration_operations import AddIndexConcurrentlyOnPostgres

VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, COALESCE(claim_reviewed, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, COALESCE(claimant, '')), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, COALESCE(conclusion, '')), 'C')"
)


def add_search_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE claims_claim ADD COLUMN IF NOT EXISTS search_document tsvector "
        f"GENERATED ALWAYS AS ({VECTOR}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS claim_search_document "
        "ON claims_claim USING gin (search_document)"
    )
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS claims_claim_search")


def remove_search_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS claims_claim_search ON claims_claim "
        f"USING gin (({VECTOR}))"
    )
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS claim_search_document")
    schema_editor.execute("ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_document")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("claims", "0031_matching_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgres(
            model_name="article",
            index=models.Index(
                fields=["status", "-published_on", "-created_at"], name="article_status_newest"
            ),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="article",
            index=models.Index(fields=["-created_at"], name="article_created"),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="claim",
            index=models.Index(
                models.F("status"),
                models.OrderBy(models.F("updated_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="claim_status_updated",
            ),
        ),
        AddIndexConcurrentlyOnPostgres(
            model_name="mention",
            index=models.Index(
                condition=models.Q(("awaiting", ""), _negated=True),
                fields=["requested_at", "id"],
                name="mention_awaiting",
            ),
        ),
        migrations.RunPython(add_search_document, remove_search_document),
    ]
