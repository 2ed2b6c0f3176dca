"""What the trial finder's page shows for a search (a QueryDict): ``context``, for
``trials.views.trial_list``, worked out from the finder index and a page of trials read from
the database (4 queries once the index is built: ``FINDER_QUERIES`` in
tests/test_trial_finder.py), with a hundred tick boxes and a page of results to render.

``FinderPage`` is the search's ``TrialFilter`` with what the page and the feed say about it:
each filter's tick boxes with their counts (``facets``), the choices in use as links that
drop one, what would loosen an empty search, and notes about what we could not use. The
words on the tick boxes are the form's own (``trials.finder.options``).

The whole page is then cached per search and content version (``netinfo.caching.page_cache``);
``PARAMETERS`` are the query parameters that make one search differ from another.
"""

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.urls import reverse

from netinfo import list_pages
from netinfo.page_glossary import PageGlossary
from trials import places
from trials import status as trial_status
from trials.choices import ACTIVE_STATUSES
from trials.finder.filters import TrialFilter
from trials.finder.index import EMPTY
from trials.finder.options import (
    ALL_STATUSES,
    ANY_DISTANCE,
    DEFAULT_SORT,
    EXPLAINED,
    HINTS,
    NEAREST,
    NOUNS,
    OPTION_HINTS,
    WITHIN,
)
from trials.finder.results import cards, count_in_words, paginate
from trials.finder.words import MAX_QUERY_LENGTH, MAX_SLOTS

PARAMETERS = (*TrialFilter.base_filters, "page")
MAX_NOTES_PER_FILTER = 3


def context(query):
    """The context of templates/trials/trial_list.html for a search."""
    finder = FinderPage(query)
    result = paginate(finder.results(), query.get("page"))
    page = result.page
    feed_url = reverse("trials:feed")
    if finder.querystring:
        feed_url += f"?{finder.querystring}"
    return {
        # Pop-ups in the hints and cards, with the glossary the finder index already holds.
        "glossary": PageGlossary(matcher=finder.index.synonyms.matcher),
        "finder": finder,
        "page": list_pages.record(list_pages.FINDER),  # its review dates and sources
        "filtered": bool(finder.active_filters()),
        "feed_url": feed_url,
        "page_obj": page,
        "count_words": count_in_words(page.paginator.count),
        "cards": cards(page, nearest=finder.nearest if finder.town else None),
        "page_note": result.note,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
    }


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


@dataclass
class NearestPlace:
    name: str
    town: str
    distance: str  # "12 miles"


@dataclass
class SiteWord:
    """A search word that names a kind of NET found in particular places ("insulinoma"),
    the published tumour sites it names, and how many of their trials the search's other
    choices keep (for "none are open")."""

    typed: str
    sites: list
    trials: int
    other_choices: bool = False  # a filter other than the words and the status is in use


class FinderPage(TrialFilter):
    # ---- The tick boxes ----

    def facets(self):
        """Every filter of tick boxes, with the form's label and choices, how many trials
        each option would give, and whether it is ticked."""
        chosen = {**self.selected, "status": self.statuses}
        facets = []
        for name in self.MULTIPLE:
            field_ = self.form.fields[name]
            counts, hints = self.counts[name], OPTION_HINTS.get(name, {})
            options = [
                Option(
                    value=str(value),
                    label=str(label),
                    count=counts.get(value, 0),
                    checked=value in chosen[name],
                    hint=hints.get(value, ""),
                    id=f"{name}-{number}",
                )
                for number, (value, label) in enumerate(field_.choices, start=1)
            ]
            explained = EXPLAINED.get(name, [])
            facets.append(Facet(name, field_.label, options, HINTS.get(name, ""), explained))
        return facets

    # ---- Links: the current search, and the same search with one thing less ----

    def params(self, leave_out=None):
        """The search as (name, value) pairs, known values only. ``leave_out``: a name, or a
        (name, value) pair, to drop."""
        chosen = self.selected
        pairs = []
        if self.query.text:
            pairs.append(("q", self.query.text[:MAX_QUERY_LENGTH]))
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

    def _within_pairs(self):
        within = self.selected["within"]
        return [("within", within)] if within != ANY_DISTANCE else []

    @staticmethod
    def url(pairs):
        base = reverse("trials:list")
        return f"{base}?{urlencode(pairs)}" if pairs else base

    @property
    def querystring(self):
        return urlencode(self.params())

    def params_without_words(self):
        """Everything but the words, for the search box's hidden fields: new words keep the
        choices."""
        return self.params(leave_out="q")

    def _label(self, name, value):
        """A choice in use, in words: "Tumour site: Pancreas"."""
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

    @property
    def chosen_count(self):
        """How many choices are in use, for "Filter results (2 chosen)"."""
        return sum(name not in ("q", "sort", "within") for name, _ in self.params())

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
    def more_with_all_statuses(self):
        """How many more trials there are with any status (for "Include closed trials")."""
        return len(self.kept_without("status")) - self.count

    @property
    def max_age_days(self):
        return trial_status.max_age().days

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
        count = kept.intersection_cardinality(unconfirmed or EMPTY)
        pairs = [*self.params(leave_out="status"), ("status", trial_status.UNCONFIRMED)]
        text = f"Show the {count} trial{'' if count == 1 else 's'} whose status is not confirmed"
        return Link(text, self.url(pairs), count)

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

    # ---- Near a town ----

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

    def nearest(self, trial_id):
        """The trial's nearest recruiting place and how far it is, for its card."""
        found = self.index.near.distances(self.town.latitude, self.town.longitude).get(trial_id)
        if found is None:
            return None
        miles, number = found
        place = self.index.near.place(number)
        return NearestPlace(place.name, place.town, places.miles_text(miles))

    # ---- Words that name tumour sites, and notes about what we could not use ----

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

    def notes(self):
        self.form.is_valid()
        notes = []
        for name, noun in NOUNS.items():
            unrecognised = self.form.fields[name].unrecognised
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
                f"{MAX_QUERY_LENGTH} characters."
            )
        if self.query.text and not self.query.slots:
            notes.append(
                "There were no words we could search for in what you typed, so we "
                "searched without them."
            )
        if self.query.dropped_words:
            notes.append(f"We searched for the first {MAX_SLOTS} words only.")
        if self.widened_for_name and self.query.is_identifier:
            notes.append(
                "You searched for a trial number, so we show the trial whatever its status."
            )
        elif self.widened_for_name:
            notes.append(
                "You searched for a trial by its short name, so we show it whatever its status."
            )
        return notes
