"""What the API's resources look like: the pydantic schemas behind /api/openapi.json.

Field names are the desk's (``claim_reviewed``, ``claimant`` …) in snake_case; dates are
ISO 8601; every resource carries its public page (``url``) and its API address
(``api_url``), both absolute. Labels (ratings, kinds) come in the request's language;
the machine values beside them (``slug``, ``value``, ``kind``) never change.
"""

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import Field


class ProblemParameter(Schema):
    location: str = Field(description="`query`, `path` or `body`.")
    name: str
    detail: str


class Problem(Schema):
    """An error (RFC 9457), served as ``application/problem+json``."""

    type: str = Field(description="`about:blank`: the status says what happened.")
    title: str = Field(description="The HTTP status's phrase, in the request's language.")
    status: int
    detail: str = Field(description="What went wrong, in words, in the request's language.")
    code: str = Field(description="A machine name of the error, e.g. `invalid_cursor`.")
    instance: str | None = None
    errors: list[ProblemParameter] | None = None


# The errors every read may answer.
READ_ERRORS = {400: Problem, 404: Problem, 410: Problem, 429: Problem}


class Rating(Schema):
    slug: str = Field(description="Machine name of the verdict, e.g. `false`.")
    scale: str
    value: int | None = Field(
        description="Position on the true–false axis (higher is truer); null off the axis."
    )
    label: str = Field(description="The verdict's name in the request's language.")
    description: str
    colour: str = Field(description="The verdict's colour on the site, `#rrggbb`.")


class RatingScale(Schema):
    items: list[Rating]


class ArticleRef(Schema):
    slug: str
    title: str
    url: str
    api_url: str


class ClaimSummary(Schema):
    slug: str
    url: str = Field(description="The claim's public page.")
    api_url: str
    claim_reviewed: str = Field(description="The claim as reviewed, in one sentence.")
    claimant: str
    claimant_url: str
    claim_date: date | None
    language: str = Field(description="BCP 47 tag of the claim's language.")
    rating: Rating | None
    conclusion: str
    published_at: datetime
    updated_at: datetime


class ClaimPage(Schema):
    items: list[ClaimSummary]
    next: str | None = Field(description="The next page's address; null on the last page.")
    next_cursor: str | None


class MatchedWord(Schema):
    text: str = Field(description="A word of the given text that the claim shares.")
    start: int = Field(description="Its start: a code-point offset into the given text.")
    end: int = Field(description="Its end (exclusive).")


class SimilarClaim(ClaimSummary):
    score: float = Field(description="How alike the text and the claim are, 0–1.")
    matched: list[MatchedWord] = Field(
        description="The words of the given text that matched, in the text's order."
    )


class SimilarClaims(Schema):
    items: list[SimilarClaim] = Field(description="Best match first; empty when none is alike.")


class Source(Schema):
    title: str
    url: str
    publisher: str
    published_on: date | None
    accessed_on: date | None
    kind: str
    stance: str
    quote: str
    archived_url: str


class Appearance(Schema):
    article: ArticleRef
    revision: int = Field(description="The article revision the passage is marked in.")
    exact: str = Field(description="The passage as quoted from the article's text.")
    prefix: str
    suffix: str
    start: int = Field(description="Start offset in the revision's text, in code points.")
    end: int = Field(description="End offset (exclusive), in code points.")
    original_url: str = Field(description="Where the publisher published the article.")


class Correction(Schema):
    claim: str = Field(description="The corrected claim's slug.")
    claim_url: str
    kind: str
    kind_label: str
    note: str
    old_rating: str | None = Field(description="Slug of the verdict before the correction.")
    new_rating: str | None
    published_at: datetime


class CorrectionPage(Schema):
    items: list[Correction]
    next: str | None
    next_cursor: str | None


class ClaimDetail(ClaimSummary):
    explanation: str = Field(description="The explanation as written (Markdown).")
    sources: list[Source]
    appearances: list[Appearance]
    corrections: list[Correction]
    claim_review: dict[str, Any] = Field(
        description="The ClaimReview object (schema.org) of the claim's page."
    )


class ArticleSummary(Schema):
    slug: str
    url: str
    api_url: str
    title: str
    outlet: str
    byline: str
    original_url: str
    published_on: date | None
    language: str
    published_at: datetime
    updated_at: datetime


class ArticlePage(Schema):
    items: list[ArticleSummary]
    next: str | None
    next_cursor: str | None


class Mention(Schema):
    claim: str = Field(description="The claim's slug.")
    claim_url: str
    api_url: str
    claim_reviewed: str
    rating: str | None = Field(description="The verdict's slug.")
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


class Revision(Schema):
    number: int
    created_at: datetime
    text: str = Field(description="The article's text; offsets count code points in it.")


class ArticleDetail(ArticleSummary):
    revision: Revision | None
    mentions: list[Mention] = Field(description="The published claims marked in the text.")


# --- The desk (token) endpoints -----------------------------------------------------------
DESK_ERRORS = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    409: Problem,
    422: Problem,
    429: Problem,
}


# No NUL character in text a client sends: PostgreSQL text cannot hold one.
TEXT = r"^[^\x00]*$"


class ArticleIn(Schema):
    """A new article: its text, or a web address to load it from (in the background)."""

    title: str = Field("", pattern=TEXT, max_length=300, description="Empty: taken from the page.")
    text: str = Field("", pattern=TEXT, max_length=2_000_000, description="The article's text.")
    url: str = Field(
        "", pattern=TEXT, max_length=2000, description="Load the article from this page."
    )
    outlet: str = Field("", pattern=TEXT, max_length=200)
    byline: str = Field("", pattern=TEXT, max_length=300)
    original_url: str = Field("", pattern=TEXT, max_length=2000)
    published_on: date | None = None
    language: str = Field(
        "", pattern=TEXT, max_length=35, description="Empty: from the page, else `de`."
    )


class DeskRevision(Schema):
    id: int
    number: int
    text: str


class DeskArticle(Schema):
    id: int
    slug: str
    title: str
    status: str
    status_label: str
    outlet: str
    original_url: str
    language: str
    desk_url: str
    url: str | None = Field(description="The public page; null while it is not public.")
    revision: DeskRevision | None


class DeskImport(Schema):
    id: int
    url: str
    status: str = Field(description="`queued`, `fetching`, `extracting`, `ready` or `failed`.")
    status_label: str
    error: str
    title: str
    article: int | None = Field(description="The article made from it, once made.")
    api_url: str


class DeskMention(Schema):
    id: int
    revision: int = Field(description="The revision's number.")
    start: int
    end: int
    exact: str
    awaiting: str = Field(description="`addition` or `removal` while a reviewer decides.")


class DeskClaim(Schema):
    id: int
    slug: str
    status: str = Field(
        description="`draft`, `in_review`, `changes_requested`, `published` or `dismissed`."
    )
    status_label: str
    version: int
    claim_reviewed: str
    claimant: str
    rating: str | None
    conclusion: str
    assignee: str | None
    submitted_at: datetime | None
    published_at: datetime | None
    desk_url: str
    url: str | None = Field(description="The public page; null while it is not public.")
    api_url: str
    mentions: list[DeskMention]


class DeskClaimList(Schema):
    items: list[DeskClaim]


class MarkIn(Schema):
    """A passage of the article's current revision, as the desk marks it: code-point
    offsets and the quoted text (a stale selection is refused, never moved)."""

    revision: int = Field(ge=1, description="The current revision's id (`revision.id`).")
    start: int = Field(ge=0, le=10_000_000)
    end: int = Field(ge=1, le=10_000_000)
    exact: str = Field(min_length=1, max_length=20_000, pattern=TEXT)
    claim: int | None = Field(
        None, ge=1, description="Link the passage to this existing claim instead of a new draft."
    )
