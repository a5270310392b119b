from django.contrib.auth.management import create_permissions
from django.db import migrations

# A frozen copy of claims.roles.GROUP_PERMISSIONS as it was when this migration was written:
# a later change to the roles comes with its own migration, so that this one never changes
# meaning.
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
GROUP_PERMISSIONS = {
    "Editors": _EDITORIAL,
    "Reviewers": {
        **_EDITORIAL,
        "review": ["add", "view"],
        "correction": ["add", "change", "view"],
    },
    "Moderators": {
        "tip": ["change", "view", "delete"],
        "errorreport": ["change", "view", "delete"],
        "claim": ["view"],
        "article": ["view"],
        "correction": ["view"],
    },
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure they exist now.
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
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("claims", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
