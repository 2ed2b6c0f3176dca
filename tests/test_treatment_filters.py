"""The treatments list filtered by tumour site and grade and searched by any of a treatment's
names, over a small version of the unit's table (tests/treatment_options.py, made once for
the module), and the list's query count."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from netinfo.caching import versioned
from tests.html import soup, text_of
from tests.shared import shared_by_module
from tests.treatment_options import make_options, names_listed

_options, options = shared_by_module(make_options, "options")


# ---- Filters ----


def test_filtering_by_site_gives_the_treatments_used_there(client, options):
    pancreas = names_listed(client.get("/treatments/?site=pancreas"))
    small_bowel = names_listed(client.get("/treatments/?site=small-bowel"))

    assert "Sunitinib" in pancreas
    assert "Sunitinib" not in small_bowel
    assert "Capecitabine and temozolomide" in pancreas
    assert "Capecitabine and temozolomide" not in small_bowel
    for both in ("Somatostatin analogues", "Everolimus", "PRRT"):
        assert both in pancreas and both in small_bowel


def test_filtering_by_grade_gives_the_treatments_for_that_grade(client, options):
    assert names_listed(client.get("/treatments/?grade=g1")) == [
        "Somatostatin analogues",
        "Everolimus",
        "Sunitinib",
        "PRRT",
    ]
    # A range covers the grades inside it: CAPTEM is G2 to G3.
    assert names_listed(client.get("/treatments/?grade=g3")) == [
        "Capecitabine and temozolomide",
        "PRRT",
    ]
    assert names_listed(client.get("/treatments/?grade=nec")) == ["Platinum and etoposide"]


def test_site_and_grade_must_hold_for_the_same_use(client, options):
    # PRRT is used for G1-G2 small bowel NETs and only G3 pancreatic NETs.
    assert "PRRT" in names_listed(client.get("/treatments/?site=small-bowel&grade=g1"))
    assert "PRRT" not in names_listed(client.get("/treatments/?site=pancreas&grade=g1"))
    assert "PRRT" not in names_listed(client.get("/treatments/?site=small-bowel&grade=g3"))

    response = client.get("/treatments/?site=pancreas&grade=g3")

    assert names_listed(response) == ["Capecitabine and temozolomide", "PRRT"]
    # ...and the card says how it is used there.
    assertContains(response, "Pancreas, Grade 3 (G3) NET: only within a clinical trial")


def test_filtered_list_shows_what_is_chosen_and_a_way_back(client, options):
    response = client.get("/treatments/?site=pancreas&grade=g2")

    html = soup(response)
    assert html.select_one("#id_site option[selected]")["value"] == "pancreas"
    assert html.select_one("#id_grade option[selected]")["value"] == "g2"
    summary = text_of(html.select_one(".app-treatments__summary"))
    assert "Where the NET started: Pancreas" in summary
    assert "Grade: Grade 2 (G2)" in summary
    assert html.find("a", string="Clear filters")["href"] == "/treatments/"


def test_filter_form_works_without_javascript(client, options):
    form = soup(client.get("/treatments/")).select_one("form.app-treatment-filter")

    assert form["method"] == "get"
    assert form["action"] == "/treatments/"
    for name in ("site", "grade", "q"):
        field = form.find(attrs={"name": name})
        assert form.find("label", attrs={"for": field["id"]}), name
    assert [o.get_text() for o in form.select("#id_site option")] == [
        "Any tumour site",
        "Small bowel",
        "Pancreas",
    ]


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("site=atlantis", "did not recognise the tumour site"),
        ("grade=g9", "did not recognise the grade"),
        ("site=%00%ff&grade=<script>", "did not recognise the tumour site"),
        ("q=" + "x" * 300, "up to 100 characters"),
    ],
)
def test_bad_filter_values_are_ignored_with_a_note(client, options, query, note):
    response = client.get(f"/treatments/?{query}")

    assert response.status_code == 200
    assertContains(response, note)
    assert len(names_listed(response)) == 6


def test_draft_site_is_not_offered_or_used_as_a_filter(client, options, make_site):
    make_site("Thymus", state="draft")

    response = client.get("/treatments/?site=thymus")

    assertNotContains(response, '<option value="thymus"')
    assertContains(response, "did not recognise the tumour site")


def test_a_filter_with_no_results_says_so(client, options):
    response = client.get("/treatments/?site=small-bowel&grade=g3")

    assertContains(response, "No treatments match what you chose.")


# ---- Search by any name ----


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("SSA", "Somatostatin analogues"),
        ("ssas", "Somatostatin analogues"),
        ("somatostatin analog", "Somatostatin analogues"),
        ("Somatuline", "Somatostatin analogues"),  # a drug's brand name
        ("lanreotide", "Somatostatin analogues"),  # a drug's generic name
        ("CAPTEM", "Capecitabine and temozolomide"),
        ("captem", "Capecitabine and temozolomide"),
        ("Lutathera", "PRRT"),
        ("lutetium", "PRRT"),
        ("radioligand", "PRRT"),
        ("Sutent", "Sunitinib"),
        ("  everolimus ", "Everolimus"),
    ],
)
def test_a_treatment_is_found_by_any_of_its_names(client, options, words, found):
    response = client.get("/treatments/", {"q": words})

    assert names_listed(response) == [found]


def test_every_other_name_of_a_treatment_finds_it(client, options):
    for treatment in options.values():
        if not hasattr(treatment, "other_names_list"):
            continue
        for name in treatment.other_names_list:
            assert treatment.name in names_listed(client.get("/treatments/", {"q": name})), name


def test_search_combines_with_the_filter(client, options):
    assert names_listed(client.get("/treatments/?q=sunitinib&site=pancreas")) == ["Sunitinib"]
    assert names_listed(client.get("/treatments/?q=sunitinib&site=small-bowel")) == []


def test_search_that_finds_nothing_says_so(client, options):
    response = client.get("/treatments/", {"q": "aspirin"})

    assert names_listed(response) == []
    assertContains(response, "No treatments match what you chose.")
    assertContains(response, "Search: <strong>“aspirin”</strong>", html=True)


# ---- Query count ----


def _many_treatments(make_treatment, make_use, make_drug, make_trial, sites, count):
    for n in range(count):
        treatment = make_treatment(
            f"Extra treatment {n}", type_name=f"Type {n % 4}", other_names="EXTRA"
        )
        for site in sites:
            make_use(treatment, site, ("g1", "g3"))
        make_drug(f"extradrug {n}", "Brand", [treatment])
        make_trial(f"Trial {n}", treatments=[treatment], sites=sites, status="open")


@pytest.mark.parametrize(
    "url",
    [
        "/treatments/",
        "/treatments/?site=pancreas",
        "/treatments/?site=pancreas&grade=g2&q=e",
        "/treatments/?q=EXTRA",
        "/treatments/?site=nowhere&grade=g7",
    ],
)
def test_list_page_runs_a_fixed_number_of_queries(
    client,
    options,
    make_treatment,
    make_use,
    make_drug,
    make_trial,
    django_assert_num_queries,
    url,
):
    filtered = "site=pancreas" in url or "grade=g2" in url
    # content version, sites, grades page, treatments (+ their matching uses)
    expected = 5 if filtered else 4
    versioned.warm()  # what pages read once per content version, per process
    with django_assert_num_queries(expected):
        few = client.get(url)
    sites = [options["pancreas"], options["small_bowel"]]
    _many_treatments(make_treatment, make_use, make_drug, make_trial, sites, 12)
    versioned.warm()  # what pages read once per content version, per process
    with django_assert_num_queries(expected):
        many = client.get(url)
    assert len(names_listed(many)) >= len(names_listed(few))
