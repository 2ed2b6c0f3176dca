"""The trial finder: what a patient can narrow the list of trials by, in their own words.

``TrialFilter(request.GET)`` behind a plain GET form, so every search is a shareable link.
A value we do not recognise (an old link, a typo) is left out with a note saying so, and the
rest of the search still works. Each filter is one ``Q`` (``conditions``), so the results
and the number beside each option ("Pancreas (4)") come from the same source.
"""

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import F, Prefetch, Q
from django.http import QueryDict
from django.urls import reverse

from netinfo.models import Content, TumourSite
from treatments.models import Grade, Treatment
from trials import search
from trials.models import (
    ACTIVE_STATUSES,
    PHASE_EXPLAINED,
    STATUS_EXPLAINED,
    Location,
    Phase,
    Requirement,
    Status,
    Trial,
)

PUBLISHED = Content.State.PUBLISHED

GRADE_FLAGS = {
    Grade.G1.slug: "accepts_g1",
    Grade.G2.slug: "accepts_g2",
    Grade.G3.slug: "accepts_g3",
    Grade.NEC.slug: "accepts_nec",
}
GRADE_HINTS = {
    Grade.G1.slug: "The NET is growing very slowly (Ki-67 below 3%).",
    Grade.G2.slug: "The NET is growing slowly (Ki-67 from 3% to 20%).",
    Grade.G3.slug: "A NET that is growing faster (Ki-67 above 20%), but whose cells still look "
    "quite like normal cells.",
    Grade.NEC.slug: "A fast-growing cancer whose cells look very different from normal cells "
    "(poorly differentiated).",
}
FUNCTIONING_LABELS = {
    Requirement.REQUIRED: "Only for people with hormone symptoms",
    Requirement.EXCLUDED: "Only for people without hormone symptoms",
    Requirement.EITHER: "For people with or without hormone symptoms",
}
SCAN_LABELS = {
    Requirement.REQUIRED: "You need a positive scan",
    Requirement.EXCLUDED: "Only for people whose scan is negative",
    Requirement.EITHER: "The scan result does not matter",
}

SORTS = {
    "updated": ("Most recently updated", ("-updated_at", "-pk")),
    "opening": (
        "Opening date, newest first",
        (F("recruitment_start").desc(nulls_last=True), "title", "pk"),
    ),
    "title": ("Title, A to Z", ("title", "pk")),
}
DEFAULT_SORT = "updated"
MAX_NOTES_PER_FILTER = 3

# Only what a result card shows: the long texts of each trial stay in the database.
CARD_FIELDS = (
    "title",
    "acronym",
    "slug",
    "state",
    "status",
    "phase",
    "summary",
    "summary_html",
    "updated_at",
    "created_at",
    "recruitment_start",
)


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


class FreeMultipleValueField(forms.Field):
    """Any values, cleaned up (trimmed, each once, a sensible number of a sensible length),
    for a filter whose options are only known after the other filters are (see
    ``TrialFilter.selected``)."""

    widget = forms.CheckboxSelectMultiple
    MAX_VALUES, MAX_LENGTH = 30, 100

    def to_python(self, value):
        if isinstance(value, str):
            value = [value]
        values = []
        for item in value or []:
            item = " ".join(str(item).split())[: self.MAX_LENGTH]
            if item and item not in values and "\x00" not in item:
                values.append(item)
        return values[: self.MAX_VALUES]


class FreeMultipleValueFilter(django_filters.Filter):
    field_class = FreeMultipleValueField


@dataclass
class Option:
    value: str
    label: str
    count: int
    checked: bool
    hint: str = ""
    id: str = ""  # the checkbox's HTML id, e.g. "site-2"

    @property
    def count_text(self):
        # A string, so the template does not format a number for each of ~100 options.
        return str(self.count)


@dataclass
class Facet:
    name: str
    legend: str
    options: list
    hint: str = ""
    explained: list = field(default_factory=list)  # (label, sentence) shown in a <details>

    @property
    def selected(self):
        return sum(option.checked for option in self.options)


@dataclass
class Link:
    text: str
    url: str
    count: int = 0


class TrialFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Words or a trial number")
    site = LenientMultipleChoiceFilter(label="Tumour site")
    status = LenientMultipleChoiceFilter(
        label="Status", choices=Status.choices, aliases={"all": Status.values, "any": Status.values}
    )
    grade = LenientMultipleChoiceFilter(
        label="Grade", choices=[(grade.slug, grade.label) for grade in Grade]
    )
    treatment = LenientMultipleChoiceFilter(label="Treatment")
    phase = LenientMultipleChoiceFilter(label="Phase", choices=Phase.choices)
    region = FreeMultipleValueFilter(label="Where the trial takes place")
    functioning = LenientMultipleChoiceFilter(
        label="Symptoms from hormones", choices=list(FUNCTIONING_LABELS.items())
    )
    receptor_scan = LenientMultipleChoiceFilter(
        label="Somatostatin receptor scan", choices=list(SCAN_LABELS.items())
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        empty_label=None,
    )

    class Meta:
        model = Trial
        fields = []

    # What each filter is called in a sentence: "We did not recognise the tumour site ..."
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
    MULTIPLE = tuple(NOUNS)

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = Trial.objects.published()
        # Always bound: no parameters at all is a search too (the default one).
        super().__init__(
            data if data is not None else QueryDict(),
            queryset=queryset,
            request=request,
            prefix=prefix,
        )
        # The options that come from the database: one query each, whatever was asked for.
        self.sites = list(TumourSite.objects.published().only("pk", "slug", "name", "order"))
        self.treatments = list(
            Treatment.objects.published().only("pk", "slug", "name").order_by("name")
        )
        self.synonyms = search.load_synonyms()
        self.filters["site"].extra["choices"] = [(site.slug, site.name) for site in self.sites]
        self.filters["treatment"].extra["choices"] = [
            (treatment.slug, treatment.name) for treatment in self.treatments
        ]

    # ---- What was asked for ----

    @cached_property
    def _cleaned(self):
        """The form's choices, unknown values left out; places not checked yet."""
        self.form.is_valid()
        data = self.form.cleaned_data
        cleaned = {name: data.get(name) or [] for name in self.MULTIPLE}
        cleaned["q"] = data.get("q") or ""
        cleaned["sort"] = data.get("sort") or DEFAULT_SORT
        return cleaned

    @cached_property
    def selected(self):
        """The cleaned choices: every known value, unknown ones left out.

        The places on offer are the regions of published trials, which the query that
        counts trials per region also gives; so places are checked after the other filters,
        saving a query.
        """
        selected = dict(self._cleaned)
        known = {region.casefold(): region for region in self.regions}
        selected["region"], self.unrecognised_regions = [], []
        for value in self._cleaned["region"]:
            region = known.get(value.casefold())
            if region is None:
                self.unrecognised_regions.append(value)
            elif region not in selected["region"]:
                selected["region"].append(region)
        return selected

    @cached_property
    def query(self):
        return search.parse_query(self._cleaned["q"], self.synonyms)

    @property
    def status_is_default(self):
        return not self._cleaned["status"]

    @cached_property
    def statuses(self):
        """The statuses searched: those ticked; by default open or opening soon, or every
        status when someone looks up a trial by its registry number."""
        if self._cleaned["status"]:
            return self._cleaned["status"]
        if self.query.is_identifier:
            return list(Status.values)
        return list(ACTIVE_STATUSES)

    @cached_property
    def _region_counts(self):
        return search.region_counts(self.queryset, self._conditions_but_region)

    @property
    def regions(self):
        """Every region where a published trial has a place, A to Z."""
        return list(self._region_counts)

    @cached_property
    def conditions(self):
        """{filter name: Q} for every filter in use. Status is always in use."""
        conditions = dict(self._conditions_but_region)
        if self.selected["region"]:
            places = Location.objects.filter(region__in=self.selected["region"])
            conditions["region"] = Q(pk__in=places.values("trial_id"))
        return conditions

    @cached_property
    def _conditions_but_region(self):
        chosen = self._cleaned
        conditions = {}
        text = search.text_condition(self.query)
        if text is not None:
            conditions["q"] = text
        if chosen["site"]:
            links = Trial.sites.through.objects.filter(tumoursite__slug__in=chosen["site"])
            conditions["site"] = Q(pk__in=links.values("trial_id"))
        conditions["status"] = Q(status__in=self.statuses)
        if chosen["grade"]:
            conditions["grade"] = Q(
                *[Q(**{GRADE_FLAGS[grade]: True}) for grade in chosen["grade"]], _connector=Q.OR
            )
        if chosen["treatment"]:
            slugs = chosen["treatment"]
            direct = Trial.treatments.through.objects.filter(treatment__slug__in=slugs)
            by_drug = Trial.drugs.through.objects.filter(drug__treatments__slug__in=slugs)
            conditions["treatment"] = Q(pk__in=direct.values("trial_id")) | Q(
                pk__in=by_drug.values("trial_id")
            )
        if chosen["phase"]:
            conditions["phase"] = Q(phase__in=chosen["phase"])
        if chosen["functioning"]:
            conditions["functioning"] = Q(functioning__in=chosen["functioning"])
        if chosen["receptor_scan"]:
            conditions["receptor_scan"] = Q(receptor_scan__in=chosen["receptor_scan"])
        return conditions

    def filter_queryset(self, queryset):
        _, order = SORTS[self.selected["sort"]]
        return queryset.filter(*self.conditions.values()).order_by(*order)

    def results(self):
        """The matching trials with what a result card or feed entry shows."""
        return self.qs.only(*CARD_FIELDS).prefetch_related(
            Prefetch("sites", queryset=TumourSite.objects.published().only("pk", "name")),
            Prefetch("locations", queryset=Location.objects.only("pk", "trial_id", "town")),
        )

    # ---- The numbers beside each option ----

    def _column_facets(self):
        """For each filter on the trial's own columns: (keeps(row), values(row)), the same
        tests as ``conditions`` but on one row of ``search.column_counts``."""
        chosen = self.selected
        statuses = set(self.statuses)

        def one_of(name):
            picked = set(chosen[name])
            return (
                lambda row: not picked or row[name] in picked,
                lambda row: [row[name]],
            )

        grades = [GRADE_FLAGS[grade] for grade in chosen["grade"]]
        return {
            "status": (lambda row: row["status"] in statuses, lambda row: [row["status"]]),
            "grade": (
                lambda row: not grades or any(row[flag] for flag in grades),
                lambda row: [grade for grade, flag in GRADE_FLAGS.items() if row[flag]],
            ),
            "phase": one_of("phase"),
            "functioning": one_of("functioning"),
            "receptor_scan": one_of("receptor_scan"),
        }

    @cached_property
    def _counts(self):
        base, conditions = self.queryset, self.conditions
        facets = self._column_facets()
        shared = [condition for name, condition in conditions.items() if name not in facets]
        columns = ["status", "phase", "functioning", "receptor_scan", *GRADE_FLAGS.values()]
        counts, without = search.column_counts(base, shared, facets, columns)
        by_site = search.site_counts(base, conditions)
        counts["site"] = {site.slug: by_site.get(site.pk, 0) for site in self.sites}
        by_treatment = search.treatment_counts(base, conditions)
        counts["treatment"] = {t.slug: by_treatment.get(t.pk, 0) for t in self.treatments}
        counts["region"] = self._region_counts
        return counts, without

    def facets(self):
        """Every filter with its options, their counts and whether each is ticked."""
        counts, _ = self._counts
        chosen = self.selected

        def options(name, choices, checked, hints=None):
            return [
                Option(
                    value=str(value),
                    label=str(label),
                    count=counts[name][value],
                    checked=value in checked,
                    hint=(hints or {}).get(value, ""),
                    id=f"{name}-{number}",
                )
                for number, (value, label) in enumerate(choices, start=1)
            ]

        return [
            Facet(
                "site",
                "Tumour site",
                options("site", [(s.slug, s.name) for s in self.sites], chosen["site"]),
                hint="Where in the body the NET started.",
            ),
            Facet(
                "status",
                "Status",
                options("status", Status.choices, self.statuses, STATUS_EXPLAINED),
                hint="If you tick none, we show trials that are open or opening soon.",
            ),
            Facet(
                "grade",
                "Grade",
                options("grade", self.form.fields["grade"].choices, chosen["grade"], GRADE_HINTS),
                hint="Your grade is in your pathology report. Ask your specialist team if you "
                "are not sure.",
            ),
            Facet(
                "treatment",
                "Treatment",
                options(
                    "treatment", [(t.slug, t.name) for t in self.treatments], chosen["treatment"]
                ),
                hint="Trials that test this treatment, or a drug used in it.",
            ),
            Facet(
                "phase",
                "Phase",
                options("phase", Phase.choices, chosen["phase"]),
                explained=[(Phase(value).label, text) for value, text in PHASE_EXPLAINED.items()],
            ),
            Facet(
                "region",
                "Where the trial takes place",
                options("region", [(r, r) for r in self.regions], chosen["region"]),
                hint="Trials with at least one hospital in this area.",
            ),
            Facet(
                "functioning",
                "Symptoms from hormones",
                options("functioning", FUNCTIONING_LABELS.items(), chosen["functioning"]),
                hint="Some NETs make hormones that cause symptoms, such as flushing and "
                "diarrhoea (carcinoid syndrome).",
            ),
            Facet(
                "receptor_scan",
                "Somatostatin receptor scan",
                options("receptor_scan", SCAN_LABELS.items(), chosen["receptor_scan"]),
                hint="A scan, such as a gallium-68 PET scan, shows whether the NET has "
                "somatostatin receptors. Some treatments, such as PRRT, need them.",
            ),
        ]

    # ---- Links: the current search, and the same search with one thing less ----

    def params(self, leave_out=None):
        """The search as (name, value) pairs, known values only. ``leave_out``: a name, or a
        (name, value) pair, to drop."""
        chosen = self.selected
        pairs = []
        if self.query.text:
            pairs.append(("q", self.query.text[: search.MAX_QUERY_LENGTH]))
        for name in self.MULTIPLE:
            values = chosen[name]
            if name == "status" and values and set(values) == set(Status.values):
                values = ["all"]
            pairs.extend((name, value) for value in values)
        if chosen["sort"] != DEFAULT_SORT:
            pairs.append(("sort", chosen["sort"]))
        return [pair for pair in pairs if leave_out is None or leave_out not in (pair, pair[0])]

    @staticmethod
    def url(pairs):
        base = reverse("trials:list")
        return f"{base}?{urlencode(pairs)}" if pairs else base

    @property
    def querystring(self):
        return urlencode(self.params())

    def _label(self, name, value):
        if name == "q":
            return f"Words: “{value}”"
        if name == "status" and value == "all":
            return "Status: any, including closed trials"
        choices = dict(getattr(self.form.fields[name], "choices", ()))
        return f"{self.form.fields[name].label}: {choices.get(value, value)}"

    def active_filters(self):
        """Each choice in use, with a link to the same search without it."""
        pairs = [pair for pair in self.params() if pair[0] != "sort"]
        return [Link(self._label(*pair), self.url(self.params(leave_out=pair))) for pair in pairs]

    def describe(self):
        """The search in words, for the feed's title."""
        parts = [link.text for link in self.active_filters()]
        if self.status_is_default:
            parts.append("open or opening soon")
        return "; ".join(parts)

    def include_all_statuses_url(self):
        pairs = [*self.params(leave_out="status"), ("status", "all")]
        return self.url(pairs)

    @property
    def count(self):
        """How many trials match the whole search. The counts beside the status options
        already say so (each is the count with every other filter kept), so the result list
        needs no count query of its own."""
        counts, _ = self._counts
        return sum(counts["status"][value] for value in self.statuses)

    @property
    def more_with_all_statuses(self):
        """How many more trials there are with any status (for "Include closed trials")."""
        _, without = self._counts
        return without["status"] - self.count

    def loosen(self):
        """For an empty result: each filter in use, and how many trials there are without it.
        (One more query, for the filters that are not on the trial's own columns.)"""
        _, without = self._counts
        others = [name for name in self.conditions if name not in without]
        without = {**without, **search.totals_without(self.queryset, self.conditions, others)}
        links = []
        for name in self.conditions:
            if not without[name]:
                continue
            if name == "status":
                if set(self.statuses) == set(Status.values):
                    continue
                text = "Include closed trials, and trials of any status"
                url = self.include_all_statuses_url()
            elif name == "q":
                text = "Remove your search words"
                url = self.url(self.params(leave_out="q"))
            else:
                text = f"Remove your choice of {self.NOUNS[name]}"
                url = self.url(self.params(leave_out=name))
            links.append(Link(text, url, without[name]))
        return sorted(links, key=lambda link: -link.count)

    # ---- Notes about what we could not use ----

    def notes(self):
        self.form.is_valid()
        notes = []
        for name, noun in self.NOUNS.items():
            field = self.form.fields[name]
            unrecognised = self.unrecognised_regions if name == "region" else field.unrecognised
            for value in unrecognised[:MAX_NOTES_PER_FILTER]:
                shown = value if len(value) <= 40 else value[:40] + "…"
                notes.append(f"We did not recognise the {noun} “{shown}”, so we left it out.")
            if len(unrecognised) > MAX_NOTES_PER_FILTER:
                more = len(unrecognised) - MAX_NOTES_PER_FILTER
                notes.append(f"We left out {more} more {noun}{'s' if more > 1 else ''} too.")
        if "q" in self.form.errors:
            notes.append(
                "Your search words had a character we cannot search for, so we "
                "searched without them."
            )
        if "sort" in self.form.errors:
            notes.append(
                "We did not recognise the order you asked for, so the most recently "
                "updated trials come first."
            )
        if self.query.truncated:
            notes.append(
                f"Your search words were very long, so we used only the first "
                f"{search.MAX_QUERY_LENGTH} characters."
            )
        if self.query.text and not self.query.slots:
            notes.append(
                "There were no words we could search for in what you typed, so we "
                "searched without them."
            )
        if self.query.dropped_words:
            notes.append(f"We searched for the first {search.MAX_SLOTS} words only.")
        if self.status_is_default and self.query.is_identifier:
            notes.append(
                "You searched for a trial number, so we show the trial whatever its status."
            )
        return notes
