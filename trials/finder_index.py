"""Which published trials each of the finder's options picks, held in memory as bitmaps.

The finder shows about a hundred options, each with the number of trials it would give with
the other filters kept ("Pancreas (4)"). Counting those in SQL took four grouped queries
over every matching trial: 30 to 50 ms at 10,000 trials, on every new search. Here each
option is a compressed bitmap of trial ids (pyroaring); a search is the AND of the bitmaps
of what was chosen, and each count is the size of one more AND, a few microseconds.

The index is read from the database in 9 queries, once per content version in each
process (``netinfo.page_cache.content_version``: any edit, on any app server, makes the
next search rebuild it) and at least every ``MAX_AGE`` seconds, like the page cache, so an
edit that saves no versioned record still shows. It is immutable once built, so threads can
share it.

Words are in it too (``WordIndex``): which published trials have each word of their search
text (``trials.search_text``), so that a search for words is answered without reading every
trial's text, as a LIKE on the table did (12 ms for one word at 10,000 trials on SQLite).
So are the choices the finder offers (published tumour sites and treatments) and the
glossary's synonyms: a search then asks the database only for the content version and for
its page of results.
"""

import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice

from django.db.models import F
from pyroaring import BitMap, FrozenBitMap

from netinfo.models import TumourSite
from netinfo.page_cache import CACHE_SECONDS, content_version
from treatments.models import Drug, Grade, Treatment
from trials import search
from trials.models import Identifier, Location, Trial, TrialSearchText

MAX_AGE = CACHE_SECONDS

# The grade a trial accepts, by the grade's address slug: one flag column each.
GRADE_FLAGS = {
    Grade.G1.slug: "accepts_g1",
    Grade.G2.slug: "accepts_g2",
    Grade.G3.slug: "accepts_g3",
    Grade.NEC.slug: "accepts_nec",
}
# Filters on one column of the trial: each option is a value of it.
COLUMNS = ("status", "phase", "functioning", "receptor_scan")

# The orders the results can be shown in, as the database sorts them (its collation decides
# where "a" and "B" go, as it did when the finder sorted in SQL).
ORDERS = {
    "updated": ("-updated_at", "-pk"),
    "opening": (F("recruitment_start").desc(nulls_last=True), "title", "pk"),
    "title": ("title", "pk"),
}

EMPTY = FrozenBitMap()


class WordIndex:
    """Which trials have which words, from their search texts (plain words, each line with a
    space either end: ``trials.search_text.document``). ``having`` gives the same answer
    as looking for the words in each text, without reading each text."""

    def __init__(self, texts):
        self.texts = texts  # {trial id: search text}
        postings = defaultdict(list)
        for trial_id, text in texts.items():
            for word in set(text.split()):
                postings[word].append(trial_id)
        self.postings = {word: FrozenBitMap(ids) for word, ids in postings.items()}
        # Every word once, a space either side: finds the words that contain a given part.
        self.vocabulary = f" {' '.join(self.postings)} "

    def _containing(self, part):
        """The trials with a word that contains ``part`` (one word, no spaces)."""
        vocabulary, found, start = self.vocabulary, [], 0
        while (at := vocabulary.find(part, start)) != -1:
            first = vocabulary.rfind(" ", 0, at) + 1
            start = vocabulary.find(" ", at)
            found.append(self.postings[vocabulary[first:start]])
        return BitMap.union(EMPTY, *found)

    def having(self, words, whole=False):
        """The trials whose text contains ``words`` (plain words, as ``plain_words`` gives):
        anywhere, even inside a longer word; or, with ``whole``, as whole words, also with an
        s on the end ("net" finds "nets" but not "genetic")."""
        parts = words.split()
        if not parts:
            return BitMap()
        if whole and len(parts) == 1:
            return BitMap.union(
                EMPTY, *(self.postings.get(form, EMPTY) for form in (words, f"{words}s"))
            )
        candidates = self._containing(parts[0])
        for part in parts[1:]:
            candidates &= self._containing(part)
        if len(parts) == 1:
            return candidates
        forms = (f" {words} ", f" {words}s ") if whole else (words,)
        texts = self.texts
        return BitMap(pk for pk in candidates if any(form in texts[pk] for form in forms))


@dataclass(frozen=True)
class FinderIndex:
    version: tuple
    built_at: float
    published: FrozenBitMap
    # {filter name: {option: the published trials it picks}}. Options are the values of a
    # column, grade slugs, site and treatment ids (a treatment picks the trials testing it or
    # one of its drugs), and region names.
    options: dict
    # {sort key: the ids of every published trial in that order}
    orders: dict
    words: WordIndex
    identifiers: dict  # {registry number as stored: its published trials}
    # What the finder offers and how it reads words.
    sites: list  # published tumour sites, in their order
    treatments: list  # published treatments, A to Z
    synonyms: search.Synonyms

    def picks(self, name, values):
        """The published trials that any of ``values`` of filter ``name`` picks."""
        options = self.options[name]
        return BitMap.union(EMPTY, *(options.get(value, EMPTY) for value in values))

    @property
    def regions(self):
        """Every region where a published trial has a place, A to Z."""
        return list(self.options["region"])

    def ordered(self, matches, sort):
        """The ids in ``matches``, in the order ``sort``, as an iterator: taking a page near
        the start reads only that far."""
        return (pk for pk in self.orders[sort] if pk in matches)

    def page(self, matches, sort, start, stop):
        return list(islice(self.ordered(matches, sort), start, stop))


def _bitmaps(pairs, published):
    """{key: FrozenBitMap of the published trials} from (key, trial id) pairs."""
    grouped = defaultdict(list)
    for key, trial_id in pairs:
        grouped[key].append(trial_id)
    bitmaps = {key: FrozenBitMap(ids) & published for key, ids in grouped.items()}
    return {key: bitmap for key, bitmap in bitmaps.items() if bitmap}


def _a_to_z(name):
    return name.casefold(), name


def build(version=None):
    """The index of the content as it is now, from the database."""
    rows = list(
        Trial.objects.published().order_by().values_list("pk", *COLUMNS, *GRADE_FLAGS.values())
    )
    published = FrozenBitMap(row[0] for row in rows)
    options = {}
    for i, name in enumerate(COLUMNS, start=1):
        options[name] = _bitmaps(((row[i], row[0]) for row in rows), published)
    flags = [(slug, len(COLUMNS) + 1 + i) for i, slug in enumerate(GRADE_FLAGS)]
    options["grade"] = _bitmaps(
        ((slug, row[0]) for row in rows for slug, i in flags if row[i]), published
    )

    sites = Trial.sites.through.objects.values_list("tumoursite_id", "trial_id")
    options["site"] = _bitmaps(sites, published)

    treatments_of_drug = defaultdict(list)
    for drug_id, treatment_id in Drug.treatments.through.objects.values_list(
        "drug_id", "treatment_id"
    ):
        treatments_of_drug[drug_id].append(treatment_id)
    by_drug = (
        (treatment_id, trial_id)
        for drug_id, trial_id in Trial.drugs.through.objects.values_list("drug_id", "trial_id")
        for treatment_id in treatments_of_drug[drug_id]
    )
    direct = Trial.treatments.through.objects.values_list("treatment_id", "trial_id")
    options["treatment"] = _bitmaps([*direct, *by_drug], published)

    places = Location.objects.exclude(region="").order_by().values_list("region", "trial_id")
    regions = _bitmaps(places, published)
    options["region"] = {name: regions[name] for name in sorted(regions, key=_a_to_z)}

    orders = {
        sort: tuple(Trial.objects.published().order_by(*order).values_list("pk", flat=True))
        for sort, order in ORDERS.items()
    }
    texts = TrialSearchText.objects.values_list("trial_id", "text")
    identifiers = _bitmaps(Identifier.objects.values_list("value", "trial_id"), published)
    return FinderIndex(
        version,
        time.monotonic(),
        published,
        options,
        orders,
        words=WordIndex({pk: text for pk, text in texts if pk in published}),
        identifiers=identifiers,
        sites=list(TumourSite.objects.published().only("pk", "slug", "name", "order")),
        treatments=list(Treatment.objects.published().only("pk", "slug", "name").order_by("name")),
        synonyms=search.load_synonyms(),
    )


_current = None
_building = threading.Lock()


def current():
    """The index for the content as it is now: the one this process has, if the content has
    not changed since and it is not too old; otherwise a new one."""
    global _current
    version = tuple(content_version())
    if not _fresh(_current, version):
        with _building:  # one thread builds; the others wait for it rather than build too
            if not _fresh(_current, version):
                _current = build(version)
    return _current


def _fresh(index, version):
    return (
        index is not None
        and index.version == version
        and time.monotonic() - index.built_at <= MAX_AGE
    )


def forget():
    """Drop this process's index (for tests, whose rolled-back content can share a version)."""
    global _current
    _current = None
