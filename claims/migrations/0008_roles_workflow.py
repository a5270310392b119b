from django.contrib.auth.management import create_permissions
from django.db import migrations

# A frozen copy of claims.roles.GROUP_PERMISSIONS as of the review workflow: editors may
# prepare corrections, and every role may read the claims' event log.
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
GROUP_PERMISSIONS = {
    "Editors": _EDITORIAL,
    "Reviewers": {**_EDITORIAL, "review": ["add", "view"]},
    "Moderators": {
        "tip": ["change", "view", "delete"],
        "errorreport": ["change", "view", "delete"],
        "claim": ["view"],
        "article": ["view"],
        "correction": ["view"],
        "claimevent": ["view"],
    },
}


def update_role_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, models in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        codenames = [
            f"{action}_{model}" for model, actions in models.items() for action in actions
        ]
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_workflow")]

    operations = [migrations.RunPython(update_role_groups, migrations.RunPython.noop)]
