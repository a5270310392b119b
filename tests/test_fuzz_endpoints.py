"""Fuzzing every URL of the app with POSTs (issue #15, section 9).

Hypothesis builds form bodies from each endpoint's valid form (tests/test_desk_matrix.py
rows): fields kept, dropped, doubled or replaced by wrong types, huge numbers, odd Unicode
(NULs, right-to-left marks, invalid UTF-8 such as an encoded lone surrogate), oversized
text or damaged formset counts; each body is posted as every persona. The endpoints are
the URL resolver's, all of them (a GET-only view answers 405), so a new view is fuzzed
without anyone remembering to add it.

Acceptable answers are 2xx, 3xx, 400, 403, 404, 405, 409, 413, 422 and 429; never 500 (the
test client raises the view's exception). A refused request changes nothing: every
example runs in a savepoint, and a 4xx must leave the main tables as they were.

``FUZZ_EXAMPLES`` (default 6) sets the bodies per endpoint; each is sent as 5 personas.
"""

import os
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.abuse import HONEYPOT_FIELD
from claims.urls import urlpatterns
from tests.test_desk_matrix import ROWS, Row, World, _snapshot, make_world, nothing, published

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
PERSONAS = ["anonymous", "editor", "reviewer", "moderator", "superuser"]
ACCEPTABLE = {400, 403, 404, 405, 409, 413, 422, 429}
URLENCODED = "application/x-www-form-urlencoded"

# The reader endpoints and sign-in, which the desk matrix does not post to.
EXTRA_ROWS = [
    Row(
        "tip-new",
        method="post",
        data={
            "claim_text": "Der Mond ist aus Käse.",
            "seen_at": "Zeitung",
            "seen_at_url": "https://example.org/",
            "email": "",
            HONEYPOT_FIELD: "",
        },
    ),
    Row(
        "claim-report",
        method="post",
        args="claim-slug",
        state=published,
        data={"reason": "factual", "message": "Die Zahl ist falsch.", "email": ""},
    ),
    Row("login", method="post", data={"username": "editor", "password": "falsch"}),
]


# Buttons that take a form down another path, sent as often as the form's own fields.
SUBMIT_BUTTONS = {"desk-claim": {"add_source": "1"}}


def _post_rows() -> dict[str, Row]:
    """One POST row per URL name: the matrix's (or ours), else an empty form."""
    rows: dict[str, Row] = {}
    for row in [*ROWS, *EXTRA_ROWS]:
        if row.method == "post":
            rows.setdefault(row.name, row)
    return rows


POST_ROWS = _post_rows()
NAMES = [pattern.name for pattern in urlpatterns if isinstance(pattern, URLPattern)]


def _kwargs(name: str, w: World) -> dict:
    """Keyword arguments for the URL ``name``, taken from the world's objects."""
    pattern = next(p for p in urlpatterns if p.name == name)
    route = str(pattern.pattern)
    kwargs = {}
    if "<int:pk>" in route:
        kwargs["pk"] = (
            w.claim.pk
            if route.startswith("desk/claims/")
            else w.article_import.pk
            if route.startswith("desk/imports/")
            else w.source.pk
            if route.startswith("desk/sources/")
            else w.webhook.pk
            if route.startswith("desk/webhooks/")
            else w.token.pk
            if route.startswith("desk/account/tokens/")
            else w.article.pk
        )
    if "<uidb64>" in route:  # a password-reset link that is not valid
        kwargs |= {"uidb64": "MQ", "token": "set-password"}
    if "<int:claim_pk>" in route:
        kwargs["claim_pk"] = w.claim.pk
    if "<int:mention_pk>" in route:
        kwargs["mention_pk"] = w.mention.pk
    if "<slug:slug>" in route:
        kwargs["slug"] = w.claim.slug if route.startswith("claims/") else w.article.slug
    if "<int:number>" in route:
        kwargs["number"] = 1
    if "<slug:key>" in route:  # the share image's version key
        kwargs["key"] = "0" * 16
    return kwargs


# --- Values --------------------------------------------------------------------------------
ODD = [
    "",
    " ",
    "abc",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "-0",
    "9" * 40,
    "9" * 5000,
    "true",
    "null",
    "[]",
    "{'a': 1}",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\ufeff",
    "\N{MATHEMATICAL DOUBLE-STRUCK CAPITAL X}" * 20,
    "\N{REGIONAL INDICATOR SYMBOL LETTER D}",
    "e\u0301\u0301\u0301",
    "\\ud800",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "../../etc/passwd",
    "%00",
    "widen-start",
    "confirm",
    "detach",
]
# Bytes a browser would never send: lone surrogates encoded, overlong forms, stray bytes.
BAD_BYTES = [b"\xed\xa0\x80", b"\xff\xfe", b"\xc0\xaf", b"a\x80b"]

values = st.one_of(
    st.sampled_from(ODD),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=40),
    st.integers(min_value=1_000, max_value=300_000).map(lambda n: "x" * n),
    st.sampled_from(BAD_BYTES),
)
EXTRA_FIELDS = [
    "version",
    "revision",
    "start",
    "end",
    "exact",
    "claim",
    "move",
    "action",
    "add_source",
    "sources-TOTAL_FORMS",
    "sources-INITIAL_FORMS",
    "sources-0-id",
    "sources-0-url",
    "sources-0-DELETE",
    "sources-0-ORDER",
    "rating",
    "assignee",
    "updated",
    HONEYPOT_FIELD,
]


@st.composite
def bodies(draw, base: dict) -> list[tuple[str, object]]:
    """``base`` with each field kept, dropped, replaced or doubled, plus some extra fields."""
    pairs: list[tuple[str, object]] = []
    for key, value in base.items():
        choice = draw(st.sampled_from(["keep", "keep", "drop", "odd", "twice"]))
        if choice == "keep":
            pairs.append((key, str(value)))
        elif choice == "odd":
            pairs.append((key, draw(values)))
        elif choice == "twice":
            pairs += [(key, str(value)), (key, draw(values))]
    for key in draw(st.lists(st.sampled_from(EXTRA_FIELDS), max_size=3, unique=True)):
        pairs.append((key, draw(values)))
    return pairs


def _encode(pairs) -> bytes:
    return urlencode(
        [(key, value if isinstance(value, bytes) else value.encode()) for key, value in pairs]
    ).encode()


@pytest.fixture
def world(editor, editor2, reviewer, reviewer2, moderator, superuser) -> World:
    """The desk matrix's world."""
    return make_world(editor, editor2, reviewer, reviewer2, moderator, superuser)


class _Rollback(Exception):
    pass


def _clients(w: World) -> dict[str, Client]:
    clients = {}
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(w.users[persona])
        clients[persona] = client
    return clients


@pytest.mark.parametrize("name", NAMES)
def test_fuzzed_posts_never_fail_and_never_half_write(world, name):
    row = POST_ROWS.get(name, Row(name, method="post"))
    (row.state or nothing)(world)
    world.claim.refresh_from_db()
    url = reverse(f"claims:{name}", kwargs=_kwargs(name, world))
    base = row.data(world) if callable(row.data) else dict(row.data or {})
    base |= SUBMIT_BUTTONS.get(name, {})
    clients = _clients(world)
    seen: set[int] = set()

    @settings(
        max_examples=EXAMPLES if name in POST_ROWS else 1,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(pairs=bodies(base), multipart=st.booleans())
    def post_as_everyone(pairs, multipart):
        for persona, client in clients.items():
            try:
                with transaction.atomic():
                    before = _snapshot()
                    if multipart and not any(isinstance(v, bytes) for _k, v in pairs):
                        data: dict = {}
                        for key, value in pairs:
                            data.setdefault(key, []).append(value)
                        response = client.post(url, data, headers={"HX-Request": "true"})
                    else:
                        response = client.generic(
                            "POST", url, _encode(pairs), content_type=URLENCODED
                        )
                    status = response.status_code
                    seen.add(status)
                    assert status < 400 or status in ACCEPTABLE, (persona, status, pairs)
                    if status >= 400:
                        assert _snapshot() == before, (persona, status, "half-written")
                    raise _Rollback
            except _Rollback:
                pass

    post_as_everyone()
    assert seen, "nothing was posted"


# Query strings of the GET endpoints that read filters: each field kept, dropped, doubled
# or odd, as every persona; the answer is a page, a file or a 400 in words, never a 500.
GET_FILTERS = {
    "desk-claims-export": {
        "status": "draft",
        "rating": "none",
        "language": "de",
        "claimant": "Amt",
        "q": "Nordkorea",
        "updated_since": "2026-01-31",
        "format": "csv",
    },
}


@pytest.mark.parametrize("name", sorted(GET_FILTERS))
def test_fuzzed_query_strings_never_fail(world, name):
    url = reverse(f"claims:{name}", kwargs=_kwargs(name, world))
    clients = _clients(world)
    seen: set[int] = set()

    @settings(
        max_examples=EXAMPLES * 3,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(pairs=bodies(GET_FILTERS[name]))
    def get_as_everyone(pairs):
        query = _encode(pairs).decode()
        for client in clients.values():
            response = client.get(f"{url}?{query}")
            status = response.status_code
            seen.add(status)
            assert status < 400 or status in ACCEPTABLE, (status, pairs)
            if response.streaming:  # the whole file is written without an error
                b"".join(response.streaming_content)

    get_as_everyone()
    assert seen
