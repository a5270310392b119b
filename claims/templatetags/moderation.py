"""The admin index's count of reader input waiting for the moderators."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def reader_input_counts(context) -> dict | None:
    """New tips and error reports, for those who moderate them (else None)."""
    from claims.models import ErrorReport, Tip
    from claims.models.reader_input import ModerationStatus
    from claims.roles import may

    if not may(context["request"].user, "moderate"):
        return None
    return {
        "tips": Tip.objects.filter(status=ModerationStatus.NEW).count(),
        "reports": ErrorReport.objects.filter(status=ModerationStatus.NEW).count(),
    }
