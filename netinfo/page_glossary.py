"""Glossary pop-ups for the words templates write, not only for stored markdown.

Stored HTML explains each term at its first use within one record (``netinfo.content``).
A page also shows words that no record stores as HTML: the finder's filter hints, a trial's
fact box, table cells, summaries. ``PageGlossary`` (one per page, from the context
processor ``glossary``) keeps one set of the terms already explained on the page, in page
order, across both:

- ``text(value)``: plain template text, escaped, with the first use of each term not yet
  explained on the page marked as a pop-up (``{% explain value %}``);
- ``html(stored)``: a record's stored HTML, with the pop-ups of terms already explained
  higher up the page turned back into plain words (``{% explained html %}``). A regex over
  stored HTML, never markdown.

Pages stay fast: the glossary matcher is built once per glossary version per process
(``netinfo.caching.versioned``), from the version the page cache already read for this request: one
query on the first page after a glossary change, none after. The finder passes the one its
index already holds.
"""

import html
import re

from django.utils.safestring import SafeString, mark_safe

from netinfo.caching import versioned
from netinfo.content import mark_glossary, plain_text
from netinfo.glossary_matcher import GlossaryEntry, GlossaryMatcher
from netinfo.models import GlossaryTerm

# A pop-up as the pipeline writes it (``netinfo.content.glossary_link``): the words inside
# are escaped text, never markup.
_POP_UP = re.compile(
    r'<a class="app-glossary" href="[^"]*" data-glossary="([^"]*)"[^>]*>([^<]*)</a>'
)


def entry(slug, term, other_forms, definition_html):
    """A term as the matcher needs it, from its stored fields (the definition read from its
    stored HTML: no markdown)."""
    return GlossaryEntry(
        slug=slug,
        term=term,
        forms=tuple(line.strip() for line in other_forms.splitlines() if line.strip()),
        definition=plain_text(definition_html),
    )


ENTRY_FIELDS = ("slug", "term", "other_forms", "definition_html")


def build_matcher():
    """Every published term, read in one query (kept per version of the glossary and
    ``ContentStamp``, which a deletion touches: netinfo.apps)."""
    rows = GlossaryTerm.objects.published().values_list(*ENTRY_FIELDS)
    return GlossaryMatcher(entry(*row) for row in rows)


def page_matcher():
    """The matcher for the glossary as of this page's content version."""
    return versioned.get("glossary")


class PageGlossary:
    """The terms explained so far on one page, and how to explain more (see the module)."""

    def __init__(self, exclude=(), matcher=None):
        self.explained = set(exclude)
        self._matcher = matcher  # None: the glossary as of this page's version, when needed

    @property
    def matcher(self):
        if self._matcher is None:
            self._matcher = page_matcher()
        return self._matcher

    def exclude(self, slugs):
        """Never explain these on this page (a term on its own page)."""
        self.explained.update(slugs)

    def text(self, value) -> SafeString:
        escaped = html.escape(str(value), quote=False)
        if not escaped.strip():
            return mark_safe(escaped)  # noqa: S308 - escaped above
        return mark_safe(mark_glossary(escaped, self.matcher, self.explained))  # noqa: S308

    def html(self, stored) -> SafeString:
        def unwrap_repeat(match):
            slug = html.unescape(match.group(1))
            if slug in self.explained:
                return match.group(2)
            self.explained.add(slug)
            return match.group(0)

        return mark_safe(_POP_UP.sub(unwrap_repeat, stored or ""))  # noqa: S308 - stored, clean
