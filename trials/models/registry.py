"""What the registry sync searches for, and the changes it finds that staff must check."""

from django.db import models
from django.utils import timezone


class RegistryCondition(models.Model):
    """A condition the registry sync asks ClinicalTrials.gov about (see trials.registry.sync).

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

    trial = models.ForeignKey("Trial", on_delete=models.CASCADE, related_name="registry_changes")
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
