"""Marking a claim in the workspace: the happy path and every bad selection."""

import re

import pytest
from django.urls import reverse

from claims.models import Claim, Mention
from tests.conftest import SEED_TEXT
from tests.factories import make_article, make_claim, mark

pytestmark = pytest.mark.django_db

PASSAGE = "seit mehr als einem Jahr keine Atomwaffen und Raketen mehr getestet"


def _mark(client, article, start, end, exact, *, htmx=True, **extra):
    # These tests make new claims: past the similar claims shown first (test_mark_similar).
    data = {
        "revision": article.current_revision_id,
        "start": start,
        "end": end,
        "exact": exact,
        "new": "1",
    }
    data.update(extra)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("claims:desk-mark", args=[article.pk]), data, **headers)


def _state():
    return (Claim.objects.count(), Mention.objects.count())


def test_marking_creates_a_draft_claim_and_its_mention(desk, editor, article):
    start = SEED_TEXT.index(PASSAGE)
    response = _mark(desk, article, start, start + len(PASSAGE), PASSAGE)
    assert response.status_code == 200
    mention = Mention.objects.latest("pk")
    assert (mention.start, mention.end, mention.exact) == (start, start + len(PASSAGE), PASSAGE)
    assert mention.prefix == SEED_TEXT[start - 32 : start]
    claim = mention.claim
    assert claim.status == Claim.Status.DRAFT
    assert claim.author == editor
    assert claim.claim_reviewed == PASSAGE
    # History records who did it.
    assert claim.history.get().history_user == editor
    assert mention.history.get().history_user == editor
    # The answer is a fragment: the panel, the changed paragraph and the list — not the page.
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="claim-panel"' in html
    assert 'id="para-1" class="desk-paragraph"' in html
    assert 'hx-swap-oob="true"' in html
    assert 'id="para-0"' not in html  # untouched paragraphs are not sent
    assert response["HX-Push-Url"] == reverse("claims:desk-claim", args=[article.pk, claim.pk])


def test_nested_and_overlapping_marks_are_allowed(desk, article):
    start = SEED_TEXT.index(PASSAGE)
    inner = SEED_TEXT.index("keine Atomwaffen")
    assert _mark(desk, article, start, start + len(PASSAGE), PASSAGE).status_code == 200
    response = _mark(desk, article, inner, inner + 16, "keine Atomwaffen")
    assert response.status_code == 200
    assert "depth-3" in response.content.decode()  # inside the demo claim and the new one


@pytest.mark.parametrize(
    ("start", "end", "exact", "status", "words"),
    [
        (10, 5, "x", 400, "selection"),
        (5, 5, "", 400, "selection"),
        (-1, 5, "US-Pr", 400, "selection"),
        (2550, 2600, "x" * 50, 400, "outside"),
        (0, 5, "Trump", 400, "no longer matches"),
        ("zero", 5, "US-Pr", 400, "selection"),
    ],
)
def test_bad_selections_are_refused_in_words(desk, article, start, end, exact, status, words):
    before = _state()
    response = _mark(desk, article, start, end, exact)
    assert response.status_code == status
    assert words in response.content.decode()
    assert response["HX-Retarget"] == "#desk-alert"
    assert _state() == before


def test_stale_revision_is_refused(desk, article):
    before = _state()
    response = _mark(desk, article, 0, 5, "US-Pr", revision=article.current_revision_id + 99)
    assert response.status_code == 409
    assert "changed since you opened it" in response.content.decode()
    assert _state() == before


def test_selection_splitting_a_character_is_refused(desk, editor):
    article = make_article("Cafe\u0301 und 👍🏽 Daumen.")
    text = article.current_revision.text  # NFC turns e+accent into é; the emoji keeps 2 parts
    thumb = text.index("👍")
    before = _state()
    response = _mark(desk, article, 0, thumb + 1, text[: thumb + 1])  # ends before the tone
    assert response.status_code == 400
    assert "inside a character" in response.content.decode()
    assert _state() == before


def test_utf16_offsets_sent_by_mistake_are_a_mismatch_not_a_shifted_span(desk):
    article = make_article("„Zitat“ 😀 nach dem Emoji steht der Satz.")
    text = article.current_revision.text
    start = text.index("nach")
    before = _state()
    # A client that forgot the conversion sends UTF-16 offsets: one too far after the emoji.
    response = _mark(desk, article, start + 1, start + 5, "nach")
    assert response.status_code == 400
    assert _state() == before
    response = _mark(desk, article, start, start + 4, "nach")
    assert response.status_code == 200
    assert Mention.objects.latest("pk").exact == "nach"


def test_huge_request_body_is_refused(desk, article):
    before = _state()
    response = _mark(desk, article, 0, 5, "US-Pr", padding="x" * 2_000_000)
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert _state() == before


def test_without_htmx_marking_redirects_to_the_panel(desk, article):
    start = SEED_TEXT.index(PASSAGE)
    response = _mark(desk, article, start, start + len(PASSAGE), PASSAGE, htmx=False)
    assert response.status_code == 302
    claim = Claim.objects.latest("pk")
    assert response["Location"] == reverse("claims:desk-claim", args=[article.pk, claim.pk])


def test_workspace_query_count_does_not_grow_with_mentions(desk, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_claim, mark

    words = " ".join(f"w{i}" for i in range(400))
    counts = []
    for n in (5, 300):
        article = make_article(words)
        text = article.current_revision.text
        for i in range(n):
            s = text.index(f"w{i} ")
            mark(make_claim(status=Claim.Status.DRAFT), article, s, s + len(f"w{i}"))
        with CaptureQueriesContext(connection) as queries:
            response = desk.get(reverse("claims:desk-article", args=[article.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_new_claim_row_is_inserted_in_reading_order(desk, article):
    # "Acht Monate…" (third paragraph) is marked by the demo data; a passage before it goes
    # right before that claim's row, one after the last demo claim goes at the end.
    early = SEED_TEXT.index("Kim Jong Un")
    html = _mark(desk, article, early, early + 11, "Kim Jong Un").content.decode()
    first_demo = Mention.objects.filter(exact__startswith="dass Nordkorea").get()
    assert f'hx-swap-oob="beforebegin:#claim-row-{first_demo.claim_id}"' in html
    assert "9 claims in this article" in html
    late = SEED_TEXT.index("bilateralen Beziehungen")
    html = _mark(desk, article, late, late + 23, "bilateralen Beziehungen").content.decode()
    assert 'hx-swap-oob="beforeend:#claims-list-items"' in html
    assert "10 claims in this article" in html
    assert 'id="claims-empty"' not in html  # the list was not empty


def test_new_row_counts_claims_not_passages(desk):
    article = make_article("Alpha beta gamma delta epsilon zeta eta.")
    twice, once = make_claim(status=Claim.Status.DRAFT), make_claim(status=Claim.Status.DRAFT)
    mark(twice, article, 0, 5)  # Alpha
    mark(twice, article, 23, 30)  # epsilon
    mark(once, article, 17, 22)  # delta
    html = _mark(desk, article, 6, 10, "beta").content.decode()
    # Its row goes before "delta"'s claim: "Alpha"'s claim starts earlier, its second
    # passage ("epsilon") does not count.
    assert f'hx-swap-oob="beforebegin:#claim-row-{once.pk}"' in html
    assert "3 claims in this article" in html


def test_first_claim_of_an_article_replaces_the_empty_note(desk):
    article = make_article("Eine Behauptung steht hier.")
    html = _mark(desk, article, 5, 15, "Behauptung").content.decode()
    assert '<div id="claims-empty" hx-swap-oob="delete"></div>' in html
    assert "1 claim in this article" in html


def _row_order(client, article) -> list[int]:
    html = client.get(reverse("claims:desk-article", args=[article.pk])).content.decode()
    return [int(pk) for pk in re.findall(r'<li id="claim-row-(\d+)"', html)]


def test_claims_starting_at_the_same_place_keep_one_order_live_and_on_reload(desk):
    # The claims list is in reading order, claims starting at the same place in the order
    # they were made. A row inserted by a mark or link answer must land where a reload
    # would put it, also when an older claim is linked at a place where others start.
    article = make_article("Alpha beta gamma delta epsilon.")
    older = make_claim(status=Claim.Status.DRAFT)  # made first, linked below
    first, second, later = (make_claim(status=Claim.Status.DRAFT) for _ in range(3))
    mark(second, article, 0, 10)  # "Alpha beta": longer, but made after `first`
    mark(first, article, 0, 5)  # "Alpha"
    mark(later, article, 17, 22)  # "delta"
    assert _row_order(desk, article) == [first.pk, second.pk, later.pk]

    html = _mark(desk, article, 0, 16, "Alpha beta gamma").content.decode()
    newest = Mention.objects.latest("pk").claim_id
    assert f'hx-swap-oob="beforebegin:#claim-row-{later.pk}"' in html
    assert _row_order(desk, article) == [first.pk, second.pk, newest, later.pk]

    response = desk.post(
        reverse("claims:desk-link", args=[article.pk]),
        {
            "revision": article.current_revision_id,
            "start": 0,
            "end": 5,
            "exact": "Alpha",
            "claim": older.pk,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'hx-swap-oob="beforebegin:#claim-row-{first.pk}"' in response.content.decode()
    assert _row_order(desk, article) == [older.pk, first.pk, second.pk, newest, later.pk]
