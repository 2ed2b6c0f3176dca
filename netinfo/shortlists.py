"""A short list and how long the whole list is, in one query.

A page that lists "the trials open here" or "the pages that use this word" must not grow
with the number of trials: it shows the first few and says how many there are in all, with
a link to where the rest can be searched. The total comes from a window count on the same
query (``COUNT(*) OVER ()``, in SQLite and PostgreSQL), so it costs no extra query.
"""

from dataclasses import dataclass

from django.db.models import Count, Window

SHORTLIST_SIZE = 10
# What a short list of trials shows: a linked title and a status tag with the date it was
# checked. Fetching only these keeps each trial's long texts in the database (many times
# faster on SQLite).
TRIAL_LINK_FIELDS = ("pk", "title", "acronym", "slug", "state", "status", "registry_checked")


@dataclass
class Shortlist:
    items: list
    total: int = 0

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __bool__(self):
        return bool(self.items)

    @property
    def more(self):
        """How many are not in the short list."""
        return self.total - len(self.items)

    @property
    def total_display(self):
        return f"{self.total:,}"

    @property
    def more_display(self):
        return f"{self.more:,}"


def shortlist(queryset, size=SHORTLIST_SIZE):
    """The first ``size`` rows of ``queryset`` (in its order) and how many rows it has."""
    items = list(queryset.annotate(shortlist_total=Window(Count("pk")))[:size])
    return Shortlist(items, items[0].shortlist_total if items else 0)
