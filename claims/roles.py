"""The newsroom's roles as Django groups, and the model permissions each one holds.

The groups are created by a data migration (so every database has them) and again,
idempotently, by ``loadseeds --demo-users``.
"""

from django.apps import apps as global_apps

EDITORS = "Editors"
REVIEWERS = "Reviewers"
MODERATORS = "Moderators"

_EDITORIAL = {
    "article": ["add", "change", "view"],
    "articlerevision": ["add", "view"],
    "claim": ["add", "change", "view"],
    "mention": ["add", "change", "delete", "view"],
    "source": ["add", "change", "delete", "view"],
    "rating": ["view"],
    "review": ["view"],
    "correction": ["add", "view"],
}

GROUP_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    EDITORS: _EDITORIAL,
    REVIEWERS: {**_EDITORIAL, "review": ["add", "view"], "correction": ["add", "change", "view"]},
    MODERATORS: {
        "tip": ["change", "view", "delete"],
        "errorreport": ["change", "view", "delete"],
        "claim": ["view"],
        "article": ["view"],
        "correction": ["view"],
    },
}


def ensure_role_groups(apps=global_apps) -> None:
    """Create the role groups and give them exactly the permissions listed above."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, models in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        codenames = [
            f"{action}_{model}" for model, actions in models.items() for action in actions
        ]
        permissions = Permission.objects.filter(
            content_type__app_label="claims", codename__in=codenames
        )
        group.permissions.set(permissions)
