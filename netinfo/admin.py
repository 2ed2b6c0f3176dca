"""Editing for clinical staff. ContentAdmin is the base every patient-facing record uses; the
editorial rules it enforces live in netinfo.editorial.workflow (see docs/editorial-workflow.md)."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import model_ngettext, unquote
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import Case, Count, OuterRef, Q, Subquery, When
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from netinfo.editorial import history, history_links, workflow
from netinfo.editorial.forms import ClinicalReviewForm, ContentAdminForm
from netinfo.editorial.meter import ReadabilityAdminMixin
from netinfo.editorial.pending_admin import PendingChangesAdmin
from netinfo.editorial.people import PeopleAdmin
from netinfo.glossary import content_models
from netinfo.models import (
    ClinicalReview,
    Feedback,
    GlossaryTerm,
    Page,
    PendingChange,
    TumourSite,
)

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
        "These are shown at the foot of the page. Only content approvers can publish, record "
        "a review or write the public change note.",
    },
)


class ReviewFilter(admin.SimpleListFilter):
    """Published records by review date: the same rules as the dashboard."""

    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue for review"),
            ("soon", f"Due in the next {workflow.DUE_SOON_DAYS} days"),
            ("never", "Published, never reviewed"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return workflow.overdue(queryset)
        if self.value() == "soon":
            return workflow.due_soon(queryset)
        if self.value() == "never":
            return workflow.never_reviewed(queryset)
        return queryset


def without_prefill(response, model):
    """A redirect without the query parameters that filled in an add form's fields."""
    location = response.get("Location") if response.status_code in (301, 302) else None
    if not location:
        return response
    fields = {field.name for field in model._meta.get_fields()}
    url = urlsplit(location)
    kept = [(key, value) for key, value in parse_qsl(url.query) if key not in fields]
    response["Location"] = urlunsplit(url._replace(query=urlencode(kept)))
    return response


class ContentAdmin(PendingChangesAdmin, ReadabilityAdminMixin, SimpleHistoryAdmin):
    """Shared behaviour for every content record: drafts and publishing by role, review
    dates, the edit version that refuses stale saves, history with a readable diff and
    one-step restore, and deleted records that can be brought back.

    Everything is done in overridable hooks (get_form, get_readonly_fields, get_fieldsets,
    get_list_filter, get_actions, save_model, get_urls), so a subclass that sets its own
    fieldsets, list_filter or actions keeps all of it without extra code.
    """

    form = ContentAdminForm
    review_fieldset = REVIEW_FIELDSET
    list_filter = ("state",)
    readonly_fields = ("updated_at",)
    actions = ["publish_selected", "unpublish_selected"]
    change_list_template = "admin/netinfo/content_change_list.html"
    object_history_template = "admin/netinfo/object_history.html"
    object_history_list_template = "admin/netinfo/history_list.html"
    workflow_actions = ("publish_selected", "unpublish_selected")

    @admin.display(description="Next review due", ordering="next_review_due")
    def review_due(self, obj):
        return obj.next_review_due

    # ---- The list: state, review and waiting changes at a glance ------------------------

    @admin.display(description="Change waiting", ordering="pending_status")
    def pending_change(self, obj):
        return PendingChange.Status(obj.pending_status).label if obj.pending_status else "\u2013"

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        return [*shown, "pending_change"] if "pending_change" not in shown else shown

    def get_queryset(self, request):
        records = self.with_list_columns(self.model._default_manager.get_queryset(), request)
        ordering = self.get_ordering(request)
        return records.order_by(*ordering) if ordering else records

    def with_list_columns(self, records, request):
        """What the list shows beyond the record's own fields, in the same query: the
        status of its open pending change, if any (netinfo.editorial.pending)."""
        open_change = PendingChange.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=OuterRef("pk"),
            status__in=PendingChange.OPEN,
        )
        return records.annotate(pending_status=Subquery(open_change.values("status")[:1]))

    # ---- Who may publish -------------------------------------------------------------

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user, self.model)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields += [name for name in workflow.APPROVER_FIELDS if name not in fields]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, dict(options)) for name, options in super().get_fieldsets(request, obj)]
        if obj is None:
            return fieldsets
        fieldsets.append(self.clinical_review_fieldset(request, obj))
        if not self.has_change_permission(request, obj):
            return fieldsets
        names = admin.utils.flatten_fieldsets(fieldsets)
        if "edit_version" not in names and fieldsets:
            # The hidden version the "no silent overwrites" check compares on save.
            name, options = fieldsets[0]
            options["fields"] = (*options["fields"], "edit_version")
        return fieldsets

    def clinical_review_fieldset(self, request, obj):
        """The latest clinical review, and a link to record one for clinical reviewers."""
        html = render_to_string(
            "admin/netinfo/includes/clinical_review_status.html",
            {
                "review": obj.clinical_review,
                "changed_since": obj.changed_since_clinical_review,
                "url": self._url("clinical_review", obj.pk),
                "can_record": request.user.has_perm("netinfo.add_clinicalreview"),
            },
        )
        return ("Clinical review", {"fields": (), "description": html})

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.editing_user = request.user
        return form

    def response_add(self, request, obj, post_url_continue=None):
        """After saving, the address no longer carries the words the add form was filled
        in with (``?term=…&slug=…`` from the meter's "add to the glossary" link)."""
        response = super().response_add(request, obj, post_url_continue)
        return without_prefill(response, self.model)

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **kwargs)
        form.editing_user = request.user
        form.check_version = False  # list editing has no form to reopen; it still counts up
        return form

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if "state" not in filters:
            filters.insert(0, "state")
        if ReviewFilter not in filters:
            filters.append(ReviewFilter)
        return filters

    def save_model(self, request, obj, form, change):
        # Whatever the path here (change, add, revert, list editing, a crafted POST),
        # someone who may not publish cannot change the state or review details.
        workflow.protect_approver_fields(request.user, obj)
        if not getattr(obj, "_change_reason", None) and "state" in form.changed_data:
            obj._change_reason = "Published" if obj.is_published else "Returned to draft"
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.StaleEdit:
            # Someone saved between our check and our save, and everything was rolled back.
            # Showing the form again runs the check, which now says what they changed.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        # The record's links and rows are brought into its history once, not once a row.
        with history_links.batched():
            super().save_related(request, form, formsets, change)

    def response_change(self, request, obj):
        record = getattr(obj, "_history", None)  # saved from simple_history's revert form
        waiting = getattr(request, "_pending_saved", None) is not None  # editorial.pending_admin
        if record is not None and request.method == "POST" and not waiting:
            for problem in history.restore_links(record, obj):
                self.message_user(request, problem, messages.WARNING)
        return super().response_change(request, obj)

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        """The history list's "Fields changed", by the same rules as the changes page: the
        fields an editor writes, and text that differs only by spaces at its ends is the
        same text."""
        records = list(historical_records)
        links = history_links.links_of(self.model, [record.history_id for record in records])
        for newer, older in zip(records, records[1:], strict=False):
            newer.history_delta_changes = [
                {"field": str(field.verbose_name).capitalize()}
                for field in history.changed_fields(self.model, older, newer)
            ] + [
                {"field": label.capitalize()}
                for label, _, _ in history_links.changed(
                    self.model, links.get(older.history_id), links.get(newer.history_id)
                )
            ]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(request, object_id, version_id, extra_context)
        except workflow.StaleEdit:
            return super().history_form_view(request, object_id, version_id, extra_context)

    # ---- Actions ---------------------------------------------------------------------

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name in self.workflow_actions:
            if not self.has_publish_permission(request):
                actions.pop(name, None)
            elif name not in actions:
                action = self.get_action(name)
                actions[name] = action
        return actions

    def _set_state(self, request, queryset, state, reason, verb):
        if not self.has_publish_permission(request):
            raise PermissionDenied
        count = workflow.set_state(queryset, request.user, state, reason)
        self.message_user(
            request, f"{verb} {count} {model_ngettext(self.opts, count)}.", messages.SUCCESS
        )

    @admin.action(description="Publish selected (show them on the site)", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._set_state(request, queryset, workflow.PUBLISHED, "Published", "Published")

    @admin.action(
        description="Return selected to draft (take them off the site)", permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset):
        self._set_state(request, queryset, workflow.DRAFT, "Returned to draft", "Returned")

    # ---- History: readable changes, restore, deleted records ---------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("deleted/", wrap(self.deleted_view), name=f"{prefix}_deleted"),
            path(
                "deleted/<int:history_id>/restore/",
                wrap(require_POST(self.restore_deleted_view)),
                name=f"{prefix}_restore_deleted",
            ),
            path(
                "<path:object_id>/clinical-review/",
                wrap(self.clinical_review_view),
                name=f"{prefix}_clinical_review",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/changes/",
                wrap(self.history_changes_view),
                name=f"{prefix}_history_changes",
            ),
            *super().get_urls(),
        ]

    def _url(self, name, *args):
        opts = self.opts
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{name}", args=args
        )

    def _context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "changelist_url": self._url("changelist"),
            **extra,
        }

    def history_changes_view(self, request, object_id, history_id):
        """One save, field by field and word by word, with a button to restore it."""
        pk_name = self.opts.pk.attname
        record = get_object_or_404(
            self.model.history.select_related("history_user"),
            **{pk_name: unquote(object_id)},
            history_id=history_id,
        )
        obj = self.get_queryset(request).filter(pk=getattr(record, pk_name)).first()
        if not self.has_view_or_change_permission(request, obj or record.instance):
            raise PermissionDenied
        can_restore = obj is not None and self.has_change_permission(request, obj)
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            if self.restore_waits_for_review(request, obj):  # netinfo.editorial.pending_admin
                return self.restore_as_pending_change(request, obj, record)
            try:
                restored = history.restore_version(record, request.user)
            except history.CannotRestore as error:
                self.message_user(request, str(error), messages.ERROR)
                return HttpResponseRedirect(request.path)
            except workflow.StaleEdit:
                self.message_user(
                    request,
                    "Not restored: someone saved this record at the same moment. "
                    "Look at the history again, then restore.",
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.path)
            when = history.display_value(self.opts.get_field("updated_at"), record.history_date)
            self.message_user(
                request, f"Restored “{obj}” to the version saved on {when}.", messages.SUCCESS
            )
            for problem in restored.not_restored:
                self.message_user(request, problem, messages.WARNING)
            return HttpResponseRedirect(self._url("change", obj.pk))
        previous = history.previous(record)
        latest = (
            history.records_of(self.model, getattr(record, pk_name))
            .order_by("-history_date", "-history_id")
            .first()
        )
        is_latest = latest is not None and latest.pk == record.pk
        context = self._context(
            request,
            title=f"Changes to “{record.history_object}”",
            subtitle=None,
            object=obj,
            object_id=getattr(record, pk_name),
            record=record,
            previous=previous,
            changes=history.version_changes(self.model, previous, record),
            is_latest=is_latest,
            restore_changes=[]
            if is_latest or obj is None
            else history.version_changes(self.model, latest, record),
            not_restored=[]
            if is_latest or obj is None
            else self._not_restored(request, obj, latest, record),
            can_restore=can_restore and not is_latest,
            can_publish=self.has_publish_permission(request),
            saved_by=history.display_user(record.history_user),
            history_url=self._url("history", getattr(record, pk_name)),
        )
        return TemplateResponse(request, "admin/netinfo/history_changes.html", context)

    def _not_restored(self, request, obj, latest, record):
        """What restoring ``record`` over ``latest`` cannot bring back, for the restore page."""
        found = history_links.links_of(self.model, [latest.history_id, record.history_id])
        old = found.get(record.history_id)
        problems = history_links.cannot_restore(obj, old)
        if self.restore_waits_for_review(request, obj):
            left_out = history_links.rows_left_out(self.model, old, found.get(latest.history_id))
            if left_out:
                problems.append(
                    "As this page is on the site, your restore is saved as a change for an "
                    f"approver to review. That change does not include the {', '.join(left_out)}"
                    " of this version: they stay as they are today. Change them in the form "
                    "before you submit it, or ask an approver to restore this version."
                )
        return problems

    def clinical_review_view(self, request, object_id):
        """Record a clinical review of this record (clinical reviewers), and list earlier ones."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        can_record = request.user.has_perm("netinfo.add_clinicalreview")
        if request.method == "POST":
            if not can_record:
                raise PermissionDenied
            form = ClinicalReviewForm(request.POST)
            if form.is_valid():
                review = form.save(commit=False)
                review.kind, review.record_id = obj._meta.label_lower, obj.pk
                review.version, review.fingerprint = obj.version, obj.fingerprint()
                review.recorded_by = request.user
                review.save()
                self.message_user(
                    request,
                    f"Recorded the clinical review of “{obj}” by {review.reviewer_name}. "
                    "The page shows it now.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self._url("change", obj.pk))
        else:
            earlier = ClinicalReview.objects.filter(recorded_by=request.user).first()
            form = ClinicalReviewForm(
                initial={
                    "reviewer_name": request.user.get_full_name(),
                    "reviewer_role": earlier.reviewer_role if earlier else "",
                    "reviewed_on": timezone.localdate(),
                }
            )
        context = self._context(
            request,
            title=f"Clinical review of “{obj}”",
            subtitle=None,
            object=obj,
            form=form if can_record else None,
            reviews=ClinicalReview.for_record(obj).order_by("-reviewed_on", "-pk"),
            changed_since=obj.changed_since_clinical_review,
            change_url=self._url("change", obj.pk),
        )
        return TemplateResponse(request, "admin/netinfo/clinical_review.html", context)

    def deleted_view(self, request):
        """Records of this kind that were deleted, each with a button to bring it back."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        context = self._context(
            request,
            title=f"Deleted {self.opts.verbose_name_plural}",
            subtitle=None,
            records=[
                (record, history.display_user(record.history_user))
                for record in history.deleted_records(self.model)
            ],
            can_restore=self.has_add_permission(request),
            can_publish=self.has_publish_permission(request),
        )
        return TemplateResponse(request, "admin/netinfo/deleted_records.html", context)

    def restore_deleted_view(self, request, history_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        record = get_object_or_404(self.model.history, history_id=history_id, history_type="-")
        try:
            obj = history.restore_deleted(record, request.user)
        except history.CannotRestore as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(self._url("deleted"))
        self.log_addition(request, obj, [{"added": {}}])
        state = "" if obj.is_published else " It is a draft until an approver publishes it."
        self.message_user(request, f"Restored “{obj}”.{state}", messages.SUCCESS)
        for problem in obj.not_restored:
            self.message_user(request, problem, messages.WARNING)
        return HttpResponseRedirect(self._url("change", obj.pk))


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


@admin.register(ClinicalReview)
class ClinicalReviewAdmin(admin.ModelAdmin):
    """Every clinical review, newest first. Reviews are recorded from each record's edit
    page ("Clinical review"), so there is no add button here; clinical reviewers may
    correct one."""

    list_display = ("reviewed_on", "record", "reviewer_name", "reviewer_role", "recorded_by")
    list_filter = ("kind", "reviewed_on")
    search_fields = ("reviewer_name", "reviewer_role", "checked")
    readonly_fields = ("record", "version", "recorded_by", "created_at")
    fields = ("record", "reviewer_name", "reviewer_role", "reviewed_on", "checked", "version")
    list_select_related = ("recorded_by",)

    @admin.display(description="record")
    def record(self, obj):
        from django.apps import apps

        model = apps.get_model(obj.kind)
        record = model._base_manager.filter(pk=obj.record_id).first()
        return str(record) if record is not None else f"(deleted {model._meta.verbose_name})"

    def has_add_permission(self, request):
        return False


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


# People and roles: one form, an invitation by email (netinfo/people.py).
admin.site.unregister(User)
admin.site.register(User, PeopleAdmin)
