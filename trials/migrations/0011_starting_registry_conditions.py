"""The conditions the registry sync starts with. Staff change the list in the admin."""

from django.db import migrations

ABBREVIATION = (
    "Off: as a bare abbreviation the registry matches it to unrelated conditions; the full "
    "words are on the list."
)

#: (term, searched, note)
CONDITIONS = [
    ("neuroendocrine", True, "Finds neuroendocrine tumours, neoplasms and carcinomas."),
    ("neuroendocrine tumor", True, "NET (American spelling, as most registry records use)."),
    ("neuroendocrine tumour", True, "NET."),
    ("neuroendocrine neoplasm", True, "NEN."),
    ("neuroendocrine carcinoma", True, "NEC."),
    ("carcinoid", True, ""),
    ("pancreatic neuroendocrine tumor", True, "Pancreatic NET (pNET)."),
    ("insulinoma", True, "Pancreatic NET that makes insulin."),
    ("gastrinoma", True, "NET that makes gastrin."),
    ("glucagonoma", True, "Pancreatic NET that makes glucagon."),
    ("VIPoma", True, "Pancreatic NET that makes VIP."),
    ("somatostatinoma", True, "NET that makes somatostatin."),
    ("phaeochromocytoma", True, "British spelling."),
    ("pheochromocytoma", True, "American spelling."),
    ("paraganglioma", True, ""),
    ("medullary thyroid cancer", True, ""),
    ("medullary thyroid carcinoma", True, ""),
    ("Merkel cell carcinoma", True, ""),
    ("NET", False, ABBREVIATION + " (NETs are also neutrophil extracellular traps.)"),
    ("NEN", False, ABBREVIATION),
    ("NEC", False, ABBREVIATION + " (NEC is also necrotising enterocolitis.)"),
]


def fill(apps, schema_editor):
    condition = apps.get_model("trials", "RegistryCondition")
    for term, active, note in CONDITIONS:
        condition.objects.get_or_create(term=term, defaults={"active": active, "note": note})


class Migration(migrations.Migration):
    dependencies = [
        ("trials", "0010_registry_conditions_and_changes"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
