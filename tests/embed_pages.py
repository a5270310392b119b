"""Published fact-checks on the five real publisher pages in ``tests/fixtures/``: test data
for the embed script (issue #21) and the server side of its browser tests.

:func:`publish_page` takes a page the way the desk does: the HTML import
(``text_from_html``) and ``services.article_create``, as when an editor uploads the saved
page and types its address; a reviewer publishes the article. It then marks whole
sentences of the imported text as claims, fills in what review needs, and sends each
claim through the real workflow (submitted by the editor, approved and published by the
reviewer: four eyes). The public API then serves one W3C Web Annotation per passage
(``GET /api/v1/articles/<slug>/annotations``).

The passages are chosen deterministically: one sentence near the start, near 25 %, 50 %
and 75 % of the text and near its end, plus, where the page has them, one sentence with
the text of a link of the page's article paragraphs and one with typographic quotation
marks. What the five pages have (checked by ``tests/test_embed_pages.py``):

- correctiv.org.zusage.html: a link sentence and a typographic-quote sentence („…“);
- dw.com.colonial.html: a link sentence; no typographic quotes (the page writes
  straight ``"`` and ``'`` only);
- heise.de.lithium.html: a link sentence and a typographic-quote sentence (the page
  closes its quotations with ``“``);
- reuters.com.parasite.html: a typographic-quote sentence (“…”); no link inside the
  article's paragraphs;
- spiegel.de.albtraum.html: a typographic-quote sentence (»…«); no link inside the
  article's paragraphs (a print article).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from django.contrib.auth.base_user import AbstractBaseUser

from claims.importing.html import text_from_html
from claims.models import Article, ArticleRevision, Rating
from claims.services.claims import SourceData, claim_update
from claims.services.mentions import claim_create_with_mention
from claims.services.revisions import article_create
from claims.text import paragraph_spans
from claims.text.blocks import role_at
from claims.text.sentences import Sentence, sentences
from tests.factories import make_rating

__all__ = [
    "FIXTURES",
    "REALWORLD_PAGES",
    "Choice",
    "Link",
    "PublishedPage",
    "choose_passages",
    "link_texts",
    "publish_page",
]

FIXTURES = Path(__file__).resolve().parent / "fixtures"

REALWORLD_PAGES = (
    "correctiv.org.zusage.html",
    "dw.com.colonial.html",
    "heise.de.lithium.html",
    "reuters.com.parasite.html",
    "spiegel.de.albtraum.html",
)

# A passage is a whole sentence of this many characters.
# At most what a claim as reviewed may hold (Claim.claim_reviewed), which is the passage here.
MIN_PASSAGE, MAX_PASSAGE = 30, 250
# Where in the text the spread passages sit (fractions of its length; the last one is
# the last sentence that qualifies).
SPREAD = (0.0, 0.25, 0.5, 0.75)
# Typographic quotation marks. "’" and "‘" count only where they are not an apostrophe
# between two letters ("Phoenix’s").
QUOTE_MARKS = "„“”‚«»‹›"
SINGLE_QUOTE_MARKS = "‘’"
# Elements whose text a reader does not see on the page.
INVISIBLE = ("script", "style", "noscript", "template", "head")
LINK_START, LINK_END = "\ue000", "\ue001"  # private-use markers around a link's text


@dataclass(frozen=True)
class PublishedPage:
    """A real page published with fact-checks: the public ``article``, the ``passages``
    marked in it (the ``exact`` strings, in text order), the fixture's raw ``html``, and
    which passage holds a link's text and which typographic quotation marks (``None``
    where the page has none)."""

    article: Article
    passages: list[str]
    html: bytes
    link_passage: str | None = None
    quote_passage: str | None = None


@dataclass(frozen=True)
class Choice:
    """The passages :func:`choose_passages` picked, and which of them has a link's text
    and which typographic quotation marks."""

    spans: list[Sentence]  # in text order
    link: Sentence | None
    quote: Sentence | None


def publish_page(
    name: str, *, editor: AbstractBaseUser, reviewer: AbstractBaseUser, original_url: str
) -> PublishedPage:
    """Import the fixture page ``name`` (one of :data:`REALWORLD_PAGES`) as an article at
    ``original_url``, publish it, and publish a fact-check on each passage
    :func:`choose_passages` picks: marked, edited and submitted by ``editor``, approved
    and published by ``reviewer``. Needs the database."""
    html = (FIXTURES / name).read_bytes()
    imported = text_from_html(html, url=original_url)
    # As the desk's upload: the form's metadata (here only the address) wins, the rest
    # comes from the page.
    article = article_create(
        article=Article(original_url=original_url),
        imported=imported,
        origin=ArticleRevision.Origin.UPLOAD,
        user=editor,
    )
    article.publish(by=reviewer)  # the desk's "Publish article" (views.articles)
    revision = article.current_revision
    text = revision.text
    choice = choose_passages(text, html, language=article.language, blocks=revision.blocks)
    ratings = _ratings()
    for number, span in enumerate(choice.spans, start=1):
        exact = text[span.start : span.end]
        marked = claim_create_with_mention(
            revision=revision, start=span.start, end=span.end, exact=exact, user=editor
        )
        claim = marked.mention.claim
        claim.claim_reviewed = exact
        claim.rating = ratings[(number - 1) % len(ratings)]
        claim.conclusion = (
            f"Conclusion {number}: what passage {number} of “{article.title}” says was "
            f"checked against the sources ({name})."
        )
        claim = claim_update(
            claim=claim,
            expected_version=claim.version,
            sources=[
                SourceData(
                    url=f"https://example.org/evidence/{article.slug}/{number}",
                    title=f"Evidence {number} for {article.title}",
                    publisher="Example Evidence Archive",
                )
            ],
            user=editor,
        )
        claim.submit(by=editor, version=claim.version)
        claim.approve(by=reviewer, version=claim.version)
        claim.publish(by=reviewer, version=claim.version)
    article.refresh_from_db()

    def passage(span: Sentence | None) -> str | None:
        return None if span is None else text[span.start : span.end]

    return PublishedPage(
        article=article,
        passages=[text[span.start : span.end] for span in choice.spans],
        html=html,
        link_passage=passage(choice.link),
        quote_passage=passage(choice.quote),
    )


def choose_passages(
    text: str, html: bytes, *, language: str, blocks: list[str] | tuple[str, ...] = ()
) -> Choice:
    """The sentences of ``text`` (an imported page's article) to mark, in text order.

    Candidates are whole sentences (``claims.text.sentences``) of 30–250 characters in
    plain paragraphs (``blocks``: not headings, list items or quotes) whose text is on the
    page ``html`` as a reader sees it. From them: the first at or after 0 %, 25 %, 50 % and
    75 % of the text and the last one; then the first (not yet chosen) that holds the
    whole text of a link of the page's article paragraphs (:func:`link_texts`; a link
    of at most half the sentence, if there is one) and the first with typographic
    quotation marks, where the page has them. Raises ``ValueError`` with fewer than five
    candidates."""
    roles = {index: role_at(blocks, index) for index in range(len(paragraph_spans(text)))}
    paragraph_of = _paragraph_index(text)
    visible = _squash(_visible_text(html))
    candidates = [
        sentence
        for sentence in sentences(text, language)
        if MIN_PASSAGE <= sentence.end - sentence.start <= MAX_PASSAGE
        and roles[paragraph_of(sentence.start)] == "p"
        and _squash(text[sentence.start : sentence.end]) in visible
    ]
    if len(candidates) < len(SPREAD) + 1:
        raise ValueError(f"only {len(candidates)} sentences qualify as passages")
    chosen: list[Sentence] = []
    for fraction in SPREAD:
        target = fraction * len(text)
        later = (s for s in candidates if s.start >= target and s not in chosen)
        chosen.append(next(later, None) or next(s for s in candidates if s not in chosen))
    chosen.append(next(s for s in reversed(candidates) if s not in chosen))

    links = link_texts(html)
    with_link = [s for s in candidates if _holds_link(text[s.start : s.end], links)]
    short_link = [
        s for s in with_link if _holds_link(text[s.start : s.end], links, at_most_half=True)
    ]
    link = _first_new(short_link, chosen) or _first_new(with_link, chosen)
    link = link or next(iter(with_link), None)
    quoted = [s for s in candidates if _has_quote_marks(text[s.start : s.end])]
    quote = _first_new(quoted, chosen) or next(iter(quoted), None)
    for extra in (link, quote):
        if extra is not None and extra not in chosen:
            chosen.append(extra)
    return Choice(spans=sorted(chosen, key=lambda s: s.start), link=link, quote=quote)


@dataclass(frozen=True)
class Link:
    """A link inside a paragraph of the page: the paragraph's ``text`` as a reader sees it
    (white space squashed) and where the link's text is in it, ``text[start:end]``."""

    text: str
    start: int
    end: int


def link_texts(html: bytes) -> list[Link]:
    """Each link (``<a>`` with text) inside a paragraph (``<p>``) of the page, in page
    order."""
    tree = lxml.html.document_fromstring(html)
    found = []
    for paragraph in tree.iter("p"):
        if any(ancestor.tag in INVISIBLE for ancestor in paragraph.iterancestors()):
            continue
        for link in paragraph.iter("a"):
            text, start, end = _squash_marked("".join(_text(paragraph, link=link)))
            if text[start:end].strip():
                found.append(Link(text, start, end))
    return found


def _text(node, *, link=None) -> Iterator[str]:
    """The text of ``node`` a reader sees, with ``link`` (an element inside it) between
    :data:`LINK_START` and :data:`LINK_END`."""
    if node is link:
        yield LINK_START
    if isinstance(node.tag, str) and node.tag not in INVISIBLE:
        yield node.text or ""
        for child in node:
            yield from _text(child, link=link)
            yield child.tail or ""
    if node is link:
        yield LINK_END


def _squash_marked(marked: str) -> tuple[str, int, int]:
    """``marked`` without its link markers and with white space squashed as
    :func:`_squash` does, and where the markers were in that text."""
    out: list[str] = []
    start = end = 0
    for char in marked:
        if char == LINK_START:
            start = len(out)
        elif char == LINK_END:
            end = len(out)
        elif not char.isspace():
            out.append(char)
        elif out and out[-1] != " ":
            out.append(" ")
    while out and out[-1] == " ":
        out.pop()
    end = min(end, len(out))
    # The link's own leading and trailing white space is not its text.
    while start < end and out[start] == " ":
        start += 1
    while end > start and out[end - 1] == " ":
        end -= 1
    return "".join(out), start, end


def _holds_link(sentence: str, links: list[Link], *, at_most_half: bool = False) -> bool:
    """``sentence`` is (part of) a paragraph with a link and holds that link's whole text,
    at the link's own place (at most half of the sentence, with ``at_most_half``)."""
    sentence = _squash(sentence)
    for link in links:
        if at_most_half and 2 * (link.end - link.start) > len(sentence):
            continue
        position = link.text.find(sentence)
        while position != -1:
            if position <= link.start and link.end <= position + len(sentence):
                return True
            position = link.text.find(sentence, position + 1)
    return False


def _has_quote_marks(sentence: str) -> bool:
    if any(mark in sentence for mark in QUOTE_MARKS):
        return True
    for index, char in enumerate(sentence):
        if char in SINGLE_QUOTE_MARKS:
            before = sentence[index - 1] if index else " "
            after = sentence[index + 1] if index + 1 < len(sentence) else " "
            if not (before.isalpha() and after.isalpha()):
                return True
    return False


def _first_new(sentences: list[Sentence], chosen: list[Sentence]) -> Sentence | None:
    return next((s for s in sentences if s not in chosen), None)


def _paragraph_index(text: str):
    spans = paragraph_spans(text)

    def index(offset: int) -> int:
        return next(i for i, (start, end) in enumerate(spans) if start <= offset < end)

    return index


def _visible_text(html: bytes) -> str:
    tree = lxml.html.document_fromstring(html)
    body = tree.find("body")
    return "".join(_text(body if body is not None else tree))


def _squash(text: str) -> str:
    return " ".join(text.split())


def _ratings() -> list[Rating]:
    """The desk's ratings, or two made for the test when there are none."""
    ratings = list(Rating.objects.order_by("position", "pk"))
    return ratings or [
        make_rating("False", 1, slug="false"),
        make_rating("Mostly true", 4, slug="mostly-true"),
    ]
