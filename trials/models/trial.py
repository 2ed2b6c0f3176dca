"""The trial: the record patients read, and what its page says about it."""

from functools import cached_property

from django.db import models
from django.urls import reverse
from django.utils.http import urlencode

from netinfo.models import Content, TumourSite, lines
from treatments.models import Drug, Grade, Treatment
from trials.choices import (
    ACTIVE_STATUSES,
    PHASE_EXPLAINED,
    REQUIREMENT_FACTS,
    Phase,
    Precision,
    Requirement,
    Status,
)
from trials.models.queries import TrialQuerySet
from trials.places import is_uk
from trials.status import confirmed_since, shown
from trials.text import first_sentence, format_partial_date


class Trial(Content):
    # Title and summary
    title = models.CharField(
        "plain-English title",
        max_length=250,
        help_text="Say what the trial is testing in everyday words, as you would to a patient.",
    )
    acronym = models.CharField(max_length=40, blank=True, help_text='Short name, e.g. "CALM-NET".')
    slug = models.SlugField(
        unique=True,
        max_length=120,
        help_text="The end of the page's web address: calm-net gives /trials/calm-net/. Leave it "
        "empty and it is made for you from the short name, or from the first words of the title "
        "if there is no short name. If you change it later, the old address still leads here.",
    )
    official_title = models.TextField(
        blank=True, help_text="The scientific title, exactly as registered."
    )
    status = models.CharField(
        max_length=12,
        choices=Status,
        default=Status.OPEN,
        db_index=True,
        help_text="Where the trial is now. Check the registry record or ask the trial team if you "
        "are not sure. The page explains the status in words.",
    )
    phase = models.CharField(
        max_length=7,
        choices=Phase,
        default=Phase.NA,
        db_index=True,
        help_text="As the registry record gives it. The page explains what the phase means.",
    )
    sites = models.ManyToManyField(
        TumourSite,
        blank=True,
        related_name="trials",
        verbose_name="tumour sites",
        help_text="Where in the body the NETs start. Type a few letters to search.",
    )
    treatments = models.ManyToManyField(
        Treatment,
        blank=True,
        related_name="trials",
        help_text="The treatments this trial tests. Type a few letters to search. The page links "
        "to each treatment's page.",
    )
    drugs = models.ManyToManyField(
        Drug,
        blank=True,
        related_name="trials",
        help_text="The drugs people have in the trial, by their generic name. Type to search.",
    )

    # Who can join: the NET-specific facts the finder filters on
    accepts_g1 = models.BooleanField("accepts grade 1", default=False)
    accepts_g2 = models.BooleanField("accepts grade 2", default=False)
    accepts_g3 = models.BooleanField("accepts grade 3 NET", default=False)
    accepts_nec = models.BooleanField("accepts neuroendocrine carcinoma", default=False)
    functioning = models.CharField(
        "hormone symptoms (functioning NET)",
        max_length=10,
        choices=Requirement,
        default=Requirement.EITHER,
        help_text="Whether people must have, or must not have, symptoms from hormones, such as "
        "carcinoid syndrome.",
    )
    receptor_scan = models.CharField(
        "somatostatin receptor scan",
        max_length=10,
        choices=Requirement,
        default=Requirement.EITHER,
        help_text="Whether people need a positive scan (such as a gallium-68 PET scan) to join.",
    )
    previous_treatment = models.CharField(
        "previous treatment",
        max_length=300,
        blank=True,
        help_text='In plain words, e.g. "You must have had a somatostatin analogue before".',
    )

    # The plain-English text patients read, in page order
    summary = models.TextField(
        blank=True, help_text="Markdown. Write this as you would explain it to a patient."
    )
    summary_html = models.TextField(blank=True, editable=False)
    # The summary's first sentence as plain text, for the finder's result cards and the feed:
    # worked out when the summary is rendered, so a search does not parse 20 summaries.
    summary_sentence = models.CharField(max_length=250, blank=True, editable=False)
    aims = models.TextField(blank=True, help_text="Markdown. What the trial wants to find out.")
    aims_html = models.TextField(blank=True, editable=False)
    who_can_take_part = models.TextField(
        blank=True, help_text="Markdown. Who can join and who cannot, as a short list."
    )
    who_can_take_part_html = models.TextField(blank=True, editable=False)
    what_happens = models.TextField(
        blank=True,
        help_text="Markdown. What taking part means: groups, visits, scans, how long.",
    )
    what_happens_html = models.TextField(blank=True, editable=False)
    results = models.TextField(
        blank=True,
        help_text='Markdown. Write numbers as "14 out of 18 people (78%)". Leave empty until '
        "there are results.",
    )
    results_html = models.TextField(blank=True, editable=False)

    # Dates and size
    recruitment_start = models.DateField(
        null=True,
        blank=True,
        help_text="When the trial started, or will start, taking people. If you only know the "
        "month, enter the 1st of that month and choose “Month and year”.",
    )
    recruitment_start_precision = models.CharField(
        max_length=5,
        choices=Precision,
        default=Precision.MONTH,
        help_text="How much of the date to show. “Month and year” shows “March 2014”.",
    )
    recruitment_end = models.DateField(
        null=True,
        blank=True,
        help_text="When the trial stopped, or plans to stop, taking people. If you only know the "
        "year, enter 1 January and choose “Year only”.",
    )
    recruitment_end_precision = models.CharField(
        max_length=5,
        choices=Precision,
        default=Precision.MONTH,
        help_text="How much of the date to show.",
    )
    target_size = models.PositiveIntegerField(
        "planned number of people",
        null=True,
        blank=True,
        help_text="How many people the trial plans to include.",
    )
    actual_size = models.PositiveIntegerField(
        "number of people who took part",
        null=True,
        blank=True,
        help_text="How many people took part. Leave empty until the trial team says.",
    )

    # People and organisations
    chief_investigator = models.CharField(
        max_length=200,
        blank=True,
        help_text="The doctor who leads the trial, as they are named in the registry, e.g. "
        "“Professor Tim Meyer”.",
    )
    sponsor = models.CharField(
        max_length=200,
        blank=True,
        help_text="The organisation responsible for the trial, e.g. a university or NHS trust.",
    )
    funders = models.TextField(
        "supported by", blank=True, help_text="Funders and supporters, one per line."
    )
    contact_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="Only add contact details the trial team has agreed to share with the public.",
    )
    contact_email = models.EmailField(
        blank=True,
        help_text="An email address patients or their doctors can use.",
    )
    contact_phone = models.CharField(
        max_length=40,
        blank=True,
        help_text="Write it as people dial it, e.g. 020 7946 0000.",
    )

    # Ethics approval
    rec_name = models.CharField(
        "research ethics committee",
        max_length=200,
        blank=True,
        help_text="The research ethics committee that gave its opinion, as on the HRA research "
        "summary.",
    )
    rec_reference = models.CharField(
        "REC reference",
        max_length=40,
        blank=True,
        help_text="e.g. 23/SC/0293.",
    )
    rec_opinion = models.CharField(
        "REC opinion",
        max_length=100,
        blank=True,
        help_text="e.g. “Favourable opinion”.",
    )
    rec_opinion_date = models.DateField("date of REC opinion", null=True, blank=True)

    # Registry facts, kept apart from what staff write (see trials.registry)
    registry_summary = models.TextField(blank=True, help_text="From the registry. Not edited.")
    registry_description = models.TextField(blank=True, help_text="From the registry.")
    registry_eligibility = models.TextField(blank=True, help_text="From the registry.")
    import_notes = models.TextField(
        blank=True,
        help_text="Left by the last import: registry conditions and treatments we could not "
        "match to our tumour sites and treatments. Link them by hand.",
    )
    registry_status = models.CharField(max_length=80, blank=True, editable=False)
    registry_updated = models.DateField(
        "registry record last updated", null=True, blank=True, editable=False
    )
    registry_checked = models.DateField(
        "registry facts last checked by us",
        null=True,
        blank=True,
        help_text="The day you last compared this page with the registry record. For 90 days "
        "after it (the TRIAL_STATUS_MAX_AGE_DAYS setting) an open or opening-soon status is "
        "shown as fact; after that, patients are told it is not confirmed.",
    )

    objects = TrialQuerySet.as_manager()

    markdown_fields = ("summary", "aims", "who_can_take_part", "what_happens", "results")
    listing_order = 4  # netinfo.glossary_pages
    # Kept beside each history entry, so restoring a version brings them back
    # (netinfo.editorial.history_links): {relation: label}.
    history_links = {
        "sites": "tumour sites",
        "treatments": "treatments",
        "drugs": "drugs",
        "identifiers": "registry numbers",
        "locations": "places",
        "publications": "publications",
    }

    @classmethod
    def words_url(cls, words):
        """The finder's page of every trial with ``words``, of any status."""
        return f"{reverse('trials:list')}?{urlencode({'q': words, 'status': 'all'})}"

    @classmethod
    def rendered_fields(cls):
        return [*super().rendered_fields(), "summary_sentence"]

    def render(self, matcher=None):
        super().render(matcher)
        self.summary_sentence = first_sentence(self.summary_html or self.summary)

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["state", "status"]),
            models.Index(fields=["state", "-updated_at"]),
            models.Index(fields=["state", "recruitment_start"]),
        ]

    def __str__(self):
        return f"{self.title} ({self.acronym})" if self.acronym else self.title

    def get_absolute_url(self):
        return reverse("trials:detail", args=[self.slug])

    @property
    def phase_explained(self):
        return PHASE_EXPLAINED[self.phase]

    @property
    def recruitment_start_display(self):
        return format_partial_date(self.recruitment_start, self.recruitment_start_precision)

    @property
    def recruitment_end_display(self):
        return format_partial_date(self.recruitment_end, self.recruitment_end_precision)

    @property
    def grades(self):
        flags = [
            (Grade.G1, self.accepts_g1),
            (Grade.G2, self.accepts_g2),
            (Grade.G3, self.accepts_g3),
            (Grade.NEC, self.accepts_nec),
        ]
        return [grade for grade, accepted in flags if accepted]

    @property
    def funders_list(self):
        return lines(self.funders)

    def status_shown(self, today=None):
        """What the status says to a patient on ``today``, and on what authority: see
        ``trials.status``."""
        return shown(self, today)

    @cached_property
    def status_now(self):
        """``status_shown()`` for today, for templates."""
        return self.status_shown()

    @property
    def phase_sentence(self):
        """ "This is a phase 2 trial. Phase 2 trials test whether..." """
        if self.phase in (Phase.NA, Phase.UNKNOWN):
            return self.phase_explained
        label = self.get_phase_display().lower()
        article = "an" if label[:1] in "aeiou" else "a"
        return f"This is {article} {label} trial. {self.phase_explained}"

    @property
    def eligibility_facts(self):
        """The finder's facts about who can join, as (label, plain sentence) pairs."""
        facts = []
        if self.grades:
            facts.append(("Grade of NET", ", ".join(Grade(grade).label for grade in self.grades)))
        for name in ("functioning", "receptor_scan"):
            fact = REQUIREMENT_FACTS.get((name, getattr(self, name)))
            if fact:
                facts.append(fact)
        if self.previous_treatment:
            facts.append(("Treatment you have had before", self.previous_treatment))
        return facts

    def location_groups(self):
        """Locations grouped by region (and country outside the UK), in a stable order.

        Returns a list of (label, [locations]). Uses ``self.locations.all()``, so a prefetch
        makes it free.
        """
        groups = {}
        for location in self.locations.all():
            in_uk = is_uk(location.country)
            if in_uk:
                label = location.get_region_display() or "United Kingdom"
            else:
                label = ", ".join(part for part in (location.state, location.country) if part)
            country = "" if in_uk else location.country
            groups.setdefault((not in_uk, country, label), []).append(location)
        return [(key[2], locations) for key, locations in sorted(groups.items())]

    def related_trials(self, limit=6):
        """Other published trials for any of this trial's tumour sites, confirmed open ones
        first."""
        site_ids = [site.pk for site in self.sites.all()]
        if not site_ids:
            return Trial.objects.none()
        sharing = Trial.sites.through.objects.filter(tumoursite_id__in=site_ids).values("trial_id")
        return (
            Trial.objects.published()
            .filter(pk__in=sharing)
            .exclude(pk=self.pk)
            .with_registry()
            .annotate(
                open_first=models.Case(
                    models.When(
                        status__in=ACTIVE_STATUSES,
                        registry_checked__gte=confirmed_since(),
                        then=0,
                    ),
                    default=1,
                    output_field=models.IntegerField(),
                )
            )
            .order_by("open_first", "title")[:limit]
        )
