"""HTML of the public article page's highlighted text, its list of checked claims and
their popovers (tags in ``claims/templatetags/article_text.py``). The runs come from
``claims.highlights.runs``; the escaping writer is ``claims.highlights.writer``.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from claims.highlights.runs import HighlightRun
from claims.highlights.writer import ReversedUrl, join_markup, markup, run_text
from claims.models import Claim

__all__ = ["PublicHighlights"]


@dataclass(frozen=True, slots=True)
class _PublicClaim:
    css: str
    url: str
    link: SafeString  # the opening tag of the highlight's link to the claim's popover
    badge: SafeString  # the verdict after the passage, a link to the claim page


class PublicHighlights:
    """The highlighted text of the public article page (and of its earlier revisions).

    Each highlight links to the claim's popover (``#claim-<slug>`` in the list of claims
    below the text without JavaScript); screen readers hear where a checked claim begins
    and ends; each passage is followed by its verdict, a link to the claim page.
    """

    def __init__(self) -> None:
        self._claims: dict[int, _PublicClaim] = {}
        self._claim_url = ReversedUrl("claims:claim")
        self._language = get_language()
        self._begins = gettext("Checked claim begins:")
        self._ends = gettext("Checked claim ends.")
        self._verdict = gettext("Verdict:")
        self._not_rated = gettext("Not rated")
        self._waiting = markup(
            ' <span class="badge text-bg-warning appearance-waiting">{}</span>',
            gettext("Waiting for review"),
        )
        self._fact_check = gettext("Fact-check")
        self._read = gettext("Read the fact-check")
        self._close = gettext("Close")

    def _claim(self, claim: Claim) -> _PublicClaim:
        if (made := self._claims.get(claim.pk)) is None:
            rating = claim.rating
            css = rating.css_class if rating else ""
            url = self._claim_url(claim.slug)
            made = self._claims[claim.pk] = _PublicClaim(
                css=css,
                url=url,
                link=markup(
                    '<a class="claim-link" href="#claim-{}" data-popover="claim-pop-{}"'
                    ' title="{}">',
                    claim.slug,
                    claim.pk,
                    claim.claim_reviewed,
                ),
                badge=markup(
                    '<a class="rating-badge {}" href="{}"><span class="visually-hidden"'
                    ' lang="{}">{} </span>{}</a>',
                    css,
                    url,
                    self._language,
                    self._verdict,
                    (rating.local_label if rating else "") or self._not_rated,
                ),
            )
        return made

    def paragraph(self, runs: Sequence[HighlightRun]) -> SafeString:
        """The inside of one paragraph's ``<p>``."""
        pieces: list[str] = []
        for run in runs:
            if not run.mentions:
                pieces.append(run_text(run))
                continue
            claim = self._claim(run.innermost.claim)
            pieces.append(
                markup(
                    '<mark class="claim-mark depth-{} {}">',
                    run.depth,
                    claim.css,
                )
            )
            pieces.extend(
                markup(
                    '<span class="visually-hidden" id="mention-{}" lang="{}">{} </span>',
                    mention.pk,
                    self._language,
                    self._begins,
                )
                for mention in run.opens
            )
            pieces += (claim.link, run_text(run), SafeString("</a>"))
            pieces.extend(
                markup(
                    '<span class="visually-hidden" lang="{}"> {}</span>',
                    self._language,
                    self._ends,
                )
                for _ in run.closes
            )
            pieces.append(SafeString("</mark>"))
            pieces.extend(self._claim(mention.claim).badge for mention in run.closes)
        return join_markup(pieces)

    def claim_list(self, claims: Iterable[Claim]) -> SafeString:
        """The items of the list of checked claims below the text: the target of each
        highlight without JavaScript, and the article's claims at a glance."""
        return join_markup(
            markup(
                '<li id="claim-{}" class="mb-2" tabindex="-1"><a href="{}" lang="{}">{}</a>{}{}'
                "</li>",
                claim.slug,
                self._claim(claim).url,
                claim.language,
                claim.claim_reviewed,
                markup(
                    ' <span class="rating-badge {}">{}</span>',
                    self._claim(claim).css,
                    claim.rating.local_label,
                )
                if claim.rating
                else "",
                markup('<div class="small" lang="{}">{}</div>', claim.language, claim.conclusion)
                if claim.conclusion
                else "",
            )
            for claim in claims
        )

    def popovers(self, claims: Iterable[Claim]) -> SafeString:
        """One compact popover per claim, opened from its highlights (static/js/public.js)."""
        return join_markup(self._popover(claim) for claim in claims)

    def _popover(self, claim: Claim) -> SafeString:
        made = self._claim(claim)
        verdict = (
            markup(
                '<span class="rating-badge {}"><span class="visually-hidden">{} </span>{}</span>',
                made.css,
                self._verdict,
                claim.rating.local_label,
            )
            if claim.rating
            else self._not_rated
        )
        conclusion = (
            markup('<p class="small mb-2" lang="{}">{}</p>', claim.language, claim.conclusion)
            if claim.conclusion
            else ""
        )
        return markup(
            '<div id="claim-pop-{pk}" class="claim-popover card shadow" popover'
            ' aria-labelledby="claim-pop-{pk}-title"><div class="card-body">'
            '<p class="small text-body-secondary mb-1">{label}</p>'
            '<p id="claim-pop-{pk}-title" class="fw-semibold mb-2" lang="{language}">{claim}</p>'
            '<p class="mb-2">{verdict}</p>{conclusion}'
            '<div class="d-flex justify-content-between align-items-center gap-2">'
            '<a href="{url}">{read}</a><button type="button" class="btn btn-sm'
            ' btn-outline-secondary" popovertarget="claim-pop-{pk}"'
            ' popovertargetaction="hide">{close}</button></div></div></div>',
            pk=claim.pk,
            label=self._fact_check,
            language=claim.language,
            claim=claim.claim_reviewed,
            verdict=verdict,
            conclusion=conclusion,
            url=made.url,
            read=self._read,
            close=self._close,
        )
