"""Links to stored web addresses that are links only when they are http(s).

A form accepts only http(s) addresses and the database refuses others (migration 0018),
but an address can still arrive another way (an old backup, a raw SQL import): every
template that turns a stored address into an ``href`` goes through here, so a
``javascript:`` or ``data:`` address is shown as text and never becomes a live link.
"""

from django import template
from django.utils.html import format_html

from claims.models.base import is_web_url

register = template.Library()


@register.filter
def web_url(value) -> str:
    """``value`` when it may be an ``href`` (http or https), else ""."""
    return value if is_web_url(value) else ""


@register.simple_tag
def web_link(url, text, rel: str = "nofollow noopener", css_class: str = "") -> str:
    """``<a href="url">text</a>`` for an http(s) ``url``; ``text`` alone for an empty one;
    for any other address, ``text`` followed by the address as plain text."""
    if is_web_url(url):
        if css_class:
            return format_html(
                '<a class="{}" href="{}" rel="{}">{}</a>', css_class, url, rel, text
            )
        return format_html('<a href="{}" rel="{}">{}</a>', url, rel, text)
    if not url:
        return format_html("{}", text)
    return format_html(
        '{} <span class="small text-body-secondary text-break">{}</span>', text, url
    )
