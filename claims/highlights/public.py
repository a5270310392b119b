"""HTML of an article's text with its claims highlighted, and of the list of its claims:
the public article page and the desk workspace.

``claims.annotations.annotate`` cuts the text into runs; this module writes them out. A
long article can carry a thousand claims cut into thousands of runs, and a template include
per run took most of the public page's 870 ms (#8, docs/performance.md). So the runs are
written here, and everything that depends only on the claim (its link, its verdict badge,
its title) is built once per claim and page, not once per run.

Safety: markup is only ever built by ``_html``, which escapes every value it interpolates
unless the value is itself the result of ``_html`` (or of Django's ``format_html``), and by
``_join``, which does the same for each piece it concatenates. It is ``format_html``
without Django's lazy-string checks, which cost a third of the page at this scale.
"""

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.urls import reverse
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import get_language, gettext

from claims.annotations import HighlightRun
from claims.models import Claim

__all__ = ["DeskHighlights", "PublicHighlights"]


def _escape(value) -> str:
    if type(value) is int:  # ids and offsets: most of the values on the page
        return str(value)
    if isinstance(value, SafeData):
        return value
    return html.escape(str(value))


def _html(template: str, *args, **kwargs) -> SafeString:
    """``template.format(...)`` with every argument escaped unless already safe."""
    return SafeString(
        template.format(
            *(_escape(arg) for arg in args),
            **{key: _escape(value) for key, value in kwargs.items()},
        )
    )


def _join(pieces: Iterable[str]) -> SafeString:
    return SafeString("".join(_escape(piece) for piece in pieces))


class _ReversedUrl:
    """``reverse(name, args=[*fixed, value])`` for many values at the cost of one
    ``reverse``: a page links up to a thousand claims, and ``reverse`` costs more than the
    rest of a claim's markup. The last argument must be a slug or an integer, so quoting it
    is all ``reverse`` would do to it."""

    _MARKER = "8675309011"  # digits: valid for both the slug and the int converter

    def __init__(self, name: str, *fixed) -> None:
        url = reverse(name, args=[*fixed, self._MARKER])
        self._head, _, self._tail = url.rpartition(self._MARKER)

    def __call__(self, value) -> str:
        return f"{self._head}{quote(str(value), safe='')}{self._tail}"


def _text(run: HighlightRun) -> SafeString:
    # As the linebreaksbr filter: the stored text is normalised, "\n" is the only break.
    return SafeString(html.escape(run.text).replace("\n", "<br>"))


def _keys(values: Iterable[int]) -> str:
    return " ".join(str(value) for value in values)


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
        self._claim_url = _ReversedUrl("claims:claim")
        self._language = get_language()
        self._begins = gettext("Checked claim begins:")
        self._ends = gettext("Checked claim ends.")
        self._verdict = gettext("Verdict:")
        self._not_rated = gettext("Not rated")
        self._waiting = _html(
            ' <span class="badge text-bg-warning appearance-waiting">{}</span>',
            gettext("Waiting for review"),
        )
        self._fact_check = gettext("Fact-check")
        self._read = gettext("Read the fact-check")
        self._close = gettext("Close")

    def _claim(self, claim: Claim) -> _PublicClaim:
        if (markup := self._claims.get(claim.pk)) is None:
            rating = claim.rating
            css = rating.css_class if rating else ""
            url = self._claim_url(claim.slug)
            markup = self._claims[claim.pk] = _PublicClaim(
                css=css,
                url=url,
                link=_html(
                    '<a class="claim-link" href="#claim-{}" data-popover="claim-pop-{}"'
                    ' title="{}">',
                    claim.slug,
                    claim.pk,
                    claim.claim_reviewed,
                ),
                badge=_html(
                    '<a class="rating-badge {}" href="{}"><span class="visually-hidden"'
                    ' lang="{}">{} </span>{}</a>',
                    css,
                    url,
                    self._language,
                    self._verdict,
                    (rating.local_label if rating else "") or self._not_rated,
                ),
            )
        return markup

    def paragraph(self, runs: Sequence[HighlightRun]) -> SafeString:
        """The inside of one paragraph's ``<p>``."""
        pieces: list[str] = []
        for run in runs:
            if not run.mentions:
                pieces.append(_text(run))
                continue
            claim = self._claim(run.innermost.claim)
            pieces.append(
                _html(
                    '<mark class="claim-mark depth-{} {}">',
                    run.depth,
                    claim.css,
                )
            )
            pieces.extend(
                _html(
                    '<span class="visually-hidden" id="mention-{}" lang="{}">{} </span>',
                    mention.pk,
                    self._language,
                    self._begins,
                )
                for mention in run.opens
            )
            pieces += (claim.link, _text(run), SafeString("</a>"))
            pieces.extend(
                _html(
                    '<span class="visually-hidden" lang="{}"> {}</span>',
                    self._language,
                    self._ends,
                )
                for _ in run.closes
            )
            pieces.append(SafeString("</mark>"))
            pieces.extend(self._claim(mention.claim).badge for mention in run.closes)
        return _join(pieces)

    def claim_list(self, claims: Iterable[Claim]) -> SafeString:
        """The items of the list of checked claims below the text: the target of each
        highlight without JavaScript, and the article's claims at a glance."""
        return _join(
            _html(
                '<li id="claim-{}" class="mb-2" tabindex="-1"><a href="{}" lang="{}">{}</a>{}{}'
                "</li>",
                claim.slug,
                self._claim(claim).url,
                claim.language,
                claim.claim_reviewed,
                _html(
                    ' <span class="rating-badge {}">{}</span>',
                    self._claim(claim).css,
                    claim.rating.local_label,
                )
                if claim.rating
                else "",
                _html('<div class="small" lang="{}">{}</div>', claim.language, claim.conclusion)
                if claim.conclusion
                else "",
            )
            for claim in claims
        )

    def popovers(self, claims: Iterable[Claim]) -> SafeString:
        """One compact popover per claim, opened from its highlights (static/js/public.js)."""
        return _join(self._popover(claim) for claim in claims)

    def _popover(self, claim: Claim) -> SafeString:
        markup = self._claim(claim)
        verdict = (
            _html(
                '<span class="rating-badge {}"><span class="visually-hidden">{} </span>{}</span>',
                markup.css,
                self._verdict,
                claim.rating.local_label,
            )
            if claim.rating
            else self._not_rated
        )
        conclusion = (
            _html('<p class="small mb-2" lang="{}">{}</p>', claim.language, claim.conclusion)
            if claim.conclusion
            else ""
        )
        return _html(
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
            url=markup.url,
            read=self._read,
            close=self._close,
        )


class DeskHighlights:
    """The highlighted text of the desk workspace and its list of claims.

    Every run of the text is a ``<span>`` or ``<mark>`` carrying its offset, so the desk's
    script maps a browser selection back to offsets. A highlight lists its claims
    outermost first (``data-claims``). static/js/desk.js opens the innermost one's panel
    on a click (its address from ``#article-text``'s ``data-panel-url``) and gives a
    highlight its tooltip from that claim's row in the claims list when pointed at or
    focused: neither is repeated on every highlight.

    Where a claim begins, its verdict is written out too, not left to the colour: a
    visible label (``data-verdict``, drawn by CSS before the passage) and the words
    "Verdict: False" for screen readers (``aria-description``). Both are attributes, never
    text inside the paragraph: the runs' text must stay exactly the stored text, since
    desk.js counts offsets in it."""

    def __init__(self) -> None:
        self._css: dict[int, str] = {}
        self._panel_urls: dict[int, _ReversedUrl] = {}  # per article
        self._statuses: dict[str, str] = {}
        self._badges: dict[int, SafeString] = {}  # per rating
        self._verdicts: dict[int | None, tuple[str, str]] = {}  # per rating: label, spoken
        self._verdict = gettext("Verdict:")
        self._not_rated = gettext("Not rated")
        self._waiting = _html(
            ' <span class="badge text-bg-warning appearance-waiting">{}</span>',
            gettext("Waiting for review"),
        )

    def _claim_css(self, claim: Claim) -> str:
        if (css := self._css.get(claim.pk)) is None:
            css = self._css[claim.pk] = claim.rating.css_class if claim.rating else "rating-none"
        return css

    def text(self, paragraphs: Sequence[Sequence[HighlightRun]]) -> SafeString:
        """Every paragraph of the text, in order."""
        return _join(self.paragraph(index, runs) for index, runs in enumerate(paragraphs))

    def paragraph(self, index: int, runs: Sequence[HighlightRun], *, oob: bool = False):
        """One paragraph's ``<p>``; ``oob`` marks it for an htmx out-of-band swap."""
        pieces: list[str] = [
            _html(
                '<p id="para-{}" class="desk-paragraph" tabindex="0" data-start="{}"'
                ' data-end="{}"{}>',
                index,
                runs[0].start if runs else "",
                runs[-1].end if runs else "",
                SafeString(' hx-swap-oob="true"') if oob else "",
            )
        ]
        for run in runs:
            if not run.mentions:
                pieces.append(
                    _html('<span class="run" data-start="{}">{}</span>', run.start, run.text)
                )
                continue
            opens = self._opens(run.opens) if run.opens else ""
            innermost = run.innermost
            pieces.append(
                _html(
                    '<mark class="run claim-mark depth-{} {}{}" data-start="{}"'
                    ' data-claims="{}"{}>{}</mark>',
                    run.depth,
                    self._claim_css(innermost.claim),
                    # A new appearance readers do not see yet.
                    " claim-waiting" if innermost.awaiting == "addition" else "",
                    run.start,
                    _keys(m.claim_id for m in run.mentions),
                    opens,
                    run.text,
                )
            )
        pieces.append(SafeString("</p>"))
        return _join(pieces)

    def _opens(self, mentions) -> SafeString:
        """The attributes of a run where ``mentions`` begin: focusable, and their verdicts."""
        verdicts = dict.fromkeys(self._verdict_of(m.claim) for m in mentions)  # in order, once
        labels = " / ".join(label for label, _ in verdicts if label)
        return _html(
            ' tabindex="0" data-opens="{}"{} aria-description="{}"',
            _keys(m.pk for m in mentions),
            _html(' data-verdict="{}"', labels) if labels else "",
            " / ".join(spoken for _, spoken in verdicts),
        )

    def _verdict_of(self, claim: Claim) -> tuple[str, str]:
        rating = claim.rating
        key = rating.pk if rating else None
        if (verdict := self._verdicts.get(key)) is None:
            label = rating.local_label if rating else ""
            verdict = self._verdicts[key] = (label, f"{self._verdict} {label or self._not_rated}")
        return verdict

    def claim_rows(self, article_pk: int, mentions: Iterable) -> SafeString:
        """The claims list's rows, one per claim, from each claim's first passage."""
        return _join(self.claim_row(article_pk, mention) for mention in mentions)

    def claim_row(self, article_pk: int, mention, *, oob: bool = False) -> SafeString:
        """One claim's ``<li>`` in the claims list: a link to its panel, its state and its
        verdict; ``oob`` replaces the row already on the page (htmx out-of-band swap)."""
        claim = mention.claim
        if (panel_url := self._panel_urls.get(article_pk)) is None:
            panel_url = self._panel_urls[article_pk] = _ReversedUrl(
                "claims:desk-claim", article_pk
            )
        url = panel_url(claim.pk)
        if (status := self._statuses.get(claim.status)) is None:
            status = self._statuses[claim.status] = str(Claim.Status(claim.status).label)
        waiting = getattr(mention, "waiting", None)
        if waiting is None:
            waiting = bool(mention.awaiting)
        return _html(
            '<li id="claim-row-{claim}" class="mb-2"{oob}><a href="{url}" hx-get="{url}"'
            ' data-focus-mention="{mention}" data-claim="{claim}">{text}</a>'
            ' <span class="badge text-bg-light border">{status}</span>{badge}{waiting}</li>',
            waiting=self._waiting if waiting and claim.status == "published" else "",
            claim=claim.pk,
            oob=SafeString(' hx-swap-oob="true"') if oob else "",
            url=url,
            mention=mention.pk,
            text=claim.claim_reviewed,
            status=status,
            badge=self._badge(claim.rating),
        )

    def _badge(self, rating) -> SafeString | str:
        if rating is None:
            return ""
        if (badge := self._badges.get(rating.pk)) is None:
            badge = self._badges[rating.pk] = _html(
                ' <span class="rating-badge {}">{}</span>', rating.css_class, rating.local_label
            )
        return badge
