"""The trial finder: what a patient can narrow the list of trials by, in their own words.

``TrialFilter(request.GET)`` behind a plain GET form, so every search is a shareable link.
A value we do not recognise (an old link, a typo) is left out with a note saying so, and the
rest of the search still works. django-filter's form cleans what was asked for; the page's
matching is done on the finder index (``trials.finder_index``): each filter in use is the set
of trials it keeps (``picks``), so the results and the number beside each option
("Pancreas (4)") come from the same sets.

``TrialFilter(data, use_index=False).qs`` is the same search in SQL, without the index:
each filter's ``method`` applied in turn (``filter_queryset``), then the order
(``trials.finder_sql``). It is the reference the index must agree with
(tests/test_finder_agreement.py).
"""

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import Prefetch
from django.http import QueryDict
from django.urls import reverse

from netinfo.models import Content, TumourSite
from treatments.models import Grade
from trials import finder_index, finder_sql, places, search
from trials import status as trial_status
from trials.choices import (
    ACTIVE_STATUSES,
    PHASE_EXPLAINED,
    STATUS_EXPLAINED,
    Phase,
    Requirement,
    Status,
)
from trials.models import Location, Trial
from trials.places import Region, region_label

PUBLISHED = Content.State.PUBLISHED

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

# The orders themselves are worked out by ``trials.finder_index``.
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
MAX_NOTES_PER_FILTER = 3

# Only what a result card shows: the long texts of each trial stay in the database.
CARD_FIELDS = (
    "title",
    "acronym",
    "slug",
    "state",
    "status",
    "phase",
    "summary_sentence",
    "updated_at",
    "created_at",
    "recruitment_start",
    "registry_checked",
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
class NearestPlace:
    name: str
    town: str
    distance: str  # "12 miles"


@dataclass
class Link:
    text: str
    url: str
    count: int = 0


@dataclass
class SiteWord:
    """A search word that names a kind of NET found in particular places ("insulinoma"),
    the published tumour sites it names, and how many of their trials the search's other
    choices keep (for "none are open")."""

    typed: str
    sites: list
    trials: int
    other_choices: bool = False  # a filter other than the words and the status is in use


class TrialFilter(django_filters.FilterSet):
    # Each filter's ``method`` is its condition in SQL (for ``.qs``); the page uses the index.
    q = django_filters.CharFilter(label="Words or a trial number", method="filter_q")
    site = LenientMultipleChoiceFilter(label="Tumour site", method="filter_site")
    status = LenientMultipleChoiceFilter(
        label="Status",
        choices=STATUS_CHOICES,
        aliases={"all": ALL_STATUSES, "any": ALL_STATUSES},
        method="filter_status",
    )
    grade = LenientMultipleChoiceFilter(
        label="Grade", choices=[(grade.slug, grade.label) for grade in Grade], method="filter_grade"
    )
    treatment = LenientMultipleChoiceFilter(label="Treatment", method="filter_treatment")
    phase = LenientMultipleChoiceFilter(
        label="Phase", choices=Phase.choices, method="filter_choices"
    )
    region = LenientMultipleChoiceFilter(
        label="Where the trial takes place", method="filter_region"
    )
    functioning = LenientMultipleChoiceFilter(
        label="Symptoms from hormones",
        choices=list(FUNCTIONING_LABELS.items()),
        method="filter_choices",
    )
    receptor_scan = LenientMultipleChoiceFilter(
        label="Somatostatin receptor scan",
        choices=list(SCAN_LABELS.items()),
        method="filter_choices",
    )
    near = django_filters.CharFilter(label="Near a town or city", method="filter_near")
    within = django_filters.ChoiceFilter(
        label="Distance",
        choices=[*WITHIN.items(), (ANY_DISTANCE, "Any distance")],
        empty_label=None,
        method="filter_near",
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=list(SORTS.items()),
        empty_label=None,
        method="filter_nothing",  # the order is applied last, in filter_queryset
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

    def __init__(self, data=None, *, request=None, prefix=None, use_index=True):
        # Always bound: no parameters at all is a search too (the default one).
        super().__init__(
            data if data is not None else QueryDict(),
            queryset=Trial.objects.published(),
            request=request,
            prefix=prefix,
        )
        # The trials, the choices on offer and the glossary's synonyms, as of now: from the
        # index, or (``use_index=False``, for ``.qs`` alone) from the database.
        if use_index:
            self.index = finder_index.current()
            self.sites, self.treatments = self.index.sites, self.index.treatments
            self.synonyms, regions = self.index.synonyms, self.index.regions
        else:
            self.index = None
            self.sites, self.treatments = finder_index.sites_and_treatments()
            self.synonyms = search.load_synonyms()
            places_in = Location.objects.filter(trial__in=Trial.objects.published())
            found = set(places_in.values_list("region", flat=True).distinct())
            regions = [value for value in Region.values if value in found]
        self.filters["site"].extra["choices"] = [(site.slug, site.name) for site in self.sites]
        self.filters["treatment"].extra["choices"] = [
            (treatment.slug, treatment.name) for treatment in self.treatments
        ]
        self.filters["region"].extra["choices"] = [
            (value, region_label(value)) for value in regions
        ]

    # ---- What was asked for ----

    @cached_property
    def selected(self):
        """The form's choices: every known value, unknown ones left out (and noted)."""
        self.form.is_valid()
        data = self.form.cleaned_data
        selected = {name: data.get(name) or [] for name in self.MULTIPLE}
        selected["q"] = data.get("q") or ""
        near = "".join(char for char in self.data.get("near") or "" if char.isprintable())
        selected["near"] = " ".join(near.split())[:100]
        selected["within"] = data.get("within") or ANY_DISTANCE
        sort = data.get("sort") or (NEAREST if self.town else DEFAULT_SORT)
        selected["sort"] = DEFAULT_SORT if sort == NEAREST and not self.town else sort
        return selected

    @cached_property
    def town(self):
        """The UK town or city the search is near (trials.places.Town), or None."""
        return places.find_town(self.data.get("near") or "")

    @cached_property
    def town_suggestions(self):
        """For a town we could not find: links to the same search near towns like it."""
        typed = self.selected["near"]
        if not typed or self.town:
            return []
        pairs = self.params(leave_out="near")
        return [
            Link(name, self.url([*pairs, ("near", name), *self._within_pairs()]))
            for name in places.suggest_towns(typed)
        ]

    def _within_pairs(self):
        within = self.selected["within"]
        return [("within", within)] if within != ANY_DISTANCE else []

    @cached_property
    def distances(self):
        """{trial id: (miles, its nearest recruiting place's number)} from the town, or {}."""
        if not self.town:
            return {}
        return self.index.near.distances(self.town.latitude, self.town.longitude)

    def nearest(self, trial_id):
        """The trial's nearest recruiting place and how far it is, for its card."""
        found = self.distances.get(trial_id)
        if found is None:
            return None
        miles, number = found
        place = self.index.near.place(number)
        return NearestPlace(place.name, place.town, places.miles_text(miles))

    @cached_property
    def query(self):
        return search.parse_query(self.selected["q"], self.synonyms)

    @property
    def status_is_default(self):
        return not self.selected["status"]

    @cached_property
    def names_trial(self):
        """Whether the search words name a trial: a registry number, or a trial's short name
        ("NELMAS", "calm-net"). Such a search finds its trial whatever its status."""
        if self.query.is_identifier:
            return True
        if self.index is None:
            return self.names_trial_in_sql
        acronyms = self.index.acronyms
        return any(phrase in acronyms for phrase in self.phrases)

    @property
    def phrases(self):
        """Each run of up to ``MAX_SLOTS`` of the search's words: a trial's short name?"""
        words = search.plain_words(self.query.text[: search.MAX_QUERY_LENGTH]).split()
        return [
            " ".join(words[start:stop])
            for start in range(len(words))
            for stop in range(start + 1, min(len(words), start + search.MAX_SLOTS) + 1)
        ]

    @cached_property
    def widened_for_name(self):
        """Whether every status is searched because the words name a trial: when no status
        is ticked, or just the ones ticked by default (the form sends those)."""
        return self._widened(self.names_trial)

    def _widened(self, names_trial):
        chosen = set(self.selected["status"])
        return names_trial and (not chosen or chosen == set(ACTIVE_STATUSES))

    @cached_property
    def statuses(self):
        """The statuses searched: those ticked; by default open or opening soon, as a
        recent registry check confirms, or every status when the search names a trial."""
        return self._statuses(self.widened_for_name)

    def _statuses(self, widened):
        if widened:
            return list(ALL_STATUSES)
        if self.selected["status"]:
            return self.selected["status"]
        return list(ACTIVE_STATUSES)

    @property
    def default_view(self):
        """Whether this is the finder's default view: open or opening soon, confirmed."""
        return self.status_is_default and not self.names_trial

    @cached_property
    def left_out(self):
        """When the search is for open or opening-soon trials (by default, or ticked), the
        trials matching every other choice that were left out because that status is not
        confirmed: (how many, a link to them)."""
        wanted = set(self.statuses)
        if trial_status.UNCONFIRMED in wanted or not wanted & set(ACTIVE_STATUSES):
            return Link("", "", 0)
        unconfirmed = self.index.options["status"].get(trial_status.UNCONFIRMED)
        kept = self.kept_without("status")
        count = kept.intersection_cardinality(unconfirmed or finder_index.EMPTY)
        pairs = [*self.params(leave_out="status"), ("status", trial_status.UNCONFIRMED)]
        text = f"Show the {count} trial{'' if count == 1 else 's'} whose status is not confirmed"
        return Link(text, self.url(pairs), count)

    @property
    def max_age_days(self):
        return trial_status.max_age().days

    @property
    def regions(self):
        """Every region where a published trial has a place, A to Z."""
        return self.index.regions

    @cached_property
    def site_words(self):
        """Each search word that names tumour sites, with those sites (``SiteWord``)."""
        by_id = {site.pk: site for site in self.sites}
        other_choices = bool(set(self.picks) - {"q", "status"})
        found = []
        for slot in self.query.slots:
            sites = [by_id[pk] for pk in slot.sites if pk in by_id]
            if sites:
                trials = self.index.picks("site", [site.pk for site in sites])
                count = trials.intersection_cardinality(self.kept_without("q"))
                found.append(SiteWord(slot.typed, sites, count, other_choices))
        return found

    # ---- Which trials match, in SQL: ``.qs`` (the reference the index agrees with) ----

    def filter_queryset(self, queryset):
        """Each filter's ``method`` in turn, with the values ``selected`` resolved (the
        default statuses, a town's distance), then the order: the finder's search in SQL,
        not using the index."""
        for name in ("q", *self.MULTIPLE, "near"):
            # The method itself: django-filter would skip an empty value, the default status too.
            method = self.filters[name].filter.method
            queryset = method(queryset, name, self.selected[name])
        return finder_sql.order(queryset, self.selected["sort"], self.town)

    def filter_q(self, queryset, name, value):
        if not self.query.slots:
            return queryset
        return queryset.filter(finder_sql.words(self.query, {site.pk for site in self.sites}))

    @cached_property
    def names_trial_in_sql(self):
        """``names_trial``, asking the database, not the index."""
        return self.query.is_identifier or finder_sql.names_trial(self.phrases)

    def filter_status(self, queryset, name, value):
        """The statuses ticked, or by default, or all when the words name a trial."""
        statuses = self._statuses(self._widened(self.names_trial_in_sql))
        return queryset.filter(finder_sql.statuses(statuses))

    def filter_site(self, queryset, name, value):
        ids = {site.slug: site.pk for site in self.sites}
        chosen = [ids[slug] for slug in value]
        return queryset.filter(finder_sql.sites(chosen)) if value else queryset

    def filter_grade(self, queryset, name, value):
        return queryset.filter(finder_sql.grades(value)) if value else queryset

    def filter_treatment(self, queryset, name, value):
        ids = {treatment.slug: treatment.pk for treatment in self.treatments}
        chosen = [ids[slug] for slug in value]
        return queryset.filter(finder_sql.treatments(chosen)) if value else queryset

    def filter_region(self, queryset, name, value):
        return queryset.filter(finder_sql.regions(value)) if value else queryset

    def filter_choices(self, queryset, name, value):
        """Phase and the hormone-symptoms and receptor-scan rules: one column each."""
        return queryset.filter(**{f"{name}__in": value}) if value else queryset

    def filter_near(self, queryset, name, value):
        within = self.selected["within"]
        if not self.town or within == ANY_DISTANCE:
            return queryset
        return queryset.filter(finder_sql.within(self.town, int(within)))

    def filter_nothing(self, queryset, name, value):
        return queryset

    # ---- Which trials match, from the index (the page) ----

    @cached_property
    def picks(self):
        """{filter name: the published trials it keeps} for every filter in use. Status is
        always in use. All from the finder index: no queries."""
        chosen, index = self.selected, self.index
        picks = {}
        if self.query.slots:
            picks["q"] = search.matching(self.query, index)
        site_ids = {site.slug: site.pk for site in self.sites}
        treatment_ids = {treatment.slug: treatment.pk for treatment in self.treatments}
        for name, values in (
            ("site", [site_ids[slug] for slug in chosen["site"]]),
            ("status", self.statuses),
            ("grade", chosen["grade"]),
            ("treatment", [treatment_ids[slug] for slug in chosen["treatment"]]),
            ("phase", chosen["phase"]),
            ("region", chosen["region"]),
            ("functioning", chosen["functioning"]),
            ("receptor_scan", chosen["receptor_scan"]),
        ):
            if values:
                picks[name] = index.picks(name, values)
        if self.town and chosen["within"] != ANY_DISTANCE:
            town = self.town
            picks["near"] = index.near.within(town.latitude, town.longitude, int(chosen["within"]))
        return picks

    def kept_without(self, name=None):
        """The trials every filter in use keeps, except ``name``'s."""
        kept = self.index.published
        for other, picked in self.picks.items():
            if other != name:
                kept = kept & picked
        return kept

    @cached_property
    def matches(self):
        return self.kept_without()

    def results(self, sort=None):
        """The matching trials in order, with what a result card or feed entry shows, as a
        sequence that fetches only the slice asked for (a page of results)."""
        return Results(self, sort or self.selected["sort"])

    def fetch(self, ids):
        """The trials ``ids``, in that order, with what a card shows: three queries."""
        trials = (
            Trial.objects.filter(pk__in=ids)
            .only(*CARD_FIELDS)
            .with_registry()
            .prefetch_related(
                Prefetch("sites", queryset=TumourSite.objects.published().only("pk", "name")),
                Prefetch("locations", queryset=Location.objects.only("pk", "trial_id", "town")),
            )
        )
        position = {pk: i for i, pk in enumerate(ids)}
        return sorted(trials, key=lambda trial: position[trial.pk])

    # ---- The numbers beside each option ----

    @cached_property
    def _counts(self):
        """{filter name: {option: how many trials ticking that option alone would give}}.
        Each count keeps every other filter in use."""
        counts = {}
        for name, options in self.index.options.items():
            kept = self.kept_without(name)
            counts[name] = {
                value: kept.intersection_cardinality(picked) for value, picked in options.items()
            }
        counts["site"] = {site.slug: counts["site"].get(site.pk, 0) for site in self.sites}
        counts["treatment"] = {t.slug: counts["treatment"].get(t.pk, 0) for t in self.treatments}
        return counts

    def facets(self):
        """Every filter with its options, their counts and whether each is ticked."""
        counts = self._counts
        chosen = self.selected

        def options(name, choices, checked, hints=None):
            return [
                Option(
                    value=str(value),
                    label=str(label),
                    count=counts[name].get(value, 0),
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
                options("status", STATUS_CHOICES, self.statuses, STATUS_HINTS),
                hint="If you tick none, we show trials that a trial registry has confirmed "
                "recently are open or opening soon.",
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
                options("region", self.form.fields["region"].choices, chosen["region"]),
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
            if name == "status" and values and set(values) == set(ALL_STATUSES):
                values = ["all"]
            pairs.extend((name, value) for value in values)
        if self.town:
            pairs.append(("near", self.town.name))
            pairs.extend(self._within_pairs())
        if chosen["sort"] != (NEAREST if self.town else DEFAULT_SORT):
            pairs.append(("sort", chosen["sort"]))
        if leave_out in ("near", ("near", getattr(self.town, "name", None))):
            leave_out = "near"  # a town and its distance go together
            pairs = [pair for pair in pairs if pair[0] != "within"]
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
        if name == "near":
            within = self.selected["within"]
            if within == ANY_DISTANCE:
                return f"Near {value}"
            return f"Within {WITHIN[within]} of {value}"
        if name == "status" and value == "all":
            return "Status: any, including closed trials"
        choices = dict(getattr(self.form.fields[name], "choices", ()))
        return f"{self.form.fields[name].label}: {choices.get(value, value)}"

    def active_filters(self):
        """Each choice in use, with a link to the same search without it."""
        pairs = [pair for pair in self.params() if pair[0] not in ("sort", "within")]
        return [Link(self._label(*pair), self.url(self.params(leave_out=pair))) for pair in pairs]

    def describe(self):
        """The search in words, for the feed's title."""
        parts = [link.text for link in self.active_filters()]
        if self.default_view:
            parts.append("open or opening soon, as confirmed by a trial registry")
        return "; ".join(parts)

    def include_all_statuses_url(self):
        pairs = [*self.params(leave_out="status"), ("status", "all")]
        return self.url(pairs)

    @property
    def count(self):
        """How many trials match the whole search."""
        return len(self.matches)

    @property
    def more_with_all_statuses(self):
        """How many more trials there are with any status (for "Include closed trials")."""
        return len(self.kept_without("status")) - self.count

    def loosen(self):
        """For an empty result: each filter in use, and how many trials there would be
        without it ("Without ‘Grade 2’: 3 trials"), from the index's sets: most first."""
        links = []
        for name in self.picks:
            without = len(self.kept_without(name))
            if not without:
                continue
            if name == "status":
                if set(self.statuses) == set(ALL_STATUSES):
                    continue
                text = "With closed trials and trials of any status"
                url = self.include_all_statuses_url()
            else:
                text = f"Without {self._choice_words(name)}"
                url = self.url(self.params(leave_out=name))
            links.append(Link(text, url, without))
        return sorted(links, key=lambda link: -link.count)

    def _choice_words(self, name):
        """A filter's choices as a patient picked them: ‘Grade 1’ or ‘Grade 2’."""
        if name == "q":
            return f"your words ‘{self.query.text[:40]}’"
        if name == "near":
            return f"‘{self._label('near', self.town.name)}’"
        choices = dict(getattr(self.form.fields[name], "choices", ()))
        labels = [f"‘{choices.get(value, value)}’" for value in self.selected[name]]
        return " or ".join(labels)

    def params_without_words(self):
        """Everything but the words, for the search box's hidden fields: new words keep the
        choices."""
        return self.params(leave_out="q")

    @property
    def chosen_count(self):
        """How many choices are in use, for "Filter results (2 chosen)"."""
        return sum(name not in ("q", "sort", "within") for name, _ in self.params())

    # ---- Notes about what we could not use ----

    def notes(self):
        self.form.is_valid()
        notes = []
        for name, noun in self.NOUNS.items():
            field = self.form.fields[name]
            unrecognised = field.unrecognised
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
        if "within" in self.form.errors:
            notes.append(
                "We did not recognise the distance you asked for, so we show trials at any "
                "distance."
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
        if self.widened_for_name and self.query.is_identifier:
            notes.append(
                "You searched for a trial number, so we show the trial whatever its status."
            )
        elif self.widened_for_name:
            notes.append(
                "You searched for a trial by its short name, so we show it whatever its status."
            )
        return notes


class Results:
    """A search's matching trials in order, for ``Paginator`` and the feed: its length is
    known from the index, and a slice fetches just those trials."""

    def __init__(self, finder, sort):
        self.finder, self.sort = finder, sort

    def __len__(self):
        return self.finder.count

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step not in (None, 1):
            raise TypeError("Results can only be sliced, a page at a time.")
        start, stop, _ = item.indices(len(self))
        return self.finder.fetch(self.ids(start, stop))

    def ids(self, start=0, stop=None):
        """The ids of the matching trials from ``start`` to ``stop``, in order: no query."""
        finder, town = self.finder, self.finder.town
        stop = len(self) if stop is None else stop
        if self.sort == NEAREST and town:
            return finder.index.nearest_first(
                finder.matches, town.latitude, town.longitude, DEFAULT_SORT, start, stop
            )
        return finder.index.page(finder.matches, self.sort, start, stop)
