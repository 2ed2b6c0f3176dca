"""Forms: the admin form every content record uses, and "Was this page helpful?"."""

from django import forms
from django.utils import timezone
from django.utils.text import Truncator

from netinfo.editorial import history, history_links, workflow
from netinfo.editorial.models import ClinicalReview
from netinfo.models import a_year_from

CALLOUT_HELP = (
    'Warning box: write !!! warning "Title" on a line of its own, then indent the lines '
    "under it by 4 spaces. Use !!! info for a box that is not urgent."
)


def _show(value):
    return f"“{Truncator(value).chars(160)}”"


class ContentAdminForm(forms.ModelForm):
    """The admin form for every content record.

    It carries the version the editor started from as a hidden field and refuses the save,
    keeping everything they typed, if someone else saved the record in the meantime. It
    also refuses a publish by anyone who may not publish (the admin hides the field from
    them too; this check holds even if a subclass or a crafted POST brings it back).
    """

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    # Set on the class ContentAdmin.get_form() builds for each request.
    editing_user = None
    check_version = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        for name in getattr(model, "markdown_fields", ()):
            field = self.fields.get(name)
            if field is not None and CALLOUT_HELP not in str(field.help_text):
                field.help_text = f"{field.help_text} {CALLOUT_HELP}".strip()
        self._stored = None
        if self.locking:
            self._stored = workflow.current_version(model, self.instance.pk)
            field = self.fields["edit_version"]
            field.required = self._stored is not None
            # Reverting to an old version (simple_history's form) starts from today's version.
            from_history = getattr(self.instance, "_history", None) is not None
            field.initial = self._stored if from_history else self.instance.version
            if from_history:
                self._show_links_of(self.instance._history)

    def _show_links_of(self, record):
        """On the revert form, the links in the form (a trial's tumour sites...) show the
        old version's, as saving it brings them back (ContentAdmin.response_change)."""
        model = self._meta.model
        links = history_links.links_of(model, [record.history_id]).get(record.history_id)
        for name in history_links.spec(model):
            if links is not None and name in links and name in self.fields:
                self.initial[name] = links[name]

    @property
    def locking(self):
        return (
            self.check_version
            and "edit_version" in self.fields
            and self.instance.pk is not None
            and not self.instance._state.adding
        )

    def clean(self):
        cleaned = super().clean()
        self._check_publishing(cleaned)
        self._fill_review_dates(cleaned)
        if self.locking:
            self._check_version(cleaned)
        return cleaned

    def validate_unique(self):
        """Django's check, with a message that names the record using the value and says
        how to free it (an old version restored through the revert form may have an
        address another record has taken since)."""
        super().validate_unique()
        for name, message in history.clashes(self.instance).items():
            if name in self._errors:
                self._errors[name] = self.error_class([message])

    def _check_publishing(self, cleaned):
        if "state" not in cleaned:
            return
        stored = workflow.stored_values(self.instance, ["state"]) if self.instance.pk else None
        old_state = stored["state"] if stored else None
        refusal = workflow.publish_refusal(
            self.editing_user, self._meta.model, cleaned["state"], old_state
        )
        if refusal:
            self.add_error("state", refusal)

    def _fill_review_dates(self, cleaned):
        if "last_reviewed" not in cleaned or "last_reviewed" not in self.changed_data:
            return
        reviewed = cleaned["last_reviewed"]
        if reviewed is None:
            return
        if "reviewed_by" in self.fields and not cleaned.get("reviewed_by"):
            self.add_error(
                "reviewed_by", "Say who reviewed it: their name and role, as shown on the page."
            )
        if "next_review_due" in self.fields and "next_review_due" not in self.changed_data:
            cleaned["next_review_due"] = a_year_from(reviewed)

    def _check_version(self, cleaned):
        model = self._meta.model
        current = workflow.current_version(model, self.instance.pk)
        if current is None:
            raise forms.ValidationError(
                "Not saved: this record has been deleted since you opened it. Restore it from "
                "the list of deleted records first.",
                code="deleted",
            )
        submitted = cleaned.get("edit_version")
        if submitted == current:
            self.instance._expected_version = submitted
            return
        # Let a second, deliberate save go through: it will be made against today's version.
        data = self.data.copy()
        data[self.add_prefix("edit_version")] = str(current)
        self.data = data
        raise forms.ValidationError(self.conflict_messages(submitted), code="stale")

    def conflict_messages(self, submitted):
        model = self._meta.model
        name = model._meta.verbose_name
        found = history.changes_since(model, self.instance.pk, submitted or 0)
        if found is None:
            return [
                f"Not saved: someone else saved this {name} while you were editing it. "
                "Your text is still in the form below."
            ]
        users, when, changed = found
        local = timezone.localtime(when)
        messages = [
            f"Not saved: {', '.join(users)} saved this {name} while you were editing it "
            f"(last at {local:%H:%M on %d %B %Y}). Your text is still in the form below."
        ]
        if changed is None:
            messages.append(
                "The history does not keep the version you started from, so it cannot say "
                "what they changed: compare the page with your text before you save again."
            )
        elif not changed:
            messages.append("They changed none of the fields in this form.")
        for label, value in changed or ():
            messages.append(f"They changed {label} to {_show(value)}.")
        messages.append(
            "Check their changes, then press Save again to keep your version, or reload "
            "the page to start from theirs."
        )
        return messages


class ClinicalReviewForm(forms.ModelForm):
    """A clinician's sign-off of one record (netinfo.editorial.clinical_review_admin)."""

    class Meta:
        model = ClinicalReview
        fields = ("reviewer_name", "reviewer_role", "reviewed_on", "checked")
        widgets = {
            "reviewed_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "checked": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_reviewed_on(self):
        day = self.cleaned_data["reviewed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date of the review cannot be in the future.")
        return day
