"""HTML of the public article page's highlighted text, its verdict cards and the summary of
its verdicts (tags in ``claims/templatetags/article_text.py``). The runs come from
``claims.highlights.runs``; the escaping writer is ``claims.highlights.writer``.
"""

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from claims.highlights.runs import HighlightRun
from claims.highlights.writer import ReversedUrl, join_markup, markup, run_text
from claims.models import Claim

__all__ = ["PublicHighlights"]

LANES = 3  # underline lanes drawn by CSS; deeper overlaps share the last one


@dataclass(frozen=True, slots=True)
class _PublicClaim:
    number: int
    css: str
    url: str
    link: SafeString  # the opening tag of the highlight's link to the claim's card
    badge: SafeString  # the verdict after the passage, a link to the claim page
    verdict: str  # "Not rated" or the rating's label
    number_text: str
    starts: str  # "Claim 2 starts:", escaped
    ends: SafeString  # "Claim 2 ends, verdict: False." for screen readers


class PublicHighlights:
    """The highlighted text of the public article page (and of its earlier revisions).

    Claims are numbered in the order they first appear in the text. Each highlight links to
    its claim's card (``#claim-<slug>``: beside the text on wide screens, in the list below
    it on narrow ones, and opened as a popover by static/js/public.js there) and is described
    by that card (``aria-describedby``). Each claim draws its own underline (a lane kept from
    where it starts to where it ends), so overlapping claims keep their extents. Screen
    readers hear "Claim 2 starts" and "Claim 1 ends, verdict: False" where that happens; the
    visible verdict badges follow the whole highlighted run, never inside another passage.
    """

    def __init__(self) -> None:
        self._claims: dict[int, _PublicClaim] = {}
        self._first_mention: dict[int, int] = {}  # claim pk -> its first passage's mention
        self._lanes: dict[int, int] = {}  # mention pk -> its underline lane
        self._lane_css: dict[tuple[int, ...], str] = {}
        self._claim_url = ReversedUrl("claims:claim")
        self._language = get_language()
        self._starts = gettext("Claim %(number)s starts:")
        self._ends = gettext("Claim %(number)s ends, verdict: %(verdict)s.")
        self._badge_claim = gettext("Claim %(number)s, verdict:")
        self._verdict = gettext("Verdict:")
        self._not_rated = gettext("Not rated")
        self._in_text = gettext("Claim %(number)s in the text")
        self._read = gettext("Read the fact-check")
        self._close = gettext("Close")
        self._fact_check = gettext("Fact-check")

    def _claim(self, claim: Claim) -> _PublicClaim:
        if (made := self._claims.get(claim.pk)) is None:
            rating = claim.rating
            css = rating.css_class if rating else ""
            url = self._claim_url(claim.slug)
            number = len(self._claims) + 1
            verdict = (rating.local_label if rating else "") or self._not_rated
            made = self._claims[claim.pk] = _PublicClaim(
                number=number,
                number_text=str(number),
                starts=html.escape(self._starts % {"number": number}),
                ends=markup(
                    '<span class="visually-hidden" lang="{}"> {}</span>',
                    self._language,
                    self._ends % {"number": number, "verdict": verdict},
                ),
                css=css,
                url=url,
                verdict=verdict,
                link=markup(
                    '<a class="claim-link" href="#claim-{}" data-card="claim-{}"'
                    ' aria-describedby="card-{}">',
                    claim.slug,
                    claim.slug,
                    claim.pk,
                ),
                badge=markup(
                    '<a class="rating-badge {}" href="{}" data-card="claim-{}"'
                    ' lang="{}"><span class="visually-hidden">{} </span>'
                    '<span class="claim-number" aria-hidden="true">{}</span>{}</a>',
                    css,
                    url,
                    claim.slug,
                    self._language,
                    self._badge_claim % {"number": number},
                    number,
                    verdict,
                ),
            )
        return made

    def paragraph(self, runs: Sequence[HighlightRun]) -> SafeString:
        """The inside of one paragraph's ``<p>``."""
        pieces: list[str] = []
        badges: list[SafeString] = []  # waiting for the end of the highlighted stretch
        lanes = self._lanes
        for run in runs:
            if not run.mentions:
                if badges:
                    pieces += badges
                    badges.clear()
                pieces.append(run_text(run))
                continue
            opens = run.opens
            if opens:
                # Numbers in order of appearance: the claims beginning here, outermost
                # first; each takes the lowest underline lane free where it begins.
                taken = {lanes[m.pk] for m in run.mentions if m.pk in lanes}
                for mention in opens:
                    self._claim(mention.claim)
                    self._first_mention.setdefault(mention.claim_id, mention.pk)
                    lane = 1
                    while lane in taken:
                        lane += 1
                    lanes[mention.pk] = lane
                    taken.add(lane)
            key = tuple(lanes[m.pk] for m in run.mentions)
            if (lane_css := self._lane_css.get(key)) is None:
                lane_css = self._lane_css[key] = " ".join(
                    f"lane-{lane}" for lane in sorted({min(n, LANES) for n in key})
                )
            claim = self._claim(run.innermost.claim)
            # Safe without escaping: ints and slugs (``Rating.css_class``).
            if opens:
                made = [self._claims[m.claim_id] for m in opens]
                pieces.append(
                    SafeString(
                        f'<mark class="claim-mark depth-{min(run.depth, LANES)} {claim.css}'
                        f' {lane_css}" data-numbers="{" ".join(c.number_text for c in made)}">'
                    )
                )
                pieces.extend(
                    SafeString(
                        f'<span class="visually-hidden" id="mention-{m.pk}"'
                        f' lang="{self._language}">{c.starts} </span>'
                    )
                    for m, c in zip(opens, made, strict=True)
                )
            else:
                pieces.append(
                    SafeString(
                        f'<mark class="claim-mark depth-{min(run.depth, LANES)} {claim.css}'
                        f' {lane_css}">'
                    )
                )
            pieces += (claim.link, run_text(run), SafeString("</a>"))
            # Innermost first: the claim that began last ends first.
            for mention in reversed(run.closes):
                made = self._claim(mention.claim)
                pieces.append(made.ends)
                badges.append(made.badge)
            pieces.append(SafeString("</mark>"))
            if len(run.closes) == run.depth:  # nothing goes on past this run
                pieces += badges
                badges.clear()
        pieces += badges
        return join_markup(pieces)

    def ordered(self, claims: Iterable[Claim]) -> list[Claim]:
        """``claims`` by their numbers (those the text did not show last, as given)."""
        claims = list(claims)
        for claim in claims:
            self._claim(claim)
        return sorted(claims, key=lambda claim: self._claims[claim.pk].number)

    def cards(self, claims: Iterable[Claim]) -> SafeString:
        """One verdict card per claim, in the order of their numbers: the margin notes beside
        the text on wide screens, the list of checked claims below it on narrow ones, and
        the target of each highlight without JavaScript."""
        return join_markup(self._card(claim) for claim in self.ordered(claims))

    def _card(self, claim: Claim) -> SafeString:
        made = self._claim(claim)
        mention = self._first_mention.get(claim.pk)
        number = (
            markup(
                '<a class="claim-number" href="#mention-{}" data-passage="mention-{}">'
                '<span class="visually-hidden">{}</span><span aria-hidden="true">{}</span></a>',
                mention,
                mention,
                self._in_text % {"number": made.number},
                made.number,
            )
            if mention
            else markup('<span class="claim-number">{}</span>', made.number)
        )
        conclusion = (
            markup(
                '<p class="card-conclusion small mb-0" lang="{}">{}</p>',
                claim.language,
                claim.conclusion,
            )
            if claim.conclusion
            else ""
        )
        return markup(
            '<li id="claim-{slug}" class="verdict-card {css}" tabindex="-1"{passage}>'
            '<div id="card-{pk}"><p class="card-claim">{number}'
            '<span class="rating-badge {css}"><span class="visually-hidden">{verdict_word}'
            " </span>{verdict}</span> "
            '<a class="card-link" href="{url}" lang="{language}">{claim}</a></p>'
            "{conclusion}</div></li>",
            slug=claim.slug,
            css=made.css,
            passage=markup(' data-passage="mention-{}"', mention) if mention else "",
            pk=claim.pk,
            number=number,
            verdict_word=self._verdict,
            verdict=made.verdict,
            url=made.url,
            language=claim.language,
            claim=claim.claim_reviewed,
            conclusion=conclusion,
        )

    def popover(self) -> SafeString:
        """The one popover of narrow screens, filled from a card by static/js/public.js."""
        return markup(
            '<div id="claim-popover" class="claim-popover card shadow" popover'
            ' aria-labelledby="claim-popover-title"><div class="card-body">'
            '<p id="claim-popover-title" class="small text-body-secondary mb-1">{label}</p>'
            '<div class="claim-popover-body"></div>'
            '<div class="d-flex justify-content-between align-items-center gap-2 mt-2">'
            '<a class="claim-popover-read" href="">{read}</a><button type="button"'
            ' class="btn btn-sm btn-outline-secondary" popovertarget="claim-popover"'
            ' popovertargetaction="hide">{close}</button></div></div></div>',
            label=self._fact_check,
            read=self._read,
            close=self._close,
        )
