"""The glossary's own pages: the A to Z, its filter box, one word with the pages that use it,
and pages staying in step when a word is added, changed or removed."""

from io import StringIO

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertContains, assertNotContains

from netinfo.caching import versioned
from tests.data_migrations import run_fill
from tests.html import soup, text_of


@pytest.fixture
def glossary(make_term):
    return {
        "ki67": make_term("Ki-67", definition="A protein that shows how fast cells divide."),
        "ctc": make_term(
            "Circulating tumour cells",
            definition="Cancer cells that have moved into the blood.",
            forms=("CTC", "CTCs"),
        ),
        "biopsy": make_term("Biopsy", definition="Taking a small piece of tissue to look at."),
        "draft": make_term("Angiogenesis", definition="Growing new blood vessels.", state="draft"),
        "number": make_term("5-HIAA", definition="A substance measured in your urine."),
    }


def letters(response):
    nav = soup(response).select_one("nav.app-az")
    linked = [text_of(link) for link in nav.select("a")]
    shown = [text_of(item) for item in nav.select("li")]
    return linked, shown


def listed_terms(response):
    return [text_of(dt) for dt in soup(response).select("dt")]


@pytest.mark.django_db
def test_a_to_z_lists_published_terms_by_letter_with_definitions(client, glossary):
    response = client.get("/glossary/")
    assert listed_terms(response) == ["5-HIAA", "Biopsy", "Circulating tumour cells", "Ki-67"]
    assertContains(response, "A protein that shows how fast cells divide.")
    assertNotContains(response, "Angiogenesis")  # a draft
    page = soup(response)
    assert [text_of(h2) for h2 in page.select("h2.app-glossary-index__letter")] == [
        "0–9",
        "B",
        "C",
        "K",
    ]
    assert len(page.select("h1")) == 1


@pytest.mark.django_db
def test_letters_without_terms_are_shown_but_not_linked(client, glossary):
    linked, shown = letters(client.get("/glossary/"))
    assert linked == ["0–9", "B", "C", "K"]
    assert len(shown) == 27  # 0–9 and A to Z
    assert "A (no words)" in shown  # the draft "Angiogenesis" does not count
    page = soup(client.get("/glossary/"))
    for link in page.select("nav.app-az a"):
        assert page.select_one(link["href"]) is not None  # every letter link has a target


@pytest.mark.django_db
def test_filter_matches_term_other_forms_and_definition_without_javascript(client, glossary):
    by_term = client.get("/glossary/", {"q": "biop"})
    assert listed_terms(by_term) == ["Biopsy"]
    assertContains(by_term, "1 term matches “biop”")

    by_form = client.get("/glossary/", {"q": "ctcs"})
    assert listed_terms(by_form) == ["Circulating tumour cells"]

    by_definition = client.get("/glossary/", {"q": "cells"})
    assert listed_terms(by_definition) == ["Circulating tumour cells", "Ki-67"]
    assertContains(by_definition, "2 terms match “cells”")
    linked, _ = letters(by_definition)
    assert linked == ["C", "K"]

    # The box keeps what was typed, so the patient can change it.
    assert soup(by_definition).select_one("main input[name=q]")["value"] == "cells"


@pytest.mark.django_db
def test_filter_with_no_match_explains_and_offers_the_whole_list(client, glossary):
    response = client.get("/glossary/", {"q": "angiogenesis"})  # only a draft has it
    assert listed_terms(response) == []
    assertContains(response, "No terms match “angiogenesis”")
    assertContains(response, "Check the spelling")
    assert soup(response).select_one("main a[href='/glossary/']") is not None
    linked, _ = letters(response)
    assert linked == []


@pytest.mark.django_db
def test_odd_filter_input_is_harmless(client, glossary):
    response = client.get("/glossary/", {"q": "  <script>%_" + "x" * 500})
    assert response.status_code == 200
    assertNotContains(response, "<script>%")
    assert listed_terms(client.get("/glossary/", {"q": "   "})) == listed_terms(
        client.get("/glossary/")
    )


@pytest.mark.django_db
def test_glossary_list_query_count_does_not_grow_with_terms(
    client, make_term, django_assert_num_queries
):
    for number in range(30):
        make_term(f"Word {number}", definition="Word and tumour.")
    # The content version (the page cache's key), then the terms.
    versioned.warm()  # what pages read once per content version, per process
    with django_assert_num_queries(2):
        client.get("/glossary/")
    with django_assert_num_queries(2):
        client.get("/glossary/", {"q": "tumour"})


@pytest.mark.django_db
def test_term_page_shows_forms_definition_and_longer_explanation(client, make_term):
    make_term(
        "Circulating tumour cells",
        slug="ctc",
        forms=("CTC", "CTCs"),
        definition="Cancer cells that have moved into the blood.",
        more="## Why they matter\n\nA blood test can count them.",
    )
    response = client.get("/glossary/ctc/")
    page = soup(response)
    assert text_of(page.select_one("h1")) == "Circulating tumour cells"
    assert len(page.select("h1")) == 1
    assertContains(response, "Also written as: CTC, CTCs")
    assertContains(response, "Cancer cells that have moved into the blood.")
    assertContains(response, "<h3>Why they matter</h3>", html=True)
    assertContains(response, "A blood test can count them.")


@pytest.mark.django_db
def test_term_page_lists_exactly_the_published_pages_that_use_the_word(
    client,
    make_term,
    make_trial,
    make_treatment,
    make_site,
    make_page,
    django_assert_num_queries,
):
    make_term("Ki-67", definition="A protein that shows how fast cells divide.")
    make_term("Grade", definition="How fast a NET is likely to grow. Based on Ki-67.")
    trial = make_trial(title="Ki-67 trial", summary="We measure your Ki-67.")
    make_trial(title="Draft Ki-67 trial", summary="Your Ki-67 again.", state="draft")
    make_trial(title="Unrelated trial", summary="A scan every month.")
    make_treatment("Everolimus", what_it_is="Works best when Ki-67 is low.")
    make_site("Pancreas", overview="Doctors test the Ki-67 of the tumour.")
    make_page("About NETs", body="Ask about your KI-67 result.")
    make_page("Sources page", body="Nothing here.", sources="- A study of Ki-67")

    # content version, the term, the tumour sites it names, one query per kind of page, the
    # term's clinical review
    with django_assert_num_queries(9):
        response = client.get("/glossary/ki-67/")

    section = soup(response).select_one("section.app-glossary-used")
    assert [text_of(h3) for h3 in section.select("h3")] == [
        "Pages",
        "Tumour sites",
        "Treatments",
        "Trials",
        "Glossary terms",
    ]
    links = {text_of(a): a["href"] for a in section.select("a")}
    assert links == {
        "About NETs": "/about-nets/",
        "Sources page": "/sources-page/",
        "Pancreas": "/tumour-sites/pancreas/",
        "Everolimus": "/treatments/everolimus/",
        "Ki-67 trial": trial.get_absolute_url(),
        "Grade": "/glossary/grade/",
    }


@pytest.mark.django_db
def test_a_word_on_many_trials_lists_the_first_ten_and_links_to_the_rest(
    client, make_term, make_trial, make_page, django_assert_num_queries
):
    make_term("Ki-67", definition="A protein that shows how fast cells divide.")
    make_page("About NETs", body="Ask about your Ki-67 result.")
    for number in range(12):
        make_trial(title=f"Trial {number:02d}", summary="We measure your Ki-67.")
    make_trial(title="Trial 00 draft", summary="Your Ki-67 again.", state="draft")

    # content version, the term, the tumour sites it names, one query per kind of page, the
    # term's clinical review
    with django_assert_num_queries(9):
        response = client.get("/glossary/ki-67/")

    section = soup(response).select_one("section.app-glossary-used")
    assert [text_of(h3) for h3 in section.select("h3")] == ["Pages", "Trials (12)"]
    trials = [text_of(a) for a in section.select("ul")[1].select("a")]
    assert trials == [f"Trial {number:02d}" for number in range(10)]
    more = section.select(".app-glossary-used__more")
    assert len(more) == 1  # one page is not "more" of anything
    assert text_of(more[0]) == "And 2 more. Search the trials for “Ki-67”"
    assert more[0].a["href"] == "/trials/?q=Ki-67&status=all"
    # The finder finds the rest.
    assertContains(client.get(more[0].a["href"]), "12 trials found")


def used_on(client, slug):
    section = soup(client.get(f"/glossary/{slug}/")).select_one("section.app-glossary-used")
    return {text_of(a) for a in section.select("a")} if section else set()


@pytest.mark.django_db
def test_the_pages_that_use_a_word_follow_edits_deletions_and_new_words(
    client, make_term, make_trial, make_page
):
    from netinfo.glossary import rerender_all

    trial = make_trial(title="Scan study", summary="You have a biopsy first.")
    page = make_page("Tests", body="A biopsy takes a small piece of tissue.")
    make_term("Biopsy", definition="Taking a small piece of tissue to look at.")
    rerender_all()  # what adding a word does once it is saved (on commit)
    assert used_on(client, "biopsy") == {"Scan study", "Tests"}

    trial.summary = "You have a scan first."
    trial.save()
    assert used_on(client, "biopsy") == {"Tests"}

    page.delete()
    assert used_on(client, "biopsy") == set()
    assertContains(client.get("/glossary/biopsy/"), "No pages on this site use “Biopsy” yet.")


@pytest.mark.django_db
def test_the_data_migration_finds_the_words_in_html_stored_before_it(client, make_term, make_trial):
    from netinfo.models import GlossaryUse

    make_term("Biopsy", definition="Taking a small piece of tissue to look at.")
    make_trial(title="Scan study", summary="You have a biopsy first.")
    GlossaryUse.objects.all().delete()  # as before the table existed

    run_fill("netinfo", "0005_fill_glossary_uses")

    assert used_on(client, "biopsy") == {"Scan study"}


@pytest.mark.django_db
def test_term_page_says_so_when_no_page_uses_the_word(client, make_term):
    make_term("Biopsy")
    response = client.get("/glossary/biopsy/")
    assertContains(response, "No pages on this site use “Biopsy” yet.")


@pytest.mark.django_db
def test_draft_term_is_not_found_by_the_public(client, make_term):
    make_term("Angiogenesis", state="draft")
    assert client.get("/glossary/angiogenesis/").status_code == 404
    assert client.get("/glossary/no-such-word/").status_code == 404


# ---- Pages stay in step with the glossary ----


def popups(response):
    return {
        link["data-glossary"]: link.get("data-glossary-definition")
        for link in soup(response).select("main a.app-glossary")
    }


@pytest.mark.django_db
def test_changing_a_definition_changes_the_trial_page_that_uses_it(
    client, make_term, make_trial, django_capture_on_commit_callbacks
):
    term = make_term("Ki-67", definition="A protein in dividing cells.")
    trial = make_trial(title="Ki-67 trial", summary="We measure your Ki-67.")
    assert popups(client.get(trial.get_absolute_url())) == {"ki-67": "A protein in dividing cells."}

    with django_capture_on_commit_callbacks(execute=True):
        term.definition = "A sign of how fast cells are dividing."
        term.save()

    assert popups(client.get(trial.get_absolute_url())) == {
        "ki-67": "A sign of how fast cells are dividing."
    }


@pytest.mark.django_db
def test_adding_a_term_turns_the_word_into_a_popup_and_deleting_it_removes_it(
    client, make_term, make_trial, django_capture_on_commit_callbacks
):
    trial = make_trial(title="Scan trial", summary="You have a biopsy first.")
    assert popups(client.get(trial.get_absolute_url())) == {}

    with django_capture_on_commit_callbacks(execute=True):
        term = make_term("Biopsy", definition="Taking a small piece of tissue.")
    response = client.get(trial.get_absolute_url())
    assert popups(response) == {"biopsy": "Taking a small piece of tissue."}
    link = soup(response).select_one("main a.app-glossary")
    assert (text_of(link), link["href"]) == ("biopsy", "/glossary/biopsy/")  # the no-JS link
    assertContains(client.get("/glossary/biopsy/"), "Scan trial")

    with django_capture_on_commit_callbacks(execute=True):
        term.delete()
    response = client.get(trial.get_absolute_url())
    assert popups(response) == {}
    assertContains(response, "You have a biopsy first.")


@pytest.mark.django_db
def test_unpublishing_a_term_removes_its_popups(
    client, make_term, make_page, django_capture_on_commit_callbacks
):
    term = make_term("Biopsy", definition="Taking a small piece of tissue.")
    page = make_page("About NETs", body="You may have a biopsy.")
    assert popups(client.get(page.get_absolute_url())) == {
        "biopsy": "Taking a small piece of tissue."
    }
    with django_capture_on_commit_callbacks(execute=True):
        term.state = "draft"
        term.save()
    assert popups(client.get(page.get_absolute_url())) == {}


@pytest.mark.django_db
def test_rerender_content_command_refreshes_pages_after_a_bulk_change(client, make_term, make_page):
    page = make_page("About NETs", body="You may have a biopsy.")
    make_term("Biopsy", definition="Taking a small piece of tissue.")
    # Commit hooks never run inside the test's transaction: like a bulk change made by a
    # script, the new term is not yet on the page.
    assert popups(client.get(page.get_absolute_url())) == {}

    out = StringIO()
    call_command("rerender_content", stdout=out)

    assert "Re-rendered 2 pages" in out.getvalue()  # the page and the term
    assert popups(client.get(page.get_absolute_url())) == {
        "biopsy": "Taking a small piece of tissue."
    }
