"""Articles: a new article with its first revision, its metadata, and new revisions of its
text (with every mention re-anchored onto them)."""

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from claims.importing.cleaning import ImportedText
from claims.importing.errors import ArticleImportError
from claims.models import (
    Article,
    ArticleImport,
    ArticleRevision,
    ArticleWatch,
    Mention,
    WorkflowError,
)
from claims.models.base import unique_slug
from claims.roles import may
from claims.text import normalize, paragraph_spans
from claims.text.blocks import ROLES, compact
from claims.text.reanchor import reanchor_all


class ArticleChanged(Exception):
    """Someone else saved the article's metadata since the editor loaded the form."""

    def __init__(self, article: Article) -> None:
        super().__init__(f"article {article.pk} changed since the form was loaded")
        self.article = article


@transaction.atomic
def article_create(
    *,
    article: Article,
    imported: ImportedText,
    origin: str,
    user: AbstractBaseUser,
    from_import: ArticleImport | None = None,
) -> Article:
    """Save the new ``article`` (unsaved, with the metadata the editor typed) and its first
    revision, the ``imported`` text. Metadata the editor left empty comes from the import;
    without a title at all it raises ``ArticleImportError`` (the article could not be
    found again) and nothing is saved.

    ``from_import``: the background import (still without an article) whose preview this
    was; it is linked to the article, and the text its page gave becomes the article
    watch's baseline."""
    article.title = article.title or imported.title
    if not article.title:
        # Without a title the article cannot be found again: ask for one.
        raise ArticleImportError("no_title", _("Give the article a title."))
    article.byline = article.byline or imported.byline
    article.published_on = article.published_on or imported.published_on
    article.outlet = article.outlet or imported.site_name
    article.language = article.language or imported.language or "de"
    article.slug = unique_slug(Article, article.title)
    article.created_by = user
    article.save()
    revision = ArticleRevision.objects.create(
        article=article,
        number=1,
        text=imported.text,
        blocks=list(imported.blocks),
        origin=origin,
        created_by=user,
    )
    article.current_revision = revision
    article.save(update_fields=["current_revision", "updated_at"])
    linked = from_import is not None and ArticleImport.objects.filter(
        pk=from_import.pk, article=None
    ).update(article=article)
    if linked and from_import.source_digest:
        ArticleWatch.objects.create(article=article, text_digest=from_import.source_digest)
    return article


@transaction.atomic
def article_update(*, article: Article, loaded_updated_at: str, user: AbstractBaseUser) -> Article:
    """Save ``article`` (metadata changed by a form, not yet saved) unless the stored
    article changed since the form was loaded; its history records ``user``."""
    current = Article.objects.select_for_update().get(pk=article.pk)
    if current.updated_at.isoformat() != loaded_updated_at:
        raise ArticleChanged(current)
    if current.published_at is not None:
        article.slug = current.slug  # frozen once readers could see it, whatever was posted
    article.status, article.published_at = current.status, current.published_at
    article.current_revision_id = current.current_revision_id
    article._history_user = user
    article._change_reason = "metadata"
    article.save()
    return article


@dataclass(frozen=True)
class RevisionResult:
    revision: ArticleRevision
    anchored: int
    reanchored: int
    orphaned: int
    quote_changed: int
    # The revision it replaced (read under the article's lock), whose orphaned mentions
    # stay on it.
    previous: ArticleRevision | None = None


class SameText(Exception):
    """The new text is the article's current text: no revision is made."""


@transaction.atomic
def article_revise(
    *,
    article: Article,
    text: str,
    origin: str,
    user: AbstractBaseUser,
    blocks: Sequence[str] = (),
) -> RevisionResult:
    """Make ``text`` the article's new current revision and re-anchor every mention of
    the previous one onto it (``claims.text.reanchor``).

    A mention found at the same place keeps being ``anchored``; one found elsewhere, or
    fuzzily with enough confidence, moves and becomes ``reanchored`` (with where it was
    before, so an editor can compare); one that cannot be placed without doubt stays on
    the old revision as ``orphaned``. Nothing moves silently with low confidence.
    ``blocks`` are the new text's paragraph roles, from its own import (empty: all plain).
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    old = article.current_revision
    text = normalize(text)
    if old is not None and old.text == text:
        raise SameText
    number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = ArticleRevision.objects.create(
        article=article,
        number=number,
        text=text,
        blocks=list(blocks),
        origin=origin,
        created_by=user,
    )
    article.current_revision = revision
    article._history_user = user
    article.save(update_fields=["current_revision", "updated_at"])
    counts = {"anchored": 0, "reanchored": 0, "orphaned": 0, "quote_changed": 0}
    if old is None:
        return RevisionResult(revision, **counts)
    mentions = list(Mention.objects.filter(revision=old).select_related("claim"))
    results = reanchor_all(
        old.text,
        text,
        [(m, m.start, m.end, m.exact, m.prefix, m.suffix) for m in mentions],
    )
    placed: set[tuple[int, int, int]] = set()
    for mention, anchoring in results:
        mention._history_user = user
        spot = (mention.claim_id, anchoring.start, anchoring.end)
        if anchoring.state != Mention.Anchor.ORPHANED and spot in placed:
            # Two passages of one claim landed on the same place: neither is certain.
            anchoring = dataclasses.replace(
                anchoring, state="orphaned", start=None, end=None, confidence=0.0
            )
        placed.add(spot)
        if anchoring.state == Mention.Anchor.ORPHANED:
            counts["orphaned"] += 1
            mention.anchor, mention.anchor_confidence = Mention.Anchor.ORPHANED, 0.0
            mention.save()
            continue
        before = (mention.exact, mention.prefix, mention.suffix)
        mention.revision = revision
        mention.start, mention.end = anchoring.start, anchoring.end
        mention.take_quote()
        state = anchoring.state
        if (
            state == Mention.Anchor.REANCHORED
            and (mention.exact, mention.prefix, mention.suffix) == before
        ):
            # Same words in the same surroundings, only shifted by edits elsewhere: nothing
            # for an editor to decide.
            state = Mention.Anchor.ANCHORED
        if state == Mention.Anchor.REANCHORED:
            mention.previous_revision = old
            mention.previous_exact, mention.previous_prefix, mention.previous_suffix = before
        counts[state] += 1
        mention.anchor = state
        mention.anchor_confidence = anchoring.confidence
        mention.quote_changed = anchoring.quote_changed
        counts["quote_changed"] += anchoring.quote_changed
        mention.save()
    return RevisionResult(revision, previous=old, **counts)


@transaction.atomic
def revision_block_set(
    *, article: Article, revision_id: int, index: int, role: str, user: AbstractBaseUser
) -> ArticleRevision:
    """Give paragraph ``index`` of the article's current revision the role ``role``.

    The role is metadata of the revision: no new revision is made and no mention moves.
    Refused (``WorkflowError`` with the code ``forbidden``, ``stale``, ``role`` or
    ``index``; nothing changed) when the user may not edit, the revision
    is no longer the current one, the paragraph does not exist or the role is unknown."""
    if not may(user, "edit"):
        raise WorkflowError(_("Your role does not allow this."), "forbidden")
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.current_revision_id is None or article.current_revision_id != revision_id:
        raise WorkflowError(
            _("The article has a newer text since this page was loaded. Reload the page."),
            "stale",
        )
    if role not in ROLES:
        raise WorkflowError(_("Choose a role from the list."), "role")
    revision = ArticleRevision.objects.get(pk=revision_id)
    count = len(paragraph_spans(revision.text))
    if not 0 <= index < count:
        raise WorkflowError(_("This paragraph does not exist in the article's text."), "index")
    roles = revision.roles()
    roles[index] = role
    revision.blocks = compact(roles)
    revision.save(update_fields=["blocks"])
    return revision
