"""The analysis of a new revision's text in the background: check-worthiness hints and
the published claims its sentences may repeat (``services.revision_analyse``).

:func:`on_revision` (a ``post_save`` hook, connected in ``claims.apps``) marks every new
revision's analysis as waiting and enqueues :func:`analyse_revision` once the revision is
committed; the desk shows "Comparing with earlier fact-checks…" until it is done.
"""

from claims import services
from claims.models import ArticleRevision
from claims.tasks.base import (
    PRIORITY_INTERACTIVE,
    background_task,
    enqueue_on_commit,
    events_start_tasks,
)


def _give_up(revision_pk: int) -> None:
    services.analysis_fail(revision_pk)


@background_task(priority=PRIORITY_INTERACTIVE, on_give_up=_give_up)
def analyse_revision(revision_pk: int) -> dict:
    """Analyse one revision's text and store the result."""
    revision = ArticleRevision.objects.select_related("article").filter(pk=revision_pk).first()
    if revision is None:
        return {"skipped": "revision gone"}
    analysis = services.revision_analyse(revision)
    return {"hints": len(analysis.hints), "suggestions": revision.suggestions.count()}


def request_analysis(revision: ArticleRevision) -> None:
    """Mark the analysis as waiting and enqueue it after the commit."""
    services.analysis_request(revision)
    enqueue_on_commit(analyse_revision, revision.pk)


def on_revision(sender, instance: ArticleRevision, created: bool, raw: bool = False, **kwargs):
    """``post_save`` of ``ArticleRevision``: every new text is analysed."""
    if created and not raw and events_start_tasks():
        request_analysis(instance)
