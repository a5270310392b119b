"""Small builders for test data: plain functions, explicit arguments."""

import itertools

from django.utils import timezone

from claims.models import Article, ArticleRevision, Claim, Mention, Rating, Source
from claims.text import normalize

_counter = itertools.count(1)


def make_rating(label: str = "False", value: int | None = 1, **fields) -> Rating:
    slug = fields.pop("slug", f"rating-{next(_counter)}")
    return Rating.objects.create(label=label, slug=slug, value=value, **fields)


def make_article(
    text: str = "Erster Absatz.\n\nZweiter Absatz.", *, status=Article.Status.PUBLISHED, **fields
) -> Article:
    n = next(_counter)
    fields.setdefault("title", f"Article {n}")
    fields.setdefault("slug", f"article-{n}")
    article = Article.objects.create(status=status, **fields)
    revision = ArticleRevision.objects.create(article=article, number=1, text=normalize(text))
    article.current_revision = revision
    article.save(update_fields=["current_revision"])
    return article


def make_claim(*, status=Claim.Status.PUBLISHED, rating: Rating | None = None, **fields) -> Claim:
    n = next(_counter)
    fields.setdefault("claim_reviewed", f"Claim number {n}")
    fields.setdefault("slug", f"claim-{n}")
    if status == Claim.Status.PUBLISHED:
        fields.setdefault("published_at", timezone.now())
    return Claim.objects.create(status=status, rating=rating, **fields)


def mark(claim: Claim, article: Article, start: int, end: int) -> Mention:
    mention = Mention.for_span(
        claim=claim, revision=article.current_revision, start=start, end=end
    )
    mention.save()
    return mention


def mark_quote(claim: Claim, article: Article, quote: str) -> Mention:
    start = article.current_revision.text.index(quote)
    return mark(claim, article, start, start + len(quote))


def add_source(claim: Claim, **fields) -> Source:
    fields.setdefault("url", "https://example.org/evidence")
    fields.setdefault("title", "Evidence")
    return Source.objects.create(claim=claim, **fields)


def make_ready_claim(author, *, rating: Rating | None = None, **fields) -> Claim:
    """A draft by ``author`` with everything review needs: rating, conclusion, a source."""
    rating = rating or Rating.objects.first() or make_rating()
    fields.setdefault("conclusion", "Das stimmt so nicht.")
    claim = make_claim(
        status=Claim.Status.DRAFT,
        rating=rating,
        author=author,
        last_edited_by=author,
        assignee=author,
        **fields,
    )
    add_source(claim)
    return claim
