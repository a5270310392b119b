from django.conf import settings
from django.http import HttpRequest

from claims.branding import header_logo


def site(request: HttpRequest) -> dict:
    """Values every template may show: the organisation behind the fact-checks and its
    brand (short name and logo for the header; the colour is in the ``ratings.css`` view)."""
    return {
        "organization_name": settings.FACTCHECK_ORGANIZATION_NAME,
        "organization_short_name": settings.FACTCHECK_ORGANIZATION_SHORT_NAME,
        # Drawn by ratings.css when the configured file is a readable image.
        "brand_logo": header_logo() is not None,
    }
