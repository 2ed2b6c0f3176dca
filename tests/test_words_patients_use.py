"""The words patients use ("insulinoma", "pNET", "MEN1") lead to the right tumour site and
its trials, in the finder and the glossary (every word of issue 19 in the starting content:
tests/starting_content/test_words_in_starting_content.py); and hard words a template writes
(filter hints, fact boxes, table cells, summaries) get pop-ups too, once a page."""

from collections import Counter

import pytest

from tests.editorial import admin_url, form_data
from tests.finder_world import finder, result_titles, site_note
from tests.html import soup, text_of

pytest_plugins = ["tests.editorial_fixtures"]


@pytest.fixture
def pancreas(make_site):
    return make_site("Pancreas", slug="pancreas")


@pytest.fixture
def insulinoma(make_term, pancreas):
    term = make_term(
        "Insulinoma",
        definition="A NET that starts in the insulin-making cells of the pancreas.",
        forms=["insulinomas"],
    )
    term.tumour_sites.set([pancreas])
    return term


# ---- The finder ----


@pytest.mark.django_db
def test_a_word_for_a_kind_of_net_finds_its_sites_trials(client, make_trial, pancreas, insulinoma):
    make_trial("Lanreotide for NETs of the pancreas", sites=[pancreas], status="open")
    make_trial("A lung trial", status="open")

    for typed in ("insulinoma", "Insulinomas", "INSULINOMA"):
        page = finder(client, q=typed)
        # Neither trial says "insulinoma": the pancreas trial is found through its site.
        assert result_titles(page) == ["Lanreotide for NETs of the pancreas"]
        note = site_note(page)
        assert "we also looked for trials for Pancreas NETs" in " ".join(text_of(note).split())
        assert note.select_one("a")["href"] == "/tumour-sites/pancreas/"


@pytest.mark.django_db
def test_says_plainly_when_no_trial_for_that_site_is_open(client, make_trial, pancreas, insulinoma):
    make_trial("An old pancreas trial", sites=[pancreas], status="closed")

    page = finder(client, q="insulinoma")

    assert result_titles(page) == []
    note = text_of(site_note(page))
    assert "No trials for Pancreas NETs are open or opening soon on this site" in note
    assert site_note(page).select_one('a[href="/tumour-sites/pancreas/"]')
    # With another choice that rules the site's trials out, it says so instead.
    other = text_of(site_note(finder(client, q="insulinoma", phase="3")))
    assert "No trials for Pancreas NETs match your other choices" in other
    # With every status, the closed trial is there.
    assert result_titles(finder(client, q="insulinoma", status="all")) == ["An old pancreas trial"]


@pytest.mark.django_db
def test_a_draft_site_is_neither_searched_nor_linked(client, make_trial, make_site, make_term):
    hidden = make_site("Hidden place", slug="hidden", state="draft")
    term = make_term("Hiddenoma", definition="A made-up NET.")
    term.tumour_sites.set([hidden])
    make_trial("A trial in the hidden place", sites=[hidden], status="open")

    page = finder(client, q="hiddenoma")

    assert result_titles(page) == []
    assert site_note(page) is None
    assert "/tumour-sites/hidden/" not in str(page)


@pytest.mark.django_db
def test_general_words_name_no_site(client, make_trial, make_term, pancreas):
    make_term("Tumour", definition="A lump.", forms=["tumours"])
    make_trial("A tumour trial", status="open")

    page = finder(client, q="tumour")

    assert result_titles(page) == ["A tumour trial"]
    assert site_note(page) is None


# ---- The glossary ----


@pytest.mark.django_db
def test_the_terms_page_links_the_site_and_its_trials(client, insulinoma):
    page = soup(client.get("/glossary/insulinoma/"))

    section = page.select_one(".app-glossary-term__sites")
    links = {link["href"] for link in section.select("a")}
    assert links == {"/tumour-sites/pancreas/", "/trials/?site=pancreas"}


@pytest.mark.django_db
def test_an_approver_ticks_the_sites_a_word_names_in_the_admin(
    approver_client, client, make_term, make_trial, pancreas, make_site
):
    # (An editor's change to a published term waits for an approver: netinfo/editorial/pending.py.)
    lung = make_site("Lung", slug="lung")
    make_trial("A lung trial", sites=[lung], status="open")
    term = make_term("Bronchial carcinoid", definition="A NET of the lung.")
    url = admin_url(term)
    page = approver_client.get(url)
    boxes = soup(page).select('input[type=checkbox][name="tumour_sites"]')
    assert {box.find_parent("label").get_text(strip=True) for box in boxes} == {"Pancreas", "Lung"}

    response = approver_client.post(url, {**form_data(page), "tumour_sites": [str(lung.pk)]})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(term.tumour_sites.all()) == [lung]
    assert result_titles(finder(client, q="bronchial carcinoid")) == ["A lung trial"]


# ---- Hard words in template text ----


def popups(page, selector="main"):
    return Counter(a["data-glossary"] for a in page.select(f"{selector} a.app-glossary"))


@pytest.mark.django_db
def test_the_finders_filter_hints_explain_their_hard_words(client, make_term):
    make_term("Ki-67", definition="A test that shows how fast cells divide.", forms=["Ki67"])
    make_term("Carcinoid syndrome", definition="Symptoms from hormones a NET makes.")

    page = finder(client)

    grade_hint = page.select_one("#grade-1-hint")
    assert grade_hint.select_one('a.app-glossary[data-glossary="ki-67"]')
    assert page.select_one(
        '#facet-functioning-hint a.app-glossary[data-glossary="carcinoid-syndrome"]'
    )
    # Explained once a page: the other grade hints say Ki-67 as plain words.
    assert popups(page)["ki-67"] == 1
    assert "Ki-67" in text_of(page.select_one("#grade-2-hint"))


@pytest.mark.django_db
def test_a_trials_fact_box_explains_its_words_and_the_body_does_not_repeat_it(
    client, make_trial, make_term
):
    make_term(
        "Phase 2 trial",
        definition="A trial that tests how well a treatment works.",
        forms=["phase 2"],
    )
    make_term("Carcinoid syndrome", definition="Symptoms from hormones a NET makes.")
    trial = make_trial(
        "A trial",
        phase="2",
        functioning="required",
        summary="This phase 2 trial is for people with carcinoid syndrome.",
        status="open",
    )

    page = soup(client.get(trial.get_absolute_url()))

    facts = page.select_one(".app-trial-page__facts")
    assert facts.select_one('a.app-glossary[data-glossary="phase-2-trial"]')
    # The summary explained both words when it was saved; on the page each is explained
    # at its first use only: the fact box, then "Who can take part" for carcinoid syndrome...
    assert popups(page) == Counter({"phase-2-trial": 1, "carcinoid-syndrome": 1})
    summary = page.select_one(".app-trial-page__summary")
    assert not summary.select('a.app-glossary[data-glossary="phase-2-trial"]')
    assert "phase 2 trial" in text_of(summary)
    # ...which comes before "Who can take part" on the page: the summary keeps its pop-up.
    assert summary.select_one('a.app-glossary[data-glossary="carcinoid-syndrome"]')


@pytest.mark.django_db
def test_table_cells_and_summaries_explain_their_words(
    client, make_site, make_treatment, make_use, make_term
):
    make_term("Licensed", definition="Approved for a certain use.")
    make_term("Somatostatin analogue", definition="A drug like the hormone somatostatin.")
    site = make_site("Pancreas", slug="pancreas", summary="Doctors use a somatostatin analogue.")
    prrt = make_treatment("PRRT", slug="prrt")
    make_use(prrt, site, note="Licensed for grade 1 and 2.")

    page = soup(client.get("/tumour-sites/pancreas/"))

    assert page.select_one('.app-lede a.app-glossary[data-glossary="somatostatin-analogue"]')
    assert page.select_one('td a.app-glossary[data-glossary="licensed"]')
    assert max(popups(page).values()) == 1


@pytest.mark.django_db
def test_the_glossary_list_explains_a_word_once(client, make_term):
    make_term("Gland", definition="Part of the body that makes hormones.")
    make_term("Hormone", definition="A chemical messenger made by a gland.")
    make_term("Adrenal", definition="A small gland above each kidney.")

    page = soup(client.get("/glossary/"))

    assert popups(page)["gland"] == 1
    assert "gland" in text_of(page.select_one("#letter-h").find_parent("section"))


@pytest.mark.django_db
def test_template_text_stays_escaped_around_its_pop_ups(client, make_site, make_term):
    make_term("Ki-67", definition="A test <b>of</b> how fast cells divide.")
    make_site("Pancreas", slug="pancreas", summary='<script>alert("x")</script> Ki-67 & grade')

    response = client.get("/tumour-sites/pancreas/")
    html = response.content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html or (
        '&lt;script&gt;alert("x")&lt;/script&gt;' in html
    )
    lede = soup(response).select_one(".app-lede")
    assert lede.select_one('a.app-glossary[data-glossary="ki-67"]').get_text() == "Ki-67"
    assert text_of(lede).endswith("Ki-67 & grade")
