"""Clinical trials: the record patients read, and everything hanging off it."""

import re
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from netinfo.models import Content, ContentQuerySet, TumourSite, lines
from treatments.models import Drug, Grade, Treatment
from trials.places import Region, find_town, is_uk, region_for


class Status(models.TextChoices):
    """Recruitment status, in the registries' meaning, with the words patients see."""

    OPENING_SOON = "opening_soon", "Opening soon"
    OPEN = "open", "Open to new patients"
    CLOSED = "closed", "Closed to new patients"
    RESULTS = "results", "Results available"
    SUSPENDED = "suspended", "Suspended"
    STOPPED = "stopped", "Stopped early"
    WITHDRAWN = "withdrawn", "Withdrawn"
    UNKNOWN = "unknown", "Status not known"


STATUS_EXPLAINED = {
    Status.OPENING_SOON: "The trial has been approved but is not yet taking people.",
    Status.OPEN: "The trial is looking for people to take part now.",
    Status.CLOSED: "The trial is not taking any more people. It may still be going on.",
    Status.RESULTS: "The trial has finished and the results have been published.",
    Status.SUSPENDED: "The trial has stopped taking people for now. It may start again.",
    Status.STOPPED: "The trial ended before it was planned to.",
    Status.WITHDRAWN: "The trial stopped before anyone joined it.",
    Status.UNKNOWN: "We do not know if this trial is taking people.",
}

# The statuses a patient can still ask to join: the finder shows these by default, when a
# recent registry check confirms them (trials.status).
ACTIVE_STATUSES = (Status.OPEN, Status.OPENING_SOON)


class Phase(models.TextChoices):
    EARLY_1 = "early1", "Early phase 1"
    P1 = "1", "Phase 1"
    P1_2 = "1_2", "Phase 1/2"
    P2 = "2", "Phase 2"
    P2_3 = "2_3", "Phase 2/3"
    P3 = "3", "Phase 3"
    P4 = "4", "Phase 4"
    NA = "na", "No phase (not a drug trial)"
    UNKNOWN = "unknown", "Phase not stated"


PHASE_EXPLAINED = {
    Phase.EARLY_1: "Early phase 1 trials give a very small dose of a new drug to a few people "
    "to see how the body handles it.",
    Phase.P1: "Phase 1 trials test whether a treatment is safe and find the best dose.",
    Phase.P1_2: "Phase 1/2 trials find a safe dose, then test whether the treatment works.",
    Phase.P2: "Phase 2 trials test whether a treatment works and find out more about side effects.",
    Phase.P2_3: "Phase 2/3 trials test whether a treatment works and compare it with the usual "
    "treatment.",
    Phase.P3: "Phase 3 trials compare a new treatment with the usual treatment, in a larger "
    "number of people.",
    Phase.P4: "Phase 4 trials look at a treatment that is already in use, to learn more about "
    "its long-term benefits and side effects.",
    Phase.NA: "This study does not test a drug, so it has no phase.",
    Phase.UNKNOWN: "The information we have does not say which phase this trial is.",
}


class Precision(models.TextChoices):
    YEAR = "year", "Year only"
    MONTH = "month", "Month and year"
    DAY = "day", "Exact day"


def format_partial_date(day, precision):
    """A date as precisely as we know it: "2014", "March 2014" or "3 March 2014"."""
    if day is None:
        return ""
    if precision == Precision.YEAR:
        return str(day.year)
    if precision == Precision.MONTH:
        return day.strftime("%B %Y")
    return f"{day.day} {day.strftime('%B %Y')}"


class Requirement(models.TextChoices):
    EITHER = "either", "Either"
    REQUIRED = "required", "Required"
    EXCLUDED = "excluded", "Not allowed"


class TrialQuerySet(ContentQuerySet):
    def published(self):
        return self.filter(state=Content.State.PUBLISHED)

    def active(self, today=None):
        """Trials a patient could ask to join: open or opening soon, as confirmed by a registry
        check in the last ``TRIAL_STATUS_MAX_AGE_DAYS`` days (``trials.status``)."""
        from trials.status import confirmed_since

        return self.filter(
            status__in=ACTIVE_STATUSES, registry_checked__gte=confirmed_since(today)
        ).with_registry()

    def with_registry(self):
        """Each trial with ``checked_registry``: the kind of registry number its status is
        checked against (ClinicalTrials.gov's first), in the same query, so a list can say
        "checked on ClinicalTrials.gov" without a query per trial."""
        from trials.status import REGISTRY_ORDER

        ranked = (
            Identifier.objects.filter(trial=models.OuterRef("pk"))
            .annotate(
                rank=models.Case(
                    *(models.When(kind=kind, then=i) for i, kind in enumerate(REGISTRY_ORDER)),
                    default=len(REGISTRY_ORDER),
                    output_field=models.IntegerField(),
                )
            )
            .order_by("rank", "value")
            .values("kind")[:1]
        )
        return self.annotate(checked_registry=models.Subquery(ranked))

    def for_page(self):
        """Everything the trial page follows, fetched in a fixed number of queries."""
        return self.prefetch_related(
            # Only published sites: a draft one is not named on a published page.
            models.Prefetch("sites", queryset=TumourSite.objects.published()),
            "drugs",
            "identifiers",
            "locations",
            "publications",
            models.Prefetch(
                "treatments",
                queryset=Treatment.objects.published(),
                to_attr="published_treatments",
            ),
        )


class Trial(Content):
    # Title and summary
    title = models.CharField(
        "plain-English title",
        max_length=250,
        help_text="Say what the trial is testing in everyday words, as you would to a patient.",
    )
    acronym = models.CharField(max_length=40, blank=True, help_text='Short name, e.g. "CALM-NET".')
    slug = models.SlugField(unique=True, max_length=120)
    official_title = models.TextField(
        blank=True, help_text="The scientific title, exactly as registered."
    )
    status = models.CharField(max_length=12, choices=Status, default=Status.OPEN, db_index=True)
    phase = models.CharField(max_length=7, choices=Phase, default=Phase.NA, db_index=True)
    sites = models.ManyToManyField(
        TumourSite, blank=True, related_name="trials", verbose_name="tumour sites"
    )
    treatments = models.ManyToManyField(Treatment, blank=True, related_name="trials")
    drugs = models.ManyToManyField(Drug, blank=True, related_name="trials")

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
    recruitment_start = models.DateField(null=True, blank=True)
    recruitment_start_precision = models.CharField(
        max_length=5, choices=Precision, default=Precision.MONTH
    )
    recruitment_end = models.DateField(null=True, blank=True)
    recruitment_end_precision = models.CharField(
        max_length=5, choices=Precision, default=Precision.MONTH
    )
    target_size = models.PositiveIntegerField("planned number of people", null=True, blank=True)
    actual_size = models.PositiveIntegerField(
        "number of people who took part", null=True, blank=True
    )

    # People and organisations
    chief_investigator = models.CharField(max_length=200, blank=True)
    sponsor = models.CharField(max_length=200, blank=True)
    funders = models.TextField(
        "supported by", blank=True, help_text="Funders and supporters, one per line."
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)

    # Ethics approval
    rec_name = models.CharField("research ethics committee", max_length=200, blank=True)
    rec_reference = models.CharField("REC reference", max_length=40, blank=True)
    rec_opinion = models.CharField("REC opinion", max_length=100, blank=True)
    rec_opinion_date = models.DateField("date of REC opinion", null=True, blank=True)

    # Registry facts, kept apart from what staff write (see trials.ctgov)
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
    registry_checked = models.DateField("registry facts last checked by us", null=True, blank=True)

    objects = TrialQuerySet.as_manager()

    markdown_fields = ("summary", "aims", "who_can_take_part", "what_happens", "results")
    # Kept beside each history entry, so restoring a version brings them back
    # (netinfo.history_links): {relation: label}.
    history_links = {
        "sites": "tumour sites",
        "treatments": "treatments",
        "drugs": "drugs",
        "identifiers": "registry numbers",
        "locations": "places",
        "publications": "publications",
    }

    @classmethod
    def rendered_fields(cls):
        return [*super().rendered_fields(), "summary_sentence"]

    def render(self, matcher=None):
        from trials.search import first_sentence

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
    def status_explained(self):
        return STATUS_EXPLAINED[self.status]

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
        from trials.status import shown

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
        if self.functioning == Requirement.REQUIRED:
            facts.append(
                (
                    "Symptoms from hormones",
                    "You need to have symptoms caused by hormones the NET makes, such as "
                    "carcinoid syndrome.",
                )
            )
        elif self.functioning == Requirement.EXCLUDED:
            facts.append(
                (
                    "Symptoms from hormones",
                    "This trial is for people who do not have symptoms caused by hormones the "
                    "NET makes.",
                )
            )
        if self.receptor_scan == Requirement.REQUIRED:
            facts.append(
                (
                    "Somatostatin receptor scan",
                    "You need a scan that shows the NET has somatostatin receptors, such as a "
                    "gallium-68 PET scan.",
                )
            )
        elif self.receptor_scan == Requirement.EXCLUDED:
            facts.append(
                (
                    "Somatostatin receptor scan",
                    "This trial is for people whose scan does not show somatostatin receptors.",
                )
            )
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
        from trials.status import confirmed_since

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


class Identifier(models.Model):
    """A registry number. Each is unique across trials and links to its registry page."""

    class Kind(models.TextChoices):
        NCT = "nct", "ClinicalTrials.gov (NCT)"
        EUDRACT = "eudract", "EudraCT"
        EUCT = "euct", "EU CT number (CTIS)"
        ISRCTN = "isrctn", "ISRCTN"
        IRAS = "iras", "IRAS ID"

    PATTERNS = {
        Kind.NCT: (r"NCT\d{8}", "NCT followed by 8 digits, e.g. NCT02683941"),
        Kind.EUDRACT: (r"\d{4}-\d{6}-\d{2}", "year-6 digits-2 digits, e.g. 2022-003575-42"),
        Kind.EUCT: (
            r"\d{4}-\d{6}-\d{2}-\d{2}",
            "year-6 digits-2 digits-2 digits, e.g. 2023-503456-12-00",
        ),
        Kind.ISRCTN: (r"ISRCTN\d{8}", "ISRCTN followed by 8 digits, e.g. ISRCTN12345678"),
        Kind.IRAS: (r"\d{4,7}", "4 to 7 digits and nothing else, e.g. 1006904"),
    }
    LINKS = {
        Kind.NCT: "https://clinicaltrials.gov/study/{}",
        Kind.EUDRACT: "https://www.clinicaltrialsregister.eu/ctr-search/search?query={}",
        Kind.EUCT: "https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT={}",
        Kind.ISRCTN: "https://www.isrctn.com/{}",
        Kind.IRAS: "https://www.hra.nhs.uk/planning-and-improving-research/application-summaries/"
        "research-summaries/?query={}",
    }

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=8, choices=Kind)
    value = models.CharField(max_length=40, db_index=True)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value"],
                name="identifier_unique_per_registry",
                violation_error_message="Another trial already has this registry number.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    # Labels people paste along with the number ("IRAS ID: 1006904", "EudraCT 2022-...").
    LABELS = {
        Kind.EUDRACT: r"EUDRACT(NUMBER|NO\.?)?:?",
        Kind.EUCT: r"EUCT(NUMBER|NO\.?)?:?",
        Kind.IRAS: r"IRAS(ID)?:?",
    }

    @classmethod
    def normalise(cls, kind, value):
        """Tidy what an editor typed or pasted: no spaces, upper case, plain hyphens."""
        value = re.sub(r"\s+", "", value or "").upper()
        value = re.sub(r"[\u2010-\u2015\u2212]", "-", value)  # dashes from Word or the web
        label = cls.LABELS.get(kind)
        if label:
            value = re.sub(f"^{label}", "", value)
        if kind in (cls.Kind.NCT, cls.Kind.ISRCTN) and value[:1].isdigit():
            value = ("NCT" if kind == cls.Kind.NCT else "ISRCTN") + value
        return value

    def clean(self):
        self.value = self.normalise(self.kind, self.value)
        pattern, example = self.PATTERNS.get(self.kind, (None, None))
        if pattern and not re.fullmatch(pattern, self.value):
            raise ValidationError(
                {
                    "value": f"This is not a valid {self.get_kind_display()} number. "
                    f"It should be {example}."
                }
            )
        if self.kind and self.value:
            # Checked here rather than left to the constraint, so the message sits next to the
            # number and names the trial that has it.
            other = (
                Identifier.objects.filter(kind=self.kind, value=self.value)
                .exclude(pk=self.pk)
                .select_related("trial")
                .first()
            )
            if other and self.trial_id and other.trial_id == self.trial_id:
                raise ValidationError({"value": "This trial already has this registry number."})
            if other:
                raise ValidationError(
                    {
                        "value": "Another trial already has this registry number: "
                        f"{other.trial}. Check you have typed it correctly."
                    }
                )

    @property
    def url(self):
        return self.LINKS[self.kind].format(self.value)


class Location(models.Model):
    """A hospital where the trial takes place. Places from the registry are replaced on each
    import; places staff add (or correct) are kept. Changes are in the history."""

    class Source(models.TextChoices):
        REGISTRY = "registry", "From the registry (replaced on each import)"
        STAFF = "staff", "Added or corrected by staff (kept on import)"

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField("hospital or site", max_length=200)
    town = models.CharField(max_length=100, blank=True)
    region = models.CharField(
        "UK nation or region",
        max_length=100,
        blank=True,
        db_index=True,
        choices=Region.choices,
        help_text="Leave empty for places outside the UK.",
    )
    state = models.CharField(
        "state, county or province",
        max_length=100,
        blank=True,
        help_text='As the registry gives it, e.g. "California". Shown for places outside the UK.',
    )
    country = models.CharField(max_length=100, blank=True, default="United Kingdom")
    recruiting = models.BooleanField("taking people here", default=True)
    latitude = models.FloatField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="Filled in from the town when left empty (UK towns only).",
    )
    longitude = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)

    history = HistoricalRecords()

    class Meta:
        ordering = ["country", "region", "town", "name"]
        constraints = [
            models.CheckConstraint(
                name="location_both_coordinates_or_neither",
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
            )
        ]

    def __str__(self):
        return ", ".join(part for part in (self.name, self.town) if part)

    def save(self, *args, **kwargs):
        self.fill_from_town()
        super().save(*args, **kwargs)

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError("Give both the latitude and the longitude, or neither.")

    def fill_from_town(self):
        """A UK place without coordinates or region gets them from its town, when we know
        the town (trials.places)."""
        if not is_uk(self.country):
            return
        if not self.region:
            self.region = region_for(self.state, self.town)
        if self.latitude is None and self.longitude is None:
            town = find_town(self.town)
            if town:
                self.latitude, self.longitude = town.latitude, town.longitude

    @property
    def region_label(self):
        return self.get_region_display()


class Publication(models.Model):
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="publications")
    authors = models.CharField(
        max_length=300,
        blank=True,
        help_text='e.g. "T Meyer and others". Leave empty if the source does not say.',
    )
    title = models.CharField(max_length=400)
    journal = models.CharField(max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    volume = models.CharField(max_length=20, blank=True)
    issue = models.CharField(max_length=20, blank=True)
    pages = models.CharField(max_length=40, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True, help_text='e.g. "10.1111/jne.13116"')
    pmid = models.CharField("PubMed ID", max_length=12, blank=True)
    url = models.URLField("link", blank=True)

    class Meta:
        ordering = ["-year", "title"]

    def __str__(self):
        return self.title

    @property
    def link(self):
        if self.url:
            return self.url
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return ""

    @property
    def citation(self):
        """Authors. Title. Journal, year. Volume, issue, pages."""
        parts = [f"{part.rstrip('.')}." for part in (self.authors, self.title) if part]
        where = ", ".join(str(part) for part in (self.journal, self.year) if part)
        if where:
            parts.append(f"{where}.")
        numbers = ", ".join(
            label + value
            for label, value in (
                ("Volume ", self.volume),
                ("Issue ", self.issue),
                ("Pages ", self.pages),
            )
            if value
        )
        if numbers:
            parts.append(f"{numbers}.")
        return " ".join(parts)


class TrialSearchTextManager(models.Manager):
    def refresh(self, trial_ids=None):
        """``trials.search_text.refresh``, for code that may not import trials (netinfo's
        loaders reach this model through ``apps.get_model``)."""
        from trials.search_text import refresh

        return refresh(trial_ids)


class TrialSearchText(models.Model):
    """The words the trial finder looks for, one narrow row per trial (see trials.search_text).

    The trial table's rows are wide (each holds its rendered HTML), so a word search over
    its text columns reads every one of them, several times a search. This table holds only
    what the words are matched against: the trial's titles and summary, the names of its
    published tumour sites and treatments, its drugs' names and its registry numbers, as
    plain words (lower case, no accents or punctuation). Kept in step by trials.signals;
    rebuilt with ``trials.search_text.refresh()`` after a bulk load that skips signals.
    """

    trial = models.OneToOneField(
        Trial, primary_key=True, on_delete=models.CASCADE, related_name="search_text"
    )
    text = models.TextField()

    objects = TrialSearchTextManager()

    def __str__(self):
        return f"Search text of {self.trial_id}"


class RegistryCondition(models.Model):
    """A condition the registry sync asks ClinicalTrials.gov about (see trials.registry_sync).

    Staff edit the list in the admin. Each active term is one part of the search's
    ``query.cond``; the registry matches it against conditions, keywords and titles, with its
    own synonyms.
    """

    term = models.CharField(
        max_length=100,
        unique=True,
        help_text='A condition as the registry might name it, e.g. "carcinoid" or '
        '"pheochromocytoma". Put both spellings when British and American differ.',
    )
    active = models.BooleanField(
        "searched",
        default=True,
        help_text="Untick to keep the term on the list but leave it out of the search.",
    )
    note = models.CharField(max_length=300, blank=True, help_text="Why it is here, or why not.")

    class Meta:
        ordering = ["term"]
        verbose_name = "registry search condition"

    def __str__(self):
        return self.term


class RegistryChangeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(checked_at__isnull=True)


class RegistryChange(models.Model):
    """A published trial's registry facts changed: staff must check the plain-English text.

    Made by the importer (a sync, a file, or "Check the registry now") when the status, phase,
    dates, size or places of a published trial change. Open until an approver marks it
    checked. A trial has at most one open task: later changes are added to it.
    """

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="registry_changes")
    #: [{"field": "status", "label": "Status", "old": "Open to new patients", "new": "..."}]
    changes = models.JSONField(default=list)
    via = models.CharField("found by", max_length=100, blank=True)
    found_at = models.DateTimeField(default=timezone.now)
    checked_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    objects = RegistryChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-found_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["trial"],
                condition=models.Q(checked_at__isnull=True),
                name="registry_change_one_open_per_trial",
            )
        ]

    def __str__(self):
        return f"Registry changed: {self.trial}"

    @property
    def is_open(self):
        return self.checked_at is None
