from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """Values every template may show: the organisation behind the fact-checks."""
    return {"organization_name": settings.FACTCHECK_ORGANIZATION_NAME}
