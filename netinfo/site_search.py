"""What the site-wide search (the ``sitesearch`` app, at /search/) can find in this app:
published tumour sites, glossary terms and site pages, as plain ``SearchItem``s. Each app
owns a module like this one, so the search never reaches into another app's models; the
matching and the word rules are sitesearch's."""

from dataclasses import dataclass, field

from netinfo.content import plain_text
from netinfo.models import GlossaryTerm, Page, TumourSite


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
            text="\n".join((site.summary, plain_text(site.overview_html))),
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
            plain_text(term.definition_html).split("\n")[0],
            names=[term.term, *term.other_forms.splitlines()],
            text="\n".join((plain_text(term.definition_html), plain_text(term.more_html))),
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
            text="\n".join((page.summary, plain_text(page.body_html))),
        )
        for page in Page.objects.published().only("title", "slug", "summary", "body_html")
    ]


def items():
    return [*tumour_sites(), *glossary_terms(), *pages()]
