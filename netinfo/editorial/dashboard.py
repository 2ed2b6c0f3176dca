"""What needs doing, on the admin home page: published records overdue or due for review,
published but never reviewed, and drafts awaiting approval (the same rules as the content
lists' "review" filter, netinfo.editorial.content_admin.ReviewFilter)."""

import datetime
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils import timezone

from netinfo.editorial.workflow import DRAFT, PUBLISHED

DUE_SOON_DAYS = 30


def overdue(queryset, today=None):
    """Published records whose next review date has passed."""
    today = today or timezone.localdate()
    return queryset.filter(state=PUBLISHED, next_review_due__lt=today)


def due_soon(queryset, today=None, days=DUE_SOON_DAYS):
    """Published records due for review today or within ``days`` days."""
    today = today or timezone.localdate()
    return queryset.filter(
        state=PUBLISHED,
        next_review_due__gte=today,
        next_review_due__lte=today + datetime.timedelta(days=days),
    )


def never_reviewed(queryset):
    """Published records with no review date at all: nobody has said when to check them."""
    return queryset.filter(state=PUBLISHED, next_review_due__isnull=True)


def drafts(queryset):
    return queryset.filter(state=DRAFT)


@dataclass
class DashboardSection:
    key: str
    title: str
    description: str
    rows: list
    filter_query: str


@dataclass
class DashboardRow:
    record: models.Model
    model_name: str
    due: datetime.date | None
    changed: datetime.datetime
    app_label: str
    model: str

    @property
    def admin_url(self):
        return reverse(f"admin:{self.app_label}_{self.model}_change", args=[self.record.pk])


LIST_LIMIT = 100


def dashboard(user, models_, today=None):
    """What needs doing, across every content model this user may see.

    Each section lists at most LIST_LIMIT records per model, oldest due first.
    """
    today = today or timezone.localdate()
    specs = [
        (
            "overdue",
            "Overdue for review",
            "Published pages whose review date has passed. Check every fact, then record "
            "the review.",
            lambda qs: overdue(qs, today).order_by("next_review_due", "pk"),
            "review=overdue",
        ),
        (
            "soon",
            f"Due for review in the next {DUE_SOON_DAYS} days",
            "Published pages to check soon.",
            lambda qs: due_soon(qs, today).order_by("next_review_due", "pk"),
            "review=soon",
        ),
        (
            "never",
            "Published but never reviewed",
            "Nobody has recorded a review of these pages yet.",
            lambda qs: never_reviewed(qs).order_by("pk"),
            "review=never",
        ),
        (
            "drafts",
            "Drafts awaiting approval",
            "Not on the site yet. A content approver checks each one and publishes it.",
            lambda qs: drafts(qs).order_by("-updated_at", "pk"),
            "state__exact=draft",
        ),
    ]
    visible_models = [
        model
        for model in models_
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
        or user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
    ]
    sections = []
    for key, title, description, select, query in specs:
        rows = []
        for model in visible_models:
            for record in select(model._base_manager.all())[:LIST_LIMIT]:
                rows.append(
                    DashboardRow(
                        record=record,
                        model_name=model._meta.verbose_name,
                        due=record.next_review_due,
                        changed=record.updated_at,
                        app_label=model._meta.app_label,
                        model=model._meta.model_name,
                    )
                )
        if key == "drafts":
            rows.sort(key=lambda row: row.changed, reverse=True)
        else:
            rows.sort(key=lambda row: (row.due or datetime.date.min, row.model_name))
        sections.append(DashboardSection(key, title, description, rows, query))
    return sections
