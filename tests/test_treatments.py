"""Treatment options: the list grouped by type, the site/grade filter, search by any name,
one treatment's page with where it is used and the trials that test it, and the admin."""

import datetime

import pytest
from django.contrib.auth.models import User
from pytest_django.asserts import assertContains, assertNotContains

from netinfo.caching import versioned
from tests.html import soup, text_of


@pytest.fixture
def make_drug(db):
    from django.utils.text import slugify

    from treatments.models import Drug

    def make(generic_name, brand_names="", treatments=()):
        drug = Drug.objects.create(
            generic_name=generic_name, slug=slugify(generic_name), brand_names=brand_names
        )
        drug.treatments.set(treatments)
        return drug

    return make


def names_listed(response):
    """The treatment names on the list page, in page order."""
    return [text_of(h) for h in soup(response).select(".app-card__heading")]


@pytest.fixture
def options(make_site, make_treatment, make_use, make_drug):
    """A small version of the unit's "treatment by site and grade"."""
    from treatments.models import TreatmentType

    pancreas = make_site("Pancreas", order=2)
    small_bowel = make_site("Small bowel", order=1)
    ssa = make_treatment(
        "Somatostatin analogues",
        type_name="Somatostatin analogues",
        other_names="SSA\nSSAs\nsomatostatin analog",
    )
    everolimus = make_treatment("Everolimus", type_name="Targeted therapy")
    sunitinib = make_treatment("Sunitinib", type_name="Targeted therapy")
    captem = make_treatment(
        "Capecitabine and temozolomide", type_name="Chemotherapy", other_names="CAPTEM"
    )
    platinum = make_treatment("Platinum and etoposide", type_name="Chemotherapy")
    prrt = make_treatment("PRRT", type_name="PRRT", other_names="radioligand therapy")
    for site in (pancreas, small_bowel):
        make_use(ssa, site, ("g1", "g2"), use="licensed")
        make_use(everolimus, site, ("g1", "g2"), use="licensed")
        make_use(platinum, site, ("nec",))
    make_use(sunitinib, pancreas, ("g1", "g2"), use="licensed", note="Funded by the NHS")
    make_use(captem, pancreas, ("g2", "g3"))
    make_use(prrt, small_bowel, ("g1", "g2"), use="licensed")
    make_use(prrt, pancreas, ("g3",), use="trial_only")
    for order, name in enumerate(("Somatostatin analogues", "Targeted therapy", "Chemotherapy")):
        TreatmentType.objects.filter(name=name).update(order=order + 1)
    TreatmentType.objects.filter(name="PRRT").update(order=5)
    make_drug("lutetium-177 dotatate", "Lutathera", [prrt])
    make_drug("lanreotide", "Somatuline Autogel", [ssa])
    make_drug("sunitinib", "Sutent", [sunitinib])
    return {
        "pancreas": pancreas,
        "small_bowel": small_bowel,
        "ssa": ssa,
        "everolimus": everolimus,
        "sunitinib": sunitinib,
        "captem": captem,
        "platinum": platinum,
        "prrt": prrt,
    }


# ---- The list ----


def test_list_groups_treatments_by_type_in_type_order(client, make_treatment):
    from treatments.models import TreatmentType

    make_treatment("Sunitinib", type_name="Targeted therapy", summary="Tablets that slow growth.")
    make_treatment("Surgery", type_name="Surgery")
    make_treatment("Everolimus", type_name="Targeted therapy")
    TreatmentType.objects.filter(name="Surgery").update(order=1)
    TreatmentType.objects.filter(name="Targeted therapy").update(order=3)

    response = client.get("/treatments/")

    html = soup(response)
    groups = [
        (text_of(section.h2), [text_of(h) for h in section.select(".app-card__heading")])
        for section in html.select(".app-treatments__group")
    ]
    assert groups == [("Surgery", ["Surgery"]), ("Targeted therapy", ["Everolimus", "Sunitinib"])]
    assertContains(response, "Tablets that slow growth.")


def test_list_hides_draft_treatments_and_types_with_only_drafts(client, make_treatment):
    make_treatment("Everolimus", type_name="Targeted therapy")
    make_treatment("New radioligand", type_name="Radioligand therapy", state="draft")

    response = client.get("/treatments/")

    assert names_listed(response) == ["Everolimus"]
    assertNotContains(response, "Radioligand therapy")
    assertNotContains(client.get("/treatments/?q=radioligand"), "New radioligand")


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


def test_list_explains_grades(client, db):
    response = client.get("/treatments/")

    explainer = text_of(soup(response).select_one(".app-treatments__grades"))
    assert "Ki-67" in explainer
    assert "below 3%" in explainer
    assert "3% to 20%" in explainer
    assert "above 20%" in explainer
    assert "poorly differentiated" in explainer


def test_editors_can_replace_the_grade_explainer_with_a_page(client, make_page):
    make_page("What the grade means", slug="grades", body="Grade is about *growth speed*.")

    response = client.get("/treatments/")

    explainer = soup(response).select_one(".app-treatments__grades")
    assert explainer.find("em", string="growth speed")
    assert "Ki-67 below 3%" not in text_of(explainer)


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


def test_draft_treatment_is_not_found_by_the_public_but_staff_can_preview(
    client, make_treatment, admin_client
):
    make_treatment("Secret new drug", state="draft")

    assert client.get("/treatments/secret-new-drug/").status_code == 404
    response = admin_client.get("/treatments/secret-new-drug/")
    assertContains(response, "This page is a draft")


def test_unknown_treatment_is_a_404(client, db):
    assert client.get("/treatments/no-such-thing/").status_code == 404


# ---- Query counts ----


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
