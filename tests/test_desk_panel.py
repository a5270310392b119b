"""The claim panel: view and save a claim and its sources, bad input, conflicts, access."""

import re

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from claims.models import Claim, Rating, Source
from scripts._common import form_data
from tests.factories import add_source, make_article, make_claim, mark

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
HOSTILE_MARKDOWN = (
    "Vorher <script>alert(1)</script> und <img src=x onerror=alert(2)> "
    "und [klick](javascript:alert(3)) danach."
)


def _url(article, claim) -> str:
    return reverse("claims:desk-claim", args=[article.pk, claim.pk])


def _source_fields(index: int, source: Source | None = None, **changes) -> dict:
    """One source form as the panel sends it (``DELETE`` only when ticked)."""
    values = {
        "id": source.pk if source else "",
        "url": source.url if source else "",
        "title": source.title if source else "",
        "publisher": source.publisher if source else "",
        "published_on": source.published_on.isoformat() if source and source.published_on else "",
        "accessed_on": source.accessed_on.isoformat() if source and source.accessed_on else "",
        "archive_url": source.archive_url if source else "",
        "kind": source.kind if source else "",
        "stance": source.stance if source else "",
        "quote": source.quote if source else "",
        "ORDER": index + 1 if source else "",
    }
    values.update(changes)
    return {f"sources-{index}-{name}": value for name, value in values.items()}


def _data(claim: Claim, *, version=None, extra_sources: int = 0, **changes) -> dict:
    """The panel's form for ``claim`` as stored now, with ``changes`` typed in."""
    claim.refresh_from_db()
    sources = list(claim.sources.order_by("position", "pk"))
    data = {
        "version": claim.version if version is None else version,
        "claim_reviewed": claim.claim_reviewed,
        "claimant": claim.claimant,
        "claimant_url": claim.claimant_url,
        "claim_date": claim.claim_date.isoformat() if claim.claim_date else "",
        "rating": claim.rating_id or "",
        "conclusion": claim.conclusion,
        "explanation": claim.explanation,
        "assignee": claim.assignee_id or "",
        "sources-TOTAL_FORMS": len(sources) + extra_sources,
        "sources-INITIAL_FORMS": len(sources),
        "sources-MIN_NUM_FORMS": 0,
        "sources-MAX_NUM_FORMS": 50,
    }
    for index, source in enumerate(sources):
        data |= _source_fields(index, source)
    data.update(changes)
    return data


def _browser_data(html: str) -> dict:
    """What a browser submits for the panel's form in ``html`` (no submit button)."""
    return form_data(html, "claim-form")


def _snapshot(claim: Claim) -> tuple:
    claim.refresh_from_db()
    sources = tuple(
        claim.sources.order_by("pk").values_list("pk", "url", "title", "archive_url", "position")
    )
    return (
        claim.version,
        claim.claim_reviewed,
        claim.rating_id,
        claim.conclusion,
        claim.explanation,
        claim.last_edited_by_id,
        sources,
    )


def _text(response) -> str:
    return response.content.decode()


# --- GET ----------------------------------------------------------------------------------
def test_draft_claim_panel_shows_the_form_with_its_sources(desk, article, draft):
    response = desk.get(_url(article, draft))
    assert response.status_code == 200
    html = _text(response)
    assert 'id="claim-form"' in html
    for name in (
        "version",
        "claim_reviewed",
        "claimant",
        "claimant_url",
        "claim_date",
        "rating",
        "conclusion",
        "explanation",
        "assignee",
        "sources-TOTAL_FORMS",
        "sources-0-url",
        "sources-0-ORDER",
        "sources-0-DELETE",
    ):
        assert f'name="{name}"' in html, name
    assert 'name="version" value="1"' in html
    assert "2019 North Korea–United States Hanoi Summit" in html
    assert draft.claim_reviewed in html


def test_the_length_counter_speaks_the_desk_language(desk, article, draft):
    n = len(draft.claim_reviewed)
    english = _text(desk.get(_url(article, draft)))
    assert f"{n} characters (75 recommended at most)" in english
    with translation.override("de"):
        german = _text(desk.get(_url(article, draft)))
    assert f"{n} Zeichen (höchstens 75 empfohlen)" in german
    assert 'data-template="__N__ Zeichen (höchstens 75 empfohlen)"' in german


def _folded_link(html: str, name: str) -> str:
    """The panel's link to a folded form of the review screen, as the browser follows it."""
    document = lxml.html.fromstring(html)
    (link,) = document.xpath(f'//a[contains(@href, "#{name}")]')
    return link.get("href")


def test_draft_panel_links_dismissing_to_the_review_screen_form(desk, article, draft):
    panel_url = _url(article, draft)
    html = _text(desk.get(panel_url))
    assert 'name="reason"' not in html  # the reasoned form itself is not in the panel
    href = _folded_link(html, "reason-form")
    review_url = reverse("claims:desk-claim-review", args=[draft.pk])
    assert href.startswith(f"{review_url}?open=reason&")
    # The review screen shows the form unfolded, set to come back to the panel…
    review = lxml.html.fromstring(desk.get(href.split("#")[0]).content.decode())
    (form,) = review.xpath('//form[@id="reason-form"]')
    assert form.xpath("ancestor::details")[0].get("open") is not None
    assert form.xpath('.//input[@name="next"]')[0].get("value") == panel_url
    # …which it does once the claim is dismissed.
    response = desk.post(
        form.get("action"),
        {"reason": "Kein Faktencheck nötig", "version": draft.version, "next": panel_url},
    )
    assert response.status_code == 302
    assert response["Location"] == panel_url
    draft.refresh_from_db()
    assert draft.status == Claim.Status.DISMISSED


def test_review_screen_refuses_to_send_anyone_elsewhere(desk, draft):
    review_url = reverse("claims:desk-claim-review", args=[draft.pk])
    html = desk.get(f"{review_url}?open=nothing&next=https://evil.example/").content.decode()
    review = lxml.html.fromstring(html)
    # The workflow forms' next is dropped; the sources' archive forms come back here.
    nexts = review.xpath('//form[not(starts-with(@id, "archive-source-"))]//input[@name="next"]')
    assert [i.get("value") for i in nexts] == ["", ""]
    archive_nexts = review.xpath(
        '//form[starts-with(@id, "archive-source-")]/input[@name="next"]/@value'
    )
    assert set(archive_nexts) == {review_url}
    assert review.xpath("//details[@open]") == []  # an unknown ?open= unfolds nothing


def test_published_claim_panel_locks_the_verdict_but_not_the_details(desk, article, published):
    response = desk.get(_url(article, published))
    assert response.status_code == 200
    html = _text(response)
    # Claimant details and sources stay editable; the verdict is shown, not editable.
    assert 'id="claim-form"' in html
    assert 'name="claimant"' in html
    assert 'name="sources-TOTAL_FORMS"' in html
    for name in ("claim_reviewed", "rating", "conclusion", "explanation"):
        assert f'name="{name}"' not in html, name
    assert published.claim_reviewed in html
    assert "changes only through a correction" in html
    # Opening a correction happens on the review screen, linked from the panel.
    href = _folded_link(html, "correction-form")
    review_url = reverse("claims:desk-claim-review", args=[published.pk])
    assert href.startswith(f"{review_url}?open=correction&")
    review = lxml.html.fromstring(desk.get(href.split("#")[0]).content.decode())
    (form,) = review.xpath('//form[@id="correction-form"]')
    assert form.get("action") == reverse("claims:desk-claim-correction-start", args=[published.pk])
    assert form.xpath("ancestor::details")[0].get("open") is not None
    # No passage controls either.
    assert reverse("claims:desk-mention-adjust", args=[published.mentions.get().pk]) not in html


def test_saving_a_published_claim_cannot_change_its_verdict(desk, article, published):
    rating_before, conclusion_before = published.rating_id, published.conclusion
    data = {
        "version": published.version,
        "claimant": "Neuer Urheber",
        "claim_reviewed": "Forged",
        "conclusion": "Forged conclusion",
        "rating": "",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        "save": "1",
    }
    response = desk.post(_url(article, published), data)
    assert response.status_code == 200
    published.refresh_from_db()
    assert published.claimant == "Neuer Urheber"
    assert published.rating_id == rating_before
    assert published.conclusion == conclusion_before
    assert published.claim_reviewed != "Forged"
    assert published.history.first().history_user.username == "editor"


def test_claim_not_marked_in_that_article_is_404(desk, article):
    elsewhere = make_article("Ein anderer Text mit einer Behauptung.")
    claim = make_claim(status=Claim.Status.DRAFT)
    mark(claim, elsewhere, 0, 3)
    assert desk.get(_url(article, claim)).status_code == 404
    assert desk.get(_url(elsewhere, claim)).status_code == 200
    unmarked = make_claim(status=Claim.Status.DRAFT)
    assert desk.get(_url(article, unmarked)).status_code == 404


def test_unknown_claim_or_article_is_404(desk, article, draft):
    assert desk.get(reverse("claims:desk-claim", args=[article.pk, 999_999])).status_code == 404
    assert desk.get(reverse("claims:desk-claim", args=[999_999, draft.pk])).status_code == 404


# --- Saving -------------------------------------------------------------------------------
def test_saving_writes_the_fields_bumps_the_version_and_records_the_editor(
    desk, editor, editor2, article, draft
):
    rating = Rating.objects.get(slug="false")
    data = _data(
        draft,
        claim_reviewed="Der Gipfel endete mit einer gemeinsamen Erklärung",
        claimant="Donald Trump",
        rating=rating.pk,
        conclusion="Falsch: Der Gipfel endete ohne Erklärung.",
        explanation="Der Gipfel wurde **vorzeitig** abgebrochen.",
        assignee=editor2.pk,
    )
    response = desk.post(_url(article, draft), data)
    assert response.status_code == 200
    html = _text(response)
    assert "Saved." in html
    assert "Version 2." in html
    assert 'name="version" value="2"' in html  # the next save carries the new version
    draft.refresh_from_db()
    assert draft.claim_reviewed == "Der Gipfel endete mit einer gemeinsamen Erklärung"
    assert draft.claimant == "Donald Trump"
    assert draft.rating == rating
    assert draft.conclusion == "Falsch: Der Gipfel endete ohne Erklärung."
    assert draft.explanation == "Der Gipfel wurde **vorzeitig** abgebrochen."
    assert draft.assignee == editor2
    assert draft.version == 2
    assert draft.last_edited_by == editor
    latest = draft.history.latest("history_date")
    assert latest.history_user == editor
    assert latest.version == 2
    assert latest.conclusion == "Falsch: Der Gipfel endete ohne Erklärung."
    assert draft.sources.count() == 1  # the source went through untouched


def test_htmx_save_answers_with_the_panel_the_list_and_the_claims_paragraphs(desk, article, draft):
    response = desk.post(
        _url(article, draft), _data(draft, rating=Rating.objects.get(slug="false").pk), **HTMX
    )
    assert response.status_code == 200
    html = _text(response)
    assert "<html" not in html
    assert 'id="claim-panel"' in html
    assert "Saved." in html
    # Only this claim's row of the list is replaced, not the whole list.
    assert re.search(rf'<li id="claim-row-{draft.pk}"[^>]*hx-swap-oob="true"', html)
    assert 'id="claims-list"' not in html
    paragraphs = re.findall(
        r'<p id="para-(\d+)" class="desk-paragraph"[^>]*hx-swap-oob="true">(.*?)</p>', html, re.S
    )
    assert len(paragraphs) == 1  # only the paragraph with this claim's highlight
    _index, body = paragraphs[0]
    assert re.search(rf'data-claims="(\d+ )*{draft.pk}"', body)  # its highlight
    assert "rating-false" in body  # the highlight has the new rating's colour
    text = article.current_revision.text
    assert text.split("\n\n")[0][:40] not in html  # untouched paragraphs are not sent


def test_htmx_answer_without_a_save_sends_no_paragraphs(desk, article, draft):
    response = desk.post(_url(article, draft), _data(draft, add_source="1"), **HTMX)
    assert response.status_code == 200
    assert 'class="desk-paragraph"' not in _text(response)


def test_the_form_as_rendered_can_be_saved_again(desk, article, draft):
    """A browser submits exactly the rendered fields: that must save, not duplicate sources."""
    before = list(draft.sources.values_list("pk", "url"))
    data = _browser_data(_text(desk.get(_url(article, draft))))
    data["conclusion"] = "Nicht prüfbar."
    response = desk.post(_url(article, draft), data)
    assert response.status_code == 200, "the panel's own form is refused"
    draft.refresh_from_db()
    assert draft.conclusion == "Nicht prüfbar."
    assert draft.version == 2
    assert list(draft.sources.values_list("pk", "url")) == before


# --- Sources ------------------------------------------------------------------------------
def test_add_source_shows_one_more_form_and_saves_nothing(desk, article, draft):
    before = _snapshot(draft)
    response = desk.post(_url(article, draft), _data(draft, add_source="1"))
    assert response.status_code == 200
    html = _text(response)
    assert html.count('class="border rounded p-2 mb-2 source-form"') == 2
    assert 'name="sources-TOTAL_FORMS" value="2"' in html
    assert 'name="sources-1-url"' in html
    assert "This field is required" not in html  # the new, empty form shows no errors yet
    assert "Saved." not in html
    assert _snapshot(draft) == before


def test_add_source_keeps_what_was_typed(desk, article, draft):
    response = desk.post(
        _url(article, draft), _data(draft, add_source="1", conclusion="Noch offen, getippt")
    )
    assert 'value="Noch offen, getippt"' in _text(response)
    draft.refresh_from_db()
    assert draft.conclusion == ""


def test_new_source_is_saved_with_its_position(desk, editor, article, draft):
    data = _data(draft, extra_sources=1) | _source_fields(
        1,
        url="https://www.bbc.com/news/world-asia-47398974",
        title="Trump-Kim summit cut short",
        publisher="BBC",
        kind=Source.Kind.REPORT,
        stance=Source.Stance.REFUTES,
    )
    response = desk.post(_url(article, draft), data)
    assert response.status_code == 200
    sources = list(draft.sources.order_by("position"))
    assert [s.title for s in sources] == [
        "2019 North Korea–United States Hanoi Summit",
        "Trump-Kim summit cut short",
    ]
    assert [s.position for s in sources] == [0, 1]
    new = sources[1]
    assert (new.url, new.publisher, new.kind, new.stance) == (
        "https://www.bbc.com/news/world-asia-47398974",
        "BBC",
        "report",
        "refutes",
    )
    assert new.history.get().history_user == editor
    draft.refresh_from_db()
    assert draft.version == 2


def test_empty_extra_source_form_is_ignored(desk, article, draft):
    data = _data(draft, extra_sources=1) | _source_fields(1)
    response = desk.post(_url(article, draft), data)
    assert response.status_code == 200
    assert draft.sources.count() == 1


def test_editing_a_source_changes_it_in_place(desk, article, draft):
    source = draft.sources.get()
    data = _data(draft) | _source_fields(
        0, source, title="Hanoi Summit (Wikipedia)", archive_url="https://web.archive.org/x"
    )
    response = desk.post(_url(article, draft), data)
    assert response.status_code == 200
    assert list(draft.sources.values_list("pk", "title", "archive_url")) == [
        (source.pk, "Hanoi Summit (Wikipedia)", "https://web.archive.org/x")
    ]


def test_deleting_a_source_removes_it(desk, editor, article, draft):
    source = draft.sources.get()
    data = _data(draft) | _source_fields(0, source, DELETE="on")
    response = desk.post(_url(article, draft), data)
    assert response.status_code == 200
    assert not Source.objects.filter(pk=source.pk).exists()
    assert Source.history.filter(id=source.pk, history_type="-").get().history_user == editor
    draft.refresh_from_db()
    assert draft.version == 2


def test_reordering_sources_follows_the_order_numbers(desk, article, draft):
    first = draft.sources.get()
    second = add_source(draft, title="Second", url="https://example.org/2", position=1)
    third = add_source(draft, title="Third", url="https://example.org/3", position=2)
    data = (
        _data(draft)
        | _source_fields(0, first, ORDER=3)
        | _source_fields(1, second, ORDER=1)
        | _source_fields(2, third, ORDER=2)
    )
    response = desk.post(_url(article, draft), data)
    assert response.status_code == 200
    assert list(draft.sources.order_by("position").values_list("pk", "position")) == [
        (second.pk, 0),
        (third.pk, 1),
        (first.pk, 2),
    ]


@pytest.mark.parametrize("field", ["url", "archive_url"])
@pytest.mark.parametrize("value", ["javascript:alert(1)", "data:text/html,x"])
def test_hostile_url_in_an_existing_source_is_refused(desk, article, draft, field, value):
    source = draft.sources.get()
    before = _snapshot(draft)
    data = _data(draft, conclusion="Changed too") | _source_fields(0, source, **{field: value})
    response = desk.post(_url(article, draft), data)
    assert response.status_code == 422
    assert "Enter a valid URL" in _text(response)
    assert _snapshot(draft) == before


@pytest.mark.parametrize("field", ["url", "archive_url"])
@pytest.mark.parametrize("value", ["javascript:alert(1)", "data:text/html,x"])
def test_hostile_url_in_a_new_source_is_refused(desk, article, draft, field, value):
    before = _snapshot(draft)
    new = {"url": "https://example.org/ok", "title": "New", field: value}
    data = _data(draft, extra_sources=1) | _source_fields(1, **new)
    response = desk.post(_url(article, draft), data)
    assert response.status_code == 422
    assert _snapshot(draft) == before
    assert Source.objects.filter(claim=draft).count() == 1


# --- Bad input ----------------------------------------------------------------------------
def test_unknown_rating_is_refused(desk, article, draft):
    before = _snapshot(draft)
    response = desk.post(_url(article, draft), _data(draft, rating=999_999, conclusion="X"))
    assert response.status_code == 422
    assert "Select a valid choice" in _text(response)
    assert _snapshot(draft) == before


def test_claim_text_over_250_characters_is_refused_with_a_message(desk, article, draft):
    before = _snapshot(draft)
    response = desk.post(_url(article, draft), _data(draft, claim_reviewed="x" * 501))
    assert response.status_code == 422
    assert "at most 250 characters (it has 501)" in _text(response)
    assert _snapshot(draft) == before


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_claim_text_is_refused(desk, article, draft, value):
    before = _snapshot(draft)
    response = desk.post(_url(article, draft), _data(draft, claim_reviewed=value))
    assert response.status_code == 422
    assert "This field is required" in _text(response)
    assert _snapshot(draft) == before


@pytest.mark.parametrize("version", ["abc", "", "0", "1.5"])
def test_bad_version_is_refused(desk, article, draft, version):
    before = _snapshot(draft)
    response = desk.post(_url(article, draft), _data(draft, version=version, conclusion="X"))
    assert response.status_code == 422
    assert _snapshot(draft) == before


def test_htmx_error_answer_is_the_panel_with_the_errors(desk, article, draft):
    response = desk.post(_url(article, draft), _data(draft, claim_reviewed=""), **HTMX)
    assert response.status_code == 422
    html = _text(response)
    assert "<html" not in html
    assert 'id="claim-form"' in html
    assert "This field is required" in html


def test_hostile_markdown_is_kept_as_text_and_rendered_safe(desk, reader, article, draft):
    response = desk.post(_url(article, draft), _data(draft, explanation=HOSTILE_MARKDOWN))
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.explanation == HOSTILE_MARKDOWN  # stored as typed

    def assert_safe(html: str) -> None:
        assert "<script>alert" not in html
        assert not re.search(r"<img[^>]*onerror", html)
        assert not re.search(r"href=\"javascript:", html, re.I)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, not dropped

    panel = _text(desk.get(_url(article, draft)))
    preview = re.search(r'<div id="explanation-preview"[^>]*>(.*?)</div>', panel, re.S).group(1)
    assert "Vorher" in preview
    assert_safe(preview)
    assert_safe(panel)

    draft.status = Claim.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    public = reader.get(draft.get_absolute_url())
    assert public.status_code == 200
    html = _text(public)
    assert "Vorher" in html
    assert_safe(html)


# --- Two editors at once ------------------------------------------------------------------
def _version_in(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def test_second_save_on_a_stale_version_is_a_conflict_then_a_deliberate_overwrite(
    desk, editor, editor2, article, draft
):
    other = Client()
    other.force_login(editor2)
    url = _url(article, draft)
    loaded = _version_in(_text(desk.get(url)))
    assert _version_in(_text(other.get(url))) == loaded == "1"

    first = desk.post(url, _data(draft, version=loaded, conclusion="Conclusion A"))
    assert first.status_code == 200

    second = other.post(url, _data(draft, version=loaded, conclusion="Conclusion B"))
    assert second.status_code == 409
    html = _text(second)
    assert "Someone else saved this claim" in html
    assert "now: Conclusion A" in html
    assert "yours: Conclusion B" in html
    assert 'name="conclusion" value="Conclusion B"' in html  # what editor2 typed is kept
    assert _version_in(html) == "2"  # … with the version that was current
    draft.refresh_from_db()
    assert (draft.conclusion, draft.version, draft.last_edited_by) == ("Conclusion A", 2, editor)

    again = other.post(url, _data(draft, version=_version_in(html), conclusion="Conclusion B"))
    assert again.status_code == 200
    draft.refresh_from_db()
    assert (draft.conclusion, draft.version, draft.last_edited_by) == ("Conclusion B", 3, editor2)
    assert draft.history.latest("history_date").history_user == editor2


def test_conflict_answer_over_htmx_is_the_panel(desk, editor2, article, draft):
    url = _url(article, draft)
    assert desk.post(url, _data(draft, version=1, conclusion="A")).status_code == 200
    other = Client()
    other.force_login(editor2)
    response = other.post(url, _data(draft, version=1, conclusion="B"), **HTMX)
    assert response.status_code == 409
    html = _text(response)
    assert "<html" not in html
    assert 'id="panel-conflict"' in html
    draft.refresh_from_db()
    assert draft.conclusion == "A"


# --- Who may ------------------------------------------------------------------------------
def test_moderator_may_neither_see_nor_save_the_panel(client, moderator, article, draft):
    client.force_login(moderator)
    before = _snapshot(draft)
    assert client.get(_url(article, draft)).status_code == 403
    assert client.post(_url(article, draft), _data(draft, conclusion="X")).status_code == 403
    assert _snapshot(draft) == before


def test_anonymous_user_is_sent_to_login(client, article, draft):
    before = _snapshot(draft)
    for response in (
        client.get(_url(article, draft)),
        client.post(_url(article, draft), _data(draft, conclusion="X")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("claims:login"))
    assert _snapshot(draft) == before


def test_claim_in_review_cannot_be_saved(desk, article, draft):
    Claim.objects.filter(pk=draft.pk).update(status=Claim.Status.IN_REVIEW)
    draft.refresh_from_db()
    before = _snapshot(draft)
    response = desk.post(_url(article, draft), _data(draft, conclusion="Umgeschrieben"))
    assert response.status_code == 403
    assert _snapshot(draft) == before


def test_claim_that_went_to_review_meanwhile_is_not_overwritten(editor, draft, editor2):
    from claims.forms.desk import SourceFormSet
    from claims.models import WorkflowError
    from claims.services import claim_update
    from claims.views.desk import source_data

    draft.rating, draft.conclusion = Rating.objects.first(), "Stimmt."
    draft.save()
    add_source(draft)
    stale = Claim.objects.get(pk=draft.pk)  # what the editor's form was built from
    data = _data(Claim.objects.get(pk=draft.pk))
    Claim.objects.get(pk=draft.pk).submit(by=editor2)
    stale.conclusion = "Zu spät"
    sources = SourceFormSet(data, instance=stale, prefix="sources")
    assert sources.is_valid()
    with pytest.raises(WorkflowError, match="in review"):
        claim_update(
            claim=stale, expected_version=stale.version, sources=source_data(sources), user=editor
        )
    draft.refresh_from_db()
    assert (draft.conclusion, draft.status) == ("Stimmt.", Claim.Status.IN_REVIEW)


def test_published_claim_verdict_is_not_changed_by_a_panel_post(desk, article, published):
    response = desk.post(_url(article, published), _data(published, conclusion="Umgeschrieben"))
    assert response.status_code == 200
    published.refresh_from_db()
    assert published.conclusion != "Umgeschrieben"


def test_reviewer_may_save_a_draft(client, reviewer, article, draft):
    client.force_login(reviewer)
    response = client.post(_url(article, draft), _data(draft, conclusion="Vom Reviewer"))
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.conclusion, draft.last_edited_by) == ("Vom Reviewer", reviewer)


def test_panel_refuses_other_methods(desk, article, draft):
    assert desk.put(_url(article, draft)).status_code == 405
    assert desk.delete(_url(article, draft)).status_code == 405


# --- Preview ------------------------------------------------------------------------------
def test_preview_renders_sanitised_markdown(desk):
    response = desk.post(
        reverse("claims:desk-preview"), {"explanation": "**fett** " + HOSTILE_MARKDOWN}
    )
    assert response.status_code == 200
    html = _text(response)
    assert "<strong>fett</strong>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert not re.search(r"<img[^>]*onerror", html)
    assert not re.search(r"href=\"javascript:", html, re.I)
    assert "[klick](javascript:alert(3))" in html  # the link is left as plain text


def test_preview_is_post_only_and_for_the_desk(client, moderator, editor):
    url = reverse("claims:desk-preview")
    client.force_login(editor)
    assert client.get(url).status_code == 405
    client.force_login(moderator)
    assert client.post(url, {"explanation": "x"}).status_code == 403


# --- Claim search -------------------------------------------------------------------------
def _search(client, query: str, article_pk=None):
    params = {"q": query} | ({"article": article_pk} if article_pk else {})
    return client.get(reverse("claims:desk-claim-search"), params, **HTMX)


def test_claim_search_lists_matches_with_a_link_button(desk, article, published):
    response = _search(desk, "Waffen", article.pk)
    assert response.status_code == 200
    html = _text(response)
    assert published.claim_reviewed in html
    assert "Link to this claim" in html
    assert reverse("claims:desk-link", args=[article.pk]) in html
    assert f'hx-vals=\'{{"claim": "{published.pk}"}}\'' in html
    # A claim that does not match is not listed.
    assert "Ein Verbindungsbüro hat nicht den Rang einer Botschaft" not in html


def test_claim_search_without_article_offers_no_link_button(desk, published):
    html = _text(_search(desk, "Waffenstillstand"))
    assert published.claim_reviewed in html
    assert "Link to this claim" not in html


def test_claim_search_asks_for_two_characters(desk, article):
    html = _text(_search(desk, "W", article.pk))
    assert "Type at least two characters." in html
    assert "Link to this claim" not in html


def test_claim_search_leaves_out_dismissed_claims_and_escapes_the_query(desk, article):
    make_claim(status=Claim.Status.DISMISSED, claim_reviewed="Verworfene Waffenbehauptung")
    html = _text(_search(desk, "Verworfene", article.pk))
    assert "Verworfene Waffenbehauptung" not in html
    html = _text(_search(desk, "<b>zz</b>", article.pk))
    assert "<b>zz</b>" not in html
    assert "&lt;b&gt;zz&lt;/b&gt;" in html


def test_claim_search_is_for_the_desk(client, moderator):
    assert _search(client, "Waffen").status_code == 302
    client.force_login(moderator)
    assert _search(client, "Waffen").status_code == 403


def test_a_new_source_needs_an_explicit_kind_and_stance(desk, article, draft):
    data = _data(draft, extra_sources=1) | _source_fields(
        1, url="https://example.org/a", title="A report"
    )
    response = desk.post(_url(article, draft), data)
    assert response.status_code == 422
    assert draft.sources.count() == 1
    data |= {"sources-1-kind": "report", "sources-1-stance": "refutes"}
    assert desk.post(_url(article, draft), data).status_code == 200
    added = draft.sources.get(url="https://example.org/a")
    assert (added.kind, added.stance) == ("report", "refutes")
