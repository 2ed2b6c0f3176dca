"""What the trial finder searches, held in memory: which published trials each option
picks, as bitmaps, and their search texts.

The finder shows about a hundred options, each with the number of trials it would give with
the other filters kept ("Pancreas (4)"). Counting those in SQL took four grouped queries
over every matching trial: 30 to 50 ms at 10,000 trials, on every new search. Here each
option is a compressed bitmap of trial ids (pyroaring); a search is the AND of the bitmaps
of what was chosen, and each count is the size of one more AND, a few microseconds.

The trials' search texts are here too (``WordIndex``), read as they are stored
(``trials.finder.search_text``, never worked out again here), so words are looked for in
memory (``matching``; a LIKE over the table took 12 ms a word at 10,000 trials on SQLite);
and so are the choices on offer (published tumour sites and treatments, the places
trials take place) and the glossary's synonyms. A search then asks the database only for
the content version and for its page of results.

The recruiting places with a position are here too (``trials.finder.near.NearIndex``), so
"near Leeds" is measured in memory, and each town's distances are remembered.

The index is read from the database in 12 queries, once per content version and day in each
process (``netinfo.content_version``: any edit, on any app server, makes the
next search rebuild it; and a trial's status option depends on the day, see below) and at
least every ``MAX_AGE`` seconds, like the page cache.

A trial's status option is the status a patient sees on the day the index is built
(``trials.status.shown_key``): an open or opening-soon trial that no registry check in the
last ``TRIAL_STATUS_MAX_AGE_DAYS`` days confirms is under ``unconfirmed``, not ``open``. Once
built it does not change (but for the words it remembers having looked for), so threads can
share it.
"""

import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby, islice
from operator import itemgetter

from django.db import connection
from django.utils import timezone
from pyroaring import BitMap, FrozenBitMap

from netinfo.caching.page_cache import CACHE_SECONDS
from netinfo.content_version import content_version
from netinfo.models import TumourSite
from treatments.models import Drug, Treatment
from trials import status
from trials.choices import ACTIVE_STATUSES
from trials.finder import search_text
from trials.finder.near import NearIndex, recruiting_rows
from trials.finder.sql import GRADE_FLAGS, MIN_ACRONYM_LENGTH, title_key
from trials.finder.words import MIN_SUBSTRING_LENGTH, Synonyms, load_synonyms, plain_words
from trials.models import Identifier, Location, Trial
from trials.places import Region

MAX_AGE = CACHE_SECONDS
# Filters on one column of the trial: each option is a value of it (for status, the status a
# patient sees that day: see build).
COLUMNS = ("status", "phase", "functioning", "receptor_scan")

EMPTY = FrozenBitMap()
_first, _second = itemgetter(0), itemgetter(1)


def _orders(trials):
    """{sort key: the trial ids in that order} from (id, updated_at, recruitment_start,
    title) rows, as ``trials.finder.sql.order`` gives them: titles A to Z with letters A to
    Z in lower case, compared by code point (what SQLite and PostgreSQL's "C" collation can
    do alike). Python's sort is stable: each pass keeps the order of the one before among
    equals."""
    by_title = sorted(trials, key=lambda trial: (title_key(trial[3]), trial[0]))
    return {
        # Most recently updated first.
        "updated": sorted(trials, key=itemgetter(1, 0), reverse=True),
        # Opening newest first, then trials with no opening date; A to Z among equals.
        "opening": sorted(
            by_title, key=lambda trial: (trial[2] is not None, trial[2] or ""), reverse=True
        ),
        "title": by_title,
    }


class WordIndex:
    """Which trials have which words, from their search texts (plain words, each line with a
    space either end: ``trials.finder.search_text.document``).

    Each form is looked for in every text once per index, then remembered: a scan of the
    texts in memory takes about 3 ms at 10,000 trials, where a LIKE over the table took 12.
    Tokenising every text up front instead (a word -> trials table) made each index take
    half a second longer to build at that size, which the first search after every edit
    would wait for.
    """

    MAX_REMEMBERED = 5000  # forms; then it starts again, so odd searches cannot fill memory

    def __init__(self, texts):
        self.texts = list(texts.items())  # (trial id, search text)
        self._found = {}

    def containing(self, form):
        """The trials whose search text contains ``form`` anywhere."""
        found = self._found.get(form)
        if found is None:
            if len(self._found) >= self.MAX_REMEMBERED:
                self._found.clear()
            found = FrozenBitMap(pk for pk, text in self.texts if form in text)
            self._found[form] = found
        return found

    def having(self, words, whole=False):
        """The trials whose text contains ``words`` (plain words, as ``plain_words`` gives):
        anywhere, even inside a longer word; or, with ``whole``, as whole words, also with an
        s on the end ("net" finds "nets" but not "genetic")."""
        if whole:
            return self.containing(f" {words} ") | self.containing(f" {words}s ")
        return self.containing(words)


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
    acronyms: dict  # {a trial's short name as plain words ("calm net"): its published trials}
    near: NearIndex  # recruiting places with positions, for "near a town"
    # What the finder offers and how it reads words.
    sites: list  # published tumour sites, in their order
    treatments: list  # published treatments, A to Z
    synonyms: Synonyms

    def picks(self, name, values):
        """The published trials that any of ``values`` of filter ``name`` picks."""
        options = self.options[name]
        return BitMap.union(EMPTY, *(options.get(value, EMPTY) for value in values))

    def matching(self, parsed):
        """The published trials that have every slot of the parsed words
        (``trials.finder.words.parse_query``), any of its spellings: no query.

        A registry number is looked up exactly. A spelling of 4 letters or more is found
        anywhere in a trial's search text, even inside a longer word ("tumour" in "tumours");
        a shorter one only as a whole word, or with an s on the end ("NET" and "NETs", but
        not "genetic"). Words that name a kind of NET found in particular places
        ("insulinoma", "PNET") also find the trials for those tumour sites.
        """
        found = BitMap(self.published)
        published_sites = {site.pk for site in self.sites}
        for slot in parsed.slots:
            if slot.identifiers:
                trials = [self.identifiers.get(value, EMPTY) for value in slot.identifiers]
            else:
                spellings = dict.fromkeys(filter(None, map(plain_words, slot.alternatives)))
                trials = [
                    self.words.having(words, whole=len(words) < MIN_SUBSTRING_LENGTH)
                    for words in spellings
                ]
                sites = [pk for pk in slot.sites if pk in published_sites]
                if sites:
                    trials.append(self.picks("site", sites))
            found &= BitMap.union(EMPTY, *trials)
        return found

    @property
    def regions(self):
        """Every UK nation or region where a published trial has a place, in the list's
        order."""
        return list(self.options["region"])

    def ordered(self, matches, sort):
        """The ids in ``matches``, in the order ``sort``, as an iterator: taking a page near
        the start reads only that far."""
        return (pk for pk in self.orders[sort] if pk in matches)

    def page(self, matches, sort, start, stop):
        return list(islice(self.ordered(matches, sort), start, stop))

    def nearest_first(self, matches, latitude, longitude, sort, start, stop):
        """A page of ``matches``, nearest recruiting place first (ties, and trials with no
        place we can measure, last, in the order ``sort``)."""
        distances = self.near.distances(latitude, longitude)
        far = float("inf")
        ranked = sorted(
            enumerate(self.ordered(matches, sort)),
            key=lambda item: (distances.get(item[1], (far,))[0], item[0]),
        )
        return [pk for _, pk in ranked[start:stop]]


def _rows(queryset):
    """The rows of a ``values_list`` queryset as the database driver gives them: plain ints
    and strings (booleans may be 0 and 1), without the ORM's converters, which took most of
    the time of reading 100,000 rows."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _bitmaps(pairs, published):
    """{key: FrozenBitMap of the published trials} from (key, trial id) pairs. Sorted and
    grouped, so that the 100,000 pairs of 10,000 trials are handled in C, not one by one."""
    bitmaps = {}
    for key, group in groupby(sorted(pairs, key=_first), key=_first):
        bitmap = FrozenBitMap(map(_second, group)) & published
        if bitmap:
            bitmaps[key] = bitmap
    return bitmaps


def build(version=None, today=None):
    """The index of the content as it is now, from the database, with each trial's status
    as a patient sees it on ``today`` (default: today)."""
    today = today or timezone.localdate()
    trials = Trial.objects.published().order_by()
    rows = _rows(
        trials.values_list(
            "pk",
            *COLUMNS,
            *GRADE_FLAGS.values(),
            "registry_checked",
            "acronym",
            "updated_at",
            "recruitment_start",
            "title",
        )
    )
    published = FrozenBitMap(row[0] for row in rows)
    checked, acronym = len(COLUMNS) + len(GRADE_FLAGS) + 1, len(COLUMNS) + len(GRADE_FLAGS) + 2
    options = {}
    for i, name in enumerate(COLUMNS, start=1):
        options[name] = _bitmaps(((row[i], row[0]) for row in rows), published)
    # The status a patient sees: open or opening soon only if a recent check confirms it
    # (status.shown_key, made quick: only active statuses are looked at, and SQLite's ISO
    # dates are compared as text).
    since = status.confirmed_since(today)
    since_text = since.isoformat()

    def shown(row):
        value, day = row[1], row[checked]
        if value not in ACTIVE_STATUSES:
            return value
        if day is None or day < (since_text if isinstance(day, str) else since):
            return status.UNCONFIRMED
        return value

    options["status"] = _bitmaps(((shown(row), row[0]) for row in rows), published)
    acronyms = _bitmaps(
        (
            (words, row[0])
            for row in rows
            if len(words := plain_words(row[acronym] or "")) >= MIN_ACRONYM_LENGTH
        ),
        published,
    )
    flags = [(slug, len(COLUMNS) + 1 + i) for i, slug in enumerate(GRADE_FLAGS)]
    options["grade"] = _bitmaps(
        ((slug, row[0]) for row in rows for slug, i in flags if row[i]), published
    )

    sites = _rows(Trial.sites.through.objects.values_list("tumoursite_id", "trial_id"))
    options["site"] = _bitmaps(sites, published)

    treatments_of_drug = defaultdict(list)
    for drug_id, treatment_id in _rows(
        Drug.treatments.through.objects.values_list("drug_id", "treatment_id")
    ):
        treatments_of_drug[drug_id].append(treatment_id)
    by_drug = (
        (treatment_id, trial_id)
        for drug_id, trial_id in _rows(
            Trial.drugs.through.objects.values_list("drug_id", "trial_id")
        )
        for treatment_id in treatments_of_drug[drug_id]
    )
    direct = _rows(Trial.treatments.through.objects.values_list("treatment_id", "trial_id"))
    options["treatment"] = _bitmaps([*direct, *by_drug], published)

    places = Location.objects.exclude(region="").order_by().values_list("region", "trial_id")
    regions = _bitmaps(_rows(places.distinct()), published)
    options["region"] = {name: regions[name] for name in Region.values if name in regions}

    orders = {
        sort: tuple(map(_first, ordered))
        for sort, ordered in _orders([(row[0], *row[-3:]) for row in rows]).items()
    }
    texts = _rows(search_text.stored())
    identifiers = _rows(Identifier.objects.values_list("value", "trial_id"))
    return FinderIndex(
        version,
        time.monotonic(),
        published,
        options,
        orders,
        words=WordIndex({pk: text for pk, text in texts if pk in published}),
        identifiers=_bitmaps(identifiers, published),
        acronyms=acronyms,
        near=NearIndex([row for row in _rows(recruiting_rows()) if row[0] in published]),
        **dict(zip(("sites", "treatments"), sites_and_treatments(), strict=True)),
        synonyms=load_synonyms(),
    )


def sites_and_treatments():
    """The published tumour sites (in their order) and treatments (A to Z) on offer."""
    return (
        list(TumourSite.objects.published().only("pk", "slug", "name", "order")),
        list(Treatment.objects.published().only("pk", "slug", "name").order_by("name")),
    )


_current = None
_building = threading.Lock()


def current():
    """The index for the content as it is now: the one this process has, if the content has
    not changed since and it is not too old; otherwise a new one."""
    global _current
    # The day is part of the version: a trial's status option can change at midnight.
    version = (*content_version(), str(timezone.localdate()))
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
