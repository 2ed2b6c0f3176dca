"""Pending changes in the admin (rules in netinfo.editorial.pending): the change form of a
live record stores an editor's save as a pending change, shows it again with the pending values, and
offers "Submit for review" and "Withdraw"; approvers review a change field by field, preview
the page as it would look, and publish it or send it back.

``PendingChangesAdmin`` is a mixin of netinfo.admin.ContentAdmin. The stored change is the
form data the editor posted, so making it live (or previewing it) runs the same admin form
and inline formsets again, with the same validation, inside a transaction.
"""

import copy
import functools
import re

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.forms.formsets import all_valid
from django.http import Http404, HttpResponseRedirect
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.template.response import TemplateResponse
from django.urls import path, resolve, reverse
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from netinfo.editorial import history, pending, workflow
from netinfo.models import PendingChange

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


class PendingChangesAdmin:
    change_form_template = "admin/netinfo/pending/change_form.html"

    # ---- The change form ---------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Our template adds the banner and buttons on top of whichever change form the admin
        # would have used (a model's own admin/<app>/<model>/change_form.html, if it has one).
        context["pending_base_template"] = base_change_form(self.opts)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if obj is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        change = pending.open_change(obj)
        mine = change is not None and change.created_by_id == request.user.pk
        if request.method == "GET" and mine and pending.needs_review(request.user, obj):
            # Go on editing: the form opens with the pending values, not the live ones.
            request._pending_form_data = self._form_data(change, obj)
        extra_context = {**(extra_context or {}), **self._banner_context(request, obj, change)}
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except pending.PendingConflict:
            # Another editor's change was stored a moment ago: the form's check now says so.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _banner_context(self, request, obj, change):
        waits = pending.needs_review(request.user, obj)
        return {
            "pending_change": change,
            "pending_is_mine": change is not None and change.created_by_id == request.user.pk,
            "pending_waits_for_review": waits,
            "pending_can_decide": change is not None and pending.can_decide(request.user, change),
            "pending_editor": pending.display_name(change.created_by) if change else "",
            "pending_decider": pending.display_name(change.decided_by) if change else "",
            "pending_not_held": NOT_HELD,
            "pending_review_url": self._pending_url("pending", obj.pk),
            "pending_withdraw_url": self._pending_url("pending_withdraw", obj.pk),
        }

    def _form_data(self, change, obj):
        replace = {"edit_version": str(obj.version)} if "edit_version" in change.fields else {}
        return pending.as_querydict(change.data, **replace)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        replaying = getattr(request, "_pending_replay", False)  # reviewing a stored change
        if obj is None or replaying or not pending.needs_review(request.user, obj):
            return form
        data = getattr(request, "_pending_form_data", None)
        user = request.user

        class PendingForm(form):
            def __init__(self, *args, **kw):
                if data is not None and not args and kw.get("data") is None:
                    kw["data"] = data
                super().__init__(*args, **kw)

            def clean(self):
                cleaned = super().clean()
                other = pending.open_change(self._meta.model, self.instance.pk)
                if other is not None and other.created_by_id != user.pk:
                    raise forms.ValidationError(pending.conflict_message(other), code="pending")
                return cleaned

        PendingForm.__name__ = form.__name__
        return PendingForm

    def get_formset_kwargs(self, request, obj, inline, prefix):
        params = super().get_formset_kwargs(request, obj, inline, prefix)
        data = getattr(request, "_pending_form_data", None)
        if data is not None and f"{prefix}-TOTAL_FORMS" in data:
            params |= {"data": data.copy(), "files": MultiValueDict(), "save_as_new": False}
        return params

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **kwargs)
        user = request.user

        class ListForm(form):
            def clean(self):
                cleaned = super().clean()
                if self.has_changed() and pending.needs_review(user, self.instance):
                    raise forms.ValidationError(
                        f"Not saved: “{self.instance}” is on the site, so a change to it waits "
                        "for an approver. Open it to make the change and submit it for review."
                    )
                return cleaned

        ListForm.__name__ = form.__name__
        return ListForm

    # ---- Saving: a live record waits, a draft is saved as before -----------------------

    def save_model(self, request, obj, form, change):
        applying = getattr(request, "_pending_applying", False)
        if change and not applying and pending.needs_review(request.user, obj):
            if getattr(form, "check_version", True) is False:  # list editing: refused above
                raise PermissionDenied
            fields = list(form.base_fields)
            request._pending_saved = pending.save(
                obj,
                request.user,
                pending.form_data(request.POST),
                fields,
                submit="_submit_for_review" in request.POST,
                message=request.POST.get("_review_note"),
            )
            form.save_m2m = lambda: None  # the links wait too
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "_pending_saved", None) is not None:
            return  # the inline rows wait with the rest
        super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "_pending_saved", None) is not None:
            return "Saved a change for review (not on the site yet)"  # no rows were saved
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "_pending_saved", None) is not None:
            message = "Saved a change for review (not on the site yet)"
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        saved = getattr(request, "_pending_saved", None)
        if saved is None:
            return super().response_change(request, obj)
        if saved.status == Status.SUBMITTED:
            text = (
                f"Your change to “{obj}” has been sent for review. Approvers have been told "
                "by email. The page on the site stays as it is until an approver publishes it."
            )
        else:
            text = (
                f"Your change to “{obj}” is saved but not on the site yet. The published page "
                "has not changed. Press “Submit for review” when it is ready."
            )
        self.message_user(request, text, messages.WARNING)
        return HttpResponseRedirect(self._pending_url("change", obj.pk))

    def delete_model(self, request, obj):
        pending.withdraw_for_deleted([obj.pk], self.model, request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        pending.withdraw_for_deleted(pks, self.model, request.user)
        super().delete_queryset(request, queryset)

    # ---- Restoring an old version of a live record ------------------------------------

    def restore_waits_for_review(self, request, obj):
        return pending.needs_review(request.user, obj)

    def restore_as_pending_change(self, request, obj, record):
        """An editor's "Restore this version" of a live record becomes their pending change:
        the old version's fields and links (the form shows them: ContentAdminForm), today's
        rows (the restore page says so: ContentAdmin._not_restored)."""
        restored = record.instance
        restored._state.adding = False
        form = self.get_form(request, obj, change=True)(instance=restored)
        data = unbound_form_data(form)
        if "edit_version" in form.fields:
            data["edit_version"] = [str(obj.version)]
        try:
            pending.save(obj, request.user, data, list(form.base_fields))
        except pending.PendingConflict as error:
            self.message_user(
                request, str(error).replace("Your text is still", "The text is"), messages.ERROR
            )
            return HttpResponseRedirect(request.path)
        self.message_user(
            request,
            f"The old version of “{obj}” is saved as your change, not on the site yet. Check "
            "it below, then press “Submit for review”.",
            messages.WARNING,
        )
        return HttpResponseRedirect(self._pending_url("change", obj.pk))

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

    def _pending_url(self, name, *args):
        opts = self.opts
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{name}", args=args
        )

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
            "change_url": self._pending_url("change", obj.pk),
            "changelist_url": self._pending_url("changelist"),
            "history_url": self._pending_url("history", obj.pk),
            "preview_url": self._pending_url("pending_preview", obj.pk),
            "publish_url": self._pending_url("pending_publish", obj.pk),
            "send_back_url": self._pending_url("pending_send_back", obj.pk),
            "withdraw_url": self._pending_url("pending_withdraw", obj.pk),
        }
        return TemplateResponse(request, "admin/netinfo/pending/review.html", context)

    def _differences(self, request, obj, change):
        live = self._live(obj.pk)
        after = self._live(obj.pk)
        form, formsets, inlines = self._validated(request, after, change)
        changes = [
            change
            for change in history.field_changes(self.model, live, form.instance)
            if _same_text(change.old) != _same_text(change.new)
        ]
        for field in self.model._meta.many_to_many:
            if field.name not in form.cleaned_data:
                continue
            before = list(getattr(live, field.name).all())
            now = list(form.cleaned_data[field.name])
            if {item.pk for item in before} != {item.pk for item in now}:
                changes.append(_change(field.verbose_name, _names(before), _names(now)))
        for formset, inline in zip(formsets, inlines, strict=True):
            changes += _row_changes(inline, formset)
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
                return HttpResponseRedirect(self._pending_url("pending", obj.pk))
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
        back = self._pending_url("pending", obj.pk)
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
        return HttpResponseRedirect(self._pending_url("change", new.pk))

    def pending_send_back_view(self, request, object_id):
        obj = self._live(object_id)
        change = self._open_change(request, obj)
        if not pending.can_decide(request.user, change):
            raise PermissionDenied
        try:
            pending.send_back(change, request.user, request.POST.get("comment", ""))
        except ValueError as error:
            self.message_user(request, f"Not sent back: {error}", messages.ERROR)
            return HttpResponseRedirect(self._pending_url("pending", obj.pk))
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
        return HttpResponseRedirect(self._pending_url("change", obj.pk))


@functools.cache
def base_change_form(opts):
    names = [
        f"admin/{opts.app_label}/{opts.model_name}/change_form.html",
        f"admin/{opts.app_label}/change_form.html",
    ]
    for name in names:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        return name
    return "admin/change_form.html"


def unbound_form_data(form):
    """What a browser would post for this unbound form as it is shown: {name: [values]}."""
    data = {}
    for name, field in form.fields.items():
        value = field.prepare_value(form[name].value())
        key = form.add_prefix(name)
        if isinstance(field.widget, forms.MultiWidget):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{key}_{index}"] = ["" if part is None else str(part)]
        elif isinstance(field, forms.BooleanField):
            if value:
                data[key] = ["on"]
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        else:
            data[key] = ["" if value is None else str(value)]
    return data


def _same_text(text):
    """Text as a reader sees it: a form strips the spaces and line breaks around a box's
    text, which changes nothing on the page and would only add noise to the review."""
    return "\n".join(line.rstrip() for line in str(text).strip().splitlines())


def _cannot(error):
    return "This change cannot be published as it stands: " + "; ".join(error.problems)


def _names(items):
    return "\n".join(str(item) for item in items) or history.EMPTY


def _change(label, old, new, diff=None):
    label = str(label)
    return history.FieldChange(
        name=label,
        label=label[:1].upper() + label[1:],
        old=old,
        new=new,
        diff=history.word_diff(old, new) if diff is None else diff,
    )


def _row_text(form, names, values):
    parts = []
    for name in names:
        value = values.get(name)
        if value in (None, ""):
            continue
        field = form.fields[name]
        if isinstance(field, forms.BooleanField):
            value = "yes" if value else "no"
        elif isinstance(field, forms.ModelChoiceField):
            if not hasattr(value, "pk"):
                value = field.queryset.filter(pk=value).first() or value
        elif hasattr(field, "choices"):
            value = dict(field.choices).get(value, value)
        parts.append(f"{field.label}: {value}")
    return "; ".join(parts)


def _row_changes(inline, formset):
    """The inline rows the change adds, removes or changes, one FieldChange per row."""
    # "Hospitals taking part", not the whole heading with its help ("Publications (shown as…").
    label = re.split(r"[:(.]", str(inline.verbose_name_plural))[0].strip()
    changes = []
    skip = {formset.fk.name, "id", "DELETE", "ORDER"}
    for form in formset.forms:
        names = [name for name in form.fields if name not in skip]
        deleted = form in formset.deleted_forms
        if form in formset.extra_forms:
            if deleted or not form.has_changed():
                continue
            added = _row_text(form, names, form.cleaned_data)
            changes.append(_change(label, "(new row)", added, format_html("<ins>{}</ins>", added)))
        elif deleted:
            removed = _row_text(form, names, form.initial)
            diff = format_html("Row removed: <del>{}</del>", removed)
            changes.append(_change(label, removed, "(removed)", diff))
        elif form.has_changed():
            old = _row_text(form, names, form.initial)
            changes.append(_change(label, old, _row_text(form, names, form.cleaned_data)))
    return changes
