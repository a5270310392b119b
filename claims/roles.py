"""The newsroom's roles as Django groups: which role may take which action on the desk,
and the model permissions each group holds in the admin.

``ACTION_ROLES`` is the one permission map. Model methods (``Claim.approve`` …), views and
templates all ask :func:`may`; object rules on top of it (four-eyes, statuses) live in the
claim's lifecycle methods. The groups are created by a data migration (so every database
has them) and again, idempotently, by ``loadseeds --demo-users``.
"""

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.db.models import Q

EDITORS = "Editors"
REVIEWERS = "Reviewers"
MODERATORS = "Moderators"

# Desk actions → the roles that may take them. Superusers may take every action.
ACTION_ROLES: dict[str, frozenset[str]] = {
    "use_desk": frozenset({EDITORS, REVIEWERS}),
    "mark": frozenset({EDITORS, REVIEWERS}),  # mark passages, link, adjust, remove
    "edit": frozenset({EDITORS, REVIEWERS}),  # the claim panel: text, verdict, sources
    "submit": frozenset({EDITORS, REVIEWERS}),  # send a claim or correction to review
    "review": frozenset({REVIEWERS}),  # approve, request changes
    "publish": frozenset({REVIEWERS}),
    "dismiss": frozenset({EDITORS, REVIEWERS}),  # not check-worthy; and reopen
    # Open, edit, withdraw a correction. Moderators open one from a reader's error report
    # in the admin (they still cannot use the desk, where it is edited).
    "correct": frozenset({EDITORS, REVIEWERS, MODERATORS}),
    "unpublish": frozenset({REVIEWERS, MODERATORS}),
    # Reader tips and error reports in the admin: status, notes, tip → draft claim; and
    # readers' email addresses, which nobody else sees.
    "moderate": frozenset({MODERATORS}),
}


def user_roles(user) -> frozenset[str]:
    """The names of the user's groups, read once per request."""
    if not hasattr(user, "_factcheck_roles"):
        user._factcheck_roles = frozenset(user.groups.values_list("name", flat=True))
    return user._factcheck_roles


def may(user, action: str) -> bool:
    """Whether ``user``'s role allows ``action`` (a key of ``ACTION_ROLES``)."""
    allowed = ACTION_ROLES[action]
    if user is None or not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or bool(user_roles(user) & allowed)


def desk_users():
    """Who can be given a claim (its assignee): active users who may use the desk, that is
    members of Editors or Reviewers, and superusers (``may(user, "use_desk")``)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=ACTION_ROLES["use_desk"]))
        .distinct()
        .order_by("username")
    )


_EDITORIAL = {
    "article": ["add", "change", "view"],
    "articlerevision": ["add", "view"],
    "claim": ["add", "change", "view"],
    "mention": ["add", "change", "delete", "view"],
    "source": ["add", "change", "delete", "view"],
    "rating": ["view"],
    "review": ["view"],
    "correction": ["add", "change", "view"],
    "claimevent": ["view"],
}

GROUP_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    EDITORS: _EDITORIAL,
    REVIEWERS: {**_EDITORIAL, "review": ["add", "view"]},
    MODERATORS: {
        "tip": ["change", "view", "delete"],
        "errorreport": ["change", "view", "delete"],
        "claim": ["view"],
        "article": ["view"],
        "correction": ["view"],
        "claimevent": ["view"],
        # Failed sign-ins (django-axes): see who is locked out, and unlock (delete).
        "axes.accessattempt": ["view", "delete"],
    },
}


def ensure_role_groups(apps=global_apps) -> None:
    """Create the role groups and give them exactly the permissions listed above (a model
    without an app label is one of ``claims``)."""
    from django.db.models import Q

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, models in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = Q(pk__in=[])
        for model, actions in models.items():
            app_label, _dot, model_name = model.rpartition(".")
            wanted |= Q(
                content_type__app_label=app_label or "claims",
                content_type__model=model_name,
                codename__in=[f"{action}_{model_name}" for action in actions],
            )
        group.permissions.set(Permission.objects.filter(wanted))
