"""The admin's ways to ask ClinicalTrials.gov now, and the registry-change tasks.

* "Check the registry now" on a trial's change page (approvers): fetch that trial's record
  and import it, with the same code as the sync (:func:`trials.registry.sync.check_trial`).
* "Import by registry number" on the import page (approvers): the same, for a new NCT number.
* "Mark checked" on the dashboard's "Registry changed" list (approvers).

Where the registry cannot be reached, each says so in a message and changes nothing; the
import page keeps its file upload for that case.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from netinfo.editorial.workflow import can_publish
from trials.choices import RegistryKind
from trials.models import Identifier, RegistryChange, Trial
from trials.registry import REGISTRY, changes
from trials.registry.api import FetchError, NotFound
from trials.registry.numbers import NCT_RE
from trials.registry.report import ImportReport
from trials.registry.sync import check_trial

CHECK_URL_NAME = "trials_trial_check_registry"
CHECKED_URL_NAME = "trials_registrychange_checked"


def can_check(user) -> bool:
    """Approvers (who may publish trials) ask the registry and close registry-change tasks."""
    return can_publish(user, Trial)


def online() -> bool:
    return getattr(settings, "CTGOV_ONLINE", True)


def offline_message(nct_id: str, error: FetchError | None = None) -> str:
    why = f" ({str(error).rstrip('.')})" if error else ""
    return (
        f"{REGISTRY} cannot be reached from this server just now{why}. Nothing was changed. "
        f"Try again later, or download the record from https://clinicaltrials.gov/study/"
        f"{nct_id} (Download, JSON) and upload the file on the import page."
    )


def fetch_and_import(nct_id: str, user) -> tuple[int, str, object]:
    """Check one trial on the registry. Returns (message level, message, outcome or None)."""
    if not online():
        return messages.WARNING, offline_message(nct_id), None
    try:
        outcome = check_trial(nct_id, user=user)
    except NotFound:
        return (
            messages.ERROR,
            f"{REGISTRY} has no study {nct_id}. Check the number. Nothing was changed.",
            None,
        )
    except FetchError as exc:
        if exc.offline:
            return messages.WARNING, offline_message(nct_id, exc), None
        return messages.ERROR, f"{exc} Nothing was changed.", None
    if outcome.action == "skipped":
        return (
            messages.ERROR,
            f"{REGISTRY} record {nct_id} could not be used: {outcome.reason}",
            outcome,
        )
    if outcome.action == "created":
        return messages.SUCCESS, f"Checked on {REGISTRY}: {outcome.message}.", outcome
    if outcome.action == "updated":
        text = f"Checked on {REGISTRY}: {outcome.message}."
        task = RegistryChange.objects.open().filter(trial=outcome.trial).first()
        if task:
            text += " The trial is on the dashboard: check its plain-English text."
        return messages.SUCCESS, text, outcome
    return messages.SUCCESS, f"Checked on {REGISTRY}: {outcome.message}.", outcome


class NctNumberForm(forms.Form):
    nct_id = forms.CharField(
        label="NCT number",
        max_length=20,
        help_text="The trial's ClinicalTrials.gov number, e.g. NCT02683941.",
    )

    def clean_nct_id(self):
        value = Identifier.normalise(RegistryKind.NCT, self.cleaned_data["nct_id"])
        if not NCT_RE.fullmatch(value):
            raise forms.ValidationError(
                "This is not an NCT number. It should be NCT followed by 8 digits, "
                "e.g. NCT02683941."
            )
        return value


def import_by_number(request) -> tuple[NctNumberForm, ImportReport | None]:
    """The import page's NCT number form: a report like a file import's, or messages."""
    form = NctNumberForm(request.POST)
    if not form.is_valid():
        return form, None
    nct_id = form.cleaned_data["nct_id"]
    level, text, outcome = fetch_and_import(nct_id, request.user)
    if outcome is None:
        messages.add_message(request, level, text)
        return form, None
    return NctNumberForm(), ImportReport(outcomes=[outcome])


class RegistryCheckMixin:
    """Add to TrialAdmin: the "Check the registry now" button and the "mark checked" action."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/check-registry/",
                wrap(self.check_registry_view),
                name=CHECK_URL_NAME,
            ),
            path(
                "registry-change/<int:pk>/checked/",
                wrap(self.registry_change_checked_view),
                name=CHECKED_URL_NAME,
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        task = RegistryChange.objects.open().filter(trial_id=object_id).first()
        extra_context = {
            **(extra_context or {}),
            "can_check_registry": can_check(request.user),
            "check_registry_url_name": f"admin:{CHECK_URL_NAME}",
            "registry_change": task,
            "registry_change_url_name": f"admin:{CHECKED_URL_NAME}",
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def check_registry_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not can_check(request.user):
            raise PermissionDenied
        trial = get_object_or_404(Trial, pk=object_id)
        change_url = reverse("admin:trials_trial_change", args=[trial.pk])
        nct = trial.identifiers.filter(kind=RegistryKind.NCT).first()
        if nct is None:
            messages.warning(
                request,
                "This trial has no ClinicalTrials.gov (NCT) number, so there is nothing to "
                "check. Add it under \u201cRegistry numbers\u201d first.",
            )
            return redirect(change_url)
        level, text, _ = fetch_and_import(nct.value, request.user)
        messages.add_message(request, level, text)
        return redirect(change_url)

    def registry_change_checked_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not can_check(request.user):
            raise PermissionDenied
        task = get_object_or_404(RegistryChange.objects.select_related("trial"), pk=pk)
        if changes.mark_checked(task, request.user):
            messages.success(
                request, f"Marked checked: {task.trial}. It is off the dashboard's list."
            )
        else:
            messages.info(request, f"Someone had already marked {task.trial} checked.")
        target = request.POST.get("next") or reverse("admin:index")
        if not url_has_allowed_host_and_scheme(
            target, {request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:index")
        return redirect(target)
