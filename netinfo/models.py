"""Core content: the parts every patient-facing record shares (``Content``), tumour sites,
the glossary and site pages; the stamp of changes no ``updated_at`` shows, and where each
glossary term is used. Page feedback's table is in netinfo/feedback.py, the editing area's
in netinfo/editorial/models.py."""

import datetime
import functools
import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from netinfo.content import plain_text, render_fields
from netinfo.editorial.models import ClinicalReview, PendingChange, VersionLinks  # noqa: F401
from netinfo.feedback import Feedback  # noqa: F401 - this app's tables kept beside their code
from netinfo.glossary_matcher import GlossaryEntry, GlossaryMatcher, glossary_slugs


def lines(text):
    """The non-empty lines of a one-per-line field, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def a_year_from(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + datetime.timedelta(days=365)


class ContentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Content.State.PUBLISHED)


class Content(models.Model):
    """What every patient-facing record carries: publication state, review dates, sources,
    a public change note, an edit version (for refusing stale saves) and full history.

    Subclasses list their markdown fields in ``markdown_fields``, in the order they appear on
    the page; each has a ``<name>_html`` partner that ``save()`` fills, so pages never render
    markdown per request and a glossary term is explained at its first use on the page.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft (not on the site)"
        PUBLISHED = "published", "Published"

    state = models.CharField(
        max_length=10,
        choices=State,
        default=State.DRAFT,
        db_index=True,
        help_text="Only published pages are shown to the public. Content approvers publish.",
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="The day a clinician last checked every fact on the page."
    )
    reviewed_by = models.CharField(
        max_length=200,
        blank=True,
        help_text='Name and role, as shown on the page, e.g. "Dr A Smith, NET consultant".',
    )
    next_review_due = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Usually one year after the last review. Filled in for you if left empty.",
    )
    sources = models.TextField(
        blank=True,
        help_text=(
            "Where the facts come from: one source per line as a list item, with a link if "
            "there is one (publication, guideline, registry record)."
        ),
    )
    sources_html = models.TextField(blank=True, editable=False)
    change_note = models.CharField(
        "public change note",
        max_length=200,
        blank=True,
        help_text='One line shown on the page, e.g. "Status changed to closed to new patients".',
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords(inherit=True)
    objects = ContentQuerySet.as_manager()

    markdown_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.last_reviewed and not self.next_review_due:
            self.next_review_due = a_year_from(self.last_reviewed)
        self.render()
        super().save(*args, **kwargs)
        GlossaryUse.record(type(self), [self])

    @classmethod
    def html_fields(cls):
        """The stored HTML fields, one per markdown field."""
        return [f"{name}_html" for name in (*cls.markdown_fields, "sources")]

    @classmethod
    def rendered_fields(cls):
        """Every field ``render()`` fills (the HTML, and anything worked out from it)."""
        return cls.html_fields()

    def rendered_html(self):
        """Every stored HTML field's text."""
        return [getattr(self, name) for name in self.html_fields()]

    @property
    def is_published(self):
        return self.state == self.State.PUBLISHED

    @functools.cached_property
    def clinical_review(self):
        """The latest clinical sign-off of this record, or None (one query, kept for the
        page: the notice at the top and the review block at the foot both ask)."""
        if self.pk is None:
            return None
        return ClinicalReview.latest_for(self)

    @property
    def changed_since_clinical_review(self):
        """True if a clinician checked this record and its words have changed since."""
        review = self.clinical_review
        return review is not None and review.changed_since(self)

    @classmethod
    def tracked_fields(cls):
        """The fields an editor writes, in form order (rendered HTML, version and timestamps
        are derived, so a history of them would only add noise)."""
        return [
            field
            for field in cls._meta.concrete_fields
            if field.editable and not field.primary_key and not field.name.endswith("_html")
        ]

    def fingerprint(self):
        """A digest of everything an editor writes on this record except the publishing and
        review details, so a clinical review can tell whether the words changed since."""
        skip = {"state", "last_reviewed", "reviewed_by", "next_review_due", "change_note"}
        skip |= {"slug", "order"}  # where the page is, not what it says
        text = "\x1f".join(
            f"{field.name}={(str(getattr(self, field.attname) or '')).strip()}"
            for field in self.tracked_fields()
            if field.name not in skip
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def glossary_exclusions(self):
        """Glossary slugs never marked on this record's page (a term in its own definition)."""
        return ()

    def render(self, matcher=None):
        """Fill every ``*_html`` field from its markdown, glossary marked once per page."""
        names = [*self.markdown_fields, "sources"]
        if matcher is None:
            matcher = GlossaryTerm.published_matcher()
        rendered = render_fields(
            [getattr(self, name) or "" for name in names],
            matcher,
            exclude_slugs=self.glossary_exclusions(),
        )
        for name, html in zip(names, rendered, strict=True):
            setattr(self, f"{name}_html", html)


class TumourSite(Content):
    """Where in the body a NET starts: small bowel, pancreas, lung..."""

    name = models.CharField(max_length=100, unique=True, help_text='e.g. "Small bowel (midgut)".')
    slug = models.SlugField(unique=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    summary = models.CharField(
        max_length=300, blank=True, help_text="One plain sentence shown in lists of sites."
    )
    overview = models.TextField(
        blank=True,
        help_text="Markdown. How common NETs here are, how they behave, the symptoms they cause.",
    )
    overview_html = models.TextField(blank=True, editable=False)
    registry_keywords = models.TextField(
        blank=True,
        help_text=(
            "Words in a registry's list of conditions that mean this site, one per line "
            '(e.g. "pancreatic", "islet cell"). Used when importing trials.'
        ),
    )

    markdown_fields = ("overview",)
    listing_order = 2  # netinfo.glossary_pages

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("netinfo:tumour_site", args=[self.slug])


class GlossaryTerm(Content):
    # Each form is a word or short phrase, as long as a term at most; the limits keep the
    # glossary matcher (one pattern over every form of every term) small and quick.
    MAX_FORM_LENGTH = 100
    MAX_FORMS = 40

    term = models.CharField(max_length=100, unique=True, help_text='As patients see it: "Ki-67".')
    slug = models.SlugField(unique=True)
    other_forms = models.TextField(
        blank=True,
        help_text=(
            "Other ways the word is written, one per line: abbreviations, plurals, spellings "
            '("CTC", "CTCs", "circulating tumour cell"). Each is explained where it appears.'
        ),
    )
    definition = models.TextField(
        help_text="One to three short sentences in everyday words. Shown in the pop-up.",
    )
    definition_html = models.TextField(blank=True, editable=False)
    more = models.TextField(
        "longer explanation",
        blank=True,
        help_text="Markdown. Optional; shown on the term's own page only.",
    )
    more_html = models.TextField(blank=True, editable=False)
    tumour_sites = models.ManyToManyField(
        TumourSite,
        blank=True,
        related_name="glossary_terms",
        help_text=(
            'Where a NET this word names starts ("insulinoma": pancreas). The trial finder '
            "then finds that site's trials when someone searches for the word or one of its "
            "other forms, and the term's page links to the site. Leave empty for general words."
        ),
    )

    markdown_fields = ("definition", "more")
    listing_order = 5  # netinfo.glossary_pages

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("netinfo:glossary_term", args=[self.slug])

    @property
    def forms(self):
        return lines(self.other_forms)

    def clean(self):
        super().clean()
        forms = self.forms
        too_long = [form for form in forms if len(form) > self.MAX_FORM_LENGTH]
        if too_long:
            raise ValidationError(
                {
                    "other_forms": f"Each form goes on a line of its own and is at most "
                    f"{self.MAX_FORM_LENGTH} characters, like the term itself. This line has "
                    f"{len(too_long[0])}: “{too_long[0][:40]}…”. Put each form on its own line."
                }
            )
        if len(forms) > self.MAX_FORMS:
            raise ValidationError(
                {
                    "other_forms": f"At most {self.MAX_FORMS} other forms ({len(forms)} given). "
                    "Keep the ones patients will meet in the text."
                }
            )

    @property
    def letter(self):
        first = self.term[:1].upper()
        return first if first.isalpha() else "#"

    def glossary_exclusions(self):
        return (self.slug,)

    @classmethod
    def published_matcher(cls):
        """One matcher over every published term, for rendering (``Content.render``)."""
        terms = cls.objects.published().only("slug", "term", "other_forms", "definition")
        return GlossaryMatcher(
            GlossaryEntry(
                slug=term.slug,
                term=term.term,
                forms=tuple(term.forms),
                definition=plain_text(term.definition),
            )
            for term in terms
        )


class Page(Content):
    """A fixed page of the site, such as "About NETs" or "Joining a clinical trial"."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        unique=True,
        help_text='The address: "about-nets" is shown at /about-nets/. "home" is the home page.',
    )
    summary = models.CharField(
        max_length=300, blank=True, help_text="One plain sentence shown under the title."
    )
    body = models.TextField(blank=True, help_text="Markdown. Short paragraphs, everyday words.")
    body_html = models.TextField(blank=True, editable=False)
    order = models.PositiveSmallIntegerField(default=0)

    markdown_fields = ("body",)
    listing_order = 1  # netinfo.glossary_pages

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.slug == "home":
            return reverse("netinfo:home")
        return reverse("netinfo:page", args=[self.slug])


class ContentStamp(models.Model):
    """When the content last changed in a way no ``updated_at`` shows (one row): a deletion,
    a part or link changed on its own (``netinfo.content_version``), or a glossary re-render,
    which rewrites stored HTML with ``bulk_update`` and leaves each record's ``updated_at``
    alone (the words did not change).

    Its ``updated_at`` is part of the content version (``netinfo.content_version``), so pages
    cached before a deletion or a re-render are not served after it.
    """

    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Content last changed at {self.updated_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def touch(cls):
        """Set the time to now, writing the row the first time: one upsert."""
        cls.objects.bulk_create(
            [cls(pk=1)], update_conflicts=True, unique_fields=["id"], update_fields=["updated_at"]
        )


class GlossaryUse(models.Model):
    """A glossary term explained on a record's page: one row per term and record, written
    whenever the record's HTML is (``GlossaryUse.record``, from ``Content.save``, the
    glossary re-render and bulk loaders). The glossary-term page's "Pages that use this
    word" is read from here through an index, not by searching every page's stored HTML:
    its cost follows how many pages use the word, not how much content there is.
    """

    term_slug = models.CharField(max_length=50)
    kind = models.CharField(max_length=100)  # the record's model, e.g. "trials.trial"
    record_id = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["term_slug", "kind", "record_id"], name="glossary_use_unique"
            )
        ]
        indexes = [models.Index(fields=["kind", "record_id"], name="glossary_use_record")]

    def __str__(self):
        return f"{self.term_slug} on {self.kind} {self.record_id}"

    @classmethod
    def record(cls, model, records):
        """Write which glossary terms each record's stored HTML explains, replacing what was
        written for them before. Two queries for any number of records; the caller keeps
        batches under SQLite's limit of parameters (999)."""
        kind = model._meta.label_lower
        cls.objects.filter(kind=kind, record_id__in=[record.pk for record in records]).delete()
        cls.objects.bulk_create(
            cls(term_slug=slug, kind=kind, record_id=record.pk)
            for record in records
            for slug in sorted(glossary_slugs(*record.rendered_html()))
        )

    @classmethod
    def forget(cls, model, record_id):
        cls.objects.filter(kind=model._meta.label_lower, record_id=record_id).delete()
