"""What the glossary's own pages show: the A–Z, the filter box, and the pages that use a word.

Functions over querysets and records, no requests, so the views stay thin and these are
tested through them.
"""

import string
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q

from netinfo.content_version import content_models
from netinfo.models import GlossaryUse
from netinfo.shortlists import Shortlist, shortlist

MAX_QUERY_LENGTH = 100
NOT_A_LETTER = "0–9"  # the heading for terms that start with a digit or symbol ("5-HIAA")

# "Pages that use this word" lists kinds of record in their models' ``listing_order``, lowest
# first; a model without one comes last.
LAST = 100
# The field each kind of record is called by, for a list of links.
TITLE_FIELDS = ("title", "name", "term", "acronym")


@dataclass
class LetterGroup:
    letter: str
    anchor: str
    terms: list = field(default_factory=list)


def letter_of(term):
    first = unicodedata.normalize("NFKD", term.strip()[:1]).upper()[:1]
    return first if first in string.ascii_uppercase else NOT_A_LETTER


def a_to_z(terms):
    """Every letter A to Z, each with its terms (sorted, case ignored); empty letters kept so
    the navigation can show them unlinked. Terms that start with a digit come first."""
    groups = {NOT_A_LETTER: LetterGroup(NOT_A_LETTER, "letter-0-9")}
    for letter in string.ascii_uppercase:
        groups[letter] = LetterGroup(letter, f"letter-{letter.lower()}")
    for term in sorted(terms, key=lambda term: term.term.casefold()):
        groups[letter_of(term.term)].terms.append(term)
    if not groups[NOT_A_LETTER].terms:
        del groups[NOT_A_LETTER]
    return list(groups.values())


def clean_query(text):
    return " ".join((text or "").split())[:MAX_QUERY_LENGTH]


def filter_terms(queryset, query):
    """Terms whose name, other forms or definition contain every word of ``query``."""
    for word in clean_query(query).split():
        queryset = queryset.filter(
            Q(term__icontains=word) | Q(other_forms__icontains=word) | Q(definition__icontains=word)
        )
    return queryset


@dataclass
class PageGroup:
    kind: str  # "Trials"
    records: Shortlist  # the first few, in the kind's own order (title, name...), and the total
    more_url: str = ""  # where to find the rest, if there is such a place


def pages_using(term):
    """The published records whose page explains the glossary term ``term``: for each kind,
    the first few and how many there are in all (a word can be on every trial).

    Read from ``GlossaryUse``, which rendering writes, so it is exactly the pages where a
    reader meets the word. One query per kind of content, through an index: the total comes
    with the first rows (a window count), so a word on 10,000 trials costs no more queries.
    """
    groups = []
    models = sorted(content_models(), key=lambda model: getattr(model, "listing_order", LAST))
    for model in models:
        fields = {f.name for f in model._meta.get_fields()}
        uses = GlossaryUse.objects.filter(term_slug=term.slug, kind=model._meta.label_lower)
        records = shortlist(
            model.objects.published()
            .filter(pk__in=uses.values("record_id"))
            .only("pk", "slug", *(name for name in TITLE_FIELDS if name in fields))
        )
        if records:
            group = PageGroup(str(model._meta.verbose_name_plural).capitalize(), records)
            # A kind with a search of its own (``words_url``) links to all its records.
            if records.more and (words_url := getattr(model, "words_url", None)):
                group.more_url = words_url(term.term)
            groups.append(group)
    return groups
