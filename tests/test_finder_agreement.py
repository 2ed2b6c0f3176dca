"""The finder's two answers agree: what the page shows, from the in-memory index, and
``TrialFilter(data, use_index=False).qs``, the same search in SQL that never reads the index.

A thousand synthetic trials (``benchmarks.synthetic.Generator``, then varied: drafts, titles in
odd cases and accents, no opening date, statuses nobody has confirmed, hormone and scan
rules, a draft tumour site, a glossary word that names a site, short names with accents,
shared update times) and a few hundred seeded random searches over every parameter: words,
registry numbers, short names, each filter with good and unknown values, near a town within
each distance, and each order. For each, the ids, their order and the count must be the
same. FINDER_AGREEMENT_SEARCHES=2000 tries more (about 30 s; 2,000 agreed on 5 December 2026).
"""

import datetime
import os
import random
import time

from benchmarks.synthetic import REGIONS, SITES, WORDS, Generator
from netinfo.models import Content, GlossaryTerm, TumourSite
from tests.shared import shared_by_module
from treatments.models import Treatment
from trials.choices import Phase, Requirement
from trials.finder import index as finder_index
from trials.finder.filters import TrialFilter
from trials.finder.options import ALL_STATUSES, SORTS, WITHIN
from trials.finder.search_text import refresh
from trials.models import Location, Trial

TRIALS = int(os.environ.get("FINDER_AGREEMENT_TRIALS", 1000))
SEARCHES = int(os.environ.get("FINDER_AGREEMENT_SEARCHES", 300))
TOWNS = ["Leeds", "London", "Glasgow", "Cardiff", "Birmingham", "Norwich", "Truro", "Leedz"]
TITLES = ["Évaluation of drug", "évaluation of drug", "ÉTUDE", "straße trial", "β-blocker"]
WORDS_TYPED = [
    *WORDS,
    *(f"treatment {i}" for i in (0, 3, 17)),
    *(f"drug {i}" for i in (1, 22)),
    "Brand7",
    "T3X",
    "net",
    "NETs",
    "NEC",
    "tumor",
    "carcinoid",
    "insulinoma",
    "islet cell tumours",
    "pancreas",
    "évaluation",
    "etude",
    "the trial",
    "__",
    "calm-net",
    "CALM NÉT",
    "number 12",
    "zzzz",
]


def make_synthetic():
    """The trials, varied, with their search texts and a fresh index."""
    rng = random.Random(21)
    generator = Generator(seed=21)
    generator.base(glossary_terms=20)
    generator.grow_to(TRIALS)
    trials = list(Trial.objects.order_by("pk"))
    stamps = [trial.updated_at for trial in trials[:50]]
    today = datetime.date.today()
    for trial in trials:
        roll = rng.random()
        if roll < 0.05:
            trial.state = Content.State.DRAFT
        if rng.random() < 0.03:
            trial.title = rng.choice(TITLES) + f" {trial.pk}"
        elif rng.random() < 0.1:
            trial.title = trial.title.upper() if rng.random() < 0.5 else trial.title.lower()
        if rng.random() < 0.1:
            trial.recruitment_start = None
        elif rng.random() < 0.1:
            trial.recruitment_start = trials[0].recruitment_start  # many on the same day
        checked = rng.choice([None, today, today - datetime.timedelta(days=rng.randint(0, 200))])
        trial.registry_checked = checked
        trial.functioning = rng.choice(Requirement.values)
        trial.receptor_scan = rng.choice(Requirement.values)
        if rng.random() < 0.2:
            trial.updated_at = rng.choice(stamps)  # ties in the default order
    trials[3].acronym, trials[4].acronym = "CALM-NÉT", "calm net"
    trials[5].acronym = "NE"  # too short to name a trial
    Trial.objects.bulk_update(
        trials,
        [
            "state",
            "title",
            "acronym",
            "recruitment_start",
            "registry_checked",
            "functioning",
            "receptor_scan",
            "updated_at",
        ],
    )
    TumourSite.objects.filter(slug="other").update(state=Content.State.DRAFT)
    pancreas = TumourSite.objects.get(slug="pancreas")
    term = GlossaryTerm.objects.create(
        term="Insulinoma",
        slug="insulinoma",
        definition="A NET of the pancreas that makes insulin.",
        other_forms="islet cell tumour",
        state=Content.State.PUBLISHED,
    )
    term.tumour_sites.set([pancreas])
    # Places without a position, and some not taking people.
    Location.objects.filter(pk__in=Location.objects.order_by("pk").values("pk")[:40]).update(
        latitude=None, longitude=None
    )
    refresh()
    finder_index.forget()
    return trials


_synthetic, synthetic = shared_by_module(make_synthetic, "synthetic", copied=False)


def random_search(rng, trials):
    """A query string's parameters, as a dict of lists."""
    data = {}

    def some(name, values, chance, most=3):
        if rng.random() < chance:
            data[name] = rng.sample(values, rng.randint(1, min(most, len(values))))

    if rng.random() < 0.6:
        kind = rng.random()
        if kind < 0.1:
            pk = rng.choice(trials).pk
            data["q"] = [rng.choice([f"NCT{90000000 + pk:08d}", f"nct {90000000 + pk}"])]
        elif kind < 0.18:
            data["q"] = [f"BENCH-{rng.randrange(TRIALS)}" + rng.choice(["", " lanreotide"])]
        else:
            data["q"] = [" ".join(rng.sample(WORDS_TYPED, rng.randint(1, 3)))]
            if rng.random() < 0.03:
                data["q"][0] += "\x00"  # a character the form refuses: searched without
    some("status", [*ALL_STATUSES, "all", "bogus"], 0.5)
    some("site", [slug for _, slug in SITES] + ["nowhere"], 0.3)
    some("grade", ["g1", "g2", "g3", "nec", "G9"], 0.2)
    some("treatment", [f"treatment-{i}" for i in range(40)], 0.2)
    some("phase", [*Phase.values, "5"], 0.2)
    some("region", [*REGIONS, "north-east", "atlantis"], 0.2)
    some("functioning", Requirement.values, 0.15, most=2)
    some("receptor_scan", Requirement.values, 0.15, most=2)
    if rng.random() < 0.35:
        data["near"] = [rng.choice(TOWNS)]
        data["within"] = [rng.choice([*WITHIN, "any", "7"])]
    if rng.random() < 0.6:
        data["sort"] = [rng.choice([*SORTS, "worst"])]
    return data


def as_query(data):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name, values in data.items():
        query.setlist(name, values)
    return query


def test_the_index_and_the_sql_give_the_same_trials_in_the_same_order(synthetic):
    rng = random.Random(2026)
    published = Trial.objects.published().count()
    assert published > TRIALS * 0.9
    started = time.monotonic()
    found_some = nearest = named = 0
    for number in range(SEARCHES):
        data = random_search(rng, synthetic)
        query = as_query(data)
        finder = TrialFilter(query)
        from_index = finder.results().ids()
        reference = TrialFilter(query, use_index=False)
        from_sql = list(reference.qs.values_list("pk", flat=True))
        assert from_index == from_sql, (number, data)
        assert finder.count == len(from_sql), (number, data)
        if number % 10 == 0:  # with the index's choices and synonyms, .qs is the same
            assert list(finder.qs.values_list("pk", flat=True)) == from_sql, (number, data)
            assert reference.qs.count() == len(from_sql), (number, data)
        found_some += bool(from_sql)
        nearest += finder.selected["sort"] == "nearest"
        named += finder.widened_for_name
    print(
        f"{SEARCHES} searches over {published} published trials: {time.monotonic() - started:.1f} s"
    )
    # The searches are not all empty, and they try the finder's special cases.
    assert found_some > SEARCHES / 2
    assert nearest > 10 and named > 5


def test_qs_is_a_queryset_of_published_trials_that_does_not_read_the_index(synthetic):
    Treatment.objects.filter(slug="treatment-3").update(state=Content.State.DRAFT)  # not offered
    finder_index.forget()
    reference = TrialFilter(
        as_query({"treatment": ["treatment-3"], "status": ["all"]}), use_index=False
    )
    assert reference.index is None
    assert finder_index._current is None
    assert (
        reference.qs.count() == Trial.objects.published().count()
    )  # an unknown choice is left out
    assert not reference.qs.exclude(state=Content.State.PUBLISHED).exists()
