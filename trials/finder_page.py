"""The trial finder's page, built once per search and per version of the content, then cached.

Working out a search takes 11 queries and renders a hundred filter options and a page
of results; the same search is asked again and again (the default list, a tumour site's
link, a shared link). So the rendered results and filters are cached, keyed on:

- the search, normalised: only the parameters the finder reads, each in a fixed order
  (a value's order within a parameter is kept, as the page shows the choices in that order);
- the version of the content, read from the database in one cheap query on every request:
  the latest edit and the number of rows of everything the finder shows or searches
  (trials, tumour sites, treatments, drugs, glossary terms). Any edit, addition or deletion
  changes it, so every app server sees a change at once, even with a cache of its own
  (local memory), and no signal is needed.

Only the page's main content is cached, never the whole response: the footer's feedback
form carries a CSRF token of the visitor's own.
"""

import hashlib
import json
from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from netinfo.models import GlossaryTerm, TumourSite
from treatments.models import Drug, Treatment
from trials import search
from trials.filters import TrialFilter
from trials.models import Trial

CACHE_SECONDS = 5 * 60
# Part of every key: change it when FinderPage or the fragment's template changes in a way an
# entry cached by the code before a deploy (in a shared cache) must not be shown with.
KEY_PREFIX = "trials:finder:1"
PARAMETERS = (*TrialFilter.base_filters, "page")
# Everything whose edit can change a search's results, counts or options.
VERSIONED_MODELS = (Trial, TumourSite, Treatment, Drug, GlossaryTerm)


@dataclass
class FinderPage:
    html: str  # the rendered results and filters (templates/trials/includes/finder.html)
    filtered: bool  # any choice in use, for the page title
    feed_url: str  # the Atom feed of this search

    @property
    def content(self):
        # Rendered by our own template with autoescaping on; a cache returns a plain str.
        return mark_safe(self.html)  # noqa: S308


def content_version():
    """What the finder shows, as of now: the latest edit and the row count of each model it
    reads, in one query (each part answered from an index)."""
    parts = []
    for model in VERSIONED_MODELS:
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT MAX(updated_at) FROM {table})")
        parts.append(f"(SELECT COUNT(*) FROM {table})")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")  # noqa: S608 - table names only
        return [str(value) for value in cursor.fetchone()]


def cache_key(query, version):
    """The cache key for a search (a QueryDict) at a content version."""
    pairs = [(name, query.getlist(name)) for name in PARAMETERS if name in query]
    digest = hashlib.sha256(json.dumps([version, pairs]).encode()).hexdigest()
    return f"{KEY_PREFIX}:{digest}"


def build(query):
    """The finder's page for a search (a QueryDict), from the database."""
    finder = TrialFilter(query)
    result = search.paginate(finder.results(), query.get("page"), count=finder.count)
    page = result.page
    context = {
        "finder": finder,
        "page_obj": page,
        "count_words": search.count_in_words(page.paginator.count),
        "cards": search.cards(page),
        "page_note": result.note,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
    }
    feed_url = reverse("trials:feed")
    if finder.querystring:
        feed_url += f"?{finder.querystring}"
    return FinderPage(
        html=str(render_to_string("trials/includes/finder.html", context)),
        filtered=bool(finder.active_filters()),
        feed_url=feed_url,
    )


def finder_page(query):
    """The finder's page for a search: from the cache while the content is unchanged."""
    key = cache_key(query, content_version())
    cached = cache.get(key)
    if cached is not None:
        return FinderPage(**cached)
    page = build(query)
    cache.set(key, asdict(page), CACHE_SECONDS)  # plain values: no class to unpickle
    return page
