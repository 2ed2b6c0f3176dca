"""Reviewing a pending change in the admin (rules in netinfo.editorial.pending): the review
page shows what the change would do, field by field; approvers preview the page as it would
look and publish the change or send it back; its editor may withdraw it.

The stored change is the form data the editor posted, so making it live (or previewing it)
runs the same admin form and inline formsets again, with the same validation, inside a
transaction. ``PendingReview`` is the base of ``pending_admin.PendingChangesAdmin``.
"""

import copy

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, resolve, reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_POST

from netinfo.editorial import history, pending, pending_diff, workflow
from netinfo.editorial.admin_pages import AdminPages
from netinfo.editorial.models import PendingChange

Status = PendingChange.Status

#: What a pending change does not hold, said on the form and the review page.
NOT_HELD = (
    "A pending change holds everything on this form, with its links and rows. It does not "
    "hold the publishing state or the review details (approvers set those), or changes made "
    "on other pages (for example a drug's own page, or the list of tumour sites)."
)


class CannotApply(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems))


class PendingReview(AdminPages):
    """The review page of a record's open pending change, and what can be done there."""

    # ---- Replaying the stored form -----------------------------------------------------

    def _replay(self, request, obj, change):
        """The admin form and inline formsets bound to the pending data, for ``obj``."""
        data = self._form_data(change, obj)
        request._pending_form_data = data
        request._pending_replay = True
        try:
            form_class = self.get_form(request, obj, change=True, fields=change.fields)
            form = form_class(data, MultiValueDict(), instance=obj)
            formsets, inlines = self._create_formsets(request, obj, change=True)
        finally:
            del request._pending_form_data, request._pending_replay
        kept = [
            (formset, inline)
            for formset, inline in zip(formsets, inlines, strict=True)
            if f"{formset.prefix}-TOTAL_FORMS" in data  # an old version's form had no rows
        ]
        return form, [formset for formset, _ in kept], [inline for _, inline in kept]

    def _validated(self, request, obj, change):
        form, formsets, inlines = self._replay(request, obj, change)
        if form.is_valid() & all_valid(formsets):
            return form, formsets, inlines
        problems = []
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            problems += [f"{label}: {error}" if label else str(error) for error in errors]
        for formset, inline in zip(formsets, inlines, strict=True):
            name = str(inline.verbose_name_plural)
            problems += [f"{name}: {error}" for error in formset.non_form_errors()]
            for row in formset.errors:
                for errors in row.values():
                    problems += [f"{name}: {error}" for error in errors]
        raise CannotApply(problems or ["The change no longer fits the record."])

    def _apply(self, request, obj, change, reason, change_note=None):
        """Save the pending change onto the live record (inside the caller's transaction).
        ``change_note``: the approver's public change note, if they wrote one."""
        form, formsets, inlines = self._validated(request, obj, change)
        new = self.save_form(request, form, change=True)
        if change_note:
            new.change_note = change_note
        new._history_user = request.user
        new._change_reason = reason
        request._pending_applying = True
        try:
            self.save_model(request, new, form, change=True)
            self.save_related(request, form, formsets, change=True)
        finally:
            del request._pending_applying
        return new, form, formsets

    def _live(self, object_id, lock=False):
        manager = self.model._base_manager
        if lock:
            manager = manager.select_for_update()
        obj = manager.filter(pk=unquote(str(object_id))).first()
        if obj is None:
            raise Http404("No such record.")
        return obj

    def _open_change(self, request, obj):
        change = pending.open_change(obj)
        if change is None:
            raise Http404("This record has no change waiting.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return change

    # ---- The review page and its actions -----------------------------------------------

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        views = [
            ("", self.pending_view, "pending"),
            ("preview/", self.pending_preview_view, "pending_preview"),
            ("publish/", require_POST(self.pending_publish_view), "pending_publish"),
            ("send-back/", require_POST(self.pending_send_back_view), "pending_send_back"),
            ("withdraw/", require_POST(self.pending_withdraw_view), "pending_withdraw"),
        ]
        return [
            *(
                path(f"<path:object_id>/pending/{route}", wrap(view), name=f"{prefix}_{name}")
                for route, view, name in views
            ),
            *super().get_urls(),
        ]

    def pending_view(self, request, object_id):
        """What the change would do, field by field, with Publish and Send back."""
        obj = self._live(object_id)
        change = self._open_change(request, obj)
        problems = []
        try:
            changes = self._differences(request, obj, change)
        except CannotApply as error:
            changes, problems = [], error.problems
        live_changed = obj.version != change.base_version
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "title": f"Change waiting for review: “{obj}”",
            "subtitle": None,
            "object": obj,
            "change": change,
            "changes": changes,
            "problems": problems,
            "live_changed": live_changed,
            "editor": pending.display_name(change.created_by),
            "decider": pending.display_name(change.decided_by),
            "can_decide": pending.can_decide(request.user, change),
            "is_mine": change.created_by_id == request.user.pk,
            "not_held": NOT_HELD,
            "change_url": self._url("change", obj.pk),
            "changelist_url": self._url("changelist"),
            "history_url": self._url("history", obj.pk),
            "preview_url": self._url("pending_preview", obj.pk),
            "publish_url": self._url("pending_publish", obj.pk),
            "send_back_url": self._url("pending_send_back", obj.pk),
            "withdraw_url": self._url("pending_withdraw", obj.pk),
        }
        return TemplateResponse(request, "admin/netinfo/pending/review.html", context)

    def _differences(self, request, obj, change):
        live = self._live(obj.pk)
        after = self._live(obj.pk)
        form, formsets, inlines = self._validated(request, after, change)
        changes = [
            change
            for change in history.field_changes(self.model, live, form.instance)
            if pending_diff.same_text(change.old) != pending_diff.same_text(change.new)
        ]
        for field in self.model._meta.many_to_many:
            if field.name not in form.cleaned_data:
                continue
            before = list(getattr(live, field.name).all())
            now = list(form.cleaned_data[field.name])
            if {item.pk for item in before} != {item.pk for item in now}:
                changes.append(
                    pending_diff.field_change(
                        field.verbose_name,
                        pending_diff.names_of(before),
                        pending_diff.names_of(now),
                    )
                )
        for formset, inline in zip(formsets, inlines, strict=True):
            changes += pending_diff.row_changes(inline, formset)
        return changes

    def pending_preview_view(self, request, object_id):
        """The public page as it would look with the change, made inside a transaction that
        is always rolled back: nothing is saved and no cache sees it (staff pages are never
        cached)."""
        with transaction.atomic(using=router.db_for_write(self.model)):
            obj = self._live(object_id, lock=True)
            change = self._open_change(request, obj)
            try:
                new, *_ = self._apply(request, obj, change, "Preview")
            except CannotApply as error:
                transaction.set_rollback(True)
                self.message_user(request, _cannot(error), messages.ERROR)
                return HttpResponseRedirect(self._url("pending", obj.pk))
            url = new.get_absolute_url()
            page_request = copy.copy(request)
            page_request.path = page_request.path_info = url
            page_request.pending_preview = change
            match = resolve(url)
            response = match.func(page_request, *match.args, **match.kwargs)
            if hasattr(response, "render"):
                response.render()
            transaction.set_rollback(True)
        response["Cache-Control"] = "no-store"
        return response

    def pending_publish_view(self, request, object_id):
        obj = self._live(object_id)
        change = self._open_change(request, obj)
        if not pending.can_decide(request.user, change):
            raise PermissionDenied
        back = self._url("pending", obj.pk)
        if change.status != Status.SUBMITTED:
            self.message_user(
                request,
                "Not published: this change has not been submitted for review.",
                messages.ERROR,
            )
            return HttpResponseRedirect(back)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                obj = self._live(object_id, lock=True)
                reason = pending.change_reason(change, request.user)
                note = request.POST.get("change_note", "").strip()[:200]
                new, form, formsets = self._apply(request, obj, change, reason, note)
                self.log_change(
                    request, new, self.construct_change_message(request, form, formsets)
                )
                pending.mark_published(change, request.user)
        except CannotApply as error:
            self.message_user(request, _cannot(error), messages.ERROR)
            return HttpResponseRedirect(back)
        except workflow.StaleEdit:
            self.message_user(
                request,
                "Not published: the page was saved at the same moment. Try again.",
                messages.ERROR,
            )
            return HttpResponseRedirect(back)
        self.message_user(
            request,
            f"Published {pending.display_name(change.created_by)}’s change to “{new}”. It is on "
            "the site now.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._url("change", new.pk))

    def pending_send_back_view(self, request, object_id):
        obj = self._live(object_id)
        change = self._open_change(request, obj)
        if not pending.can_decide(request.user, change):
            raise PermissionDenied
        try:
            pending.send_back(change, request.user, request.POST.get("comment", ""))
        except ValueError as error:
            self.message_user(request, f"Not sent back: {error}", messages.ERROR)
            return HttpResponseRedirect(self._url("pending", obj.pk))
        self.message_user(
            request,
            f"Sent the change to “{obj}” back to {pending.display_name(change.created_by)}, "
            "with your comment. The page on the site has not changed.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse(f"{self.admin_site.name}:index"))

    def pending_withdraw_view(self, request, object_id):
        obj = self._live(object_id)
        change = self._open_change(request, obj)
        try:
            pending.withdraw(change, request.user)
        except PermissionError as error:
            raise PermissionDenied(str(error)) from error
        self.message_user(
            request,
            f"Withdrew the change to “{obj}”. The form shows the page as it is on the site.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._url("change", obj.pk))


def _cannot(error):
    return "This change cannot be published as it stands: " + "; ".join(error.problems)
