"""The trial finder at /trials/: filters, words and registry numbers, counts, bad input,
speed (queries) and the Atom feed, tested through the URLs a patient would use."""

import copy
import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qsl, urlencode

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from netinfo.caching import versioned
from tests import factories
from tests.html import soup, text_of, titles

ATOM = "{http://www.w3.org/2005/Atom}"


# ---- Set-up: a small world of trials ----


@pytest.fixture(scope="module", autouse=True)
def _world(module_transaction):
    """Made once, before the module's first test, for all of them (``module_transaction``
    in conftest.py); tests that make their own trials are in test_trial_results.py."""
    with module_transaction.unblock():
        return make_world()


@pytest.fixture
def world(_world, db):
    return copy.deepcopy(_world)


def make_world():
    from treatments.models import Drug
    from trials.models import Location

    pancreas = factories.make_site("Pancreas", order=2)
    small_bowel = factories.make_site("Small bowel", slug="small-bowel", order=1)
    lung = factories.make_site("Lung", order=3)
    factories.make_site("Secret site", state="draft", order=9)
    prrt = factories.make_treatment("PRRT", type_name="PRRT", other_names="Lutathera")
    everolimus = factories.make_treatment("Everolimus")
    lutetium = Drug.objects.create(generic_name="lutetium-177 dotatate", slug="lutetium")
    lutetium.treatments.add(prrt)

    def place(trial, town, region):
        Location.objects.create(trial=trial, name=f"{town} hospital", town=town, region=region)

    trials = {
        "prrt": factories.make_trial(
            "Radioactive treatment for pancreatic NETs",
            acronym="PANPRRT",
            status="open",
            phase="2",
            sites=[pancreas],
            treatments=[prrt],
            accepts_g1=True,
            accepts_g2=True,
            receptor_scan="required",
            summary="This trial tests PRRT after surgery. It is for adults. It runs in 3 places.",
            identifiers=[("nct", "NCT02683941"), ("eudract", "2022-003575-42")],
        ),
        "lanreotide": factories.make_trial(
            "Lanreotide for carcinoid syndrome",
            status="open",
            phase="3",
            sites=[small_bowel],
            accepts_g1=True,
            functioning="required",
            summary="A randomised trial of a higher dose of lanreotide for diarrhoea.",
            identifiers=[("isrctn", "ISRCTN12345678")],
        ),
        "everolimus": factories.make_trial(
            "Everolimus tablets for lung NETs",
            status="opening_soon",
            phase="1",
            sites=[lung],
            treatments=[everolimus],
            accepts_g2=True,
            accepts_g3=True,
            functioning="excluded",
            summary="This study looks at everolimus for neuroendocrine tumours of the lung.",
            identifiers=[("iras", "1006904")],
        ),
        "closed": factories.make_trial(
            "Chemotherapy for fast-growing pancreatic NEC",
            status="closed",
            phase="3",
            sites=[pancreas],
            accepts_g3=True,
            accepts_nec=True,
            identifiers=[("nct", "NCT01234567")],
        ),
        "results": factories.make_trial(
            "Exercise after small bowel surgery",
            status="results",
            phase="na",
            sites=[small_bowel],
        ),
        "by_drug": factories.make_trial(
            "Lutetium for pancreatic NETs that have spread",
            status="open",
            phase="2",
            sites=[pancreas],
            accepts_g2=True,
            identifiers=[("euct", "2023-503456-12-00")],
        ),
        "draft": factories.make_trial(
            "Secret draft pancreatic trial",
            state="draft",
            status="open",
            phase="2",
            sites=[pancreas],
            treatments=[prrt],
            accepts_g2=True,
            identifiers=[("nct", "NCT09999999")],
        ),
    }
    trials["by_drug"].drugs.add(lutetium)
    place(trials["prrt"], "Birmingham", "west-midlands")
    place(trials["prrt"], "London", "london")
    place(trials["lanreotide"], "London", "london")
    place(trials["everolimus"], "Manchester", "north-west")
    place(trials["closed"], "Liverpool", "north-west")
    place(trials["draft"], "Oxford", "south-east")
    return trials


def shown_counts(response):
    """{(name, value): count} for every checkbox on the page."""
    page = soup(response)
    counts = {}
    for box in page.select("input.app-finder__checkbox"):
        label = text_of(page.find("label", attrs={"for": box["id"]}))
        counts[(box["name"], box["value"])] = int(re.search(r"\((\d+)\s+trials?\s*\)$", label)[1])
    return counts


def found(response):
    """The "N trials found" heading as a number."""
    heading = text_of(soup(response).select_one("#results-heading"))
    if heading == "No trials found":
        return 0
    return int(re.fullmatch(r"([\d,]+) trials? found", heading)[1].replace(",", ""))


def names(world, *keys):
    return sorted(world[key].title for key in keys)


# ---- Defaults ----


@pytest.mark.django_db
def test_defaults_show_trials_open_now_or_opening_soon(client, world):
    response = client.get("/trials/")
    assert sorted(titles(response)) == names(world, "prrt", "lanreotide", "everolimus", "by_drug")
    assert found(response) == 4
    assertContains(response, "4 trials found")
    assertContains(response, "open to new patients or opening soon")


@pytest.mark.django_db
def test_one_click_includes_closed_trials_and_trials_with_results(client, world):
    page = soup(client.get("/trials/?site=pancreas"))
    link = page.find("a", string=re.compile("Include closed trials and trials with results"))
    assert "(1 more)" in text_of(link)
    response = client.get(link["href"])
    assert sorted(titles(response)) == names(world, "prrt", "closed", "by_drug")


# ---- Each filter alone, and combined ----


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("site=pancreas", ["prrt", "by_drug"]),
        ("site=pancreas&status=all", ["prrt", "closed", "by_drug"]),
        ("status=closed", ["closed"]),
        ("status=results", ["results"]),
        ("status=opening_soon", ["everolimus"]),
        ("phase=3", ["lanreotide"]),
        ("phase=3&status=all", ["lanreotide", "closed"]),
        ("grade=g2", ["prrt", "everolimus", "by_drug"]),
        ("grade=nec&status=all", ["closed"]),
        ("functioning=required", ["lanreotide"]),
        ("functioning=excluded", ["everolimus"]),
        ("functioning=either", ["prrt", "by_drug"]),
        ("receptor_scan=required", ["prrt"]),
        ("treatment=everolimus", ["everolimus"]),
        ("treatment=prrt", ["prrt", "by_drug"]),  # by_drug tests a PRRT drug
        ("region=London", ["prrt", "lanreotide"]),
        ("region=north-west&status=all", ["everolimus", "closed"]),
        ("q=lanreotide", ["lanreotide"]),
    ],
)
def test_each_filter_alone_gives_exactly_the_right_trials(client, world, query, expected):
    response = client.get(f"/trials/?{query}")
    assert sorted(titles(response)) == names(world, *expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("site=pancreas&grade=g2&phase=2", ["prrt", "by_drug"]),
        ("site=pancreas&grade=g1", ["prrt"]),
        ("site=small-bowel&site=lung", ["lanreotide", "everolimus"]),
        ("grade=g1&grade=g3", ["prrt", "lanreotide", "everolimus"]),
        ("site=pancreas&treatment=prrt&region=West-Midlands", ["prrt"]),
        ("status=all&site=pancreas&grade=nec", ["closed"]),
        ("status=open&status=closed&phase=3", ["lanreotide", "closed"]),
        ("q=pancreatic&status=all&phase=2", ["prrt", "by_drug"]),
        ("site=lung&phase=3", []),
    ],
)
def test_filters_combined_give_exactly_the_right_trials(client, world, query, expected):
    response = client.get(f"/trials/?{query}")
    assert sorted(titles(response)) == names(world, *expected)


# ---- Drafts ----


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "status=all",
        "q=secret",
        "q=NCT09999999",
        "site=pancreas&status=all&grade=g2",
        "region=south-east",
    ],
)
def test_drafts_never_appear(client, world, query):
    response = client.get(f"/trials/?{query}")
    assert "Secret" not in response.content.decode()
    assert world["draft"].title not in titles(response)
    feed = client.get(f"/trials/feed/?{query}")
    assert "Secret" not in feed.content.decode()


@pytest.mark.django_db
def test_drafts_are_not_counted(client, world):
    response = client.get("/trials/")
    counts = shown_counts(response)
    # 2 published open trials in London; the draft's Oxford place is not offered at all.
    assert counts[("region", "london")] == 2
    assert ("region", "south-east") not in counts
    assert counts[("treatment", "prrt")] == 2
    assert counts[("site", "pancreas")] == 2
    assert ("site", "secret-site") not in counts


# ---- Words and registry numbers ----


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("NCT02683941", "prrt"),
        ("nct02683941", "prrt"),
        ("nct 02683941", "prrt"),
        ("NCT-02683941", "prrt"),
        ("  NCT02683941  ", "prrt"),
        ("02683941", "prrt"),
        ("2022-003575-42", "prrt"),
        ("2022 003575 42", "prrt"),
        ("EudraCT 2022-003575-42", "prrt"),
        ("ISRCTN12345678", "lanreotide"),
        ("isrctn 12345678", "lanreotide"),
        ("12345678", "lanreotide"),
        ("IRAS 1006904", "everolimus"),
        ("1006904", "everolimus"),
        ("2023-503456-12-00", "by_drug"),
        ("2023 503456 12 00", "by_drug"),
        ("EU CT 2023-503456-12-00", "by_drug"),
        ("NCT01234567", "closed"),  # a closed trial is found by its number too
    ],
)
def test_a_registry_number_finds_exactly_its_trial_in_every_spelling(client, world, typed, key):
    response = client.get("/trials/", {"q": typed})
    assert titles(response) == [world[key].title]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "keys"),
    [
        ("tumor", ["everolimus"]),  # US spelling finds "tumours"
        ("randomized", ["lanreotide"]),  # US spelling finds "randomised"
        ("diarrhea", ["lanreotide"]),
        ("Pancreatic", ["prrt", "by_drug"]),
        ("LUNG tablets", ["everolimus"]),  # words in any case, every word must match
        ("lung lanreotide", []),
        ("Lutathera", ["prrt"]),  # another name of a treatment the trial tests
        ("lutetium", ["by_drug"]),  # a drug the trial tests
        ("PANPRRT", ["prrt"]),  # acronym
        ("small bowel", ["lanreotide"]),  # a tumour site's name
        # Older and newer names: carcinoid, NET, neuroendocrine tumour
        ("carcinoid", ["lanreotide", "everolimus", "prrt", "by_drug"]),
    ],
)
def test_words_are_found_in_any_spelling(client, world, typed, keys):
    response = client.get("/trials/", {"q": typed})
    assert sorted(titles(response)) == names(world, *keys)


@pytest.mark.django_db
def test_a_full_name_finds_its_abbreviation_as_a_whole_word(client, world):
    response = client.get("/trials/", {"q": "neuroendocrine carcinoma", "status": "all"})
    assert titles(response) == [world["closed"].title]  # "... pancreatic NEC"


@pytest.mark.django_db
def test_a_glossary_terms_other_forms_are_searched_too(client, world, make_term):
    make_term("Somatostatin analogue", forms=["SSA", "lanreotide"])
    response = client.get("/trials/", {"q": "somatostatin analogue"})
    assert titles(response) == [world["lanreotide"].title]
    also = text_of(soup(response).select_one(".app-finder__also"))
    assert "“lanreotide”" in also and "“ssa”" in also


@pytest.mark.django_db
def test_the_page_says_which_other_spellings_it_looked_for(client, world):
    also = text_of(soup(client.get("/trials/?q=tumor")).select_one(".app-finder__also"))
    assert also == "We also looked for “tumour”."
    assert not soup(client.get("/trials/?q=liver")).select_one(".app-finder__also")


# ---- Counts beside each option ----


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["", "site=pancreas&status=all", "grade=g2&q=NETs"])
def test_counts_equal_the_results_of_clicking_each_option(client, world, start):
    counts = shown_counts(client.get(f"/trials/?{start}"))
    # 3 sites, 8 statuses and "not confirmed", 4 grades, 2 treatments, 9 phases, 3 regions,
    # 3 + 3 requirements
    assert len(counts) == 3 + 9 + 4 + 2 + 9 + 3 + 3 + 3
    for (name, value), count in counts.items():
        params = [pair for pair in parse_qsl(start) if pair[0] != name] + [(name, value)]
        response = client.get(f"/trials/?{urlencode(params)}")
        assert found(response) == count, (name, value)
        assert len(titles(response)) == count


@pytest.mark.django_db
def test_counts_keep_the_other_filters(client, world):
    counts = shown_counts(client.get("/trials/?site=pancreas"))
    assert counts[("site", "pancreas")] == 2
    assert counts[("site", "lung")] == 1
    assert counts[("grade", "g1")] == 1  # only the pancreas trial that takes G1
    assert counts[("status", "closed")] == 1
    assert counts[("treatment", "prrt")] == 2


# ---- What the page shows ----


@pytest.mark.django_db
def test_a_result_shows_what_a_patient_needs_to_decide_to_look(client, world):
    page = soup(client.get("/trials/", {"q": "PANPRRT"}))
    card = text_of(page.select_one(".app-trial-card"))
    assert "Radioactive treatment for pancreatic NETs (PANPRRT)" in card
    assert "Open to new patients" in card
    assert "Phase 2" in card
    assert "Pancreas" in card
    assert "Birmingham, London" in card
    assert "This trial tests PRRT after surgery." in card
    assert "It is for adults" not in card  # one sentence only
    assert page.select_one(".app-trial-card__title a")["href"] == world["prrt"].get_absolute_url()


@pytest.mark.django_db
def test_status_and_phase_are_explained_in_plain_words(client, world):
    response = client.get("/trials/")
    assertContains(
        response, "A trial registry has confirmed recently that the trial is taking people."
    )
    assertContains(
        response, "no trial registry has confirmed it recently. The trial may have closed."
    )
    assertContains(response, "Phase 1 trials test whether a treatment is safe")
    assertContains(response, "What do the phases mean?")


@pytest.mark.django_db
def test_each_choice_is_listed_and_removable_with_one_click(client, world):
    page = soup(client.get("/trials/?site=pancreas&grade=g2&q=NETs&status=all"))
    chips = {text_of(a): a["href"] for a in page.select(".app-finder__chip")}
    assert set(chips) == {
        "Remove Words: “NETs” ×",
        "Remove Tumour site: Pancreas ×",
        "Remove Status: any, including closed trials ×",
        "Remove Grade: Grade 2 (G2) ×",
    }
    without_site = client.get(chips["Remove Tumour site: Pancreas ×"])
    assert sorted(titles(without_site)) == names(world, "prrt", "everolimus", "by_drug")
    without_grade = chips["Remove Grade: Grade 2 (G2) ×"]
    assert dict(parse_qsl(without_grade.split("?")[1])) == {
        "q": "NETs",
        "site": "pancreas",
        "status": "all",
    }
    assert page.find("a", string="Clear all")["href"] == "/trials/"


@pytest.mark.django_db
def test_an_empty_result_says_which_choice_to_loosen(client, world):
    response = client.get("/trials/?site=lung&phase=3")
    assertContains(response, "No trials found")
    assertContains(response, "No trials match all of your choices.")
    page = soup(response)
    loosen = {text_of(li): li.a["href"] for li in page.select(".app-finder__loosen li")}
    assert loosen == {
        "Without ‘Lung’ : 1 trial": "/trials/?phase=3",
        "Without ‘Phase 3’ : 1 trial": "/trials/?site=lung",
    }
    assert titles(client.get("/trials/?site=lung")) == [world["everolimus"].title]


@pytest.mark.django_db
def test_an_empty_result_counts_each_single_choice_dropped_most_first(client, world):
    # Grade 1 or 2 open trials: PANPRRT, lanreotide, everolimus; none of them on lung at phase 3.
    response = client.get("/trials/?grade=g1&grade=g2&site=lung&phase=3&q=everolimus")
    loosen = [text_of(li) for li in soup(response).select(".app-finder__loosen li")]
    assert loosen == ["Without ‘Phase 3’ : 1 trial"]
    response = client.get("/trials/?grade=g1&grade=g2&phase=1&q=lanreotide")
    loosen = [text_of(li) for li in soup(response).select(".app-finder__loosen li")]
    assert loosen == [  # dropping the grades would still leave none, so it is not offered
        "Without your words ‘lanreotide’ : 1 trial",
        "Without ‘Phase 1’ : 1 trial",
    ]


@pytest.mark.django_db
def test_the_form_works_without_javascript_and_prints_without_the_filters(client, world):
    page = soup(client.get("/trials/?site=pancreas"))
    form = page.select_one("form.app-finder__form")
    assert form["method"] == "get" and form["action"] == "/trials/"
    assert "app-no-print" in form["class"]  # hidden by the print style sheet
    assert form.find("input", {"name": "site", "value": "pancreas"}).has_attr("checked")
    assert form.find("input", {"name": "status", "value": "open"}).has_attr("checked")
    assert not form.find("input", {"name": "status", "value": "closed"}).has_attr("checked")
    assert not page.find("script", string=True)  # no inline script (the CSP forbids it)


# ---- Bad input ----


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "note"),
    [
        ({"site": "narnia"}, "We did not recognise the tumour site “narnia”"),
        ({"status": "maybe"}, "We did not recognise the status “maybe”"),
        ({"phase": "7"}, "We did not recognise the phase “7”"),
        ({"grade": "g9"}, "We did not recognise the grade “g9”"),
        ({"treatment": "magic"}, "We did not recognise the treatment “magic”"),
        ({"region": "Atlantis"}, "We did not recognise the place “Atlantis”"),
        ({"sort": "random"}, "We did not recognise the order"),
        ({"page": "999"}, "There is no page 999"),
        ({"page": "abc"}, "We did not understand the page number"),
        ({"page": "-1"}, "We did not understand the page number"),
        ({"q": "lung " * 2000}, "used only the first 200 characters"),
        ({"q": "bad\x00byte"}, "a character we cannot search for"),
    ],
)
def test_bad_input_is_ignored_with_a_note(client, world, query, note):
    response = client.get("/trials/", query)
    assert response.status_code == 200
    assertContains(response, note)


@pytest.mark.django_db
def test_an_unknown_value_does_not_undo_the_rest_of_the_search(client, world):
    response = client.get("/trials/?site=narnia&site=pancreas&grade=G2")
    assert sorted(titles(response)) == names(world, "prrt", "by_drug")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "q=%E8%82%BF%E7%98%A4+t%C3%BCm%C3%B6r+%F0%9F%99%82",  # unicode and an emoji
        "q=%27%3B+DROP+TABLE+trials_trial%3B+--",
        "q=%25",
        "q=_",
        "q=1+OR+1%3D1",
        "site=pancreas&site=pancreas&site=PANCREAS&q=a&q=b",
        "page=99999999999999999999999",
        "page=1.5&sort=title&sort=title",
        "page=%C2%B2",  # a superscript two: a digit to Python, not a number
        "page=%EF%BC%92",  # a full-width two
        "status=&site=&q=",
        "site=" + "x" * 5000,
        "q=%ED%A0%80",  # a lone surrogate
    ],
)
def test_strange_input_never_breaks_the_page_or_the_feed(client, world, query):
    from trials.models import Trial

    assert client.get(f"/trials/?{query}").status_code == 200
    assert client.get(f"/trials/feed/?{query}").status_code == 200
    assert Trial.objects.count() == 7


@pytest.mark.django_db
def test_many_unknown_values_give_a_short_note(client, world):
    query = urlencode([("site", f"nowhere-{number}") for number in range(500)])
    response = client.get(f"/trials/?{query}")
    notes = [text_of(note) for note in soup(response).select(".app-finder__note")]
    assert notes == [
        "We did not recognise the tumour site “nowhere-0”, so we left it out.",
        "We did not recognise the tumour site “nowhere-1”, so we left it out.",
        "We did not recognise the tumour site “nowhere-2”, so we left it out.",
        "We left out 497 more tumour sites too.",
    ]
    assert found(response) == 4


@pytest.mark.django_db
def test_search_characters_are_taken_literally(client, world):
    assert titles(client.get("/trials/?q=100%25")) == []
    assert titles(client.get("/trials/?q=a_b")) == []


@pytest.mark.django_db
def test_a_search_with_nothing_to_look_for_says_so(client, world):
    response = client.get("/trials/?q=%25+the")
    assertContains(response, "There were no words we could search for")
    assert found(response) == 4


@pytest.mark.django_db
def test_repeated_values_count_once(client, world):
    response = client.get("/trials/?site=pancreas&site=pancreas&site=PANCREAS")
    assert sorted(titles(response)) == names(world, "prrt", "by_drug")
    chips = [text_of(a) for a in soup(response).select(".app-finder__chip")]
    assert chips == ["Remove Tumour site: Pancreas ×"]


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


# ---- The Atom feed ----


def feed_titles(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return sorted(
        entry.find(f"{ATOM}title").text.rsplit(" – ", 1)[0]
        for entry in root.findall(f"{ATOM}entry")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["prrt", "lanreotide", "everolimus", "by_drug"]),
        ("site=pancreas", ["prrt", "by_drug"]),
        ("site=pancreas&status=all", ["prrt", "closed", "by_drug"]),
        ("q=nct+02683941", ["prrt"]),
        ("site=lung&phase=3", []),
    ],
)
def test_the_feed_lists_exactly_the_matching_published_trials(client, world, query, expected):
    response = client.get(f"/trials/feed/?{query}")
    expected_titles = sorted(f"{world[key]}" for key in expected)
    assert feed_titles(response) == expected_titles


@pytest.mark.django_db
def test_every_search_page_links_to_its_feed(client, world):
    page = soup(client.get("/trials/?site=pancreas&sort=title"))
    alternate = page.find("link", attrs={"type": "application/atom+xml"})
    assert alternate["href"] == "/trials/feed/?site=pancreas&sort=title"
    root = ET.fromstring(client.get(alternate["href"]).content)
    assert "Tumour site: Pancreas" in root.find(f"{ATOM}title").text
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href").endswith(world["by_drug"].get_absolute_url())


# ---- The parts that need no request ----


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("NCT02683941", ["NCT02683941"]),
        ("nct: 02683941", ["NCT02683941"]),
        ("ISRCTN 12345678", ["ISRCTN12345678"]),
        ("12345678", ["NCT12345678", "ISRCTN12345678"]),
        ("EudraCT number 2022 003575 42", ["2022-003575-42"]),
        ("2023-503456-12-00", ["2023-503456-12-00"]),
        ("IRAS ID 1006904", ["1006904"]),
    ],
)
def test_registry_numbers_are_read_in_any_spelling(typed, stored):
    from trials.finder.words import parse_query

    parsed = parse_query(typed)
    assert parsed.is_identifier
    assert [slot.identifiers for slot in parsed.slots] == [stored]


def test_words_and_numbers_mixed_are_both_looked_for():
    from trials.finder.words import parse_query

    parsed = parse_query("lanreotide trials NCT02683941 for the liver")
    assert not parsed.is_identifier
    assert [slot.typed for slot in parsed.slots] == ["NCT02683941", "lanreotide", "liver"]


@pytest.mark.parametrize(
    ("word", "also"),
    [
        ("tumour", "tumor"),
        ("tumors", "tumour"),
        ("randomised", "randomized"),
        ("randomized", "randomised"),
        ("oesophagus", "esophagus"),
        ("diarrhea", "diarrhoea"),
        ("analyse", "analyze"),
        ("Ménétrier", "menetrier"),
    ],
)
def test_uk_and_us_spellings_and_accents(word, also):
    from trials.finder.words import spellings

    assert also in spellings(word)


def test_very_long_searches_are_cut_to_a_few_words():
    from trials.finder.words import MAX_QUERY_LENGTH, MAX_SLOTS, parse_query

    parsed = parse_query("liver " * 5000)
    assert parsed.truncated and parsed.dropped_words
    assert len(parsed.slots) == MAX_SLOTS
    assert len(parse_query("x" * 10_000).slots[0].typed) == MAX_QUERY_LENGTH
