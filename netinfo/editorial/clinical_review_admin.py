"""Clinical reviews in the admin: on each content record's edit page, the latest review and a
link to record one (``ClinicalReviews``, a mixin of ContentAdmin); the page that records one
(clinical reviewers) and lists earlier ones; and the list of every review
(``ClinicalReviewAdmin``, registered in netinfo/admin.py)."""

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from netinfo.editorial.admin_pages import AdminPages
from netinfo.editorial.forms import ClinicalReviewForm
from netinfo.editorial.models import ClinicalReview


class ClinicalReviews(AdminPages):
    """A ContentAdmin mixin: the "Clinical review" block on the edit page, and its page."""

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

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/clinical-review/",
                self.admin_site.admin_view(self.clinical_review_view),
                name=f"{prefix}_clinical_review",
            ),
            *super().get_urls(),
        ]

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
        model = apps.get_model(obj.kind)
        record = model._base_manager.filter(pk=obj.record_id).first()
        return str(record) if record is not None else f"(deleted {model._meta.verbose_name})"

    def has_add_permission(self, request):
        return False
