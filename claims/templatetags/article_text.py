"""Tags writing an article's highlighted text (see ``claims.highlights.public`` and
``claims.highlights.desk``).

One highlights object per template render, so each claim's markup is built once per page
however many runs and paragraphs show it.
"""

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from claims.highlights.desk import DeskHighlights, RoleForm
from claims.highlights.public import PublicHighlights
from claims.highlights.writer import join_markup, markup
from claims.roles import may
from claims.text import paragraph_spans
from claims.text.blocks import role_at
from claims.workspace import BLOCK_ROLE_LABELS

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
def public_block(context, runs, index, blocks):
    """Paragraph ``index`` of the public article in the element of its role (``blocks``,
    see ``claims.text.blocks``): ``<p>``, a sub-heading ``<h2>``/``<h3>`` (the article's
    title is the page's ``<h1>``), a list item (consecutive items form one ``<ul>``) or a
    ``<blockquote>``. The inside is ``public_paragraph``'s."""
    role = role_at(blocks, index)
    inner = _public(context).paragraph(runs)
    if role in ("h2", "h3"):
        return markup('<{} class="article-subheading">{}</{}>', role, inner, role)
    if role == "li":
        return markup(
            "{}<li>{}</li>{}",
            SafeString('<ul class="article-list">') if role_at(blocks, index - 1) != "li" else "",
            inner,
            SafeString("</ul>") if role_at(blocks, index + 1) != "li" else "",
        )
    if role == "quote":
        return markup('<blockquote class="article-quote"><p>{}</p></blockquote>', inner)
    return markup("<p>{}</p>", inner)


def _role_form(context, revision) -> RoleForm | None:
    """The paragraph-role control, for whoever may edit the article (else ``None``)."""
    request = context.get("request")
    if revision is None or request is None or not may(request.user, "edit"):
        return None
    return RoleForm(
        url=reverse("claims:desk-paragraph-role", args=[revision.article_id]),
        revision_pk=revision.pk,
        csrf_token=str(context.get("csrf_token", "")),
        labels=BLOCK_ROLE_LABELS,
    )


@register.simple_tag(takes_context=True)
def desk_text(context, paragraphs, blocks=None):
    """Every paragraph ``<p>`` of the desk workspace's text; with ``blocks``, each in its
    block showing its role."""
    return _desk(context).text(paragraphs, None if blocks is None else list(blocks))


@register.simple_tag(takes_context=True)
def desk_role_rows(context, revision):
    """The rows of the "Paragraph roles" list of ``revision``, for whoever may edit (else
    nothing)."""
    role_form = _role_form(context, revision)
    if role_form is None:
        return ""
    texts = [revision.text[start:end] for start, end in paragraph_spans(revision.text)]
    return role_form.rows(texts, list(revision.blocks or ()))


@register.simple_tag(takes_context=True)
def desk_block_update(context, index, runs, blocks, revision):
    """The answer to a role change: the row of the roles list and, out of band, the
    paragraph's block."""
    role = role_at(blocks, index)
    role_form = _role_form(context, revision)
    text = "".join(run.text for run in runs)
    row = role_form.render(index, role, text) if role_form else ""
    return join_markup([row, _desk(context).block(index, runs, role, oob=True)])


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
