"""What the site-wide search (the ``sitesearch`` app, at /search/) can find in this app:
published tumour sites, glossary terms and site pages, as plain ``SearchItem``s. Each app
owns a module like this one, so the search never reaches into another app's models; the
matching and the word rules are sitesearch's."""

import html
import re
from dataclasses import dataclass, field

from netinfo.models import GlossaryTerm, Page, TumourSite

_TAG = re.compile(r"<[^>]+>")


def words_of(rendered):
    """Our rendered (sanitised) HTML as text: tags out, entities decoded. For matching and
    a one-line summary; parsing every record's HTML properly took a second per rebuild."""
    return html.unescape(_TAG.sub(" ", rendered or ""))


@dataclass(frozen=True)
class SearchItem:
    kind: str  # the group it is listed under, e.g. "Glossary"
    title: str
    url: str
    summary: str = ""  # one plain sentence under the title
    names: list = field(default_factory=list)  # what it is called: a word here ranks it first
    text: str = ""  # everything else a word may be found in, as plain text
    definition_html: str = ""  # a glossary term's definition, for an exact search


def tumour_sites():
    return [
        SearchItem(
            "Tumour sites",
            f"{site.name} NETs",
            site.get_absolute_url(),
            site.summary,
            names=[site.name, *site.registry_keywords.splitlines()],
            text="\n".join((site.summary, words_of(site.overview_html))),
        )
        for site in TumourSite.objects.published().only(
            "name", "slug", "summary", "overview_html", "registry_keywords"
        )
    ]


def glossary_terms():
    return [
        SearchItem(
            "Glossary",
            term.term,
            term.get_absolute_url(),
            " ".join(words_of(term.definition_html).split()),
            names=[term.term, *term.other_forms.splitlines()],
            text="\n".join((words_of(term.definition_html), words_of(term.more_html))),
            definition_html=term.definition_html,
        )
        for term in GlossaryTerm.objects.published().only(
            "term", "slug", "other_forms", "definition_html", "more_html"
        )
    ]


def pages():
    return [
        SearchItem(
            "Pages",
            page.title,
            page.get_absolute_url(),
            page.summary,
            names=[page.title],
            text="\n".join((page.summary, words_of(page.body_html))),
        )
        for page in Page.objects.published().only("title", "slug", "summary", "body_html")
    ]


def items():
    return [*tumour_sites(), *glossary_terms(), *pages()]
