"""Treatment options for NETs, the drugs in them, and where each is used (site x grade)."""

from django.db import models
from django.urls import reverse

from netinfo.models import Content, TumourSite, lines


class Grade(models.IntegerChoices):
    """How fast a NET grows, from the Ki-67 index; NEC is a poorly differentiated carcinoma."""

    G1 = 1, "Grade 1 (G1)"
    G2 = 2, "Grade 2 (G2)"
    G3 = 3, "Grade 3 (G3) NET"
    NEC = 4, "Neuroendocrine carcinoma (NEC)"

    @classmethod
    def from_slug(cls, slug):
        """'g2' -> Grade.G2; None for anything unknown."""
        return {"g1": cls.G1, "g2": cls.G2, "g3": cls.G3, "nec": cls.NEC}.get((slug or "").lower())

    @property
    def slug(self):
        return self.name.lower()


class TreatmentType(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True, help_text="One or two plain sentences.")
    order = models.PositiveSmallIntegerField(default=0)
    # When the type was last edited: the page cache's key includes it (netinfo.caching.page_cache).
    # Empty for types loaded from fixtures, which do not say.
    updated_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Treatment(Content):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    type = models.ForeignKey(TreatmentType, on_delete=models.PROTECT, related_name="treatments")
    summary = models.CharField(
        max_length=300, help_text="One plain sentence: what it is and what it does."
    )
    other_names = models.TextField(
        blank=True,
        help_text=(
            'Brand names and abbreviations, one per line ("SSA", "Lutathera", "CAPTEM"). '
            "A search for any of them finds this treatment."
        ),
    )
    what_it_is = models.TextField(blank=True, help_text="Markdown. What the treatment is.")
    what_it_is_html = models.TextField(blank=True, editable=False)
    how_you_have_it = models.TextField(
        blank=True, help_text="Markdown. Tablets, an injection every 4 weeks, a drip, an operation."
    )
    how_you_have_it_html = models.TextField(blank=True, editable=False)
    what_it_can_do = models.TextField(
        blank=True, help_text="Markdown. Control symptoms, slow growth, shrink the tumour, cure."
    )
    what_it_can_do_html = models.TextField(blank=True, editable=False)
    side_effects = models.TextField(blank=True, help_text="Markdown. Possible side effects.")
    side_effects_html = models.TextField(blank=True, editable=False)
    questions = models.TextField(
        "questions to ask your doctor", blank=True, help_text="Markdown list of questions."
    )
    questions_html = models.TextField(blank=True, editable=False)
    order = models.PositiveSmallIntegerField(default=0)

    markdown_fields = (
        "what_it_is",
        "how_you_have_it",
        "what_it_can_do",
        "side_effects",
        "questions",
    )
    listing_order = 3  # netinfo.glossary_pages
    # Kept beside each history entry (netinfo.editorial.history_links): {relation: label}.
    history_links = {"drugs": "drugs", "uses": "uses (tumour site and grade)"}

    class Meta:
        ordering = ["type__order", "order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("treatments:detail", args=[self.slug])

    @property
    def other_names_list(self):
        return lines(self.other_names)


class Drug(models.Model):
    generic_name = models.CharField(max_length=100, unique=True, help_text='e.g. "lanreotide".')
    slug = models.SlugField(unique=True)
    brand_names = models.CharField(
        max_length=200, blank=True, help_text='Comma-separated, e.g. "Somatuline Autogel".'
    )
    treatments = models.ManyToManyField(Treatment, blank=True, related_name="drugs")
    # When the drug was last edited: the page cache's key includes it (netinfo.caching.page_cache).
    # Empty for drugs loaded from fixtures, which do not say.
    updated_at = models.DateTimeField(auto_now=True, null=True)

    class Meta:
        ordering = ["generic_name"]

    def __str__(self):
        if self.brand_names:
            return f"{self.generic_name} ({self.brand_names})"
        return self.generic_name

    @property
    def brand_names_list(self):
        return [name.strip() for name in self.brand_names.split(",") if name.strip()]


class TreatmentUse(models.Model):
    """One row of "treatment by site and grade": where a treatment is used, and how."""

    class Use(models.TextChoices):
        LICENSED = "licensed", "Licensed"
        USUAL = "usual", "Usually used"
        OCCASIONAL = "occasional", "Occasionally used"
        TRIAL_ONLY = "trial_only", "Only within a clinical trial"
        ASK = "ask", "Ask your specialist"

    treatment = models.ForeignKey(Treatment, on_delete=models.CASCADE, related_name="uses")
    site = models.ForeignKey(TumourSite, on_delete=models.CASCADE, related_name="treatment_uses")
    grade_from = models.PositiveSmallIntegerField(choices=Grade, default=Grade.G1)
    grade_to = models.PositiveSmallIntegerField(choices=Grade, default=Grade.G2)
    use = models.CharField(max_length=12, choices=Use, default=Use.USUAL)
    note = models.CharField(
        max_length=300, blank=True, help_text='Short, e.g. "Funded by the NHS for GEP NETs".'
    )
    # Where the row comes from, shown under it in every table, so a reader can check it.
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text='Title, publisher and date, e.g. "NICE TA539, August 2018".',
    )
    source_url = models.URLField("source link", blank=True, max_length=500)

    class Meta:
        ordering = ["site__order", "grade_from", "treatment__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade_from__lte=models.F("grade_to")),
                name="treatmentuse_grade_range_in_order",
                violation_error_message="The first grade must not be higher than the last.",
            ),
            models.UniqueConstraint(
                fields=["treatment", "site", "grade_from", "grade_to"],
                name="treatmentuse_unique_row",
            ),
        ]
        indexes = [models.Index(fields=["site", "grade_from", "grade_to"])]

    def __str__(self):
        return f"{self.treatment} – {self.site} – {self.grades_label}"

    @property
    def grades_label(self):
        if self.grade_from == self.grade_to:
            return Grade(self.grade_from).label
        return f"{Grade(self.grade_from).label} to {Grade(self.grade_to).label}"

    def covers(self, grade):
        return self.grade_from <= grade <= self.grade_to
