# Every web-address column gets a CHECK constraint: empty, or http:// / https:// (any case).
#
# Rows stored before (through a script, an import or the admin shell) may hold an address
# the constraint refuses, e.g. "javascript:alert(1)" or " https://…" with a leading blank.
# Such a value is an attack or a typo, never a working link: this migration blanks it
# before adding the constraints (Source.url, which forms require, is blanked too: the
# panel then asks for it). The number of blanked values per column is printed; the old
# values stay in each model's history table (django-simple-history), which is not
# changed here. Reversing keeps the blanked values blank.

from django.conf import settings
from django.db import migrations, models
from django.db.models import Q

URL_COLUMNS = [
    ("Article", "original_url"),
    ("Claim", "claimant_url"),
    ("Source", "url"),
    ("Source", "archive_url"),
    ("Tip", "seen_at_url"),
]


def blank_addresses_that_are_not_web(apps, schema_editor):
    for model_name, field in URL_COLUMNS:
        model = apps.get_model("claims", model_name)
        web = (
            Q(**{field: ""})
            | Q(**{f"{field}__istartswith": "http://"})
            | Q(**{f"{field}__istartswith": "https://"})
        )
        # QuerySet.update: no history row for a blanked attack (the history keeps the
        # value as it was), and no save() logic of today's models in a migration.
        blanked = model.objects.exclude(web).update(**{field: ""})
        if blanked:
            print(f"\n  blanked {blanked} {model_name}.{field} value(s) that were not http(s)")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0017_mention_review"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(blank_addresses_that_are_not_web, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("original_url", ""),
                    ("original_url__istartswith", "http://"),
                    ("original_url__istartswith", "https://"),
                    _connector="OR",
                ),
                name="article_original_url_web",
                violation_error_message="Enter a web address that starts with http:// or https://.",
            ),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("claimant_url", ""),
                    ("claimant_url__istartswith", "http://"),
                    ("claimant_url__istartswith", "https://"),
                    _connector="OR",
                ),
                name="claim_claimant_url_web",
                violation_error_message="Enter a web address that starts with http:// or https://.",
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("url", ""),
                    ("url__istartswith", "http://"),
                    ("url__istartswith", "https://"),
                    _connector="OR",
                ),
                name="source_url_web",
                violation_error_message="Enter a web address that starts with http:// or https://.",
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("archive_url", ""),
                    ("archive_url__istartswith", "http://"),
                    ("archive_url__istartswith", "https://"),
                    _connector="OR",
                ),
                name="source_archive_url_web",
                violation_error_message="Enter a web address that starts with http:// or https://.",
            ),
        ),
        migrations.AddConstraint(
            model_name="tip",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("seen_at_url", ""),
                    ("seen_at_url__istartswith", "http://"),
                    ("seen_at_url__istartswith", "https://"),
                    _connector="OR",
                ),
                name="tip_seen_at_url_web",
                violation_error_message="Enter a web address that starts with http:// or https://.",
            ),
        ),
    ]
