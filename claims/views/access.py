"""Access to the desk: the ``desk_required`` decorator, and helpers through which every
desk lookup of an object by id starts from the user.

Each returns the object or raises 404 (does not exist, or not visible to this user) /
403 (visible, but this user may not change it).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from claims.models import ApiToken, Article, ArticleImport, Claim, Mention, Source
from claims.permissions import can_change_mentions, can_edit_claim, can_use_desk
from claims.views.responses import error_response


def _require_desk(user) -> None:
    if not can_use_desk(user):
        raise PermissionDenied


def get_article_for_user(user, pk: int) -> Article:
    _require_desk(user)
    return get_object_or_404(Article.objects.select_related("current_revision"), pk=pk)


def get_import_for_user(user, pk: int) -> ArticleImport:
    """An import of a web page: its editor's own (or any, for an administrator); 404 else."""
    _require_desk(user)
    imports = ArticleImport.objects.visible_to(user).select_related("article")
    return get_object_or_404(imports, pk=pk)


def get_claim_for_user(user, pk: int, *, for_edit: bool = False) -> Claim:
    _require_desk(user)
    claim = get_object_or_404(Claim.objects.select_related("rating", "assignee"), pk=pk)
    if for_edit and not can_edit_claim(user, claim):
        raise PermissionDenied(
            _("This claim is %(status)s and cannot be edited here.")
            % {"status": claim.status_in_sentence()}
        )
    return claim


def get_claim_in_article(user, article: Article, pk: int, *, for_edit: bool = False) -> Claim:
    """A claim that has a mention in ``article`` (any revision); 404 for others."""
    claim = get_claim_for_user(user, pk, for_edit=for_edit)
    if not claim.mentions.filter(revision__article=article).exists():
        raise Http404("This claim is not marked in this article.")
    return claim


def get_mention_for_user(user, pk: int, *, for_edit: bool = False) -> Mention:
    _require_desk(user)
    mention = get_object_or_404(
        Mention.objects.select_related("claim", "revision__article"), pk=pk
    )
    if for_edit and not can_change_mentions(user, mention.claim):
        raise PermissionDenied(_("The claim of this passage cannot be edited here."))
    return mention


def get_source_for_user(user, pk: int) -> Source:
    """A claim's source, for a desk user (what they may do with it, the service says)."""
    _require_desk(user)
    return get_object_or_404(Source.objects.select_related("claim"), pk=pk)


def get_token_for_user(user, pk: int) -> ApiToken:
    """An API token: its owner's only (administrators revoke others' in the admin); 404 else."""
    _require_desk(user)
    return get_object_or_404(ApiToken, pk=pk, user=user)


def desk_required(view):
    """Anonymous users go to the login page; signed-in users without a desk role get 403.

    Inside the desk, a refusal or a missing object on an htmx request is answered in the
    alert area (not as a whole error page swapped into a panel).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_use_desk(request.user):
            raise PermissionDenied(_("The desk is for editors and reviewers."))
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            if not getattr(request, "htmx", False):
                raise
            message = str(refusal) or _("You may not do that.")
            return error_response(request, message, 403)
        except Http404:
            if not getattr(request, "htmx", False):
                raise
            return error_response(
                request, _("This item no longer exists, or is not part of this article."), 404
            )

    return wrapper
