"""The editing area's own tables: edits to live pages waiting for an approver
(``PendingChange``), a record's links beside each history entry (``VersionLinks``) and
clinicians' sign-offs (``ClinicalReview``, shown on the public page). Part of the netinfo
app: ``netinfo.models`` imports them, so Django knows them as ``netinfo.*``."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class PendingChange(models.Model):
    """An edit to a published record that waits for an approver (``netinfo.editorial.pending``).

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
