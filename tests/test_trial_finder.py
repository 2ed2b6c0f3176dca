"""The trial finder at /trials/: what it shows by default, each filter alone and combined,
drafts kept out, words and registry numbers, and the counts beside each option, tested
through the URLs a patient would use. The page's parts, bad input and the feed are in
test_trial_finder_page.py, its queries and cache in test_trial_finder_speed.py."""

import re
from urllib.parse import parse_qsl, urlencode

import pytest
from pytest_django.asserts import assertContains

from tests.finder_world import found, make_world, names, shown_counts
from tests.html import soup, text_of, titles
from tests.shared import shared_by_module

_world, world = shared_by_module(make_world, "world")


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
