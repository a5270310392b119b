"""W3C Web Annotations of an article's published fact-checks (docs/api.md, "Web Annotations
and the ClaimReview feed").

One ``Annotation`` per passage readers see on the article page (a published mention of a
published claim in the current text), gathered in an ``AnnotationCollection`` whose first
(and only) ``AnnotationPage`` embeds them all: the format Hypothesis and other annotation
clients read (Web Annotation Data Model, https://www.w3.org/TR/annotation-model/).

Builds plain data from models the caller loaded; reads nothing itself except through
``published_mentions`` (one query).
"""

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext as _

from claims.claimreview import absolute
from claims.models import Article, ArticleRevision, Claim, Mention
from claims.models.base import is_web_url
from claims.text import quote_context

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# The media type of the collection (Web Annotation Protocol, section 4).
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
# Code points of context before and after the quote (the model stores as many).
CONTEXT_WIDTH = 32


def page_addresses(url: str) -> list[str]:
    """The forms under which the desk may have stored the article of the publisher's page
    ``url`` (an absolute http(s) address, as the embed script sends its canonical URL):
    without the fragment, with and without a trailing slash on the path, on http and
    https. Query strings are kept: on some sites they name the article."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[", an unclosed IPv6 host
        return []
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return []
    host = parts.netloc.lower()
    path = parts.path or "/"
    paths = {path, path.rstrip("/") or "/", path if path.endswith("/") else f"{path}/"}
    return sorted(
        {
            urlunsplit((scheme, host, variant, parts.query, ""))
            for scheme in ("https", "http")
            for variant in paths
        }
    )


def article_at(url: str) -> Article | None:
    """The public article whose original address is the page ``url`` (``page_addresses``),
    the most recently published where several are; ``None`` if there is none."""
    addresses = page_addresses(url)
    if not addresses:
        return None
    return (
        Article.objects.published()
        .filter(original_url__in=addresses)
        .select_related("current_revision")
        .order_by("-published_at", "-pk")
        .first()
    )


def published_mentions(revision: ArticleRevision) -> list[Mention]:
    """The passages of ``revision`` readers see on the article page: of published claims,
    approved (a new appearance waiting for a second person is left out, one waiting to be
    removed stays until that is approved), not hidden by a changed quote, and only while
    the article is public and ``revision`` its current text. In text order, one query."""
    return list(
        Mention.objects.published()
        .in_public_articles()
        .in_revision(revision)
        .select_related("claim__rating")
        .order_by("start", "-end", "pk")
    )


def article_annotations(
    article: Article,
    revision: ArticleRevision,
    mentions: list[Mention],
    *,
    collection_url: str,
    request,
) -> dict[str, Any]:
    """The ``AnnotationCollection`` of ``article``: one ``Annotation`` for each of
    ``mentions`` (passages of ``revision``, as ``published_mentions`` finds them), all on
    the first page. ``collection_url`` is the collection's own absolute address."""
    page_url = f"{collection_url}?page=1"
    items = [
        _annotation(article, revision, mention, collection_url=collection_url, request=request)
        for mention in mentions
    ]
    return {
        "@context": CONTEXT,
        "id": collection_url,
        "type": "AnnotationCollection",
        "label": article.title,
        "total": len(items),
        "first": {
            "id": page_url,
            "type": "AnnotationPage",
            "partOf": collection_url,
            "startIndex": 0,
            "items": items,
        },
        "last": page_url,
    }


def _annotation(
    article: Article,
    revision: ArticleRevision,
    mention: Mention,
    *,
    collection_url: str,
    request,
) -> dict[str, Any]:
    if mention.revision_id != revision.pk:
        raise ValueError(f"Mention {mention.pk} is not in revision {revision.pk}.")
    claim = mention.claim
    quote = quote_context(revision.text, mention.start, mention.end, CONTEXT_WIDTH)
    quote_selector = {"type": "TextQuoteSelector", "exact": quote.exact}
    # Empty context (a passage at the very start or end of the text) is left out.
    if quote.prefix:
        quote_selector["prefix"] = quote.prefix
    if quote.suffix:
        quote_selector["suffix"] = quote.suffix
    return {
        "@context": CONTEXT,
        # A fragment of the collection: the annotation is found (and only found) there.
        "id": f"{collection_url}#mention-{mention.pk}",
        "type": "Annotation",
        "motivation": "assessing",
        "created": _timestamp(mention.created_at),
        "modified": _timestamp(max(mention.created_at, claim.updated_at)),
        "creator": _organisation(request),
        "body": [
            _verdict_body(claim),
            _claim_link_body(claim, request),
            *_parts_bodies(claim),
        ],
        "target": {
            "source": _article_url(article, request),
            "selector": [
                quote_selector,
                {"type": "TextPositionSelector", "start": mention.start, "end": mention.end},
            ],
        },
    }


def _verdict_body(claim: Claim) -> dict[str, Any]:
    """The verdict and the conclusion as text in the claim's language."""
    with translation.override(claim.language):
        verdict = claim.rating.local_label if claim.rating else ""
        if verdict and claim.conclusion:
            # Translators: the text of a fact-check annotation (W3C Web Annotation body):
            # the rating's name, then the claim's one-sentence conclusion.
            value = _("%(verdict)s: %(conclusion)s") % {
                "verdict": verdict,
                "conclusion": claim.conclusion,
            }
        else:
            value = verdict or claim.conclusion or _("Fact-checked")
    return {
        "type": "TextualBody",
        "value": value,
        "format": "text/plain",
        "language": claim.language,
        "purpose": "assessing",
    }


def _parts_bodies(claim: Claim) -> list[dict[str, Any]]:
    """The verdict's parts one by one, for clients that show them apart (the embed
    script's popover): the rating's name ("classifying", with its slug and colour), the
    claim as reviewed ("identifying": what the passage claims) and the conclusion
    ("describing"). Each in the claim's language; an empty part is left out."""
    bodies = []
    with translation.override(claim.language):
        if claim.rating is not None:
            bodies.append(
                {
                    "type": "TextualBody",
                    "value": claim.rating.local_label,
                    "format": "text/plain",
                    "language": claim.language,
                    "purpose": "classifying",
                    "schema:identifier": claim.rating.slug,
                    "schema:color": claim.rating.colour,
                }
            )
    for purpose, value in (
        ("identifying", claim.claim_reviewed),
        ("describing", claim.conclusion),
    ):
        if value:
            bodies.append(
                {
                    "type": "TextualBody",
                    "value": value,
                    "format": "text/plain",
                    "language": claim.language,
                    "purpose": purpose,
                }
            )
    return bodies


def _claim_link_body(claim: Claim, request) -> dict[str, Any]:
    """The claim page (whose ClaimReview is the full fact-check) as a Specific Resource with
    the purpose "linking": the model puts a purpose on a Specific Resource, never on the
    page itself. The page in the claim's language where the site has it."""
    with translation.override(_site_language(claim.language)):
        url = iri_to_uri(absolute(request, claim.get_absolute_url()))
    return {
        "purpose": "linking",
        "source": {
            "id": url,
            "type": "Text",
            "format": "text/html",
            "language": claim.language,
            # The claim's slug, with the schema.org prefix the annotation context defines.
            "schema:identifier": claim.slug,
        },
    }


def _article_url(article: Article, request) -> str:
    """The article where it was published, else its public page on this site."""
    if is_web_url(article.original_url):
        return iri_to_uri(article.original_url)
    with translation.override(_site_language(article.language)):
        return iri_to_uri(absolute(request, article.get_absolute_url()))


def _organisation(request) -> dict[str, Any]:
    homepage = settings.FACTCHECK_ORGANIZATION_URL
    creator: dict[str, Any] = {
        "id": homepage or absolute(request, "/"),
        "type": "Organization",
        "name": settings.FACTCHECK_ORGANIZATION_NAME,
    }
    if homepage:
        creator["homepage"] = homepage
    return creator


def _site_language(tag: str) -> str:
    """The site's language for a language tag ("de-AT" → "de"), the default for others:
    an unknown language would put a prefix into the URL that no page answers."""
    try:
        return translation.get_supported_language_variant(tag)
    except LookupError:
        return settings.LANGUAGE_CODE


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
