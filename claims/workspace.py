"""The desk workspace's page context: what the annotation workspace, the claim panel
beside it and the workflow box in that panel show, and what an htmx answer after a change
carries (the paragraphs it touched, the claims list's new row or whole list).

The desk views (``views/desk.py``, ``views/marking.py``, ``views/workflow.py``) build
their pages from these functions; none of them renders anything itself. The query counts
of these pages do not depend on the number of mentions (tests assert it).
"""

import json
from datetime import timedelta

from django.db.models import Case, Count, Exists, Min, OuterRef, Q, When, Window
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from claims.forms.desk import (
    ClaimForm,
    CorrectionStartForm,
    DecisionForm,
    ReasonForm,
    SourceFormSet,
)
from claims.highlights.runs import paragraph_runs
from claims.markdown import render_markdown
from claims.matching import Similar, similar_claims
from claims.models import (
    Article,
    ArticleRevision,
    ArticleWatch,
    Claim,
    ClaimSuggestion,
    Mention,
    Source,
    SuggestionDismissal,
    TextAnalysis,
)
from claims.models.lifecycle import required_approvals
from claims.models.watch import published_claims_in
from claims.permissions import can_change_mentions, can_edit_claim
from claims.roles import may
from claims.text import paragraph_spans
from claims.workflow_steps import STEPS

# The workspace page; its partials (``#panel-update``, ``#mention-update``) are the htmx answers.
WORKSPACE = "claims/desk/workspace.html"

# What the highlights and the claims list show of a passage and its claim: a long article
# has a thousand of these rows, and claims carry long texts the workspace never shows.
_HIGHLIGHT_FIELDS = (
    "start",
    "end",
    "awaiting",
    "claim__claim_reviewed",
    "claim__status",
    "claim__rating",
)


def _highlighted(mentions):
    """``mentions`` with what the highlights and claims list show, in text order."""
    return (
        mentions.select_related("claim__rating")
        .only(*_HIGHLIGHT_FIELDS)
        .order_by("start", "-end", "pk")
    )


# --- The workspace: text and claims list --------------------------------------------------
def workspace_context(article: Article, active: Claim | None = None) -> dict:
    """Everything the workspace shows, in a number of queries independent of its mentions."""
    revision = article.current_revision
    mentions = list(_highlighted(Mention.objects.filter(revision=revision)))
    paragraphs = paragraph_runs(revision.text, mentions) if revision else []
    first_mentions: dict[int, Mention] = {}
    waiting = set()  # claims with a passage here waiting for a reviewer
    for mention in mentions:  # already in reading order
        first_mentions.setdefault(mention.claim_id, mention)
        if mention.awaiting:
            waiting.add(mention.claim_id)
    for claim_id, mention in first_mentions.items():
        mention.waiting = claim_id in waiting
    return {
        "article": article,
        "revision": revision,
        "paragraphs": paragraphs,
        "blocks": revision.blocks if revision else [],
        # Reading order of each claim's first passage; claims starting at the same place
        # in the order they were made, as the mark and link answers insert them.
        "claim_rows": sorted(first_mentions.values(), key=lambda m: (m.start, m.claim_id)),
        "claims_count": len(first_mentions),
        "active": active,
        "anchors_to_check": Mention.objects.needing_review(article).count(),
        # Hints and "Already checked": read only where the full page draws them.
        "checks": SimpleLazyObject(lambda: checks_context(revision)),
    }


# How often the article watch may fetch an article: the form's value → (interval, label).
WATCH_INTERVALS = {
    "": (None, _("Automatic: hourly for two days, daily for a month, then weekly")),
    "hour": (timedelta(hours=1), _("Every hour")),
    "day": (timedelta(days=1), _("Every day")),
    "week": (timedelta(days=7), _("Every week")),
}


def watch_context(article: Article) -> dict:
    """How the article watch stands, for the workspace's notice (``{% article_watch %}``,
    drawn on the full page only): ``watched``, or ``why_not``
    (``no_url``, ``no_published_claim``, ``paused``), and the ``state`` (an
    ``ArticleWatch`` or None before the first check). Two queries."""
    state = ArticleWatch.objects.filter(article=article).first()
    if not article.original_url:
        why_not = "no_url"
    elif state is not None and state.paused:
        why_not = "paused"
    elif not published_claims_in(article.pk).exists():
        why_not = "no_published_claim"
    else:
        why_not = ""
    chosen = state.interval if state else None
    interval = next((key for key, (value, _l) in WATCH_INTERVALS.items() if value == chosen), "")
    return {"watched": not why_not, "why_not": why_not, "state": state, "interval": interval}


def paragraph_updates(article: Article, spans) -> list[tuple[int, tuple]]:
    """(index, runs) of the paragraphs overlapping ``spans``, rendered afresh.

    Only mentions inside those paragraphs are loaded, so a change in a long article costs
    the paragraphs it touches, not the whole text.
    """
    revision = article.current_revision
    spans = list(spans)
    bounds = paragraph_spans(revision.text)
    touched = [
        index
        for index, (p_start, p_end) in enumerate(bounds)
        if any(start < p_end and p_start < end for start, end in spans)
    ]
    if not touched:
        return []
    low, high = bounds[touched[0]][0], bounds[touched[-1]][1]
    mentions = _highlighted(Mention.objects.filter(revision=revision, start__lt=high, end__gt=low))
    paragraphs = paragraph_runs(revision.text, mentions, only=set(touched))
    return [(index, paragraphs[index]) for index in touched]


def claim_spans(claim: Claim, article: Article) -> list[tuple[int, int]]:
    """(start, end) of the claim's passages in the article's current text."""
    return list(
        claim.mentions.filter(revision=article.current_revision).values_list("start", "end")
    )


def first_mention(claim: Claim, article: Article) -> Mention | None:
    """The claim's first passage in the article: its row in the claims list."""
    return _highlighted(claim.mentions.filter(revision=article.current_revision)).first()


def panel_url(article: Article, claim: Claim) -> str:
    return reverse("claims:desk-claim", kwargs={"pk": article.pk, "claim_pk": claim.pk})


# --- The claim panel ----------------------------------------------------------------------
_DATED_BY_ARTICLE = (Claim.Status.DRAFT, Claim.Status.CHANGES_REQUESTED)


def verdict_locked(claim: Claim) -> bool:
    """A published claim's verdict changes only through a correction."""
    return claim.status == Claim.Status.PUBLISHED


def panel_context(request: HttpRequest, claim: Claim, article: Article, **extra) -> dict:
    """The claim panel beside the text: the claim's form, its sources, its passages here
    and the workflow box; ``extra`` (a bound ``form``, ``sources``, …) overrides."""
    editable = can_edit_claim(request.user, claim)
    form = extra.pop("form", None)
    if form is None:
        initial = {"version": claim.version}
        if claim.claim_date is None and claim.status in _DATED_BY_ARTICLE:
            # Most claims were made when the article appeared: a suggestion in the form,
            # saved only when the editor saves.
            initial["claim_date"] = article.published_on
        form = ClaimForm(instance=claim, initial=initial, verdict_locked=verdict_locked(claim))
    sources = extra.pop("sources", None)
    if sources is None:
        sources = SourceFormSet(instance=claim, prefix="sources")
    # An unbound formset holds the claim's sources already: no second query to know
    # whether there are any.
    has_sources = None if sources.is_bound else sources.initial_form_count() > 0
    return {
        "claim": claim,
        "article": article,
        "form": form,
        "sources": sources,
        "editable": editable,
        "mentions_editable": can_change_mentions(request.user, claim),
        "claim_mentions": claim.mentions.filter(revision=article.current_revision).order_by(
            "start"
        ),
        "explanation_html": render_markdown(claim.explanation),
        **workflow_context(
            request, claim, next_url=panel_url(article, claim), has_sources=has_sources
        ),
        **extra,
    }


# --- The answer after a change of passages (mark, link, adjust, remove) -------------------
def mention_update_context(
    request: HttpRequest,
    article: Article,
    claim: Claim | None,
    *,
    spans,
    new_row: Mention | None = None,
    created: bool = False,
    status_message: str = "",
) -> dict:
    """The ``#mention-update`` answer: the panel of ``claim`` (none if ``None``), the
    paragraphs ``spans`` touched, and the claims list.

    ``new_row`` is the mention of a claim that just got its first passage in this article:
    its row is inserted in reading order. Otherwise the whole list is sent again, since the
    order may have changed. ``created``: the claim was created with ``new_row`` just now,
    so it has that one passage and no sources, and the panel need not ask the database.
    """
    fresh = {}
    if created:
        fresh = {
            "sources": SourceFormSet(
                instance=claim, prefix="sources", queryset=Source.objects.none()
            ),
            "claim_mentions": [new_row],
        }
    context = panel_context(request, claim, article, **fresh) if claim else {"claim": None}
    context |= {
        "article": article,
        "oob_paragraphs": paragraph_updates(article, spans),
        "status_message": status_message,
    }
    if new_row is not None:
        context |= {"new_row": new_row, **_insertion_point(article, new_row)}
    else:
        workspace = workspace_context(article, active=claim)
        context |= {
            "full_list": True,
            "claim_rows": workspace["claim_rows"],
            "claims_count": workspace["claims_count"],
        }
    return context


def _insertion_point(article: Article, mention: Mention) -> dict:
    """Where the new claim's row goes: before the first claim that comes after it in the
    claims list's order (first passage's start, then claim id: ``workspace_context``)."""
    # One query: every other claim's first passage, counted over all of them (the window),
    # the first one after the new passage on top, or else any (there is none after it).
    later = Q(first__gt=mention.start) | Q(first=mention.start, claim_id__gt=mention.claim_id)
    row = (
        Mention.objects.filter(revision=article.current_revision)
        .exclude(claim_id=mention.claim_id)
        .values("claim_id")
        .annotate(
            first=Min("start"),
            others=Window(Count("claim_id")),
            after=Case(When(later, then=0), default=1),
        )
        .order_by("after", "first", "claim_id")
        .first()
    )
    if row is None:
        return {"insert_before": None, "claims_count": 1}
    return {
        "insert_before": row["claim_id"] if row["after"] == 0 else None,
        "claims_count": row["others"] + 1,
    }


# --- Similar claims before a new one is marked ---------------------------------------------
# How many similar claims the panel shows before a new claim is marked.
SIMILAR_BEFORE_MARK = 3
# Unmarked stretches of a selection longer than this are shortened in the panel.
_LONG_STRETCH = 80
_STRETCH_KEPT = 30


def similar_before_mark(revision, start: int, end: int, exact: str) -> list[Similar]:
    """The claims (any status) the passage ``[start, end)`` may repeat, best first — or
    none when a draft claim marks exactly that passage (marking returns that one). Claims
    already marked at exactly this passage are left out. A fixed number of queries,
    however many claims there are."""
    here = Mention.objects.filter(revision=revision, start=start, end=end)
    if here.filter(claim__status=Claim.Status.DRAFT).exists():
        return []
    others = Claim.objects.exclude(pk__in=here.values("claim_id"))
    return similar_claims(exact, revision.article.language, others, limit=SIMILAR_BEFORE_MARK)


def _shorten(stretch: str) -> str:
    if len(stretch) <= _LONG_STRETCH:
        return stretch
    return f"{stretch[:_STRETCH_KEPT]} … {stretch[-_STRETCH_KEPT:]}"


def selection_segments(exact: str, words) -> list[tuple[str, bool]]:
    """``exact`` as ``(text, marked)`` pieces, the shared ``words`` (offsets into it)
    marked; long unmarked stretches shortened. Plain text: the template escapes it."""
    pieces, at = [], 0
    for start, end in sorted(words):
        if start < at:
            continue
        if start > at:
            pieces.append((_shorten(exact[at:start]), False))
        pieces.append((exact[start:end], True))
        at = end
    if at < len(exact):
        pieces.append((_shorten(exact[at:]), False))
    return pieces


def similar_context(article: Article, span: dict, similar: list[Similar]) -> dict:
    """The claim panel in its "similar claims" state: the claims a selection may repeat,
    each with the selection's shared words marked, and the selection to link or mark."""
    return {
        "claim": None,
        "article": article,
        "similar_span": span,
        "similar_claims": [
            {
                "claim": found.claim,
                "score": found.score,
                "segments": selection_segments(span["exact"], found.words),
            }
            for found in similar
        ],
    }


# --- The workflow box (claim panel and review screen) -------------------------------------
def workflow_forms(claim: Claim, data=None, bound: str | None = None) -> dict:
    """The forms of the workflow box; ``bound`` names the one to bind to ``data``."""
    initial = {"version": claim.version}
    forms = {}
    for key, form_class, prefix in (
        ("decision_form", DecisionForm, "decision"),
        ("reason_form", ReasonForm, "reason"),
        ("start_form", CorrectionStartForm, "correction"),
    ):
        auto_id = f"{prefix}-%s"
        if key == bound:
            forms[key] = form_class(data, auto_id=auto_id)
        else:
            forms[key] = form_class(initial=initial, auto_id=auto_id)
    return forms


def workflow_context(
    request: HttpRequest, claim: Claim, *, forms=None, next_url="", has_sources=None
) -> dict:
    """What the workflow box (review screen and claim panel) shows this user
    (``has_sources``: see ``Claim.missing_for_review``)."""
    correction = claim.pending_correction()
    actions = claim.available_actions(request.user, correction)
    in_review = Claim.Status.IN_REVIEW in (claim.status, getattr(correction, "status", None))
    approvals = claim.approvals_count(correction) if in_review else None
    publishes = correction is None and any(STEPS[name].publishes for name in actions)
    return {
        "correction": correction,
        "actions": actions,
        "steps": STEPS,  # the template's form addresses: {% url steps.submit.url_name … %}
        # Shown only while in review ("1 of 2 approvals"): no query for the others.
        "approvals": approvals,
        "required_approvals": required_approvals(),
        # Enough approvals, publishing is a separate step (FACTCHECK_PUBLISH_ON_APPROVAL off,
        # or the last approval came from someone who may not publish).
        "awaiting_publication": approvals is not None and approvals >= required_approvals(),
        # Said before the click: which articles readers will see with this claim.
        "articles_to_publish": list(claim.articles_to_publish()) if publishes else [],
        "missing": claim.missing_for_review(has_sources=has_sources)
        if claim.status in (Claim.Status.DRAFT, Claim.Status.CHANGES_REQUESTED)
        else [],
        "own_work": claim.is_own_work(request.user, correction),
        "may_review": may(request.user, "review"),
        "may_mark": may(request.user, "mark"),
        "next_url": next_url,
        **(forms or workflow_forms(claim)),
    }


# --- Paragraph roles (claims.text.blocks) ------------------------------------------------
BLOCK_ROLE_LABELS = {
    "p": _("Paragraph"),
    "h2": _("Sub-heading"),
    "h3": _("Sub-heading, level 3"),
    "li": _("List item"),
    "quote": _("Block quote"),
}


def block_role_label(role: str) -> str:
    return str(BLOCK_ROLE_LABELS.get(role, role))


def block_update_context(article: Article, index: int) -> dict:
    """The answer after a paragraph's role changed: that paragraph's block, afresh."""
    revision = article.current_revision
    start, end = paragraph_spans(revision.text)[index]
    runs = dict(paragraph_updates(article, [(start, end)])).get(index, ())
    return {
        "article": article,
        "revision": revision,
        "index": index,
        "runs": runs,
        "blocks": revision.blocks,
    }


# --- Hints and "Already checked" (claims.matching) ----------------------------------------
# The reasons of a check-worthiness hint (claims.text.worthiness.REASONS), as the desk
# names them in "Worth checking: number + comparison".
HINT_REASON_LABELS = {
    "number": pgettext_lazy("why worth checking", "number"),
    "date": pgettext_lazy("why worth checking", "date"),
    "comparison": pgettext_lazy("why worth checking", "comparison"),
    "statistics": pgettext_lazy("why worth checking", "statistics"),
    "attribution": pgettext_lazy("why worth checking", "quotation"),
    "causal": pgettext_lazy("why worth checking", "cause and effect"),
    "entity": pgettext_lazy("why worth checking", "named institution or person"),
}


def hint_label(reasons, speaker: str = "") -> str:
    """ "Worth checking: number + comparison, attributed to Lena Brandt": why a sentence
    carries a hint, in the request's language."""
    named = [
        str(HINT_REASON_LABELS.get(code, code))
        for code in reasons
        if not (code == "attribution" and speaker)
    ]
    what = " + ".join(named)
    if speaker and what:
        return gettext("Worth checking: %(reasons)s, attributed to %(speaker)s") % {
            "reasons": what,
            "speaker": speaker,
        }
    if speaker:
        return gettext("Worth checking: attributed to %(speaker)s") % {"speaker": speaker}
    return gettext("Worth checking: %(reasons)s") % {"reasons": what}


def suggestion_sentence_html(text: str, suggestion: ClaimSuggestion):
    """The suggested sentence, escaped, with the words it shares with the claim in
    ``<mark>`` (``suggestion.words``: offsets into the revision's text)."""
    parts = []
    at = suggestion.start
    for start, end in sorted(tuple(span) for span in suggestion.words):
        start, end = max(start, at), min(end, suggestion.end)
        if start >= end:
            continue
        parts.append((text[at:start], text[start:end]))
        at = end
    return format_html(
        "{}{}",
        format_html_join("", "{}<mark>{}</mark>", parts),
        text[at : suggestion.end],
    )


def suggestion_label(suggestion: ClaimSuggestion) -> str:
    """ "False (12 March 2019)": the verdict of the suggested claim and when it appeared."""
    claim = suggestion.claim
    rating = claim.rating.local_label if claim.rating else gettext("no rating")
    if claim.published_at is None:
        return rating
    return gettext("%(rating)s (%(date)s)") % {
        "rating": rating,
        "date": date_format(claim.published_at, "DATE_FORMAT"),
    }


def visible_suggestions(revision: ArticleRevision):
    """The revision's "Already checked" suggestions an editor still has to decide on, one
    query: of published claims, without the ones dismissed for that sentence of the
    article ("Not the same claim") and the ones linked there since (a passage of the
    claim overlaps the sentence). The best one left per sentence, in reading order."""
    dismissed = SuggestionDismissal.objects.filter(
        article_id=revision.article_id,
        claim_id=OuterRef("claim_id"),
        sentence_key=OuterRef("sentence_key"),
    )
    linked = Mention.objects.filter(
        revision_id=revision.pk,
        claim_id=OuterRef("claim_id"),
        start__lt=OuterRef("end"),
        end__gt=OuterRef("start"),
    )
    rows = (
        ClaimSuggestion.objects.filter(revision=revision, claim__status=Claim.Status.PUBLISHED)
        .exclude(Exists(dismissed))
        .exclude(Exists(linked))
        .select_related("claim__rating")
        .only(
            "start",
            "end",
            "words",
            "position",
            "revision_id",
            "claim__slug",
            "claim__claim_reviewed",
            "claim__language",
            "claim__published_at",
            "claim__status",
            "claim__rating",
        )
        .order_by("start", "position")
    )
    best: dict[int, ClaimSuggestion] = {}
    for row in rows:
        best.setdefault(row.start, row)
    return list(best.values())


def checks_context(revision: ArticleRevision | None) -> dict:
    """What the workspace shows of the revision's analysis: its state (``analysis``: a
    ``TextAnalysis`` or None), the "Already checked" items and the data desk.js draws
    the hints and suggestions with (``marks``), in two queries."""
    if revision is None:
        return {
            "analysis": None,
            "suggestions": [],
            "marks": [],
            "marks_json": "[]",
            "hints_count": 0,
        }
    analysis = TextAnalysis.objects.filter(revision=revision).first()
    done = analysis is not None and analysis.status == TextAnalysis.Status.DONE
    suggestions = visible_suggestions(revision) if done else []
    # A sentence already checked is drawn and visited as that, not as a hint too.
    suggested = {suggestion.start for suggestion in suggestions}
    marks = [
        {"kind": "hint", "start": start, "end": end, "label": hint_label(reasons, speaker)}
        for start, end, _score, reasons, speaker in (analysis.hints if done else [])
        if start not in suggested
    ]
    for suggestion in suggestions:
        suggestion.sentence_html = suggestion_sentence_html(revision.text, suggestion)
        suggestion.verdict = suggestion_label(suggestion)
        marks.append(
            {
                "kind": "suggestion",
                "start": suggestion.start,
                "end": suggestion.end,
                "id": suggestion.pk,
                "label": gettext(
                    "Already checked: “%(claim)s” — %(verdict)s. Press A to link it as an "
                    "appearance."
                )
                % {"claim": suggestion.claim.claim_reviewed, "verdict": suggestion.verdict},
            }
        )
    marks.sort(key=lambda mark: mark["start"])
    return {
        "analysis": analysis,
        "suggestions": suggestions,
        "marks": marks,
        # As an attribute's value (escaped by the template): htmx drops <script> elements
        # of its answers (allowScriptTags is off), so json_script would not survive a poll.
        "marks_json": json.dumps(marks, ensure_ascii=False),
        "hints_count": len(analysis.hints) if done else 0,
    }
