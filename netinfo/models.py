"""Core content: the parts every patient-facing record shares, tumour sites, the glossary,
site pages and page feedback."""

import datetime
import functools
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


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
        from netinfo.glossary import record_uses

        record_uses(type(self), [self])

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

    def fingerprint(self):
        """A digest of everything an editor writes on this record except the publishing and
        review details, so a clinical review can tell whether the words changed since."""
        from netinfo.editorial.history import tracked_fields

        skip = {"state", "last_reviewed", "reviewed_by", "next_review_due", "change_note"}
        skip |= {"slug", "order"}  # where the page is, not what it says
        text = "\x1f".join(
            f"{field.name}={(str(getattr(self, field.attname) or '')).strip()}"
            for field in tracked_fields(type(self))
            if field.name not in skip
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def glossary_exclusions(self):
        """Glossary slugs never marked on this record's page (a term in its own definition)."""
        return ()

    def render(self, matcher=None):
        """Fill every ``*_html`` field from its markdown, glossary marked once per page."""
        from netinfo.content import render_fields
        from netinfo.glossary import current_matcher

        names = [*self.markdown_fields, "sources"]
        if matcher is None:
            matcher = current_matcher()
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

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.slug == "home":
            return reverse("netinfo:home")
        return reverse("netinfo:page", args=[self.slug])


class PendingChange(models.Model):
    """An edit to a published record that waits for an approver (netinfo.editorial.pending).

    It holds what the editor's admin form sent (``data``: every field, the many-to-many
    links and the inline rows, as the form posted them) and the form's field names, so the
    form can be shown again with the pending values and the same form can make it live.
    The live record is not touched until an approver publishes it. At most one change per
    record is open (editing, waiting or sent back) at a time.
    """

    class Status(models.TextChoices):
        EDITING = "editing", "Saved, not yet submitted for review"
        SUBMITTED = "submitted", "Waiting for review"
        SENT_BACK = "sent_back", "Sent back to the editor"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN = (Status.EDITING, Status.SUBMITTED, Status.SENT_BACK)

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300, help_text="The record's name when last saved.")
    data = models.JSONField(default=dict)
    fields = models.JSONField(default=list)
    base_version = models.PositiveIntegerField(
        help_text="The live record's version when the change was last saved."
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.EDITING)
    message = models.TextField("note to the approver", blank=True)
    created_by = models.ForeignKey(
        "auth.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True, help_text="The approver's words when sending back.")

    class Meta:
        ordering = ["-saved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(status__in=["editing", "submitted", "sent_back"]),
                name="pending_change_one_open_per_record",
            )
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="pending_change_status")]

    def __str__(self):
        return f"Change to {self.title} ({self.get_status_display().lower()})"

    @property
    def is_open(self):
        return self.status in self.OPEN


class Feedback(models.Model):
    """An answer to "Was this page helpful?". No personal data is asked for."""

    path = models.CharField(max_length=300, db_index=True)
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    dealt_with_at = models.DateTimeField("dealt with", null=True, blank=True, db_index=True)
    dealt_with_by = models.CharField(max_length=150, blank=True)
    client = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        db_index=True,
        help_text="A keyed hash of the sender's address, for the rate limit; blanked after "
        "an hour (netinfo.feedback).",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"

    def __str__(self):
        return f"{self.path}: {'yes' if self.helpful else 'no'}"


class ContentStamp(models.Model):
    """When the content last changed in a way no ``updated_at`` shows (one row): a deletion,
    a part or link changed on its own (``netinfo.signals``), or a glossary re-render, which
    rewrites stored HTML with ``bulk_update`` and leaves each record's ``updated_at`` alone
    (the words did not change).

    Its ``updated_at`` is part of the page cache's content version (``netinfo.caching.page_cache``)
    with every versioned table's latest ``updated_at``, so pages cached before a deletion or
    a re-render are not served after it.
    """

    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Content last changed at {self.updated_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def touch(cls):
        if not cls.objects.filter(pk=1).update(updated_at=timezone.now()):
            cls.objects.update_or_create(pk=1)


class GlossaryUse(models.Model):
    """A glossary term explained on a record's page: one row per term and record, written
    whenever the record's HTML is (``netinfo.glossary.record_uses``, from ``Content.save``,
    the glossary re-render and bulk loaders). The glossary-term page's "Pages that use this
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


class VersionLinks(models.Model):
    """A content record's links and rows at one entry of its history (a trial's tumour
    sites, registry numbers, places...), which simple_history does not keep: see
    ``netinfo.editorial.history_links``. ``history_id`` is the entry's id in the history table
    of the model named by ``kind``."""

    kind = models.CharField(max_length=100)  # the record's model, e.g. "trials.trial"
    history_id = models.PositiveBigIntegerField()
    links = models.JSONField(default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "history_id"], name="version_links_unique")
        ]
        verbose_name_plural = "version links"

    def __str__(self):
        return f"Links of {self.kind} history entry {self.history_id}"


class ClinicalReview(models.Model):
    """A clinician's sign-off of one content record: who checked it (name and role, as the
    page shows them), when, and what they checked. Recorded by a member of the "Clinical
    reviewer" role from the record's edit page; the public page shows the latest, and a
    page without one says near its top that no clinician has checked it yet.

    Linked to the record by its model's label and id (``kind``, ``record_id``), as
    ``GlossaryUse`` is, so one small table serves every kind of content.
    """

    kind = models.CharField(max_length=100, editable=False)  # e.g. "trials.trial"
    record_id = models.PositiveBigIntegerField(editable=False)
    reviewer_name = models.CharField(
        "name", max_length=200, help_text='As shown on the page, e.g. "Dr Asha Patel".'
    )
    reviewer_role = models.CharField(
        "role",
        max_length=200,
        help_text='Their clinical role, e.g. "Consultant medical oncologist, NET centre".',
    )
    reviewed_on = models.DateField("date of the review")
    checked = models.TextField(
        "what was checked",
        help_text="What they checked against which sources, in a sentence or two, e.g. "
        "\"Every fact on the page against the ENETS 2023 guidance and the trial's registry "
        'record."',
    )
    version = models.PositiveIntegerField(
        editable=False, help_text="The version of the record that was checked."
    )
    fingerprint = models.CharField(max_length=64, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Part of the content version (netinfo.content_version): a new review shows at once.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        indexes = [
            models.Index(
                fields=["kind", "record_id", "-reviewed_on"], name="clinical_review_record"
            )
        ]

    def __str__(self):
        return f"{self.reviewer_name}, {self.reviewed_on:%d %B %Y}"

    @classmethod
    def for_record(cls, record):
        return cls.objects.filter(kind=record._meta.label_lower, record_id=record.pk)

    @classmethod
    def latest_for(cls, record):
        return cls.for_record(record).order_by("-reviewed_on", "-pk").first()

    def changed_since(self, record):
        """True if the words of ``record`` differ from the version this review checked."""
        return record.fingerprint() != self.fingerprint
