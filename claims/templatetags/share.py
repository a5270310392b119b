"""The share image and oEmbed discovery of a claim page's head (``claims/_share_meta.html``)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from claims.claimreview import absolute
from claims.share.image import share_image_url

register = template.Library()


@register.simple_tag(takes_context=True)
def share_image(context, claim) -> str:
    """The absolute, versioned address of ``claim``'s share image."""
    return absolute(context["request"], share_image_url(claim))


@register.simple_tag(takes_context=True)
def oembed_url(context, page_url: str) -> str:
    """The oEmbed endpoint's address for the claim page at ``page_url``."""
    query = urlencode({"url": page_url, "format": "json"})
    return absolute(context["request"], f"{reverse('claims:oembed')}?{query}")
