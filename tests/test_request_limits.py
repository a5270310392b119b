"""Requests the desk cannot use: a damaged formset management form is 400 with a sentence,
a body over its limit is 413 with a sentence however it arrives (urlencoded or multipart,
just over the view's own limit or over Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``, with the
CSRF middleware reading the body or not), and nothing is saved."""

import re
from urllib.parse import urlencode

import lxml.html
import pytest
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from claims.models import Claim, ClaimEvent, ErrorReport, Mention, Source, Tip
from claims.views.limits import bad_request
from tests.factories import add_source

pytestmark = pytest.mark.django_db

URLENCODED = "application/x-www-form-urlencoded"


def _panel_url(article, claim) -> str:
    return reverse("claims:desk-claim", kwargs={"pk": article.pk, "claim_pk": claim.pk})


def _panel_data(claim: Claim, **management) -> dict:
    data = {
        "version": claim.version,
        "claim_reviewed": claim.claim_reviewed + " geändert",
        "claimant": "",
        "claimant_url": "",
        "claim_date": "",
        "rating": claim.rating_id or "",
        "conclusion": claim.conclusion,
        "explanation": claim.explanation,
        "assignee": "",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "1",
        "sources-0-id": claim.sources.get().pk,
        "sources-0-url": "https://example.org/new",
        "sources-0-title": "Neu",
        "sources-0-kind": "report",
        "sources-0-stance": "supports",
        "sources-0-ORDER": "1",
    }
    for name, value in management.items():
        key = f"sources-{name}"
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def _state() -> tuple:
    return (
        tuple(Claim.objects.order_by("pk").values_list("claim_reviewed", "version")),
        tuple(Source.objects.order_by("pk").values_list("url", "title")),
        Claim.history.count(),
        Source.history.count(),
        ClaimEvent.objects.count(),
        Mention.objects.count(),
    )


DAMAGED = [
    pytest.param({"TOTAL_FORMS": "abc"}, id="total-not-a-number"),
    pytest.param({"INITIAL_FORMS": "x1"}, id="initial-not-a-number"),
    pytest.param({"TOTAL_FORMS": None}, id="total-missing"),
    pytest.param({"TOTAL_FORMS": None, "INITIAL_FORMS": None}, id="management-missing"),
    pytest.param({"TOTAL_FORMS": "-1"}, id="total-negative"),
    pytest.param({"INITIAL_FORMS": "-1"}, id="initial-negative"),
    pytest.param({"INITIAL_FORMS": "2"}, id="more-initial-than-total"),
    pytest.param({"TOTAL_FORMS": "100000000"}, id="total-huge"),
    pytest.param({"TOTAL_FORMS": "9" * 5000}, id="total-5000-digits"),
    pytest.param({"TOTAL_FORMS": "1.5"}, id="total-fraction"),
    pytest.param({"TOTAL_FORMS": ""}, id="total-empty"),
]


@pytest.fixture
def draft(draft):
    """The demo draft with one source, the one ``_panel_data`` sends."""
    draft.sources.all().delete()
    add_source(draft, url="https://example.org/old", title="Alt")
    return draft


@pytest.mark.parametrize("management", DAMAGED)
@pytest.mark.parametrize("add_source_button", [False, True], ids=["save", "add-source"])
def test_damaged_management_form_is_400_in_the_alert_area(
    desk, article, draft, management, add_source_button
):
    data = _panel_data(draft, **management)
    if add_source_button:
        data["add_source"] = "1"
    before = _state()
    response = desk.post(_panel_url(article, draft), data, headers={"HX-Request": "true"})
    assert response.status_code == 400
    # htmx swaps the answer into the desk's alert area, as for every refusal.
    assert response["HX-Retarget"] == "#desk-alert"
    text = response.content.decode()
    assert "The list of sources arrived incomplete or altered, so nothing was saved." in text
    assert _state() == before


def test_damaged_management_form_without_htmx_is_a_page_in_german(client, editor, article, draft):
    client.force_login(editor)
    before = _state()
    url = "/de" + _panel_url(article, draft)
    response = client.post(url, _panel_data(draft, TOTAL_FORMS="abc"))
    assert response.status_code == 400
    page = lxml.html.fromstring(response.content)
    assert page.get("lang") == "de"
    alert = page.xpath("//*[@role='alert']")[0].text_content()
    assert "Die Liste der Quellen kam unvollständig oder verändert an" in alert
    assert _state() == before


def test_a_sound_management_form_still_saves(desk, article, draft):
    """The check refuses only damage: the same form with sound counts is saved."""
    response = desk.post(_panel_url(article, draft), _panel_data(draft))
    assert response.status_code == 200
    assert draft.sources.get().url == "https://example.org/new"


def test_fifty_one_sources_are_a_form_error_not_a_damaged_form(desk, article, draft):
    response = desk.post(_panel_url(article, draft), _panel_data(draft, TOTAL_FORMS="51"))
    assert response.status_code == 422
    assert "Please submit at most 50 forms." in response.content.decode()


# --- Bodies over their limit ------------------------------------------------------------
def _endpoints_with_own_limit() -> list[tuple[str, int]]:
    """Every URL name whose view has a ``max_body`` limit, from the URL resolver."""
    found = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                limit = getattr(pattern.callback, "max_body", None)
                if limit:
                    found.append((f"{namespace}:{pattern.name}", limit.limit))

    walk(get_resolver().url_patterns)
    return sorted(set(found))


LIMITED = _endpoints_with_own_limit()


def test_the_limited_endpoints_are_found():
    names = {name for name, _limit in LIMITED}
    assert {
        "claims:desk-claim",
        "claims:desk-mark",
        "claims:desk-article-new",
        "claims:tip-new",
        "claims:claim-report",
    } <= names
    assert all(limit < settings.DATA_UPLOAD_MAX_MEMORY_SIZE for _name, limit in LIMITED)


@pytest.fixture
def limited_world(desk, article, draft, published):
    return {"article": article, "claim": draft, "published": published}


def _limited_url(name: str, world) -> str:
    article, claim, published = world["article"], world["claim"], world["published"]
    kwargs = {
        "claims:desk-claim": {"pk": article.pk, "claim_pk": claim.pk},
        "claims:claim-report": {"slug": published.slug},
    }.get(name)
    if kwargs is None:
        pattern_kwargs = {"pk": article.pk}
        if "claims/<int:pk>" in _route(name):
            pattern_kwargs = {"pk": claim.pk}
        kwargs = pattern_kwargs if "<int:pk>" in _route(name) else {}
        if "<int:mention_pk>" in _route(name):
            kwargs = {"mention_pk": claim.mentions.first().pk}
    return reverse(name, kwargs=kwargs)


def _route(name: str) -> str:
    from claims.urls import urlpatterns

    return next(str(p.pattern) for p in urlpatterns if f"claims:{p.name}" == name)


def _bodies(limit: int) -> dict:
    """A urlencoded and a multipart body each just over ``limit`` bytes."""
    urlencoded = urlencode({"padding": "x" * limit})
    boundary = "BoUnDaRy"
    multipart = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="padding"\r\n\r\n'
        + "x" * limit
        + f"\r\n--{boundary}--\r\n"
    )
    return {
        "urlencoded": (urlencoded.encode(), URLENCODED),
        "multipart": (multipart.encode(), f"multipart/form-data; boundary={boundary}"),
    }


def _state_all() -> tuple:
    return (*_state(), Tip.objects.count(), ErrorReport.objects.count())


@pytest.mark.parametrize("kind", ["urlencoded", "multipart"])
@pytest.mark.parametrize(("name", "limit"), LIMITED, ids=[name for name, _ in LIMITED])
def test_a_body_just_over_the_endpoints_limit_is_413(limited_world, client, name, limit, kind):
    url = _limited_url(name, limited_world)
    body, content_type = _bodies(limit)[kind]
    assert limit < len(body) < limit + 200
    before = _state_all()
    response = client.generic("POST", url, body, content_type=content_type)
    assert response.status_code == 413, url
    assert "too large" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert _state_all() == before


def test_the_message_tells_a_body_just_over_from_the_limit(desk, article):
    url = reverse("claims:desk-mark", kwargs={"pk": article.pk})
    body, content_type = _bodies(100_000)["urlencoded"]
    response = desk.generic("POST", url, body, content_type=content_type)
    sizes = re.search(r"too large \(([\d.]+) MB; the limit is ([\d.]+) MB\)", response.text)
    assert sizes.group(2) == "0.10000"
    assert float(sizes.group(1)) > float(sizes.group(2))


def _csrf_client(user) -> Client:
    """A client whose POSTs the CSRF middleware checks: it has a CSRF cookie, so the
    middleware reads the body for the form's token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    return client


@pytest.mark.parametrize("kind", ["urlencoded", "multipart"])
@pytest.mark.parametrize("name", ["claims:desk-claim-submit", "claims:logout", "claims:login"])
def test_a_body_over_django_s_limit_is_413_where_the_view_has_none(
    limited_world, editor, name, kind
):
    """Views without their own limit get DATA_UPLOAD_MAX_MEMORY_SIZE, answered as 413 —
    also when the CSRF middleware is the first to want the body."""
    kwargs = {"pk": limited_world["claim"].pk} if "claims/<int:pk>" in _route(name) else {}
    url = reverse(name, kwargs=kwargs)
    body, content_type = _bodies(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)[kind]
    before = _state_all()
    for client in (_csrf_client(editor), Client()):
        response = client.generic("POST", url, body, content_type=content_type)
        assert response.status_code == 413
        assert "too large" in response.content.decode()
    assert _state_all() == before


def test_too_many_fields_is_refused_in_words(editor):
    client = _csrf_client(editor)
    fields = {f"f{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(
        reverse("claims:desk-notifications"), urlencode(fields), content_type=URLENCODED
    )
    assert response.status_code == 413
    assert "too many fields or files" in response.content.decode()


def test_django_s_own_refusal_of_a_large_body_is_413_too(rf: RequestFactory, editor):
    """Whatever reads the body first, RequestDataTooBig becomes a 413 in words (the
    handler400), not Django's bare 400."""
    request = rf.post("/desk/notifications/", {"x": "y"}, headers={"HX-Request": "true"})
    request.user = editor
    request.htmx = True
    response = bad_request(request, RequestDataTooBig("too big"))
    assert response.status_code == 413
    assert response["HX-Retarget"] == "#desk-alert"
    assert "too large" in response.content.decode()
    assert bad_request(request, TooManyFieldsSent("many")).status_code == 413


@pytest.mark.parametrize("kind", ["urlencoded", "multipart"])
def test_without_the_middleware_django_s_own_path_gives_413(settings, editor, kind):
    """The second line: with factcheck.limits gone, Django raises RequestDataTooBig in
    the CSRF middleware, and the handler400 still answers 413 with a sentence."""
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "factcheck.limits.BodyLimitMiddleware"
    ]
    body, content_type = _bodies(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)[kind]
    response = _csrf_client(editor).generic(
        "POST", reverse("claims:desk-notifications"), body, content_type=content_type
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_other_bad_requests_are_400_in_words(client):
    """A multipart body without its boundary: Django's MultiPartParserError."""
    response = client.generic(
        "POST", reverse("claims:tip-new"), b"x=1", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()
