from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

from claims import roles, wording

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The current page in every language, for the language switcher."""
    request = context["request"]
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": translate_url(request.get_full_path(), code),
            }
        )
    return links


UNREAD_SHOWN = 99


@register.simple_tag(takes_context=True)
def desk_counts(context) -> dict:
    """The desk navigation's counters: the review queue (for reviewers) and unread
    notifications. Only desk pages use this; public pages stay the same for everyone."""
    from claims.models import Claim, ClaimEvent, Mention
    from claims.roles import may

    request = context["request"]
    if hasattr(request, "_desk_counts"):  # the nav and the review screen both show them
        return request._desk_counts
    user = request.user
    # Counted up to UNREAD_SHOWN + 1 ("99+"): a busy editor's thousands of unread
    # notifications are not counted again on every desk page.
    unread = ClaimEvent.objects.unread_by(user).order_by()[: UNREAD_SHOWN + 1].count()
    counts = {"unread": unread, "unread_more": unread > UNREAD_SHOWN, "review": None}
    if may(user, "review"):
        counts["review"] = (
            Claim.objects.awaiting_review().count() + Mention.objects.awaiting_review().count()
        )
    request._desk_counts = counts
    return counts


@register.inclusion_tag("claims/desk/_article_state.html", takes_context=True)
def article_state(context, article) -> dict:
    """The workspace's notice of whether readers see ``article``, who may change that, and
    for reviewers the form to do it. Worked out only where the notice is drawn (a full
    workspace page), never for the htmx answers that reuse the workspace's context."""
    from claims.forms.desk import ArticleUnpublishForm
    from claims.roles import may

    may_publish = may(context["request"].user, "publish")
    return {
        "article": article,
        "may_publish_article": may_publish,
        "withdrawal": article.last_withdrawal(),
        "unpublish_form": ArticleUnpublishForm(auto_id="unpublish-%s")
        if may_publish and article.is_public
        else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("claims/desk/_article_watch.html", takes_context=True)
def article_watch(context, article) -> dict:
    """The workspace's notice of the article watch: when the publisher's page was last
    checked and last changed, or why it is not watched, the last error, and for editors
    and reviewers the buttons to pause or resume it and to choose how often."""
    from claims.roles import may
    from claims.workspace import WATCH_INTERVALS, watch_context

    return {
        "article": article,
        **watch_context(article),
        "may_change_watch": may(context["request"].user, "edit"),
        "intervals": WATCH_INTERVALS,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def ago(value) -> str:
    """``{{ event.created_at|ago }}``: "just now", "5 minutes ago"."""
    return wording.ago(value) if value else ""


@register.filter
def language_name(code) -> str:
    """``{{ claim.language|language_name }}``: "Deutsch" on German pages, not "de"."""
    return wording.language_name(code or "")


@register.filter
def shown_value(record, field: str):
    """A history record's field as people read it: the choice's label, not its stored
    code ("New", not "new"), and nothing for an empty value (not "None")."""
    display = getattr(record, f"get_{field}_display", None)
    value = display() if callable(display) else getattr(record, field, "")
    return "" if value is None else value


@register.filter
def may(user, action: str) -> bool:
    """Whether ``user``'s role allows ``action`` (``claims.roles.ACTION_ROLES``):
    ``{% if user|may:"edit" %}``; the views check it again on every request."""
    return roles.may(user, action)
