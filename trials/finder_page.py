"""What the trial finder's page shows for a search (a QueryDict), worked out from the
database and the finder index: 8 queries (9 with words), and a hundred filter options and
a page of results to render.

The whole page is then cached per search and content version (``netinfo.caching.page_cache``);
``PARAMETERS`` are the query parameters that make one search differ from another.
"""

from django.urls import reverse

from netinfo import list_pages
from netinfo.page_glossary import PageGlossary
from trials import search
from trials.filters import TrialFilter

PARAMETERS = (*TrialFilter.base_filters, "page")


def context(query):
    """The context of templates/trials/trial_list.html for a search."""
    finder = TrialFilter(query)
    result = search.paginate(finder.results(), query.get("page"))
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
        "count_words": search.count_in_words(page.paginator.count),
        "cards": search.cards(page, nearest=finder.nearest if finder.town else None),
        "page_note": result.note,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
    }
