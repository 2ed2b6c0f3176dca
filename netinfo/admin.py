"""Editing for clinical staff. ContentAdmin is the base every patient-facing record uses."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from netinfo.models import Feedback, GlossaryTerm, Page, TumourSite

admin.site.site_header = "NET Patient Information: editing"
admin.site.site_title = "NET Patient Information"
admin.site.index_title = "Content"

REVIEW_FIELDSET = (
    "Review and sources",
    {
        "fields": (
            "state",
            ("last_reviewed", "reviewed_by"),
            "next_review_due",
            "sources",
            "change_note",
        ),
        "description": "Who checked this page and when, and where its facts come from. "
        "These are shown at the foot of the page.",
    },
)


class ContentAdmin(SimpleHistoryAdmin):
    """Shared behaviour: review columns, history, a link to the live page."""

    review_fieldset = REVIEW_FIELDSET
    list_filter = ("state",)
    readonly_fields = ("updated_at",)

    @admin.display(description="Next review due", ordering="next_review_due")
    def review_due(self, obj):
        return obj.next_review_due


@admin.register(TumourSite)
class TumourSiteAdmin(ContentAdmin):
    list_display = ("name", "order", "state", "last_reviewed", "next_review_due")
    list_editable = ("order",)
    # The treatment and trial admins autocomplete on tumour sites through these.
    search_fields = ("name", "slug", "registry_keywords")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (
            None,
            {
                "fields": ("name", "slug", "order", "summary", "overview", "registry_keywords"),
                "description": "Treatments used here come from the uses on each treatment's "
                "form; trials open here come from the tumour sites on each trial's form.",
            },
        ),
        REVIEW_FIELDSET,
    )


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ContentAdmin):
    list_display = ("term", "state", "last_reviewed", "next_review_due")
    search_fields = ("term", "other_forms", "definition")
    prepopulated_fields = {"slug": ("term",)}
    fieldsets = (
        (None, {"fields": ("term", "slug", "other_forms", "definition", "more")}),
        REVIEW_FIELDSET,
    )


@admin.register(Page)
class PageAdmin(ContentAdmin):
    list_display = ("title", "slug", "state", "last_reviewed", "next_review_due")
    search_fields = ("title", "body")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (None, {"fields": ("title", "slug", "order", "summary", "body")}),
        REVIEW_FIELDSET,
    )


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("path", "helpful", "created_at", "comment")
    list_filter = ("helpful",)
    search_fields = ("path", "comment")

    def has_add_permission(self, request):
        return False
