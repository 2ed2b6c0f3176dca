"""Versions in the admin (rules in netinfo.editorial.history): the history list's "Fields
changed", one save field by field and word by word with a button to restore it, restoring
simple_history's revert form with its links, and deleted records that can be brought back.

``HistoryAdmin`` is a mixin of netinfo.editorial.content_admin.ContentAdmin.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_POST

from netinfo.editorial import history, history_links, links_restore, workflow
from netinfo.editorial.admin_pages import AdminPages


class HistoryAdmin(AdminPages):
    """A ContentAdmin mixin (before SimpleHistoryAdmin): readable changes, restore, deleted
    records."""

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
                "<path:object_id>/history/<int:history_id>/changes/",
                wrap(self.history_changes_view),
                name=f"{prefix}_history_changes",
            ),
            *super().get_urls(),
        ]

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
        problems = links_restore.cannot_restore(obj, old)
        if self.restore_waits_for_review(request, obj):
            left_out = links_restore.rows_left_out(self.model, old, found.get(latest.history_id))
            if left_out:
                problems.append(
                    "As this page is on the site, your restore is saved as a change for an "
                    f"approver to review. That change does not include the {', '.join(left_out)}"
                    " of this version: they stay as they are today. Change them in the form "
                    "before you submit it, or ask an approver to restore this version."
                )
        return problems

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
