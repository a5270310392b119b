"""Explanations are written in Markdown and shown to the public: render, then sanitise."""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML that is safe to embed: raw HTML is not rendered, and the result
    passes through nh3, which keeps only the tags above, only http(s)/mailto links, and
    adds ``rel="nofollow noopener"`` to every link."""
    html = _markdown.render(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    # nh3 output is sanitised HTML by construction; this is the one place it is trusted.
    return mark_safe(cleaned)  # noqa: S308
