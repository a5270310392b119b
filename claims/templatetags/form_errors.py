"""The error summary at the top of a desk form (``claims.forms.layout.form_problems``)."""

from django import template

from claims.forms.layout import form_problems

register = template.Library()


@register.inclusion_tag("claims/desk/_error_summary.html")
def error_summary(form, *formsets, level: int = 2):
    """Every problem of ``form`` and ``formsets`` as links to their fields, under a
    heading of ``level``; nothing when the form has no errors. static/js/desk.js focuses
    it and scrolls it into view."""
    return {"problems": form_problems(form, *formsets), "level": level}
