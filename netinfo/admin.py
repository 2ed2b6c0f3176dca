"""The core app's records in the admin: tumour sites, glossary terms, site pages (each on
``ContentAdmin``, netinfo/editorial/content_admin.py) and page feedback; and the registration
of the editing area's own lists (clinical reviews, people)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.auth.models import User
from django.db.models import Case, Count, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from netinfo.content_version import content_models
from netinfo.editorial.clinical_review_admin import ClinicalReviewAdmin
from netinfo.editorial.content_admin import REVIEW_FIELDSET, ContentAdmin
from netinfo.editorial.models import ClinicalReview
from netinfo.editorial.people import PeopleAdmin
from netinfo.feedback import Feedback
from netinfo.models import GlossaryTerm, Page, TumourSite


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


class SearchInFilter(admin.SimpleListFilter):
    """The glossary list's search looks in names and other forms; definitions only when asked
    (GlossaryTermAdmin.get_search_fields reads this choice)."""

    title = "search in"
    parameter_name = "search_in"

    def lookups(self, request, model_admin):
        return [("definitions", "Names, other forms and definitions")]

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "All":
                choice["display"] = "Names and other forms"
            yield choice

    def queryset(self, request, queryset):
        return queryset


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(ContentAdmin):
    list_display = ("term", "state", "last_reviewed", "next_review_due")
    list_filter = (SearchInFilter, *ContentAdmin.list_filter)
    search_fields = ("term", "other_forms")
    search_help_text = (
        "Looks in names and other forms, names first. To look in definitions too, choose "
        "“Names, other forms and definitions” under “Search in”."
    )

    def get_search_fields(self, request):
        if request.GET.get(SearchInFilter.parameter_name) == "definitions":
            return (*self.search_fields, "definition", "more")
        return self.search_fields

    def with_list_columns(self, records, request):
        """Terms whose name holds the search words come first."""
        words = request.GET.get("q", "").split()
        name_match = Q(*(Q(term__icontains=word) for word in words)) if words else Q(pk=None)
        records = super().with_list_columns(records, request)
        return records.annotate(name_first=Case(When(name_match, then=0), default=1))

    def get_ordering(self, request):
        return ("name_first", "term")

    prepopulated_fields = {"slug": ("term",)}
    fieldsets = (
        (None, {"fields": ("term", "slug", "other_forms", "definition", "more", "tumour_sites")}),
        REVIEW_FIELDSET,
    )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "tumour_sites":  # a handful of sites: one tick box each
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Page)
class PageAdmin(ContentAdmin):
    list_display = ("title", "slug", "state", "last_reviewed", "next_review_due")
    search_fields = ("title", "body")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (None, {"fields": ("title", "slug", "order", "summary", "body")}),
        REVIEW_FIELDSET,
    )


class FeedbackStateFilter(admin.SimpleListFilter):
    title = "dealt with"
    parameter_name = "dealt"

    def lookups(self, request, model_admin):
        return [("no", "New"), ("yes", "Dealt with")]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(dealt_with_at__isnull=self.value() == "no")
        return queryset


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Answers to "Was this page helpful?": a count per page above the list of comments, each
    linked to the page's record in the admin. Staff mark comments as dealt with; the dashboard
    counts the new ones. Nobody edits an answer; approvers may delete one (for example one
    with personal details)."""

    list_display = ("page", "answer", "comment", "created_at", "dealt_with")
    list_display_links = ("created_at",)
    list_filter = (FeedbackStateFilter, "helpful", "created_at")
    search_fields = ("path", "comment")
    date_hierarchy = "created_at"
    change_list_template = "admin/netinfo/feedback/change_list.html"
    actions = ["mark_dealt_with", "mark_new"]

    @admin.display(description="Helpful?", ordering="helpful")
    def answer(self, obj):
        return "Yes" if obj.helpful else "No"

    @admin.display(description="Page", ordering="path")
    def page(self, obj):
        record = getattr(obj, "record", None)
        if record is None:
            return obj.path
        url = reverse(admin_urlname(record._meta, "change"), args=[record.pk])
        return format_html('<a href="{}">{}</a> <small>{}</small>', url, record, obj.path)

    @admin.display(description="Dealt with", ordering="dealt_with_at")
    def dealt_with(self, obj):
        if obj.dealt_with_at is None:
            return "New"
        return f"{obj.dealt_with_at:%-d %b %Y} by {obj.dealt_with_by}"

    @admin.action(description="Mark as dealt with")
    def mark_dealt_with(self, request, queryset):
        name = request.user.get_full_name() or request.user.get_username()
        done = queryset.filter(dealt_with_at__isnull=True).update(
            dealt_with_at=timezone.now(), dealt_with_by=name
        )
        messages.success(request, f"{done} marked as dealt with.")

    @admin.action(description="Mark as new again")
    def mark_new(self, request, queryset):
        done = queryset.exclude(dealt_with_at=None).update(dealt_with_at=None, dealt_with_by="")
        messages.success(request, f"{done} marked as new.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            response.context_data["feedback_summary"] = feedback_summary(changelist.queryset)
            records = records_at({answer.path for answer in changelist.result_list})
            for answer in changelist.result_list:
                answer.record = records.get(answer.path)
        return response


def records_at(paths):
    """{path: the content record whose public page is at that path}, one query per kind of
    record, whatever the number of paths."""
    slugs = {path.rstrip("/").rsplit("/", 1)[-1] for path in paths}
    found = {}
    for model in content_models():
        if not any(field.name == "slug" for field in model._meta.fields):
            continue
        for record in model._base_manager.filter(slug__in=slugs):
            path = record.get_absolute_url()
            if path in paths:
                found[path] = record
    return found


def feedback_summary(queryset):
    """Per page: how many said yes, no, and left a comment (follows the list's filters)."""
    return (
        queryset.order_by()
        .values("path")
        .annotate(
            total=Count("pk"),
            yes=Count("pk", filter=Q(helpful=True)),
            no=Count("pk", filter=Q(helpful=False)),
            comments=Count("pk", filter=~Q(comment="")),
        )
        .order_by("-no", "-total", "path")
    )


# The editing area's own lists: every clinical review, and people and their roles (one form,
# an invitation by email: netinfo/editorial/people.py) in place of Django's user admin.
admin.site.register(ClinicalReview, ClinicalReviewAdmin)
admin.site.unregister(User)
admin.site.register(User, PeopleAdmin)
