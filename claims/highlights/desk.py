"""HTML of the desk workspace's highlighted text and its claims list (tags in
``claims/templatetags/article_text.py``). The runs come from ``claims.highlights.runs``; the
escaping writer is ``claims.highlights.writer``.
"""

from collections.abc import Iterable, Sequence

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from claims.highlights.runs import HighlightRun
from claims.highlights.writer import ReversedUrl, join_markup, key_list, markup
from claims.models import Claim
from claims.text.blocks import ROLES, role_at

__all__ = ["DeskHighlights", "RoleForm"]


class RoleForm:
    """The rows of the "Paragraph roles" list: per paragraph its number, its first words
    and a small form changing its role. Built once per page (options and labels), filled
    in per paragraph. A plain POST form (with its CSRF token) that htmx posts, swapping
    the row and the paragraph's block. The workspace loads the list only when it is
    unfolded (a row per paragraph would weigh more than the text); without JavaScript it
    is a page of its own."""

    def __init__(self, *, url: str, revision_pk: int, csrf_token: str, labels: dict) -> None:
        self._url, self._revision, self._csrf = url, revision_pk, csrf_token
        self._labels = {role: str(labels[role]) for role in ROLES}
        self._label = gettext("Role of paragraph %(number)s")
        self._button = gettext("Set")

    def rows(self, texts: Sequence[str], blocks: Sequence[str]) -> SafeString:
        """A row for each paragraph, from the paragraphs' texts."""
        return join_markup(
            self.render(index, role_at(blocks, index), text) for index, text in enumerate(texts)
        )

    def render(self, index: int, role: str, text: str, *, oob: bool = False) -> SafeString:
        excerpt = text if len(text) <= 70 else text[:69].rstrip() + "…"
        options = join_markup(
            markup(
                '<option value="{}"{}>{}</option>',
                value,
                SafeString(" selected") if value == role else "",
                label,
            )
            for value, label in self._labels.items()
        )
        label = self._label % {"number": index + 1}
        return markup(
            '<li id="role-row-{i}" class="block-role-row"{oob}>'
            '<form class="block-role" method="post" action="{url}" hx-post="{url}"'
            ' hx-target="#role-row-{i}" hx-swap="outerHTML">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
            '<input type="hidden" name="revision" value="{revision}">'
            '<input type="hidden" name="index" value="{i}">'
            '<label class="block-role-excerpt" for="role-{i}"><span class="visually-hidden">'
            "{label}: </span>{excerpt}</label>"
            '<select id="role-{i}" name="role" class="form-select form-select-sm">{options}'
            "</select>"
            '<button type="submit" class="btn btn-outline-secondary btn-sm"'
            ' aria-label="{set}: {label}">{set}</button></form></li>',
            url=self._url,
            i=index,
            oob=SafeString(' hx-swap-oob="true"') if oob else "",
            csrf=self._csrf,
            revision=self._revision,
            label=label,
            excerpt=excerpt,
            options=options,
            set=self._button,
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
        self._panel_urls: dict[int, ReversedUrl] = {}  # per article
        self._statuses: dict[str, str] = {}
        self._badges: dict[int, SafeString] = {}  # per rating
        self._verdicts: dict[int | None, tuple[str, str]] = {}  # per rating: label, spoken
        self._verdict = gettext("Verdict:")
        self._not_rated = gettext("Not rated")
        self._waiting = markup(
            ' <span class="badge text-bg-warning appearance-waiting">{}</span>',
            gettext("Waiting for review"),
        )

    def _claim_css(self, claim: Claim) -> str:
        if (css := self._css.get(claim.pk)) is None:
            css = self._css[claim.pk] = claim.rating.css_class if claim.rating else "rating-none"
        return css

    def text(
        self,
        paragraphs: Sequence[Sequence[HighlightRun]],
        blocks: Sequence[str] | None = None,
    ) -> SafeString:
        """Every paragraph of the text, in order; with ``blocks``, each in its block
        showing its role (a class, drawn by CSS: no text is added)."""
        if blocks is None:
            return join_markup(
                self.paragraph(index, runs) for index, runs in enumerate(paragraphs)
            )
        return join_markup(
            self.block(index, runs, role_at(blocks, index))
            for index, runs in enumerate(paragraphs)
        )

    def block(self, index: int, runs, role: str, *, oob: bool = False) -> SafeString:
        """A paragraph in its ``<div class="desk-block block-<role>">``, the visual cue of
        its role (CSS). Nothing but the paragraph is inside: desk.js reads the text."""
        return markup(
            '<div id="block-{}" class="desk-block block-{}" data-block="{}"{}>{}</div>',
            index,
            role,
            role,
            SafeString(' hx-swap-oob="true"') if oob else "",
            self.paragraph(index, runs),
        )

    def paragraph(self, index: int, runs: Sequence[HighlightRun], *, oob: bool = False):
        """One paragraph's ``<p>``; ``oob`` marks it for an htmx out-of-band swap."""
        pieces: list[str] = [
            markup(
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
                    markup('<span class="run" data-start="{}">{}</span>', run.start, run.text)
                )
                continue
            opens = self._opens(run.opens) if run.opens else ""
            innermost = run.innermost
            pieces.append(
                markup(
                    '<mark class="run claim-mark depth-{} {}{}" data-start="{}"'
                    ' data-claims="{}"{}>{}</mark>',
                    run.depth,
                    self._claim_css(innermost.claim),
                    # A new appearance readers do not see yet.
                    " claim-waiting" if innermost.awaiting == "addition" else "",
                    run.start,
                    key_list(m.claim_id for m in run.mentions),
                    opens,
                    run.text,
                )
            )
        pieces.append(SafeString("</p>"))
        return join_markup(pieces)

    def _opens(self, mentions) -> SafeString:
        """The attributes of a run where ``mentions`` begin: focusable, and their verdicts."""
        verdicts = dict.fromkeys(self._verdict_of(m.claim) for m in mentions)  # in order, once
        labels = " / ".join(label for label, _ in verdicts if label)
        return markup(
            ' tabindex="0" data-opens="{}"{} aria-description="{}"',
            key_list(m.pk for m in mentions),
            markup(' data-verdict="{}"', labels) if labels else "",
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
        return join_markup(self.claim_row(article_pk, mention) for mention in mentions)

    def claim_row(self, article_pk: int, mention, *, oob: bool = False) -> SafeString:
        """One claim's ``<li>`` in the claims list: a link to its panel, its state and its
        verdict; ``oob`` replaces the row already on the page (htmx out-of-band swap)."""
        claim = mention.claim
        if (panel_url := self._panel_urls.get(article_pk)) is None:
            panel_url = self._panel_urls[article_pk] = ReversedUrl("claims:desk-claim", article_pk)
        url = panel_url(claim.pk)
        if (status := self._statuses.get(claim.status)) is None:
            status = self._statuses[claim.status] = str(Claim.Status(claim.status).label)
        waiting = getattr(mention, "waiting", None)
        if waiting is None:
            waiting = bool(mention.awaiting)
        return markup(
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
            badge = self._badges[rating.pk] = markup(
                ' <span class="rating-badge {}">{}</span>', rating.css_class, rating.local_label
            )
        return badge
