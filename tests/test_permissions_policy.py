"""Every response says that the site uses none of the browser's powerful features
(Permissions-Policy): public and cached pages, desk pages, errors, static files, health."""

import pytest
from django.urls import reverse

from tests.factories import make_article

pytestmark = pytest.mark.django_db

DISABLED = ["camera", "microphone", "geolocation", "payment", "usb", "display-capture"]


def _features(response) -> dict[str, str]:
    header = response.headers["Permissions-Policy"]
    return dict(part.strip().split("=", 1) for part in header.split(","))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/de/",
        "/claims/",
        "/no-such-page/",
        "/static/js/public.js",
        "/ratings.css",
        "/robots.txt",
        "/healthz",
        "/desk/login/",
    ],
)
def test_every_response_has_the_policy(client, path):
    response = client.get(path)
    features = _features(response)
    for feature in DISABLED:
        assert features[feature] == "()", (path, feature)


def test_cached_pages_and_desk_pages_and_refusals_carry_it(client, editor):
    article = make_article()
    url = reverse("claims:article", kwargs={"slug": article.slug})
    first, second = client.get(url), client.get(url)  # the second from the page cache
    assert _features(first) == _features(second)
    client.force_login(editor)
    assert _features(client.get(reverse("claims:desk")))["camera"] == "()"
    too_large = client.post(
        reverse("claims:desk-mark", args=[article.pk]),
        "x=" + "y" * 200_000,
        content_type="application/x-www-form-urlencoded",
    )
    assert too_large.status_code == 413
    assert _features(too_large)["microphone"] == "()"
