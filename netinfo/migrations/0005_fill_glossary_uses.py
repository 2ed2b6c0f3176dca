"""Fill GlossaryUse from the HTML already stored, so the glossary-term pages keep listing
the pages that use each word without a re-render."""

from django.db import migrations

CONTENT_MODELS = (
    ("netinfo", "TumourSite"),
    ("netinfo", "GlossaryTerm"),
    ("netinfo", "Page"),
    ("treatments", "Treatment"),
    ("trials", "Trial"),
)


def fill(apps, schema_editor):
    from netinfo.glossary_matcher import glossary_slugs

    use_model = apps.get_model("netinfo", "GlossaryUse")
    for app_label, name in CONTENT_MODELS:
        model = apps.get_model(app_label, name)
        html_fields = [f.name for f in model._meta.fields if f.name.endswith("_html")]
        kind = f"{app_label}.{name.lower()}"
        uses = [
            use_model(term_slug=slug, kind=kind, record_id=row[0])
            for row in model._base_manager.values_list("pk", *html_fields).iterator()
            for slug in sorted(glossary_slugs(*row[1:]))
        ]
        use_model.objects.bulk_create(uses, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("netinfo", "0004_glossary_use"),
        ("treatments", "0004_treatmenttype_updated_at"),
        ("trials", "0008_finder_index_replaces_count_indexes"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
