"""An admin restores an earlier version of a claim from its history (django-simple-history),
and the restore itself is recorded with the admin's name. (A published verdict is not
restored this way: it changes only through a correction.)"""

import lxml.html
import pytest
from django.urls import reverse

from claims.models import Claim

pytestmark = pytest.mark.django_db


def _form_data(html: str) -> dict:
    """What the browser would submit from the page's main (largest) form, as it stands."""
    form = max(lxml.html.fromstring(html).forms, key=lambda f: len(f.inputs))
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, value)
    return data


def test_admin_restores_an_earlier_conclusion(client, superuser, editor, draft):
    original = draft.conclusion
    draft.conclusion, draft._history_user = "Eine spätere, falsche Fassung.", editor
    draft.save()
    earlier = draft.history.filter(conclusion=original).order_by("-history_date").first()
    client.force_login(superuser)
    url = reverse("admin:claims_claim_simple_history", args=[draft.pk, earlier.history_id])
    page = client.get(url)
    assert page.status_code == 200
    assert original in page.content.decode()
    response = client.post(url, _form_data(page.content.decode()))
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.conclusion == original
    latest = draft.history.first()
    assert (latest.conclusion, latest.history_user) == (original, superuser)
    assert draft.status == Claim.Status.DRAFT


def test_editors_cannot_restore(client, editor, published):
    earlier = published.history.last()
    client.force_login(editor)
    url = reverse("admin:claims_claim_simple_history", args=[published.pk, earlier.history_id])
    assert client.get(url).status_code == 302  # not staff: sent to the admin login
