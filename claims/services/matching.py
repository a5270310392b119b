"""The analysis of a revision's text (hints and "Already checked" suggestions), stored,
and what editors do with a suggestion: link the sentence to the claim, or say it is not
the same claim."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from claims.matching import analyse
from claims.models import (
    ArticleRevision,
    ClaimSuggestion,
    Mention,
    SuggestionDismissal,
    TextAnalysis,
)
from claims.services.mentions import mention_link


def analysis_request(revision: ArticleRevision) -> TextAnalysis:
    """Mark the revision's analysis as waiting (a task will make it): a new revision, or
    an editor asking to compare the text again with the claims published since."""
    analysis, created = TextAnalysis.objects.get_or_create(revision=revision)
    if not created and analysis.status != TextAnalysis.Status.QUEUED:
        analysis.status = TextAnalysis.Status.QUEUED
        analysis.save(update_fields=["status"])
    return analysis


def revision_analyse(revision: ArticleRevision) -> TextAnalysis:
    """Analyse the revision's text and store the result: its hints, and its suggestions
    in place of the ones it had (nothing half-written: one transaction)."""
    found = analyse(revision)
    with transaction.atomic():
        analysis, _created = TextAnalysis.objects.select_for_update().get_or_create(
            revision=revision
        )
        ClaimSuggestion.objects.filter(revision=revision).delete()
        ClaimSuggestion.objects.bulk_create(
            ClaimSuggestion(
                revision=revision,
                start=suggested.sentence.start,
                end=suggested.sentence.end,
                sentence_key=suggested.sentence_key,
                claim_id=suggested.claim_id,
                score=suggested.score,
                words=[list(span) for span in suggested.words],
                position=suggested.position,
            )
            for suggested in found.suggestions
        )
        analysis.hints = [
            [hint.start, hint.end, hint.score, list(hint.reasons), hint.speaker]
            for hint in found.hints
        ]
        analysis.claims_compared = found.claims_compared
        analysis.status = TextAnalysis.Status.DONE
        analysis.finished_at = timezone.now()
        analysis.save()
    return analysis


def analysis_fail(revision_pk: int) -> None:
    """The analysis could not be made (the task gave up): the desk says so instead of
    waiting for ever."""
    TextAnalysis.objects.filter(revision_id=revision_pk).update(
        status=TextAnalysis.Status.FAILED, finished_at=timezone.now()
    )


def suggestion_dismiss(*, suggestion: ClaimSuggestion, user: AbstractBaseUser) -> None:
    """ "Not the same claim": never suggest this claim for this sentence of this article
    again, in this revision or a later one."""
    SuggestionDismissal.objects.get_or_create(
        article_id=suggestion.revision.article_id,
        claim_id=suggestion.claim_id,
        sentence_key=suggestion.sentence_key,
        defaults={"dismissed_by": user},
    )


def suggestion_link(*, suggestion: ClaimSuggestion, user: AbstractBaseUser) -> Mention:
    """Link the suggested sentence to its claim as a new appearance: for a published
    claim it waits for a reviewer's approval, as every new appearance does
    (``mention_link``). Raises ``StaleRevision`` when the text changed since."""
    revision = suggestion.revision
    return mention_link(
        claim=suggestion.claim,
        revision=revision,
        start=suggestion.start,
        end=suggestion.end,
        exact=revision.text[suggestion.start : suggestion.end],
        user=user,
    )
