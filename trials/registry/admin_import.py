"""The admin page where staff upload a ClinicalTrials.gov record file to import or refresh trials.

TrialAdmin takes :class:`CtgovImportMixin`, which adds the page's address and an "Import from
ClinicalTrials.gov file" button on the trial list, whatever list template the admin already
uses. The work itself is :func:`trials.registry.importer.run_import`, the same as the command's.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import format_lazy

from trials.registry import REGISTRY, admin_check
from trials.registry.importer import run_import
from trials.registry.sources import max_bytes_setting, upload_source

URL_NAME = "trials_trial_import_ctgov"


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


class CtgovUploadForm(forms.Form):
    file = forms.FileField(
        label=f"{REGISTRY} record file",
        help_text=format_lazy(
            "A JSON file of one or more study records (ClinicalTrials.gov's format, version 2). "
            "The largest file you can upload is {}.",
            _megabytes(max_bytes_setting()),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    atomic = forms.BooleanField(
        label="All or nothing",
        required=False,
        help_text="Tick this to import nothing at all if any record in the file has a problem. "
        "Otherwise the good records are imported and the others listed.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_bytes_setting()
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is {_megabytes(upload.size)}. The largest file you can upload is "
                f"{_megabytes(limit)}. Split the records into smaller files."
            )
        return upload


def import_view(request, model_admin):
    """Upload a file (or, for approvers, give an NCT number), import it, and show what
    happened to each record."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    report = None
    by_number = admin_check.can_check(request.user)
    number_form = admin_check.NctNumberForm() if by_number else None
    if request.method == "POST" and "nct_id" in request.POST:
        if not by_number:
            raise PermissionDenied
        number_form, report = admin_check.import_by_number(request)
        form = CtgovUploadForm()
    elif request.method == "POST":
        form = CtgovUploadForm(request.POST, request.FILES)
        if form.is_valid():
            report = run_import(
                [upload_source(form.cleaned_data["file"])],
                atomic=form.cleaned_data["atomic"],
                user=request.user,
            )
            form = CtgovUploadForm()
    else:
        form = CtgovUploadForm()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"Import trials from {REGISTRY}",
        "form": form,
        "report": report,
        "number_form": number_form,
        "registry_online": admin_check.online(),
    }
    return TemplateResponse(request, "admin/trials/import_ctgov.html", context)


class CtgovImportMixin:
    """Add to a ModelAdmin for Trial: the upload page, and a button for it on the list."""

    import_change_list_template = "admin/trials/trial_change_list.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Our list template adds one button to whichever list template the admin uses.
        self.import_parent_template = self.change_list_template or "admin/change_list.html"
        self.change_list_template = self.import_change_list_template

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_ctgov_view)
        return [path("import-ctgov/", view, name=URL_NAME), *super().get_urls()]

    def import_ctgov_view(self, request):
        return import_view(request, self)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "import_parent_template": self.import_parent_template,
            "import_url_name": f"admin:{URL_NAME}",
        }
        return super().changelist_view(request, extra_context)
