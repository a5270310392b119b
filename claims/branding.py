"""The newsroom's brand as pages show it: the logo in the header, small and inline.

The header shows the logo at 32 px. Sent as its own file it would cost every page one
request and a few kilobytes of a logo drawn for share images (at least 256 px high), so
the header gets a 64 px high copy (sharp on high-density screens) as a ``data:`` URI in
the generated stylesheet (the ``ratings.css`` view, which every page loads anyway; the
CSP allows ``data:`` images). Pages carry no ``data:`` address and no ``<img>`` of their
own: the header's logo is an element with ``role="img"`` and the organisation's name.
Made once per process.
"""

import base64
import functools
import io
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

HEADER_LOGO_HEIGHT = 64  # pixels; shown at half that size


@functools.lru_cache(maxsize=8)
def logo_file(static_path: str) -> str | None:
    """The file of the static path ``static_path`` (a setting such as
    ``FACTCHECK_BRAND_LOGO``): from the static file finders, else from ``STATIC_ROOT`` after
    ``collectstatic``; None when there is none. The header and the share images read it."""
    found = finders.find(static_path)
    if not found and settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / static_path
        found = str(candidate) if candidate.is_file() else None
    return found


@functools.cache
def _header_logo(path: str) -> tuple[str, int, int] | None:
    from PIL import Image, UnidentifiedImageError

    found = logo_file(path)
    if found is None:
        return None
    try:
        image = Image.open(found)
        image.load()
    except (UnidentifiedImageError, OSError):
        return None
    image = image.convert("RGBA")
    width = max(1, round(image.width * HEADER_LOGO_HEIGHT / image.height))
    width = min(width, HEADER_LOGO_HEIGHT * 4)  # a very wide logo is squeezed, not huge
    small = image.resize((width, HEADER_LOGO_HEIGHT), Image.Resampling.LANCZOS)
    # A palette image: a third of the bytes, no visible difference at this size.
    small = small.quantize(128, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    uri = "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")
    return uri, width // 2, HEADER_LOGO_HEIGHT // 2


def header_logo() -> dict | None:
    """``{"src", "width", "height"}`` of the header logo (CSS pixels), or None when the
    configured file cannot be read as an image."""
    made = _header_logo(settings.FACTCHECK_BRAND_LOGO)
    if made is None:
        return None
    src, width, height = made
    return {"src": src, "width": width, "height": height}
