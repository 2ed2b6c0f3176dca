"""What a patient can choose in the trial finder (its options), and the words for each.

Every label an option has is written here once: the form's fields (``trials.finder.filters``)
take their labels and choices from here, and the tick boxes, the "choices in use" line and
the notes about values we did not recognise all read them back from the form. Tumour sites,
treatments and regions are the ones in use, so the filter sets them from the finder index.

``LenientMultipleChoiceField`` is how a shared link with one bad value still works: it keeps
the values it knows and notes the rest.
"""

import django_filters
from django import forms

from treatments.models import Grade
from trials import status as trial_status
from trials.choices import PHASE_EXPLAINED, STATUS_EXPLAINED, Phase, Requirement, Status
from trials.places import Region, region_label

# What each filter is called: its legend and label ("Tumour site: Pancreas"), and in a
# sentence ("We did not recognise the tumour site ..."). In the order the page shows them.
LABELS = {
    "site": "Tumour site",
    "status": "Status",
    "grade": "Grade",
    "treatment": "Treatment",
    "phase": "Phase",
    "region": "Where the trial takes place",
    "functioning": "Symptoms from hormones",
    "receptor_scan": "Somatostatin receptor scan",
}
NOUNS = {
    "site": "tumour site",
    "status": "status",
    "grade": "grade",
    "treatment": "treatment",
    "phase": "phase",
    "region": "place",
    "functioning": "choice about hormone symptoms",
    "receptor_scan": "choice about the receptor scan",
}
# The sentence under each filter's legend.
HINTS = {
    "site": "Where in the body the NET started.",
    "status": "If you tick none, we show trials that a trial registry has confirmed recently "
    "are open or opening soon.",
    "grade": "Your grade is in your pathology report. Ask your specialist team if you are not "
    "sure.",
    "treatment": "Trials that test this treatment, or a drug used in it.",
    "region": "Trials with at least one hospital in this area.",
    "functioning": "Some NETs make hormones that cause symptoms, such as flushing and "
    "diarrhoea (carcinoid syndrome).",
    "receptor_scan": "A scan, such as a gallium-68 PET scan, shows whether the NET has "
    "somatostatin receptors. Some treatments, such as PRRT, need them.",
}

# The statuses a patient sees, as the finder offers them: the trial's own, and "not
# confirmed" for an open or opening-soon trial that no recent registry check backs
# (``trials.status``). "open" and "opening_soon" pick confirmed trials only.
STATUS_CHOICES = [
    *Status.choices[:2],
    (trial_status.UNCONFIRMED, trial_status.UNCONFIRMED_LABEL),
    *Status.choices[2:],
]
ALL_STATUSES = [value for value, _ in STATUS_CHOICES]
STATUS_HINTS = {
    **STATUS_EXPLAINED,
    Status.OPEN: "A trial registry has confirmed recently that the trial is taking people.",
    Status.OPENING_SOON: "A trial registry has confirmed recently that the trial has been "
    "approved but is not yet taking people.",
    trial_status.UNCONFIRMED: "Our information says open or opening soon, but no trial "
    "registry has confirmed it recently. The trial may have closed.",
}

GRADE_CHOICES = [(grade.slug, grade.label) for grade in Grade]
GRADE_HINTS = {
    Grade.G1.slug: "The NET is growing very slowly (Ki-67 below 3%).",
    Grade.G2.slug: "The NET is growing slowly (Ki-67 from 3% to 20%).",
    Grade.G3.slug: "A NET that is growing faster (Ki-67 above 20%), but whose cells still look "
    "quite like normal cells.",
    Grade.NEC.slug: "A fast-growing cancer whose cells look very different from normal cells "
    "(poorly differentiated).",
}
FUNCTIONING_CHOICES = [
    (Requirement.REQUIRED, "Only for people with hormone symptoms"),
    (Requirement.EXCLUDED, "Only for people without hormone symptoms"),
    (Requirement.EITHER, "For people with or without hormone symptoms"),
]
SCAN_CHOICES = [
    (Requirement.REQUIRED, "You need a positive scan"),
    (Requirement.EXCLUDED, "Only for people whose scan is negative"),
    (Requirement.EITHER, "The scan result does not matter"),
]

# A sentence under some options, and a list in a <details> under some filters.
OPTION_HINTS = {"status": STATUS_HINTS, "grade": GRADE_HINTS}
EXPLAINED = {"phase": [(Phase(value).label, text) for value, text in PHASE_EXPLAINED.items()]}

# The orders (``trials.finder.sql.order``, and the index's ``orders``, give them).
SORTS = {
    "updated": "Most recently updated",
    "opening": "Opening date, newest first",
    "title": "Title, A to Z",
    "nearest": "Nearest first (when you give a town)",
}
DEFAULT_SORT = "updated"
NEAREST = "nearest"  # the order when a town is given; without one, the default
# How far from the town ("within"), in miles.
WITHIN = {"10": "10 miles", "25": "25 miles", "50": "50 miles", "100": "100 miles"}
ANY_DISTANCE = "any"


def region_choices(values):
    """(value, label) of each region in ``values``, in the list's order (``Region``)."""
    return [(value, region_label(value)) for value in Region.values if value in values]


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the values it knows (matched without regard to case) and notes the rest in
    ``unrecognised``, so one bad value in a shared link does not undo the whole search.
    ``aliases`` maps a word to several values, e.g. status "all"."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, aliases=None, **kwargs):
        self.aliases = aliases or {}
        self.unrecognised = []
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = [value]
        return super().to_python(value)

    def validate(self, value):
        pass  # unknown values are dropped in clean(), never an error

    def clean(self, value):
        known = {str(key).casefold(): str(key) for key, _ in self.choices}
        values, self.unrecognised = [], []
        for item in self.to_python(value):
            key = item.strip().casefold()
            if not key:
                continue
            if key in self.aliases:
                found = self.aliases[key]
            elif key in known:
                found = [known[key]]
            else:
                if item not in self.unrecognised:
                    self.unrecognised.append(item)
                continue
            values.extend(value for value in found if value not in values)
        return values


class LenientMultipleChoiceFilter(django_filters.Filter):
    field_class = LenientMultipleChoiceField
