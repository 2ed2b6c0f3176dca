"""One treatment's page (its sections, drugs, where it is used, the trials that test it and
its query count) and the treatments admin, over a small version of the unit's table
(tests/treatment_options.py, made once for the module)."""

import datetime

import pytest
from django.contrib.auth.models import User
from pytest_django.asserts import assertContains

from netinfo.caching import versioned
from tests.html import soup, text_of
from tests.shared import shared_by_module
from tests.treatment_options import make_options

_options, options = shared_by_module(make_options, "options")


# ---- One treatment ----


@pytest.fixture
def sunitinib_page(options):
    treatment = options["sunitinib"]
    treatment.other_names = "Sutent\nSU11248"
    treatment.what_it_is = "Sunitinib is a **targeted** drug."
    treatment.how_you_have_it = "You take tablets once a day."
    treatment.side_effects = "You may feel tired."
    treatment.sources = "- Raymond E and others, 2011"
    treatment.last_reviewed = datetime.date(2025, 3, 1)
    treatment.save()
    return treatment


def test_treatment_page_shows_its_sections_and_skips_empty_ones(client, sunitinib_page):
    response = client.get("/treatments/sunitinib/")

    html = soup(response)
    assert text_of(html.h1) == "Sunitinib"
    headings = [text_of(h) for h in html.select(".app-treatment__section > h2")]
    assert headings[:3] == ["What it is", "How you have it", "Possible side effects"]
    assert "What it can do" not in headings
    assert "Questions to ask your doctor" not in headings
    assert html.find("strong", string="targeted")
    assertContains(response, "Sunitinib is a treatment for NETs.")  # the summary


def test_treatment_page_lists_its_drugs_and_other_names(client, sunitinib_page):
    html = soup(client.get("/treatments/sunitinib/"))

    assert "SU11248" in text_of(html.select_one(".app-treatment__other-names"))
    assert text_of(html.select_one(".app-treatment__drugs")) == "Sunitinib (brand name: Sutent)"


def test_treatment_page_shows_sources_and_review_dates(client, sunitinib_page):
    response = client.get("/treatments/sunitinib/")

    assertContains(response, "Where this information comes from")
    assertContains(response, "Raymond E and others, 2011")
    assertContains(response, "1 March 2025")
    assertContains(response, "1 March 2026")  # next review, a year on


def test_treatment_page_has_an_accessible_table_of_where_it_is_used(
    client, options, make_site, make_use
):
    make_use(options["prrt"], make_site("Thymus", state="draft"), ("g1",))

    html = soup(client.get("/treatments/prrt/"))

    table = html.select_one("table.app-treatment__uses")
    assert "Where doctors use PRRT, by tumour site and grade" in text_of(table.caption)
    assert [th["scope"] for th in table.thead.find_all("th")] == ["col", "col", "col"]
    rows = [[text_of(cell) for cell in tr.find_all(["th", "td"])] for tr in table.tbody("tr")]
    assert rows == [
        ["Small bowel", "Grade 1 (G1) to Grade 2 (G2)", "Licensed"],
        ["Pancreas", "Grade 3 (G3) NET", "Only within a clinical trial"],
    ]
    assert all(tr.th["scope"] == "row" for tr in table.tbody("tr"))


def test_treatment_use_note_is_shown(client, options):
    assertContains(client.get("/treatments/sunitinib/"), "Funded by the NHS")


def test_treatment_page_lists_exactly_the_published_trials_that_test_it(
    client, options, make_trial, make_drug
):
    from treatments.models import Drug

    prrt = options["prrt"]
    make_trial("Closed PRRT study", treatments=[prrt], status="closed")
    make_trial("Open PRRT study", treatments=[prrt], status="open")
    make_trial("Soon PRRT study", treatments=[prrt], status="opening_soon")
    make_trial("Draft PRRT study", treatments=[prrt], state="draft")
    make_trial("Sunitinib study", treatments=[options["sunitinib"]])
    by_drug = make_trial("Lutathera study", status="results")
    by_drug.drugs.set([Drug.objects.get(generic_name="lutetium-177 dotatate")])
    both = make_trial("Both ways study", treatments=[prrt], status="open")
    both.drugs.set([Drug.objects.get(generic_name="lutetium-177 dotatate")])

    html = soup(client.get("/treatments/prrt/"))

    lists = html.select("#trials ~ ul.app-trial-links")
    active = [text_of(li.a) for li in lists[0]("li")]
    others = [text_of(li.a) for li in lists[1]("li")]
    assert active == ["Both ways study", "Open PRRT study", "Soon PRRT study"]
    assert others == ["Closed PRRT study", "Lutathera study"]
    assert html.find("a", href="/trials/?treatment=prrt")


def test_a_treatment_with_many_trials_lists_ten_of_each_and_links_to_the_rest(
    client, options, make_trial
):
    prrt = options["prrt"]
    for n in range(12):
        make_trial(f"Open PRRT study {n:02d}", treatments=[prrt], status="open")
        make_trial(f"Closed PRRT study {n:02d}", treatments=[prrt], status="closed")

    response = client.get("/treatments/prrt/")

    html = soup(response)
    lists = html.select("#trials ~ ul.app-trial-links")
    assert [text_of(li.a) for li in lists[0]("li")] == [
        f"Open PRRT study {n:02d}" for n in range(10)
    ]
    assert [text_of(li.a) for li in lists[1]("li")] == [
        f"Closed PRRT study {n:02d}" for n in range(10)
    ]
    section = html.select_one("section[aria-labelledby=trials]")
    assert text_of(section).count("And 2 more.") == 2
    active_link = section.find("a", href="/trials/?treatment=prrt")
    assert text_of(active_link) == "See all 12 trials of PRRT you could ask about"
    assertContains(client.get(active_link["href"]), "12 trials found")
    all_link = section.find("a", href="/trials/?treatment=prrt&status=all")
    assertContains(client.get(all_link["href"]), "24 trials found")


def test_treatment_page_without_trials_says_so(client, options):
    assertContains(
        client.get("/treatments/everolimus/"),
        "We do not know of any trial of this treatment that is taking people now.",
    )


def test_treatment_page_runs_a_fixed_number_of_queries(
    client, options, make_site, make_use, make_drug, make_trial, django_assert_num_queries
):
    prrt = options["prrt"]
    # content version, treatment + type, drugs, uses + sites, open trials, other trials (each
    # with its total), the latest clinical review
    versioned.warm()  # what pages read once per content version, per process
    with django_assert_num_queries(7):
        client.get("/treatments/prrt/")
    for n in range(10):
        make_use(prrt, make_site(f"Site {n}"), ("g1",))
        make_drug(f"drug {n}", "Brand A, Brand B", [prrt])
        make_trial(f"Open trial {n}", treatments=[prrt], status="open")
        make_trial(f"Closed trial {n}", treatments=[prrt], status="closed")
    versioned.warm()  # what pages read once per content version, per process
    with django_assert_num_queries(7):
        response = client.get("/treatments/prrt/")
    assertContains(response, "Closed trial 9")


# ---- Admin ----


@pytest.fixture
def editor_client(client, db):
    user = User.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def test_admin_finds_a_treatment_by_other_name_or_drug(editor_client, options):
    for words in ("CAPTEM", "Lutathera"):
        response = editor_client.get("/admin/treatments/treatment/", {"q": words})
        results = text_of(soup(response).select_one("#result_list tbody"))
        expected = "Capecitabine and temozolomide" if words == "CAPTEM" else "PRRT"
        assert expected in results
        assert "Everolimus" not in results


def test_admin_treatment_form_has_uses_and_drugs_inlines_with_autocomplete(editor_client, options):
    response = editor_client.get(f"/admin/treatments/treatment/{options['prrt'].pk}/change/")

    assert response.status_code == 200
    html = soup(response)
    assert html.find(attrs={"name": "uses-0-site", "class": "admin-autocomplete"})
    assert html.find(attrs={"name": "Drug_treatments-0-drug", "class": "admin-autocomplete"})
    assertContains(response, "The lowest grade it is used for")


def test_admin_lists_filter_by_type_and_review_due(editor_client, options):
    from treatments.models import Treatment

    Treatment.objects.filter(pk=options["prrt"].pk).update(
        next_review_due=datetime.date(2000, 1, 1)
    )
    response = editor_client.get("/admin/treatments/treatment/", {"review": "overdue"})

    results = text_of(soup(response).select_one("#result_list tbody"))
    assert "PRRT" in results
    assert "Everolimus" not in results


@pytest.mark.parametrize(
    "url",
    [
        "/admin/treatments/drug/",
        "/admin/treatments/drug/add/",
        "/admin/treatments/treatmenttype/",
        "/admin/treatments/treatment/add/",
    ],
)
def test_admin_pages_open(editor_client, options, url):
    assert editor_client.get(url).status_code == 200


def test_treatment_and_drug_admins_can_be_autocompleted(editor_client, options):
    from django.contrib import admin

    from treatments.models import Drug, Treatment

    assert admin.site._registry[Treatment].search_fields
    assert admin.site._registry[Drug].search_fields
    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "treatments",
            "model_name": "drug",
            "field_name": "treatments",
            "term": "CAPTEM",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Capecitabine and temozolomide"]
