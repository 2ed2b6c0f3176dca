from django.db import migrations


def fill(apps, schema_editor):
    from trials.finder.search_text import fill

    fill(apps.get_model("trials", "Trial"), apps.get_model("trials", "TrialSearchText"))


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0005_trial_search_text"),
    ]

    operations = [
        # The rows go with the table when this is reversed.
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
