"""The article watch's writes: pausing and resuming it (editors and reviewers on the
desk), and a new revision of the publisher's changed text with the notifications of the
people whose passages need checking (the watch task, ``claims/tasks/watch.py``)."""

from collections import Counter
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from claims.importing.cleaning import ImportedText
from claims.models import (
    Article,
    ArticleRevision,
    ArticleWatch,
    ClaimEvent,
    Mention,
    WorkflowError,
)
from claims.roles import may
from claims.services.revisions import RevisionResult, article_revise

#: The shortest interval an article may be given (the scheduler looks every 5 minutes).
MIN_INTERVAL = timedelta(minutes=5)
_KEEP = object()


@transaction.atomic
def article_watch_set(
    *,
    article: Article,
    user: AbstractBaseUser,
    paused: bool | None = None,
    interval: timedelta | object | None = _KEEP,
) -> ArticleWatch:
    """Pause or resume the watch of ``article`` (``paused``), or give it its own interval
    (``interval``; ``None``: the default schedule). Resuming or a new interval makes the
    article due at once, so the editor sees the result of a check soon. Refused
    (``WorkflowError``: ``forbidden``, ``interval``) to users who may not edit, and for an
    interval under :data:`MIN_INTERVAL`; nothing is changed then."""
    if not may(user, "edit"):
        raise WorkflowError(_("Your role does not allow this."), "forbidden")
    if interval is not _KEEP and interval is not None and interval < MIN_INTERVAL:
        raise WorkflowError(_("Check the article at most every five minutes."), "interval")
    watch, _created = ArticleWatch.objects.select_for_update().get_or_create(article=article)
    if paused is not None and paused != watch.paused:
        watch.paused = paused
        if not paused:
            watch.next_check_at = None
    if interval is not _KEEP and interval != watch.interval:
        watch.interval = interval
        watch.next_check_at = None
    watch.save()
    return watch


@transaction.atomic
def article_revise_from_publisher(*, article: Article, imported: ImportedText) -> RevisionResult:
    """Make the publisher's changed text (fetched by the watch) the article's new revision,
    re-anchoring its passages like any new text (``article_revise``; by the system, so no
    user). When passages moved or were orphaned, every claim with such a passage gets an
    ``article_changed`` event: its author and assignee see it among their notifications,
    with the number of passages to check and a link to the anchors review. Raises
    ``SameText`` when the text is the current one already (another check was quicker)."""
    result = article_revise(
        article=article,
        text=imported.text,
        blocks=imported.blocks,
        origin=ArticleRevision.Origin.URL,
        user=None,
    )
    count = result.reanchored + result.orphaned
    if not count:
        return result
    affected = (
        Mention.objects.filter(
            Q(revision=result.revision, anchor=Mention.Anchor.REANCHORED)
            | Q(revision=result.previous, anchor=Mention.Anchor.ORPHANED)
        )
        .select_related("claim")
        .order_by("claim_id")
    )
    claims, passages = {}, Counter()
    for mention in affected:
        claims[mention.claim_id] = mention.claim
        passages[mention.claim_id] += 1
    # One by one, not in bulk: saving an event is what sends its emails (claims.apps).
    for claim in claims.values():
        ClaimEvent.objects.create(
            claim=claim,
            kind=ClaimEvent.Kind.ARTICLE_CHANGED,
            actor=None,
            # The passages of this claim (the article may have more to check).
            params={
                "article": article.pk,
                "revision": result.revision.number,
                "count": passages[claim.pk],
            },
            claim_version=claim.version,
        )
    return result
