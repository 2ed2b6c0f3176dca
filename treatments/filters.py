"""The filter on the treatment options page: tumour site, grade and words to search for.

A plain form rather than a FilterSet: "site and grade" means one use that covers both, which
is a single query in treatments.queries rather than two independent filters. A value we do not
recognise (an old link, a typo) is dropped with a note; the page never fails because of it.
"""

from django import forms

from treatments.models import Grade
from treatments.queries import grade_choices

MAX_QUERY_LENGTH = 100


class TreatmentFilterForm(forms.Form):
    site = forms.ChoiceField(label="Where the NET started", required=False)
    grade = forms.ChoiceField(label="Grade", required=False)
    q = forms.CharField(
        label="Search by name",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text='A treatment, drug or brand name, such as "lanreotide" or "Lutathera".',
    )

    NOTES = {
        "site": "We did not recognise the tumour site in the link, so we show every site.",
        "grade": "We did not recognise the grade in the link, so we show every grade.",
        "q": f"Search words can be up to {MAX_QUERY_LENGTH} characters. We have ignored them.",
    }

    def __init__(self, data=None, *, sites):
        """``sites``: the published TumourSites, loaded once by the caller."""
        super().__init__(data)
        self.sites = {site.slug: site for site in sites}
        self.fields["site"].choices = [("", "Any tumour site")] + [
            (site.slug, site.name) for site in sites
        ]
        self.fields["grade"].choices = [("", "Any grade")] + grade_choices()
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "app-input" if name == "q" else "app-select"
        self.fields["q"].widget.attrs["aria-describedby"] = "id_q-hint"

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    @property
    def choices(self):
        """What to filter by: (site or None, grade or None, q), bad values left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return (
            self.sites.get(data.get("site") or ""),
            Grade.from_slug(data.get("grade")),
            data.get("q", ""),
        )

    @property
    def notes(self):
        """One plain sentence for each value we had to ignore."""
        self.is_valid()
        return [self.NOTES[name] for name in self.errors if name in self.NOTES]

    @property
    def active(self):
        site, grade, q = self.choices
        return bool(site or grade or q)
