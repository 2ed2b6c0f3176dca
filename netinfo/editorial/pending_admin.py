"""Pending changes in the admin (rules in netinfo.editorial.pending): the change form of a
live record stores an editor's save as a pending change, shows it again with the pending
values, and offers "Submit for review" and "Withdraw"; an editor's restore of an old version
becomes their pending change.

``PendingChangesAdmin`` is a mixin of netinfo.editorial.content_admin.ContentAdmin; the
review page and its actions are its base, ``pending_review.PendingReview``.
"""

import functools

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.datastructures import MultiValueDict

from netinfo.editorial import pending
from netinfo.editorial.models import PendingChange
from netinfo.editorial.pending_review import NOT_HELD, PendingReview

Status = PendingChange.Status


class PendingChangesAdmin(PendingReview):
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
            "pending_review_url": self._url("pending", obj.pk),
            "pending_withdraw_url": self._url("pending_withdraw", obj.pk),
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
        return HttpResponseRedirect(self._url("change", obj.pk))

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
        return HttpResponseRedirect(self._url("change", obj.pk))


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
