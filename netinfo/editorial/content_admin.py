"""The admin every patient-facing record uses (``ContentAdmin``): drafts and publishing by
role, review dates, the edit version that refuses stale saves, and, from its mixins, edits
to live pages that wait for an approver (pending_admin), versions and restore
(history_admin), clinical reviews (clinical_review_admin) and the plain-English meter
(meter). The rules it enforces live in netinfo.editorial.workflow (see
docs/editorial-workflow.md)."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from simple_history.admin import SimpleHistoryAdmin

from netinfo.editorial import dashboard, history_links, workflow
from netinfo.editorial.clinical_review_admin import ClinicalReviews
from netinfo.editorial.forms import ContentAdminForm
from netinfo.editorial.history_admin import HistoryAdmin
from netinfo.editorial.meter import ReadabilityAdminMixin
from netinfo.editorial.models import PendingChange
from netinfo.editorial.pending_admin import PendingChangesAdmin

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
            ("soon", f"Due in the next {dashboard.DUE_SOON_DAYS} days"),
            ("never", "Published, never reviewed"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return dashboard.overdue(queryset)
        if self.value() == "soon":
            return dashboard.due_soon(queryset)
        if self.value() == "never":
            return dashboard.never_reviewed(queryset)
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


class ContentAdmin(
    PendingChangesAdmin, HistoryAdmin, ClinicalReviews, ReadabilityAdminMixin, SimpleHistoryAdmin
):
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
