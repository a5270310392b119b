"""Tags writing an article's highlighted text (see ``claims.highlights.public`` and
``claims.highlights.desk``).

One highlights object per template render, so each claim's markup is built once per page
however many runs and paragraphs show it.
"""

from django import template

from claims.highlights.desk import DeskHighlights
from claims.highlights.public import PublicHighlights

register = template.Library()


def _highlights[H: (PublicHighlights, DeskHighlights)](context, kind: type[H]) -> H:
    """This render's one ``kind`` object, made on first use."""
    highlights = context.render_context.get(kind)
    if highlights is None:
        highlights = context.render_context[kind] = kind()
    return highlights


def _public(context) -> PublicHighlights:
    return _highlights(context, PublicHighlights)


def _desk(context) -> DeskHighlights:
    return _highlights(context, DeskHighlights)


@register.simple_tag(takes_context=True)
def public_paragraph(context, runs):
    """The inside of a paragraph of the public article page."""
    return _public(context).paragraph(runs)


@register.simple_tag(takes_context=True)
def public_claim_cards(context, claims):
    """The ``<li>`` verdict cards of the article's checked claims, by their numbers."""
    return _public(context).cards(claims)


@register.simple_tag(takes_context=True)
def public_claim_popover(context):
    """The one popover narrow screens open from a highlight, filled from its card."""
    return _public(context).popover()


@register.simple_tag(takes_context=True)
def desk_text(context, paragraphs):
    """Every paragraph ``<p>`` of the desk workspace's text."""
    return _desk(context).text(paragraphs)


@register.simple_tag(takes_context=True)
def desk_paragraph(context, index, runs, oob=False):
    """A paragraph ``<p>`` of the desk workspace (an out-of-band swap when ``oob``)."""
    return _desk(context).paragraph(index, runs, oob=bool(oob))


@register.simple_tag(takes_context=True)
def desk_claim_rows(context, article, mentions):
    """The ``<li>`` rows of the desk's claims list, from each claim's first passage."""
    return _desk(context).claim_rows(article.pk, mentions)


@register.simple_tag(takes_context=True)
def desk_claim_row(context, article, mention, oob=False):
    """One row of the desk's claims list (replacing the row on the page when ``oob``)."""
    return _desk(context).claim_row(article.pk, mention, oob=bool(oob))
