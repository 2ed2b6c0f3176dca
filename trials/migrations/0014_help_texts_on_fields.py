"""Help texts for staff on the trial's fields, where the admin already showed them (they were
kept in a dict in trials/admin.py): the words in the forms are unchanged. No schema change."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("netinfo", "0011_clinical_review"),
        ("treatments", "0005_treatmentuse_source"),
        ("trials", "0013_fill_location_regions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicaltrial",
            name="actual_size",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="How many people took part. Leave empty until the trial team says.",
                null=True,
                verbose_name="number of people who took part",
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="chief_investigator",
            field=models.CharField(
                blank=True,
                help_text="The doctor who leads the trial, as they are named in the registry, e.g. “Professor Tim Meyer”.",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="contact_email",
            field=models.EmailField(
                blank=True,
                help_text="An email address patients or their doctors can use.",
                max_length=254,
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="contact_name",
            field=models.CharField(
                blank=True,
                help_text="Only add contact details the trial team has agreed to share with the public.",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="contact_phone",
            field=models.CharField(
                blank=True,
                help_text="Write it as people dial it, e.g. 020 7946 0000.",
                max_length=40,
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="phase",
            field=models.CharField(
                choices=[
                    ("early1", "Early phase 1"),
                    ("1", "Phase 1"),
                    ("1_2", "Phase 1/2"),
                    ("2", "Phase 2"),
                    ("2_3", "Phase 2/3"),
                    ("3", "Phase 3"),
                    ("4", "Phase 4"),
                    ("na", "No phase (not a drug trial)"),
                    ("unknown", "Phase not stated"),
                ],
                db_index=True,
                default="na",
                help_text="As the registry record gives it. The page explains what the phase means.",
                max_length=7,
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="rec_name",
            field=models.CharField(
                blank=True,
                help_text="The research ethics committee that gave its opinion, as on the HRA research summary.",
                max_length=200,
                verbose_name="research ethics committee",
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="rec_opinion",
            field=models.CharField(
                blank=True,
                help_text="e.g. “Favourable opinion”.",
                max_length=100,
                verbose_name="REC opinion",
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="rec_reference",
            field=models.CharField(
                blank=True,
                help_text="e.g. 23/SC/0293.",
                max_length=40,
                verbose_name="REC reference",
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="recruitment_end",
            field=models.DateField(
                blank=True,
                help_text="When the trial stopped, or plans to stop, taking people. If you only know the year, enter 1 January and choose “Year only”.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="recruitment_end_precision",
            field=models.CharField(
                choices=[("year", "Year only"), ("month", "Month and year"), ("day", "Exact day")],
                default="month",
                help_text="How much of the date to show.",
                max_length=5,
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="recruitment_start",
            field=models.DateField(
                blank=True,
                help_text="When the trial started, or will start, taking people. If you only know the month, enter the 1st of that month and choose “Month and year”.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="recruitment_start_precision",
            field=models.CharField(
                choices=[("year", "Year only"), ("month", "Month and year"), ("day", "Exact day")],
                default="month",
                help_text="How much of the date to show. “Month and year” shows “March 2014”.",
                max_length=5,
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="registry_checked",
            field=models.DateField(
                blank=True,
                help_text="The day you last compared this page with the registry record. For 90 days after it (the TRIAL_STATUS_MAX_AGE_DAYS setting) an open or opening-soon status is shown as fact; after that, patients are told it is not confirmed.",
                null=True,
                verbose_name="registry facts last checked by us",
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="slug",
            field=models.SlugField(
                help_text="The end of the page's web address: calm-net gives /trials/calm-net/. Leave it empty and it is made for you from the short name, or from the first words of the title if there is no short name. If you change it later, the old address still leads here.",
                max_length=120,
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="sponsor",
            field=models.CharField(
                blank=True,
                help_text="The organisation responsible for the trial, e.g. a university or NHS trust.",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="status",
            field=models.CharField(
                choices=[
                    ("opening_soon", "Opening soon"),
                    ("open", "Open to new patients"),
                    ("closed", "Closed to new patients"),
                    ("results", "Results available"),
                    ("suspended", "Suspended"),
                    ("stopped", "Stopped early"),
                    ("withdrawn", "Withdrawn"),
                    ("unknown", "Status not known"),
                ],
                db_index=True,
                default="open",
                help_text="Where the trial is now. Check the registry record or ask the trial team if you are not sure. The page explains the status in words.",
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="historicaltrial",
            name="target_size",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="How many people the trial plans to include.",
                null=True,
                verbose_name="planned number of people",
            ),
        ),
        migrations.AlterField(
            model_name="identifier",
            name="value",
            field=models.CharField(
                db_index=True,
                help_text="Copy it from the registry. Spaces and small letters are tidied for you.",
                max_length=40,
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="actual_size",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="How many people took part. Leave empty until the trial team says.",
                null=True,
                verbose_name="number of people who took part",
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="chief_investigator",
            field=models.CharField(
                blank=True,
                help_text="The doctor who leads the trial, as they are named in the registry, e.g. “Professor Tim Meyer”.",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="contact_email",
            field=models.EmailField(
                blank=True,
                help_text="An email address patients or their doctors can use.",
                max_length=254,
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="contact_name",
            field=models.CharField(
                blank=True,
                help_text="Only add contact details the trial team has agreed to share with the public.",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="contact_phone",
            field=models.CharField(
                blank=True,
                help_text="Write it as people dial it, e.g. 020 7946 0000.",
                max_length=40,
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="drugs",
            field=models.ManyToManyField(
                blank=True,
                help_text="The drugs people have in the trial, by their generic name. Type to search.",
                related_name="trials",
                to="treatments.drug",
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="phase",
            field=models.CharField(
                choices=[
                    ("early1", "Early phase 1"),
                    ("1", "Phase 1"),
                    ("1_2", "Phase 1/2"),
                    ("2", "Phase 2"),
                    ("2_3", "Phase 2/3"),
                    ("3", "Phase 3"),
                    ("4", "Phase 4"),
                    ("na", "No phase (not a drug trial)"),
                    ("unknown", "Phase not stated"),
                ],
                db_index=True,
                default="na",
                help_text="As the registry record gives it. The page explains what the phase means.",
                max_length=7,
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="rec_name",
            field=models.CharField(
                blank=True,
                help_text="The research ethics committee that gave its opinion, as on the HRA research summary.",
                max_length=200,
                verbose_name="research ethics committee",
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="rec_opinion",
            field=models.CharField(
                blank=True,
                help_text="e.g. “Favourable opinion”.",
                max_length=100,
                verbose_name="REC opinion",
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="rec_reference",
            field=models.CharField(
                blank=True,
                help_text="e.g. 23/SC/0293.",
                max_length=40,
                verbose_name="REC reference",
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="recruitment_end",
            field=models.DateField(
                blank=True,
                help_text="When the trial stopped, or plans to stop, taking people. If you only know the year, enter 1 January and choose “Year only”.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="recruitment_end_precision",
            field=models.CharField(
                choices=[("year", "Year only"), ("month", "Month and year"), ("day", "Exact day")],
                default="month",
                help_text="How much of the date to show.",
                max_length=5,
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="recruitment_start",
            field=models.DateField(
                blank=True,
                help_text="When the trial started, or will start, taking people. If you only know the month, enter the 1st of that month and choose “Month and year”.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="recruitment_start_precision",
            field=models.CharField(
                choices=[("year", "Year only"), ("month", "Month and year"), ("day", "Exact day")],
                default="month",
                help_text="How much of the date to show. “Month and year” shows “March 2014”.",
                max_length=5,
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="registry_checked",
            field=models.DateField(
                blank=True,
                help_text="The day you last compared this page with the registry record. For 90 days after it (the TRIAL_STATUS_MAX_AGE_DAYS setting) an open or opening-soon status is shown as fact; after that, patients are told it is not confirmed.",
                null=True,
                verbose_name="registry facts last checked by us",
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="sites",
            field=models.ManyToManyField(
                blank=True,
                help_text="Where in the body the NETs start. Type a few letters to search.",
                related_name="trials",
                to="netinfo.tumoursite",
                verbose_name="tumour sites",
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="slug",
            field=models.SlugField(
                help_text="The end of the page's web address: calm-net gives /trials/calm-net/. Leave it empty and it is made for you from the short name, or from the first words of the title if there is no short name. If you change it later, the old address still leads here.",
                max_length=120,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="sponsor",
            field=models.CharField(
                blank=True,
                help_text="The organisation responsible for the trial, e.g. a university or NHS trust.",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="status",
            field=models.CharField(
                choices=[
                    ("opening_soon", "Opening soon"),
                    ("open", "Open to new patients"),
                    ("closed", "Closed to new patients"),
                    ("results", "Results available"),
                    ("suspended", "Suspended"),
                    ("stopped", "Stopped early"),
                    ("withdrawn", "Withdrawn"),
                    ("unknown", "Status not known"),
                ],
                db_index=True,
                default="open",
                help_text="Where the trial is now. Check the registry record or ask the trial team if you are not sure. The page explains the status in words.",
                max_length=12,
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="target_size",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="How many people the trial plans to include.",
                null=True,
                verbose_name="planned number of people",
            ),
        ),
        migrations.AlterField(
            model_name="trial",
            name="treatments",
            field=models.ManyToManyField(
                blank=True,
                help_text="The treatments this trial tests. Type a few letters to search. The page links to each treatment's page.",
                related_name="trials",
                to="treatments.treatment",
            ),
        ),
    ]
