"""The list pages' own records: the trial finder, treatments, tumour sites and the glossary
each show when they were last reviewed, by whom, and where their words come from.

Each list page has a site ``Page`` record whose slug is the list's own address ("trials" is
/trials/), so staff edit its review dates and sources like any other page, the editorial
dashboard reminds them when a review is due, and the sitemap lists the address. The list
views pass it to their template as ``page`` (the review block at the foot of every page).

The records are read once per version of the site pages per process (``netinfo.caching.versioned``):
a list page asks no query for them.
"""

from netinfo.caching import versioned
from netinfo.models import Page

# The slug of each list page's record: its address.
FINDER = "trials"
TREATMENTS = "treatments"
TUMOUR_SITES = "tumour-sites"
GLOSSARY = "glossary"
SLUGS = (FINDER, TREATMENTS, TUMOUR_SITES, GLOSSARY)


def build():
    """The published list-page records, by slug (kept per version of ``Page``: netinfo.apps)."""
    return {page.slug: page for page in Page.objects.published().filter(slug__in=SLUGS)}


def record(slug):
    """The published record of the list page ``slug``, or None."""
    return versioned.get("list_pages").get(slug)
