"""Editing trials, for clinical staff. The form follows the order of the trial page."""

import datetime

from django import forms
from django.contrib import admin
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from netinfo.editorial.content_admin import ContentAdmin
from netinfo.editorial.forms import ContentAdminForm
from netinfo.slugs import short_slug, unique_slug
from trials.models import (
    Identifier,
    Location,
    Publication,
    RegistryChange,
    RegistryCondition,
    Trial,
)
from trials.registry.admin_check import RegistryCheckMixin
from trials.registry.admin_import import CtgovImportMixin


class IdentifierForm(forms.ModelForm):
    class Meta:
        model = Identifier
        fields = ("kind", "value")

    def clean(self):
        cleaned = super().clean()
        # Normalise here as well as in the model, so two rows for the same number typed
        # differently ("nct 02683941", "NCT02683941") are caught as duplicates by the formset.
        if cleaned.get("value"):
            cleaned["value"] = Identifier.normalise(cleaned.get("kind"), cleaned["value"])
        return cleaned


class IdentifierFormSet(BaseInlineFormSet):
    def get_unique_error_message(self, unique_check):
        return "You have entered the same registry number twice. Remove one of them."


class IdentifierInline(admin.TabularInline):
    model = Identifier
    form = IdentifierForm
    formset = IdentifierFormSet
    extra = 1
    verbose_name = "registry number"
    verbose_name_plural = "Registry numbers (NCT, EudraCT, EU CT, ISRCTN, IRAS)"


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = (
            "name",
            "town",
            "region",
            "state",
            "country",
            "recruiting",
            "latitude",
            "longitude",
        )

    def save(self, commit=True):
        # A place staff add or correct is theirs: the next import keeps it as they left it.
        if self.has_changed():
            self.instance.source = Location.Source.STAFF
        return super().save(commit)


class LocationInline(admin.TabularInline):
    model = Location
    form = LocationForm
    extra = 1
    verbose_name_plural = "Hospitals taking part"
    fields = (
        *LocationForm.Meta.fields,
        "source",
    )
    readonly_fields = ("source",)


class PublicationInline(admin.StackedInline):
    model = Publication
    extra = 0
    verbose_name = "publication"
    verbose_name_plural = "Publications (shown as \u201cMore detailed information\u201d)"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("authors", "title")}),
        (None, {"fields": (("journal", "year"), ("volume", "issue", "pages"))}),
        (None, {"fields": ("doi", "pmid", "url")}),
    )


class TrialAdminForm(ContentAdminForm):
    """A trial's address is its short name ("cabo-pnet"), or a few words of its title."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def clean(self):
        cleaned = super().clean()
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get("title"):
            base = short_slug(cleaned["title"], cleaned.get("acronym", ""))
            cleaned["slug"] = unique_slug(Trial, base, exclude_pk=self.instance.pk)
        return cleaned


@admin.register(Trial)
class TrialAdmin(RegistryCheckMixin, CtgovImportMixin, ContentAdmin):
    list_display = (
        "title",
        "acronym",
        "status",
        "registry_check",
        "phase",
        "site_names",
        "last_reviewed",
        "next_review",
        "state",
    )
    # ContentAdmin adds the state and review (overdue, due within 30 days) filters.
    list_filter = ("status", "phase", "sites")
    search_fields = ("title", "acronym", "official_title", "identifiers__value")
    search_help_text = "Search by title, short name or registry number, e.g. NCT02683941."
    form = TrialAdminForm
    autocomplete_fields = ("sites", "treatments", "drugs")
    inlines = [LocationInline, PublicationInline, IdentifierInline]
    save_on_top = True
    object_history_template = "admin/trials/trial_object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        """The trial's history, and below it every change to its hospitals (staff's and
        imports'), newest first."""
        place_changes = (
            Location.history.filter(trial_id=object_id)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:200]
        )
        extra_context = {**(extra_context or {}), "place_changes": place_changes}
        return super().history_view(request, object_id, extra_context)

    # In the order of the trial page. Inlines (hospitals, publications, registry numbers)
    # follow the form, in page order too.
    fieldsets = (
        (
            "Title and status",
            {"fields": ("title", "acronym", "slug", "status", "phase")},
        ),
        (
            "Who it is for and what it tests",
            {
                "fields": ("sites", "treatments", "drugs"),
                "description": "The page links to each tumour site and treatment you choose, "
                "and lists the trial on their pages.",
            },
        ),
        (
            "What patients read",
            {
                "fields": ("summary", "aims"),
                "description": "Write as you would explain it to a patient: short sentences, "
                "everyday words. Each box is a section of the page. Leave a box empty to leave "
                "its section out.",
            },
        ),
        (
            "Who can take part",
            {
                "fields": (
                    "who_can_take_part",
                    ("accepts_g1", "accepts_g2", "accepts_g3", "accepts_nec"),
                    "functioning",
                    "receptor_scan",
                    "previous_treatment",
                ),
                "description": "The ticks and choices are used by the trial search and shown "
                "as a short list on the page.",
            },
        ),
        ("What happens in the trial", {"fields": ("what_happens",)}),
        ("What the trial found", {"fields": ("results",)}),
        (
            "Recruitment dates and size",
            {
                "fields": (
                    ("recruitment_start", "recruitment_start_precision"),
                    ("recruitment_end", "recruitment_end_precision"),
                    ("target_size", "actual_size"),
                )
            },
        ),
        (
            "How to join: contact details",
            {
                "fields": ("contact_name", "contact_email", "contact_phone"),
                "description": "The page always tells patients to talk to their doctor first. "
                "Add the hospitals below, under \u201cHospitals taking part\u201d.",
            },
        ),
        ("Who runs the trial", {"fields": ("chief_investigator", "sponsor", "funders")}),
        (
            "Registry information (technical)",
            {
                "fields": (
                    "official_title",
                    "registry_summary",
                    "registry_description",
                    "registry_eligibility",
                    ("registry_status", "registry_updated"),
                    "registry_checked",
                    "import_notes",
                ),
                "description": "Copied from the registry and shown on the page, marked as "
                "technical. Registry numbers are added below, under \u201cRegistry numbers\u201d.",
                "classes": ("collapse",),
            },
        ),
        (
            "Ethics approval",
            {
                "fields": ("rec_name", "rec_reference", "rec_opinion", "rec_opinion_date"),
                "description": "From the HRA research summary or the approval letter.",
            },
        ),
        ContentAdmin.review_fieldset,
    )

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "registry_status", "registry_updated")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("sites")

    @admin.display(description="Status last checked", ordering="registry_checked")
    def registry_check(self, obj):
        """When someone last compared the status with the registry record."""
        checked = obj.registry_checked
        return f"{checked.day} {checked.strftime('%b %Y')}" if checked else "Never checked"

    @admin.display(description="Tumour sites")
    def site_names(self, obj):
        return ", ".join(site.name for site in obj.sites.all()) or "\u2013"

    @admin.display(description="Next review due", ordering="next_review_due")
    def next_review(self, obj):
        due = obj.next_review_due
        if due is None:
            return "\u2013"
        label = f"{due.day} {due.strftime('%b %Y')}"
        today = timezone.localdate()
        if due < today:
            return f"{label} (overdue)"
        if due <= today + datetime.timedelta(days=30):
            return f"{label} (due soon)"
        return label


@admin.register(RegistryCondition)
class RegistryConditionAdmin(admin.ModelAdmin):
    """The conditions the nightly registry sync searches for (trials/registry/sync.py)."""

    list_display = ("term", "active", "note")
    list_editable = ("active",)
    list_filter = ("active",)
    search_fields = ("term", "note")


@admin.register(RegistryChange)
class RegistryChangeAdmin(admin.ModelAdmin):
    """A record of what the registry changed on published trials. Open ones are on the
    dashboard, where approvers mark them checked; nobody edits them here."""

    list_display = ("trial", "what_changed", "via", "found_at", "checked_by", "checked_at")
    list_filter = (("checked_at", admin.EmptyFieldListFilter), "via")
    list_select_related = ("trial", "checked_by")
    search_fields = ("trial__title", "trial__acronym")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="What changed")
    def what_changed(self, obj):
        return "; ".join(f"{c['label']}: {c['old']} \u2192 {c['new']}" for c in obj.changes)
