"""The editorial workflow on the desk: the review queue, a claim's review screen, the
transitions (submit, approve, request changes, publish, dismiss, reopen, unpublish,
corrections), the claim's timeline and the user's notifications.

Transitions are plain form POSTs answered with a redirect (and a message), so they work
without JavaScript. A refused transition re-renders the review screen with the reason in
words and what the user typed still in the form.
"""

from django.contrib import messages
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from claims.diffing import changes_since_review, field_diffs, text_diff
from claims.forms.desk import CorrectionForm
from claims.markdown import render_markdown
from claims.models import Claim, ClaimEvent, Correction, DeskProfile, Mention, Review, Source
from claims.models.base import older_than
from claims.models.lifecycle import WorkflowError
from claims.roles import may
from claims.services import correction_update
from claims.views.access import desk_required, get_claim_for_user, get_mention_for_user
from claims.views.limits import max_body
from claims.views.responses import refusal_status, safe_next
from claims.workflow_steps import Step
from claims.workspace import workflow_context, workflow_forms

REVIEW_SCREEN = "claims/desk/claim_review.html"

# Refusals about a field of the transition's form: (form, code) → field.
_FIELD_FOR = {
    ("decision_form", "required"): "comment",
    ("reason_form", "required"): "reason",
    ("start_form", "required"): "note",
    ("start_form", "kind"): "kind",
}


def claim_url(claim: Claim) -> str:
    return reverse("claims:desk-claim-review", kwargs={"pk": claim.pk})


# --- Review queue -------------------------------------------------------------------------
@require_safe
@desk_required
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(
        request, "claims/desk/review_queue.html", queue_context(request, claims=_queue_claims())
    )


def _queue_claims():
    return (
        Claim.objects.awaiting_review()
        .select_related("rating", "submitted_by", "author")
        .prefetch_related(
            Prefetch(
                "corrections",
                queryset=Correction.objects.filter(status=Correction.Status.IN_REVIEW),
                to_attr="corrections_in_review",
            )
        )
    )


def queue_context(request: HttpRequest, **extra) -> dict:
    return {
        "may_review": may(request.user, "review"),
        # New appearances of published claims, and removals of approved ones.
        "appearances": Mention.objects.awaiting_review().select_related(
            "claim__rating", "revision__article", "requested_by"
        ),
        **extra,
    }


_APPEARANCE_DECISIONS = {
    "approve": ("approve_appearance", gettext_lazy("Approved: readers now see the change.")),
    "reject": ("reject_appearance", gettext_lazy("Turned down: readers see no change.")),
}


@require_POST
@desk_required
@max_body(20_000)
def appearance_decision(request: HttpRequest, mention_pk: int, decision: str) -> HttpResponse:
    """A reviewer approves or turns down a new appearance of a published claim, or the
    removal of one (four-eyes: never the person who asked for it)."""
    mention = get_mention_for_user(request.user, mention_pk)
    claim = mention.claim
    method, success = _APPEARANCE_DECISIONS[decision]
    try:
        getattr(claim, method)(by=request.user, mention=mention)
    except WorkflowError as refusal:
        context = queue_context(request, claims=_queue_claims(), error=refusal.message)
        return render(
            request,
            "claims/desk/review_queue.html",
            context,
            status=refusal_status(refusal.code),
        )
    messages.success(request, success)
    return redirect(
        safe_next(request, request.POST.get("next", "")) or reverse("claims:desk-review-queue")
    )


# --- The review screen --------------------------------------------------------------------
def review_context(
    request: HttpRequest, claim: Claim, *, forms=None, error=None, next_url="", open_form=""
) -> dict:
    """The review screen; ``next_url``: where its forms return to (the claim panel that
    linked here), ``open_form``: "reason" or "correction", the form to show unfolded."""
    context = workflow_context(request, claim, forms=forms, next_url=next_url)
    context["open_form"] = open_form
    correction = context["correction"]
    last_review, diffs, source_changes = changes_since_review(claim)
    mentions = (
        Mention.objects.filter(claim=claim, revision__article__current_revision=F("revision"))
        .select_related("revision__article")
        .order_by("revision__article__title", "start")
    )
    context |= {
        "claim": claim,
        "mentions": mentions,
        "sources": Source.objects.filter(claim=claim)
        .select_related("link_check")
        .order_by("position", "pk"),
        "explanation_html": render_markdown(claim.explanation),
        "last_review": last_review,
        "diffs": diffs,
        "source_changes": source_changes,
        "reviews": claim.reviews.select_related("reviewer").order_by("-created_at")[:20],
        "error": error,
        "next_in_queue": _next_in_queue(request.user, claim),
    }
    if correction is not None:
        context["correction_changes"] = [
            (label, text_diff(str(old or ""), str(new or "")))
            for label, old, new in correction.proposed_changes()
        ]
    return context


def _next_in_queue(user, claim: Claim) -> Claim | None:
    """For reviewers: the next claim in the queue this user can decide (not their own
    work, no decision of theirs on its current version). The queue's size is the desk
    navigation's counter (``{% desk_counts %}``)."""
    if not may(user, "review"):
        return None
    decided = Review.objects.filter(
        claim=OuterRef("pk"), reviewer=user, claim_version=OuterRef("version")
    )
    return (
        Claim.objects.awaiting_review()
        .exclude(pk=claim.pk)
        .exclude(Q(author=user) | Q(last_edited_by=user))
        .exclude(Exists(decided))
        .first()
    )


# The review screen's folded forms, which the claim panel links to (?open=…#…-form).
_FOLDED = ("reason", "correction")


@require_safe
@desk_required
def claim_review(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_user(request.user, pk)
    context = review_context(
        request,
        claim,
        next_url=safe_next(request, request.GET.get("next", "")),
        open_form=request.GET.get("open", "") if request.GET.get("open") in _FOLDED else "",
    )
    return render(request, REVIEW_SCREEN, context)


@require_POST
@desk_required
@max_body(200_000)
def transition(request: HttpRequest, pk: int, step: Step) -> HttpResponse:
    """Move the claim one step along its lifecycle; the refusal, if any, in words."""
    claim = get_claim_for_user(request.user, pk)
    forms = workflow_forms(claim, request.POST, bound=step.form)
    form = forms.get(step.form)
    try:
        if form is not None and not form.is_valid():
            raise WorkflowError(_("Please correct the form below."), "form")
        kwargs = _transition_arguments(request, form, step)
        result = getattr(claim, step.method)(by=request.user, **kwargs)
        published_articles = result if step.publishes else []
    except WorkflowError as refusal:
        field = _FIELD_FOR.get((step.form, refusal.code))
        if field:  # a refusal about what was typed: shown at its field and in the summary
            form.add_error(field, refusal.message)
        claim.refresh_from_db()
        context = review_context(
            request,
            claim,
            forms=forms,
            error=refusal.message,
            next_url=safe_next(request, request.POST.get("next", "")),
        )
        return render(request, REVIEW_SCREEN, context, status=refusal_status(refusal.code))
    messages.success(request, step.success)
    for article in published_articles:
        messages.info(
            request,
            _("The article “%(title)s” is now public.") % {"title": article.title},
        )
    return redirect(_next_url(request, claim))


def _transition_arguments(request: HttpRequest, form, step: Step) -> dict:
    data = form.cleaned_data if form is not None else {}
    kwargs = {}
    if step.versioned:
        version = data.get("version") if form is not None else request.POST.get("version")
        if version in (None, ""):
            raise WorkflowError(_("The form is missing the claim's version; reload the page."))
        try:
            kwargs["version"] = int(version)
        except (TypeError, ValueError):
            raise WorkflowError(_("The form's claim version is not a number.")) from None
    kwargs.update((name, data[name]) for name in step.fields)
    return kwargs


def _next_url(request: HttpRequest, claim: Claim) -> str:
    return safe_next(request, request.POST.get("next", "")) or claim_url(claim)


# --- Editing a correction -----------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@desk_required
@max_body(1_000_000)
def correction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_user(request.user, pk)
    correction = claim.pending_correction()
    editable = (
        correction is not None
        and correction.status != Correction.Status.IN_REVIEW
        and may(request.user, "correct")
    )
    if not editable:
        return render(
            request,
            "claims/desk/error.html",
            {"message": _("There is no correction of this claim you can edit now.")},
            status=409 if claim.status == Claim.Status.PUBLISHED else 404,
        )
    form = CorrectionForm(
        request.POST or None, instance=correction, initial={"version": claim.version}
    )
    status = 200
    error = None
    if request.method == "POST":
        if form.is_valid():
            try:
                correction_update(
                    correction=form.save(commit=False),
                    expected_version=form.cleaned_data["version"],
                    user=request.user,
                )
            except WorkflowError as refusal:
                error, status = refusal.message, 409
            else:
                messages.success(request, _("Correction saved."))
                return redirect(claim_url(claim))
        else:
            status = 422
    return render(
        request,
        "claims/desk/correction_form.html",
        {"claim": claim, "correction": correction, "form": form, "error": error},
        status=status,
    )


# --- Timeline -----------------------------------------------------------------------------
@require_safe
@desk_required
def claim_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything that happened to a claim: events with comments, and field changes."""
    claim = get_claim_for_user(request.user, pk)
    records = list(
        claim.history.select_related("history_user", "rating", "assignee").order_by(
            "history_date", "history_id"
        )
    )
    entries = []
    for previous, record in zip([None, *records], records, strict=False):
        if previous is None:
            entries.append(
                {"when": record.history_date, "who": record.history_user, "created": True}
            )
            continue
        diffs = field_diffs(previous, record)
        if diffs:
            entries.append(
                {"when": record.history_date, "who": record.history_user, "diffs": diffs}
            )
    for record in Source.history.filter(claim_id=claim.pk).select_related("history_user"):
        entries.append({"when": record.history_date, "who": record.history_user, "source": record})
    events = claim.events.select_related("actor", "recipient", "correction")
    entries.extend(
        {"when": event.created_at, "who": event.actor, "event": event} for event in events
    )
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return render(request, "claims/desk/claim_history.html", {"claim": claim, "entries": entries})


# --- Notifications ------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@desk_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        DeskProfile.objects.update_or_create(
            user=request.user, defaults={"notifications_seen_at": timezone.now()}
        )
        messages.success(request, _("All notifications marked as read."))
        return redirect("claims:desk-notifications")
    profile = DeskProfile.objects.filter(user=request.user).first()
    events = ClaimEvent.objects.notifications_for(request.user).select_related(
        "claim", "actor", "correction"
    )
    # Keyset pages, newest first: "older" continues after the last event shown, so a
    # page far back costs what the first does (an offset would read every newer event).
    before = _notification_cursor(request.GET.get("before", ""))
    if before is not None:
        events = events.filter(older_than("created_at", before.created_at, before.pk))
    events = list(events[: NOTIFICATIONS_PER_PAGE + 1])
    older = events[NOTIFICATIONS_PER_PAGE - 1] if len(events) > NOTIFICATIONS_PER_PAGE else None
    events = events[:NOTIFICATIONS_PER_PAGE]
    seen_at = profile.notifications_seen_at if profile else None
    for event in events:
        event.unread = seen_at is None or event.created_at > seen_at
    return render(
        request,
        "claims/desk/notifications.html",
        {
            "events": events,
            "unread": sum(event.unread for event in events),
            "older": older,
            "paged": before is not None,
        },
    )


NOTIFICATIONS_PER_PAGE = 50


def _notification_cursor(value: str) -> ClaimEvent | None:
    """The event a page of older notifications continues after (``?before=<id>``); None
    for the newest page, also when the event is gone or the value is no number."""
    if not value.isdigit() or len(value) > 18:
        return None
    return ClaimEvent.objects.filter(pk=int(value)).only("pk", "created_at").first()
