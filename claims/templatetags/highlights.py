"""Tags writing an article's highlighted text (see ``claims.highlights``).

One highlights object per template render, so each claim's markup is built once per page
however many runs and paragraphs show it.
"""

from django import template

from claims.highlights import DeskHighlights, PublicHighlights

register = template.Library()


def _public(context) -> PublicHighlights:
    highlights = context.render_context.get("public_highlights")
    if highlights is None:
        highlights = context.render_context["public_highlights"] = PublicHighlights()
    return highlights


@register.simple_tag(takes_context=True)
def public_paragraph(context, runs):
    """The inside of a paragraph of the public article page."""
    return _public(context).paragraph(runs)


@register.simple_tag(takes_context=True)
def public_claim_list(context, claims):
    """The ``<li>`` items of the article's checked claims."""
    return _public(context).claim_list(claims)


@register.simple_tag(takes_context=True)
def public_claim_popovers(context, claims):
    """The popovers of the article's checked claims."""
    return _public(context).popovers(claims)


@register.simple_tag(takes_context=True)
def desk_paragraph(context, index, runs, oob=False):
    """A paragraph ``<p>`` of the desk workspace (an out-of-band swap when ``oob``)."""
    highlights = context.render_context.get("desk_highlights")
    if highlights is None:
        highlights = context.render_context["desk_highlights"] = DeskHighlights()
    return highlights.paragraph(index, runs, oob=bool(oob))
