"""Help texts for staff on the trial's fields, where the admin already showed them (they were
kept in a dict in trials/admin.py): the words in the forms are unchanged. No schema change.

One operation sets them all (``HelpTexts``). Written as 40 AlterFields, each re-rendered the
trial and every model linked to it, a third of the time it took to migrate a new database
(the test suite migrates five); the state they leave is the same, so makemigrations sees
nothing to do.
"""

from django.db import migrations
from django.db.migrations.operations.base import Operation

TRIAL = {
    "actual_size": "How many people took part. Leave empty until the trial team says.",
    "chief_investigator": "The doctor who leads the trial, as they are named in the registry, e.g. “Professor Tim Meyer”.",
    "contact_email": "An email address patients or their doctors can use.",
    "contact_name": "Only add contact details the trial team has agreed to share with the public.",
    "contact_phone": "Write it as people dial it, e.g. 020 7946 0000.",
    "drugs": "The drugs people have in the trial, by their generic name. Type to search.",
    "phase": "As the registry record gives it. The page explains what the phase means.",
    "rec_name": "The research ethics committee that gave its opinion, as on the HRA research summary.",
    "rec_opinion": "e.g. “Favourable opinion”.",
    "rec_reference": "e.g. 23/SC/0293.",
    "recruitment_end": "When the trial stopped, or plans to stop, taking people. If you only know the year, enter 1 January and choose “Year only”.",
    "recruitment_end_precision": "How much of the date to show.",
    "recruitment_start": "When the trial started, or will start, taking people. If you only know the month, enter the 1st of that month and choose “Month and year”.",
    "recruitment_start_precision": "How much of the date to show. “Month and year” shows “March 2014”.",
    "registry_checked": "The day you last compared this page with the registry record. For 90 days after it (the TRIAL_STATUS_MAX_AGE_DAYS setting) an open or opening-soon status is shown as fact; after that, patients are told it is not confirmed.",
    "sites": "Where in the body the NETs start. Type a few letters to search.",
    "slug": "The end of the page's web address: calm-net gives /trials/calm-net/. Leave it empty and it is made for you from the short name, or from the first words of the title if there is no short name. If you change it later, the old address still leads here.",
    "sponsor": "The organisation responsible for the trial, e.g. a university or NHS trust.",
    "status": "Where the trial is now. Check the registry record or ask the trial team if you are not sure. The page explains the status in words.",
    "target_size": "How many people the trial plans to include.",
    "treatments": "The treatments this trial tests. Type a few letters to search. The page links to each treatment's page.",
}

# The trial's history keeps a copy of each of its own fields (not its links).
HISTORICAL_TRIAL = {
    name: TRIAL[name]
    for name in [
        "actual_size",
        "chief_investigator",
        "contact_email",
        "contact_name",
        "contact_phone",
        "phase",
        "rec_name",
        "rec_opinion",
        "rec_reference",
        "recruitment_end",
        "recruitment_end_precision",
        "recruitment_start",
        "recruitment_start_precision",
        "registry_checked",
        "slug",
        "sponsor",
        "status",
        "target_size",
    ]
}


class HelpTexts(Operation):
    """Sets fields' help texts in the migration state: the database has nothing to change."""

    reversible = True

    def __init__(self, texts):
        self.texts = texts  # {model name: {field name: help text}}

    def deconstruct(self):
        return (self.__class__.__name__, [self.texts], {})

    def state_forwards(self, app_label, state):
        for model_name, texts in self.texts.items():
            fields = state.models[app_label, model_name].fields
            for name, text in texts.items():
                # A new field, not a change to the old one: earlier states share it.
                _, path, args, kwargs = fields[name].deconstruct()
                fields[name] = type(fields[name])(*args, **{**kwargs, "help_text": text})
            state.reload_model(app_label, model_name)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return "Set the help texts of " + ", ".join(self.texts)


class Migration(migrations.Migration):
    dependencies = [
        ("netinfo", "0011_clinical_review"),
        ("treatments", "0005_treatmentuse_source"),
        ("trials", "0013_fill_location_regions"),
    ]

    operations = [
        HelpTexts(
            {
                "trial": TRIAL,
                "historicaltrial": HISTORICAL_TRIAL,
                "identifier": {
                    "value": "Copy it from the registry. Spaces and small letters are tidied for you.",
                },
            }
        )
    ]
