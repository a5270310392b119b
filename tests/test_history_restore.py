"""The history (django-simple-history) is read-only in the admin, superusers included: its
"revert" page would save the old record as it was — status, verdict, version and
approvals' basis — past every rule of the lifecycle (issue #15, "no back door")."""

import pytest
from django.urls import reverse

from claims.models import Claim
from scripts._common import form_data

pytestmark = pytest.mark.django_db


def test_the_history_is_shown_but_nothing_is_restored(client, superuser, editor, draft):
    original = draft.conclusion
    draft.conclusion, draft._history_user = "Eine spätere, falsche Fassung.", editor
    draft.save()
    earlier = draft.history.filter(conclusion=original).order_by("-history_date").first()
    client.force_login(superuser)
    url = reverse("admin:claims_claim_simple_history", args=[draft.pk, earlier.history_id])
    page = client.get(url)
    assert page.status_code == 200
    assert original in page.content.decode()
    records = draft.history.count()
    response = client.post(url, form_data(page.content.decode()))
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.conclusion == "Eine spätere, falsche Fassung."
    assert draft.history.count() == records


def test_a_published_claim_cannot_be_reverted_to_an_earlier_state(
    client, superuser, reviewer, published
):
    """Reverting an unpublished claim to its published record would publish it again
    without review."""
    published.unpublish(by=reviewer, reason="Quelle zurückgezogen.")
    was_public = published.history.filter(status=Claim.Status.PUBLISHED).first()
    client.force_login(superuser)
    url = reverse("admin:claims_claim_simple_history", args=[published.pk, was_public.history_id])
    page = client.get(url)
    assert page.status_code == 200
    assert client.post(url, form_data(page.content.decode())).status_code == 403
    published.refresh_from_db()
    assert published.status == Claim.Status.DRAFT


def test_editors_cannot_restore(client, editor, published):
    earlier = published.history.last()
    client.force_login(editor)
    url = reverse("admin:claims_claim_simple_history", args=[published.pk, earlier.history_id])
    assert client.get(url).status_code == 302  # not staff: sent to the admin login
