from django.contrib import admin

from netinfo.admin import REVIEW_FIELDSET, ContentAdmin
from trials.models import Identifier, Location, Publication, Trial


class IdentifierInline(admin.TabularInline):
    model = Identifier
    extra = 0


class LocationInline(admin.TabularInline):
    model = Location
    extra = 0


class PublicationInline(admin.StackedInline):
    model = Publication
    extra = 0


@admin.register(Trial)
class TrialAdmin(ContentAdmin):
    list_display = ("title", "acronym", "status", "phase", "state", "next_review_due")
    list_filter = ("state", "status", "phase", "sites")
    search_fields = ("title", "acronym", "official_title", "identifiers__value")
    prepopulated_fields = {"slug": ("acronym", "title")}
    autocomplete_fields = ("sites", "treatments", "drugs")
    inlines = [IdentifierInline, LocationInline, PublicationInline]
    fieldsets = (
        (None, {"fields": ("title", "acronym", "slug", "official_title", "status", "phase")}),
        ("What it tests, and for whom", {"fields": ("sites", "treatments", "drugs")}),
        (
            "Who can join",
            {
                "fields": (
                    ("accepts_g1", "accepts_g2", "accepts_g3", "accepts_nec"),
                    "functioning",
                    "receptor_scan",
                    "previous_treatment",
                )
            },
        ),
        (
            "What patients read",
            {"fields": ("summary", "aims", "who_can_take_part", "what_happens", "results")},
        ),
        (
            "Dates and size",
            {
                "fields": (
                    ("recruitment_start", "recruitment_start_precision"),
                    ("recruitment_end", "recruitment_end_precision"),
                    ("target_size", "actual_size"),
                )
            },
        ),
        (
            "Who runs it",
            {
                "fields": (
                    "chief_investigator",
                    "sponsor",
                    "funders",
                    ("contact_name", "contact_email", "contact_phone"),
                )
            },
        ),
        (
            "Ethics approval",
            {"fields": ("rec_name", "rec_reference", "rec_opinion", "rec_opinion_date")},
        ),
        REVIEW_FIELDSET,
    )
