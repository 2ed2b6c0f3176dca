"""Tumour site pages: the list of sites, and one site with the treatments used there and the
trials open there."""

import pytest
from django.contrib.auth.models import User
from pytest_django.asserts import assertContains, assertNotContains

from netinfo.caching import versioned
from tests.html import soup, text_of


@pytest.fixture
def pancreas(make_site, make_treatment, make_use, make_trial):
    """Pancreas and small bowel, each with treatments and trials of every kind."""
    site = make_site(
        "Pancreas",
        order=2,
        summary="NETs can start in the pancreas.",
        overview="Most pancreatic NETs grow **slowly**.",
    )
    other = make_site("Small bowel", order=1)
    sunitinib = make_treatment("Sunitinib")
    captem = make_treatment("CAPTEM chemotherapy", type_name="Chemotherapy")
    ssa = make_treatment("Somatostatin analogues", type_name="Somatostatin analogues")
    draft = make_treatment("Unpublished drug", state="draft")
    make_use(sunitinib, site, ("g1", "g2"), use="licensed", note="Funded by the NHS")
    make_use(captem, site, ("g2", "g3"))
    make_use(ssa, site, ("g1", "g2"))
    make_use(ssa, other, ("g1", "g2"))
    make_use(draft, site, ("g1",))
    make_trial("Open pancreas trial", sites=[site], status="open")
    make_trial("Soon pancreas trial", sites=[site], status="opening_soon")
    make_trial("Closed pancreas trial", sites=[site], status="closed")
    make_trial("Finished pancreas trial", sites=[site], status="results")
    make_trial("Draft pancreas trial", sites=[site], status="open", state="draft")
    make_trial("Small bowel trial", sites=[other], status="open")
    make_trial("Both sites trial", sites=[site, other], status="open")
    return site


def uses_table(response):
    table = soup(response).select_one("table.app-site__uses")
    return [[text_of(cell) for cell in tr.find_all(["th", "td"])] for tr in table.tbody("tr")]


def trials_listed(response):
    return [text_of(li.a) for li in soup(response).select("#trials-here ~ ul li")]


# ---- The list ----


def test_site_list_shows_published_sites_in_order(client, make_site):
    make_site("Pancreas", order=2, summary="The pancreas makes insulin.")
    make_site("Small bowel", order=1)
    make_site("Thymus", state="draft")

    response = client.get("/tumour-sites/")

    headings = [text_of(h) for h in soup(response).select(".app-card__heading")]
    assert headings == ["Small bowel", "Pancreas"]
    assertContains(response, "The pancreas makes insulin.")


# ---- One site ----


def test_site_page_shows_its_overview(client, pancreas):
    response = client.get("/tumour-sites/pancreas/")

    html = soup(response)
    assert text_of(html.h1) == "Pancreas NETs"
    assert html.select_one(".app-prose strong").get_text() == "slowly"
    assertContains(response, "NETs can start in the pancreas.")


def test_site_page_lists_exactly_its_published_treatments_with_grades(client, pancreas):
    response = client.get("/tumour-sites/pancreas/")

    assert uses_table(response) == [
        ["Somatostatin analogues", "Grade 1 (G1) to Grade 2 (G2)", "Usually used"],
        ["Sunitinib", "Grade 1 (G1) to Grade 2 (G2)", "Licensed Funded by the NHS"],
        ["CAPTEM chemotherapy", "Grade 2 (G2) to Grade 3 (G3) NET", "Usually used"],
    ]
    assertNotContains(response, "Unpublished drug")
    html = soup(response)
    assert html.find("a", href="/treatments/sunitinib/")
    assert html.find("a", href="/treatments/?site=pancreas")


def test_other_sites_treatments_are_not_listed(client, pancreas):
    response = client.get("/tumour-sites/small-bowel/")

    assert uses_table(response) == [
        ["Somatostatin analogues", "Grade 1 (G1) to Grade 2 (G2)", "Usually used"]
    ]


def test_site_uses_table_has_a_caption_and_header_scopes(client, pancreas):
    table = soup(client.get("/tumour-sites/pancreas/")).select_one("table.app-site__uses")

    assert text_of(table.caption) == "Treatments for Pancreas NETs, by grade"
    assert {th["scope"] for th in table.thead("th")} == {"col"}
    assert {tr.th["scope"] for tr in table.tbody("tr")} == {"row"}


def test_site_page_lists_exactly_the_published_trials_open_here(client, pancreas):
    response = client.get("/tumour-sites/pancreas/")

    assert trials_listed(response) == [
        "Both sites trial",
        "Open pancreas trial",
        "Soon pancreas trial",
    ]


def test_site_page_links_into_the_trial_finder_for_the_site(client, pancreas):
    html = soup(client.get("/tumour-sites/pancreas/"))

    assert html.find("a", href="/trials/?site=pancreas")


def test_site_without_treatments_or_trials_says_so(client, make_site):
    response = client.get(make_site("Appendix").get_absolute_url())

    assertContains(response, "We have not yet listed the treatments")
    assertContains(response, "We do not know of any trial taking people")


def test_draft_site_is_hidden_from_the_public_but_staff_can_preview(
    client, admin_client, make_site
):
    make_site("Thymus", state="draft")

    assert client.get("/tumour-sites/thymus/").status_code == 404
    assertNotContains(client.get("/tumour-sites/"), "Thymus")
    assertContains(admin_client.get("/tumour-sites/thymus/"), "This page is a draft")


def test_unknown_site_is_a_404(client, db):
    assert client.get("/tumour-sites/atlantis/").status_code == 404


# ---- Query counts ----


def test_site_list_runs_two_queries(client, make_site, django_assert_num_queries):
    make_site("Pancreas")
    # The content version (the page cache's key), then the sites.
    versioned.warm()  # what pages read once per content version, per process
    with django_assert_num_queries(2):
        client.get("/tumour-sites/")
    for n in range(15):
        make_site(f"Site {n}")
    versioned.warm()  # what pages read once per content version, per process
    with django_assert_num_queries(2):
        client.get("/tumour-sites/")


def test_site_page_runs_a_fixed_number_of_queries(
    client, pancreas, make_treatment, make_use, make_trial, django_assert_num_queries
):
    # content version, the site, its treatment uses with their treatments, its first open
    # trials and their number, its latest clinical review
    versioned.warm()  # what pages read once per content version, per process
    with django_assert_num_queries(5):
        client.get("/tumour-sites/pancreas/")
    for n in range(12):
        make_use(make_treatment(f"Extra {n}"), pancreas, ("g1", "nec"))
        make_trial(f"Extra trial {n}", sites=[pancreas], status="open")
    versioned.warm()  # what pages read once per content version, per process
    with django_assert_num_queries(5):
        response = client.get("/tumour-sites/pancreas/")
    assert len(trials_listed(response)) == 10


def test_a_site_with_many_trials_lists_ten_open_first_and_links_to_them_all(
    client, pancreas, make_trial
):
    for n in range(10):
        make_trial(f"A soon trial {n}", sites=[pancreas], status="opening_soon")
    make_trial("An open trial", sites=[pancreas], status="open")

    response = client.get("/tumour-sites/pancreas/")

    # 3 open (including "Both sites trial") and 11 opening soon: the open ones come first.
    assert trials_listed(response) == [
        "An open trial",
        "Both sites trial",
        "Open pancreas trial",
        *[f"A soon trial {n}" for n in range(7)],
    ]
    section = soup(response).select_one("section[aria-labelledby=trials-here]")
    assert "14 trials are taking people with NETs that start here" in text_of(section)
    link = section.find("a", href="/trials/?site=pancreas")
    assert text_of(link) == "See all 14 trials for Pancreas NETs"
    # The finder shows the same 14 by default.
    assertContains(client.get(link["href"]), "14 trials found")


def test_a_site_with_few_trials_does_not_say_how_many_more(client, pancreas):
    section = soup(client.get("/tumour-sites/pancreas/")).select_one(
        "section[aria-labelledby=trials-here]"
    )
    assert "These trials are taking people" in text_of(section)
    assert "See all" not in text_of(section)
    assert text_of(section.find("a", href="/trials/?site=pancreas")) == (
        "Find trials for Pancreas NETs"
    )


# ---- Admin ----


def test_admin_searches_sites_for_autocomplete(client, make_site):
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "pw"))
    make_site("Pancreas", registry_keywords="islet cell\npancreatic")
    make_site("Lung (bronchial)")

    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "treatments",
            "model_name": "treatmentuse",
            "field_name": "site",
            "term": "islet",
        },
    )

    assert [r["text"] for r in response.json()["results"]] == ["Pancreas"]
