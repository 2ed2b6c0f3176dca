"""One search box for the whole site: /search/?q= finds treatments, tumour sites, glossary
terms, pages and trials, grouped by kind, with the trial finder's word rules."""

import pytest

from tests.html import soup, text_of


@pytest.fixture
def world(make_site, make_term, make_page, make_treatment, make_trial):
    from treatments.models import Drug

    pancreas = make_site("Pancreas", summary="NETs that start in the pancreas.")
    ssa = make_treatment(
        "Somatostatin analogues",
        type_name="Hormone therapy",
        other_names="SSA\nSandostatin LAR",
        summary="Injections that control symptoms.",
    )
    lanreotide = Drug.objects.create(
        generic_name="lanreotide", slug="lanreotide", brand_names="Somatuline Autogel"
    )
    lanreotide.treatments.add(ssa)
    make_treatment("Everolimus", summary="A tablet that slows growth.")
    make_term(
        "Somatostatin analogue",
        definition="A drug that acts like somatostatin. Octreotide and lanreotide are two.",
        forms=["somatostatin analogues", "SSA"],
    )
    make_term("Ki-67", definition="A test that shows how fast tumour cells divide.", forms=["Ki67"])
    make_term("Secret term", definition="About lanreotide.", state="draft")
    make_page("About NETs", body="Doctors grade NETs by their Ki-67 index.")
    return {
        "spinet": make_trial(
            "Lanreotide or a placebo for lung NETs",
            acronym="SPINET",
            slug="spinet",
            status="open",
            treatments=[ssa],
            identifiers=[("nct", "NCT02683941")],
        ),
        "calm": make_trial(
            "Circulating tumour cells and lanreotide",
            acronym="CALM-NET",
            status="results",
            summary="How well lanreotide works.",
        ),
        "other": make_trial("Everolimus for pancreatic NETs", status="open", sites=[pancreas]),
        "draft": make_trial("Draft lanreotide trial", state="draft", status="open"),
    }


def groups(response):
    """{kind: [titles]} as the page lists them."""
    page = soup(response)
    return {
        text_of(section.find("h3")): [text_of(a) for a in section.select(".app-site-search__title")]
        for section in page.select(".app-site-search__group")
    }


@pytest.mark.django_db
def test_lanreotide_finds_the_treatment_the_glossary_entry_and_the_trials(client, world):
    response = client.get("/search/?q=lanreotide")
    assert response.status_code == 200
    found = groups(response)
    # Named for it first (a drug of the treatment), then trials.
    assert list(found) == ["Treatments", "Glossary", "Trials"]
    assert found["Treatments"] == ["Somatostatin analogues"]
    assert found["Glossary"] == ["Somatostatin analogue"]
    assert sorted(found["Trials"]) == [
        "Circulating tumour cells and lanreotide (CALM-NET)",
        "Lanreotide or a placebo for lung NETs (SPINET)",
    ]
    assert "Secret" not in response.text and "Draft lanreotide" not in response.text
    finder = soup(response).find("a", string=lambda s: s and "in the trial finder" in s)
    assert finder["href"] == "/trials/?q=lanreotide&status=all"


@pytest.mark.django_db
def test_the_finder_word_rules_hold_spellings_other_names_and_short_words(client, world):
    # A brand name, a US spelling and an abbreviation all find the treatment.
    for typed in ("Somatuline", "somatostatin analog", "ssa", "SANDOSTATIN"):
        assert groups(client.get(f"/search/?q={typed}"))["Treatments"] == [
            "Somatostatin analogues"
        ], typed
    # "tumor" finds "tumour"; "NET" does not find words that only contain it.
    assert "Trials" in groups(client.get("/search/?q=tumor+cells"))


@pytest.mark.django_db
def test_a_glossary_term_typed_exactly_shows_its_definition_first(client, world):
    response = client.get("/search/?q=ki67")
    box = soup(response).select_one(".app-site-search__definition")
    assert text_of(box.find("h2")) == "Ki-67"
    assert "how fast tumour cells divide" in text_of(box)
    assert groups(response)["Pages"] == ["About NETs"]
    assert not soup(client.get("/search/?q=tumour")).select_one(".app-site-search__definition")


@pytest.mark.django_db
def test_a_registry_number_goes_straight_to_the_trial(client, world):
    for typed in ("NCT02683941", "nct 02683941", "02683941"):
        response = client.get("/search/", {"q": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == "/trials/spinet/"
    response = client.get("/search/?q=NCT09999999")
    assert response.status_code == 200
    assert "We could not find a trial with that registry number." in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    ["", "   ", "<script>alert(1)</script>", "\x00\x01", "x" * 5000, "%%%", "' OR 1=1 --", "é"],
)
def test_empty_and_hostile_input_get_a_friendly_page(client, world, typed):
    response = client.get("/search/", {"q": typed})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert text_of(soup(response).find("h1")) == "Search this site"


@pytest.mark.django_db
def test_every_page_has_the_search_box_in_its_header(client, world):
    for url in ("/", "/trials/", "/treatments/", "/glossary/", "/about-nets/"):
        form = soup(client.get(url)).select_one("header form[role=search]")
        assert form["action"] == "/search/" and form["method"] == "get", url
        assert form.find("input", attrs={"name": "q"})
        assert form.find("label", string="Search this site")


@pytest.mark.django_db
def test_the_site_search_asks_a_fixed_number_of_queries(
    client, world, make_trial, make_term, django_assert_num_queries
):
    client.get("/search/?q=tumour")  # the indexes are built
    # The content version (read once by the page cache, and kept for the site index and the
    # finder index) and the first few trials.
    with django_assert_num_queries(2):
        client.get("/search/?q=lanreotide")
    with django_assert_num_queries(1):  # the same search again: from the page cache
        client.get("/search/?q=lanreotide")
    for number in range(30):
        make_trial(f"Lanreotide study {number}", status="open")
        make_term(f"Word {number}", definition="About lanreotide.")
    client.get("/search/?q=tumour")
    with django_assert_num_queries(2):
        response = client.get("/search/?q=lanreotide")
    assert len(groups(response)["Trials"]) == 5
