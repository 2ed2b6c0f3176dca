"""The result list: the matching trials a page at a time, and what each result card shows.

``Results`` is the list of a search's trials in order without reading them: its length comes
from the finder index and a slice fetches only that page (``TrialFilter.fetch``), so
Django's ``Paginator`` and the feed can take what they need. ``paginate`` gives the page
asked for, or a sensible one with a note; ``cards`` what each result shows (the sentence
of the summary is worked out when the trial is saved: ``Trial.summary_sentence``).
"""

from dataclasses import dataclass

from django.core.paginator import Paginator

PAGE_SIZE = 20


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
        stop = len(self) if stop is None else stop
        return self.finder.ordered_ids(self.sort, start, stop)


@dataclass
class PageResult:
    page: object
    note: str = ""


def paginate(results, raw_page, per_page=PAGE_SIZE):
    """The page asked for, or a sensible one with a note saying why it is not that page."""
    paginator = Paginator(results, per_page)
    page = paginator.get_page(raw_page)
    note = ""
    if raw_page not in (None, ""):
        try:
            asked = int(str(raw_page).strip())
        except ValueError:
            asked = 0
        if asked < 1:
            note = "We did not understand the page number, so this is the first page."
        elif asked > paginator.num_pages:
            note = (
                f"There is no page {asked:,}. This is the last page (page {paginator.num_pages:,})."
            )
    return PageResult(page, note)


MAX_TOWNS = 6


@dataclass
class Card:
    trial: object  # a Trial, with what a card shows (TrialFilter.fetch)
    sites: list
    towns: list
    sentence: str
    more_towns: int = 0
    nearest: object = None  # with a town: trials.finder.page.NearestPlace, or None if unknown


def cards(trials, nearest=None):
    """What each result shows. Uses prefetched sites and locations: no queries per trial.
    ``nearest(trial id)``: the trial's nearest recruiting place, when a town was given."""
    result = []
    for trial in trials:
        towns = []
        for location in trial.locations.all():
            if location.town and location.town not in towns:
                towns.append(location.town)
        towns.sort()
        result.append(
            Card(
                trial=trial,
                sites=[site.name for site in trial.sites.all()],
                towns=towns[:MAX_TOWNS],
                more_towns=max(0, len(towns) - MAX_TOWNS),
                sentence=trial.summary_sentence,
                nearest=nearest(trial.pk) if nearest else None,
            )
        )
    return result


def count_in_words(count):
    """ "No trials found", "1 trial found", "1,204 trials found"."""
    if count == 0:
        return "No trials found"
    return f"{count:,} trial{'s' if count != 1 else ''} found"
