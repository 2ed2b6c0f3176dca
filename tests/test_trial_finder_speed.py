"""The trial finder's speed: a fixed number of queries however many trials and filters,
one cache entry for one search however it is written, and an edit shown at once."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from netinfo.caching import versioned
from tests.finder_world import feed_titles, found, make_world
from tests.shared import shared_by_module

_world, world = shared_by_module(make_world, "world")


# ---- Speed: a fixed number of queries, and a cache ----

# A search worked out afresh ("cold"): the version of the content, read once by the page
# cache (its key includes it) and kept for the finder index (which is rebuilt when it
# changes); then the page of results, its trials' sites and places. What matches, the
# counts and the choices on offer come from the index: no queries, whatever was asked for.
FINDER_QUERIES = 4
# The first search after an edit also builds the finder index, in this many queries.
INDEX_QUERIES = 12
# The same search again while nothing has changed: only the version of the content.
REPEATED_FINDER_QUERIES = 1
# The feed (never cached): the index's version, then its trials with their sites and places.
FEED_QUERIES = 4


def _many_trials(count, sites, treatments, start=0):
    """Published trials in bulk (no markdown rendering: the finder does not need it)."""
    from trials.finder.search_text import refresh
    from trials.models import Location, Trial

    trials = Trial.objects.bulk_create(
        Trial(
            title=f"Bulk trial {start + number}",
            slug=f"bulk-trial-{start + number}",
            state="published",
            status="open",
            phase="2",
            accepts_g2=True,
            summary="A trial. It tests things.",
            summary_html="<p>A trial. It tests things.</p>",
        )
        for number in range(count)
    )
    Trial.sites.through.objects.bulk_create(
        Trial.sites.through(trial_id=trial.pk, tumoursite_id=site.pk)
        for trial in trials
        for site in sites
    )
    Trial.treatments.through.objects.bulk_create(
        Trial.treatments.through(trial_id=trial.pk, treatment_id=treatment.pk)
        for trial in trials
        for treatment in treatments
    )
    Location.objects.bulk_create(
        Location(trial=trial, name="Hospital", town=town, region="london")
        for trial in trials
        for town in ("London", "Croydon")
    )
    refresh([trial.pk for trial in trials])  # bulk_create skips the signals that do this


@pytest.mark.django_db
def test_the_number_of_queries_does_not_depend_on_the_number_of_trials_or_filters(
    client, world, django_assert_num_queries
):
    sites = list(world["prrt"].sites.all()) + list(world["everolimus"].sites.all())
    treatments = list(world["prrt"].treatments.all())
    searches = [
        "/trials/",
        "/trials/?site=pancreas&grade=g2&phase=2&q=tests&treatment=prrt&region=London"
        "&functioning=either&receptor_scan=either&status=all&sort=title",
        "/trials/?q=NCT02683941",
        "/trials/?status=open&page=2",
    ]
    for count, start in ((5, 0), (195, 5)):
        _many_trials(count, sites, treatments, start=start)
        # More trials is a new version of the content: the first search builds the index
        # again, and each search is worked out again.
        versioned.warm()  # what pages read once per content version, per process
        with django_assert_num_queries(FINDER_QUERIES + INDEX_QUERIES):
            assert found(client.get("/trials/?sort=opening")) > 0
        for url in searches:
            with django_assert_num_queries(FINDER_QUERIES):
                assert found(client.get(url)) > 0
            with django_assert_num_queries(REPEATED_FINDER_QUERIES):
                assert found(client.get(url)) > 0
            with django_assert_num_queries(FEED_QUERIES):
                assert feed_titles(client.get(url.replace("/trials/", "/trials/feed/")))
    # With no results there is no page of trials, nor its sites and places, to fetch; how
    # many trials there would be without each choice comes from the index.
    with django_assert_num_queries(FINDER_QUERIES - 3):
        assert found(client.get("/trials/?site=lung&phase=3")) == 0
    with django_assert_num_queries(REPEATED_FINDER_QUERIES):
        assert found(client.get("/trials/?site=lung&phase=3")) == 0


@pytest.mark.django_db
def test_the_same_search_written_differently_is_one_cache_entry(
    client, world, django_assert_num_queries
):
    first = client.get("/trials/?site=pancreas&phase=2")
    with django_assert_num_queries(REPEATED_FINDER_QUERIES):
        # Other parameters in another order, and one the finder does not read.
        again = client.get("/trials/?phase=2&utm_source=leaflet&site=pancreas")
    assert again.content == first.content
    with django_assert_num_queries(FINDER_QUERIES):
        client.get("/trials/?site=pancreas&status=all")  # another search


def _edit(world, change):
    """Make one edit an editor could make, through save() or delete() as the admin does."""
    from netinfo.models import GlossaryTerm, TumourSite
    from treatments.models import Drug, Treatment

    if change == "trial title":
        trial = world["lanreotide"]
        trial.title = "Higher-dose lanreotide for carcinoid syndrome"
        trial.save()
    elif change == "trial unpublished":
        trial = world["lanreotide"]
        trial.state = "draft"
        trial.save()
    elif change == "trial deleted":
        world["lanreotide"].delete()
    elif change == "draft published":
        trial = world["draft"]
        trial.state = "published"
        trial.save()
    elif change == "site renamed":
        site = TumourSite.objects.get(slug="small-bowel")
        site.name = "Small intestine"
        site.save()
    elif change == "treatment renamed":
        treatment = Treatment.objects.get(name="Everolimus")
        treatment.name = "Everolimus (Afinitor)"
        treatment.save()
    elif change == "drug renamed":
        drug = Drug.objects.get(slug="lutetium")
        drug.brand_names = "Lutathera"
        drug.save()
    elif change == "glossary form added":
        term = GlossaryTerm.objects.get(term="Syndrome")
        term.other_forms = "carcinoid syndrome\nsymptoms"
        term.save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "url", "before", "after"),
    [
        ("trial title", "/trials/?q=lanreotide", "Lanreotide for carcinoid", "Higher-dose"),
        ("trial unpublished", "/trials/", "Lanreotide for carcinoid", "3 trials found"),
        ("trial deleted", "/trials/", "Lanreotide for carcinoid", "3 trials found"),
        ("draft published", "/trials/?site=pancreas", "2 trials found", "Secret draft"),
        ("site renamed", "/trials/", "Small bowel", "Small intestine"),
        ("treatment renamed", "/trials/", "Everolimus <", "Everolimus (Afinitor)"),
        ("drug renamed", "/trials/?q=lutathera", "PANPRRT", "Lutetium for pancreatic"),
        ("glossary form added", "/trials/?q=symptoms", "No trials found", "1 trial found"),
    ],
)
def test_an_edit_changes_the_next_search_at_once(
    client, world, make_term, django_assert_num_queries, change, url, before, after
):
    make_term("Syndrome", definition="A group of symptoms that happen together.")
    assertContains(client.get(url), before)
    assertNotContains(client.get(url), after)  # the same, from the cache

    _edit(world, change)

    # At most: the first search after an edit builds the finder index again.
    with django_assert_num_queries(FINDER_QUERIES + INDEX_QUERIES, exact=False):
        response = client.get(url)
    assertContains(response, after)


@pytest.mark.django_db
def test_a_change_made_without_signals_shows_once_the_index_and_cache_expire(
    client, world, monkeypatch
):
    """QuerySet.update() saves nothing the content version sees: the finder index is kept
    for at most MAX_AGE seconds (and cached pages as long), then worked out again."""
    import time

    from django.core.cache import cache

    from trials.finder import index as finder_index
    from trials.models import Trial

    url = "/trials/?site=lung&status=all"
    assert found(client.get(url)) == 1
    Trial.objects.filter(pk=world["closed"].pk).update(status="open")
    Trial.sites.through.objects.create(
        trial=world["closed"], tumoursite=world["everolimus"].sites.get()
    )
    cache.clear()  # as the page cache's entries expire
    assert found(client.get(url)) == 1  # the index is not stale for long...

    later = time.monotonic() + finder_index.MAX_AGE + 1
    monkeypatch.setattr(finder_index.time, "monotonic", lambda: later)
    cache.clear()
    assert found(client.get(url)) == 2  # ...and then it is built again
