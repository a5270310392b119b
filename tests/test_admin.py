"""Every model is in the admin, searchable and filterable."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from claims.models import Claim

pytestmark = pytest.mark.django_db

CLAIMS_MODELS = [m for m in admin.site._registry if m._meta.app_label == "claims"]


def test_every_domain_model_is_registered():
    names = {model.__name__ for model in CLAIMS_MODELS}
    assert names == {
        "Article",
        "ArticleRevision",
        "ArticleWatch",
        "Claim",
        "Mention",
        "Source",
        "Rating",
        "Review",
        "Correction",
        "ClaimEvent",
        "Tip",
        "ErrorReport",
        # The background machinery (claims/admin/background.py).
        "BackgroundTask",
        "ScheduledJob",
        "TaskWorker",
        # Webhooks for the newsroom's systems (claims/admin/webhooks.py).
        "Webhook",
        "WebhookDelivery",
        # API tokens (claims/admin/tokens.py).
        "ApiToken",
        # The matching: "Not the same claim" decisions, analyses (claims/admin/matching.py).
        "SuggestionDismissal",
        "TextAnalysis",
    }
    for model in CLAIMS_MODELS:
        model_admin = admin.site._registry[model]
        assert model_admin.search_fields, model.__name__
        assert model_admin.list_filter, model.__name__


@pytest.mark.parametrize("model", CLAIMS_MODELS, ids=lambda m: m.__name__)
def test_changelist_search_and_change_pages_work(client, seeded, model):
    admin_user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin_user)
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "Waffenstillstand <script>"}).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200


def test_admin_edit_is_in_the_history_and_bumps_the_version(client, seeded):
    admin_user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin_user)
    claim = Claim.objects.get(status=Claim.Status.DRAFT)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = {
        "slug": claim.slug,
        "claimant_url": "",
        "claim_date": "2019-02-28",
        "language": "de",
        "claimant": "Changed in the admin",
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = claim.history.first()
    assert latest.claimant == "Changed in the admin"
    assert latest.history_user == admin_user
    assert latest.version == claim.version + 1
    assert latest.last_edited_by == admin_user


def test_admin_cannot_change_a_published_verdict(client, seeded):
    admin_user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin_user)
    claim = Claim.objects.get(slug="waffenstillstand-1953-kriegszustand")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    page = client.get(url).content.decode()
    assert 'name="conclusion"' not in page
    assert 'name="rating"' not in page
    data = {
        "slug": claim.slug,
        "claimant": "Neu im Admin",
        "claimant_url": "",
        "claim_date": "2019-02-28",
        "language": "de",
        "conclusion": "Forged in the admin",
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    claim.refresh_from_db()
    assert claim.claimant == "Neu im Admin"
    assert claim.conclusion != "Forged in the admin"


def test_anonymous_and_editors_cannot_use_the_admin(client, editor):
    url = reverse("admin:claims_claim_changelist")
    assert client.get(url).status_code == 302
    client.force_login(editor)
    assert client.get(url).status_code == 302  # not staff: back to the login page
