"""The two editorial roles: "Content editor" (create and edit, never publish) and
"Content approver" (also publish, record reviews and delete). See docs/editorial-workflow.md.

Publishing is a permission per content model (``publish_trial``, ``publish_page``...), created
here rather than in each model's Meta so every content model gets it the same way.
netinfo.editorial.workflow also runs the same sync after every ``migrate``, so a content model
added later is covered without another data migration.
"""

from django.db import migrations


def create_roles(apps, schema_editor):
    from netinfo.editorial.workflow import sync_roles

    sync_roles(apps, schema_editor.connection.alias)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.using(schema_editor.connection.alias).filter(
        name__in=["Content editor", "Content approver"]
    ).delete()
    Permission.objects.using(schema_editor.connection.alias).filter(
        codename__startswith="publish_"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("netinfo", "0001_initial"),
        ("treatments", "0001_initial"),
        ("trials", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
