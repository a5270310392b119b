"""ClaimEvent.params: machine values put into words when shown, in the viewer's language.

Existing events are converted where their stored words say what they meant: an error
report's reason (stored as its English or German label) and a claim made from a reader's
tip (stored as a sentence around the tip). Others are left as they were.
"""

from django.db import migrations, models

REASONS = {
    "Wrong passage marked": "wrong_passage",
    "Falsche Passage markiert": "wrong_passage",
    "Verdict disputed": "verdict_disputed",
    "Bewertung bestritten": "verdict_disputed",
    "Source broken or wrong": "source_problem",
    "Quelle defekt oder falsch": "source_problem",
    "Other": "other",
    "Sonstiges": "other",
}
TIP_PREFIXES = ("From a reader's tip: ", "Aus einem Leserhinweis: ")


def forwards(apps, schema_editor):
    ClaimEvent = apps.get_model("claims", "ClaimEvent")
    Tip = apps.get_model("claims", "Tip")
    for event in ClaimEvent.objects.filter(kind="error_reported"):
        reason = REASONS.get(event.comment.strip())
        if reason:
            event.params, event.comment = {"reason": reason}, ""
            event.save(update_fields=["params", "comment"])
    for event in ClaimEvent.objects.filter(kind="assigned").exclude(comment=""):
        tip = Tip.objects.filter(claim_id=event.claim_id).first()
        if tip is None or not event.comment.startswith(TIP_PREFIXES):
            continue
        where = " · ".join(part for part in (tip.seen_at, tip.seen_at_url) if part)
        event.params = {"tip": tip.pk, "tip_text": tip.claim_text, "seen_at": where}
        event.comment = ""
        event.save(update_fields=["params", "comment"])


def backwards(apps, schema_editor):
    """Put the words back where the old code read them, before ``params`` is dropped."""
    ClaimEvent = apps.get_model("claims", "ClaimEvent")
    labels = {
        "wrong_passage": "Wrong passage marked",
        "verdict_disputed": "Verdict disputed",
        "source_problem": "Source broken or wrong",
        "other": "Other",
    }
    for event in ClaimEvent.objects.filter(kind="error_reported", comment=""):
        reason = (event.params or {}).get("reason")
        if reason in labels:
            event.comment = labels[reason]
            event.save(update_fields=["comment"])
    for event in ClaimEvent.objects.filter(kind="assigned", comment=""):
        text = (event.params or {}).get("tip_text")
        if text:
            event.comment = TIP_PREFIXES[0] + text
            event.save(update_fields=["comment"])


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0012_article_publication"),
    ]

    operations = [
        migrations.AddField(
            model_name="claimevent",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="details"),
        ),
        migrations.AlterField(
            model_name="claimevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("submitted", "submitted for review"),
                    ("approved", "approved"),
                    ("changes_requested", "requested changes"),
                    ("published", "published"),
                    ("dismissed", "dismissed"),
                    ("reopened", "reopened"),
                    ("unpublished", "unpublished"),
                    ("assigned", "assigned"),
                    ("correction_opened", "opened a correction"),
                    ("correction_withdrawn", "withdrew a correction"),
                    ("error_reported", "reported an error"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
