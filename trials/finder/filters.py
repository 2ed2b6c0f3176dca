"""The trial finder's FilterSet: what a patient can narrow the list of trials by, and which
trials that leaves, in order.

``TrialFilter(request.GET)`` sits behind a plain GET form, so every search is a shareable
link. Its form cleans every parameter: a value we do not recognise (an old link, a typo) is
left out and noted (``trials.finder.options``), and the rest of the search still works.
``selected`` is what the form kept, with the defaults filled in.

Which trials match is answered two ways, from the same rules:

- ``.qs``, in SQL: each filter's ``method`` in turn (``filter_queryset``), then the order
  (``trials.finder.sql``). ``TrialFilter(data, use_index=False).qs`` never reads the index.
- ``results()``, for the page, from the finder index (``trials.finder.index``): each filter
  in use is the set of trials it keeps (``picks``), so the results and the number beside
  each option ("Pancreas (4)", ``counts``) come from the same sets, with no query.

tests/test_finder_agreement.py checks that the two agree on ids, order and counts. What the
page says about a search (tick boxes, links, notes) is ``trials.finder.page.FinderPage``.
"""

from functools import cached_property

import django_filters
from django.db.models import Prefetch
from django.http import QueryDict

from netinfo.models import TumourSite
from trials import places
from trials.choices import ACTIVE_STATUSES, Phase
from trials.finder import near, sql
from trials.finder.index import current, sites_and_treatments
from trials.finder.options import (
    ALL_STATUSES,
    ANY_DISTANCE,
    DEFAULT_SORT,
    FUNCTIONING_CHOICES,
    GRADE_CHOICES,
    LABELS,
    NEAREST,
    SCAN_CHOICES,
    SORTS,
    STATUS_CHOICES,
    WITHIN,
    LenientMultipleChoiceFilter,
    region_choices,
)
from trials.finder.results import Results
from trials.finder.words import (
    MAX_QUERY_LENGTH,
    MAX_SLOTS,
    load_synonyms,
    parse_query,
    plain_words,
)
from trials.models import Location, Trial

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


class TrialFilter(django_filters.FilterSet):
    # Each filter's ``method`` is its condition in SQL (for ``.qs``); the page uses the index.
    q = django_filters.CharFilter(label="Words or a trial number", method="filter_q")
    site = LenientMultipleChoiceFilter(label=LABELS["site"], method="filter_site")
    status = LenientMultipleChoiceFilter(
        label=LABELS["status"],
        choices=STATUS_CHOICES,
        aliases={"all": ALL_STATUSES, "any": ALL_STATUSES},
        method="filter_status",
    )
    grade = LenientMultipleChoiceFilter(
        label=LABELS["grade"], choices=GRADE_CHOICES, method="filter_grade"
    )
    treatment = LenientMultipleChoiceFilter(label=LABELS["treatment"], method="filter_treatment")
    phase = LenientMultipleChoiceFilter(
        label=LABELS["phase"], choices=Phase.choices, method="filter_choices"
    )
    region = LenientMultipleChoiceFilter(label=LABELS["region"], method="filter_region")
    functioning = LenientMultipleChoiceFilter(
        label=LABELS["functioning"], choices=FUNCTIONING_CHOICES, method="filter_choices"
    )
    receptor_scan = LenientMultipleChoiceFilter(
        label=LABELS["receptor_scan"], choices=SCAN_CHOICES, method="filter_choices"
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

    MULTIPLE = tuple(LABELS)  # the filters of tick boxes, in the page's order

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
            self.index = current()
            self.sites, self.treatments = self.index.sites, self.index.treatments
            self.synonyms, regions = self.index.synonyms, self.index.regions
        else:
            self.index = None
            self.sites, self.treatments = sites_and_treatments()
            self.synonyms = load_synonyms()
            places_in = Location.objects.filter(trial__in=Trial.objects.published())
            regions = set(places_in.values_list("region", flat=True).distinct())
        self.filters["site"].extra["choices"] = [(site.slug, site.name) for site in self.sites]
        self.filters["treatment"].extra["choices"] = [
            (treatment.slug, treatment.name) for treatment in self.treatments
        ]
        self.filters["region"].extra["choices"] = region_choices(regions)

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
    def query(self):
        """The words, as the finder reads them (``trials.finder.words.parse_query``)."""
        return parse_query(self.selected["q"], self.synonyms)

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

    @cached_property
    def names_trial_in_sql(self):
        """``names_trial``, asking the database, not the index."""
        return self.query.is_identifier or sql.names_trial(self.phrases)

    @property
    def phrases(self):
        """Each run of up to ``MAX_SLOTS`` of the search's words: a trial's short name?"""
        words = plain_words(self.query.text[:MAX_QUERY_LENGTH]).split()
        return [
            " ".join(words[start:stop])
            for start in range(len(words))
            for stop in range(start + 1, min(len(words), start + MAX_SLOTS) + 1)
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

    # ---- Which trials match, in SQL: ``.qs`` (the reference the index agrees with) ----

    def filter_queryset(self, queryset):
        """Each filter's ``method`` in turn, with the values ``selected`` resolved (the
        default statuses, a town's distance), then the order: the finder's search in SQL,
        not using the index."""
        for name in ("q", *self.MULTIPLE, "near"):
            # The method itself: django-filter would skip an empty value, the default status too.
            method = self.filters[name].filter.method
            queryset = method(queryset, name, self.selected[name])
        return sql.order(queryset, self.selected["sort"], self.town)

    def filter_q(self, queryset, name, value):
        if not self.query.slots:
            return queryset
        return queryset.filter(sql.words(self.query, {site.pk for site in self.sites}))

    def filter_status(self, queryset, name, value):
        """The statuses ticked, or by default, or all when the words name a trial."""
        statuses = self._statuses(self._widened(self.names_trial_in_sql))
        return queryset.filter(sql.statuses(statuses))

    def filter_site(self, queryset, name, value):
        ids = {site.slug: site.pk for site in self.sites}
        chosen = [ids[slug] for slug in value]
        return queryset.filter(sql.sites(chosen)) if value else queryset

    def filter_grade(self, queryset, name, value):
        return queryset.filter(sql.grades(value)) if value else queryset

    def filter_treatment(self, queryset, name, value):
        ids = {treatment.slug: treatment.pk for treatment in self.treatments}
        chosen = [ids[slug] for slug in value]
        return queryset.filter(sql.treatments(chosen)) if value else queryset

    def filter_region(self, queryset, name, value):
        return queryset.filter(sql.regions(value)) if value else queryset

    def filter_choices(self, queryset, name, value):
        """Phase and the hormone-symptoms and receptor-scan rules: one column each."""
        return queryset.filter(**{f"{name}__in": value}) if value else queryset

    def filter_near(self, queryset, name, value):
        within = self.selected["within"]
        if not self.town or within == ANY_DISTANCE:
            return queryset
        return queryset.filter(near.within(self.town, int(within)))

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
            picks["q"] = index.matching(self.query)
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

    @property
    def count(self):
        """How many trials match the whole search."""
        return len(self.matches)

    @cached_property
    def counts(self):
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

    # ---- The matching trials in order (trials.finder.results) ----

    def results(self, sort=None):
        """The matching trials in order, with what a result card or feed entry shows, as a
        sequence that fetches only the slice asked for (a page of results)."""
        return Results(self, sort or self.selected["sort"])

    def ordered_ids(self, sort, start, stop):
        """The ids of the matching trials from ``start`` to ``stop`` in the order ``sort``,
        from the index: no query."""
        index, town = self.index, self.town
        if sort == NEAREST and town:
            return index.nearest_first(
                self.matches, town.latitude, town.longitude, DEFAULT_SORT, start, stop
            )
        return index.page(self.matches, sort, start, stop)

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
