"""The plain-English meter editors see in the admin, its live endpoint, and the report of
every published page's reading level."""

import pytest
import textstat
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from netinfo.editorial.readability import label_for
from tests.html import soup, text_of

# One paragraph of plain sentences: the words textstat sees are exactly these.
KNOWN_TEXT = (
    "You have a scan every six months. The scan shows if the tumour has grown. "
    "Your nurse will ring you with the result. Most people find the scan quick and easy."
)
HARD_TEXT = (
    "Somatostatin analogues are administered subcutaneously at twenty-eight day intervals "
    "to patients with unresectable, well-differentiated, metastatic gastroenteropancreatic "
    "neuroendocrine neoplasms, with radiological reassessment performed periodically by "
    "the multidisciplinary team throughout the treatment course. Ask your nurse."
)


def meter(response, field):
    return soup(response).select_one(f'.app-meter[data-meter-for="id_{field}"]')


def figures(element):
    return (
        float(element.select_one("data.app-meter__ease")["value"]),
        float(element.select_one("data.app-meter__grade")["value"]),
        text_of(element.select_one(".app-meter__label")),
    )


def hard_words(element):
    return [text_of(word) for word in element.select(".app-meter__word")]


def change_url(record):
    opts = record._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{record.pk}/change/"


# ---- On the edit form ----


@pytest.mark.django_db
def test_meter_figures_for_a_known_text_equal_textstats(admin_client, make_page):
    page = make_page("Scans", body=KNOWN_TEXT)
    shown = meter(admin_client.get(change_url(page)), "body")
    ease = textstat.flesch_reading_ease(KNOWN_TEXT)
    assert figures(shown) == (ease, textstat.flesch_kincaid_grade(KNOWN_TEXT), label_for(ease))
    assert f"Reading ease {ease:.1f}" in text_of(shown)
    assert ease >= 60
    assert "app-meter__summary--ok" in str(shown)


@pytest.mark.django_db
def test_every_content_admin_has_a_meter_for_each_markdown_field(
    admin_client, make_page, make_site, make_term, make_treatment, make_trial
):
    records = [
        make_page("About NETs", body=KNOWN_TEXT),
        make_site("Pancreas", overview=KNOWN_TEXT),
        make_term("Scan", definition=KNOWN_TEXT),
        make_treatment("Lanreotide", what_it_is=KNOWN_TEXT),
        make_trial(title="Scan trial", summary=KNOWN_TEXT),
    ]
    for record in records:
        response = admin_client.get(change_url(record))
        assert response.status_code == 200
        meters = soup(response).select(".app-meter")
        assert [m["data-meter-for"] for m in meters] == [
            f"id_{name}" for name in record.markdown_fields
        ], record
        # The meter sits with its textarea, which still holds the editor's text.
        first = record.markdown_fields[0]
        assert soup(response).select_one(f"textarea#id_{first}").text.strip() == KNOWN_TEXT
    assertContains(response, "/static/js/meter.js")


@pytest.mark.django_db
def test_meter_shows_long_sentences_longest_first(admin_client, make_page):
    longest = " ".join(["word"] * 40) + "."
    long = " ".join(["scan"] * 30) + "."
    page = make_page("Long", body=f"Short one. {long} {longest} Short two.")
    shown = meter(admin_client.get(change_url(page)), "body")
    sentences = shown.select(".app-meter__sentences li")
    assert [text_of(item.select_one(".app-meter__count")) for item in sentences] == [
        "(40 words)",
        "(30 words)",
    ]
    assert "2 sentences over 25 words" in text_of(shown)


@pytest.mark.django_db
def test_meter_lists_words_with_no_glossary_entry_with_a_link_to_add_one(
    admin_client, make_page, make_term
):
    make_term(
        "Neuroendocrine tumour", forms=("neuroendocrine neoplasm", "neuroendocrine neoplasms")
    )
    make_term("Somatostatin analogue", forms=("somatostatin analogues",))
    page = make_page("Hard", body=HARD_TEXT)
    shown = meter(admin_client.get(change_url(page)), "body")

    words = hard_words(shown)
    assert "subcutaneously" in words
    assert "gastroenteropancreatic" in words
    assert "multidisciplinary" in words
    # Explained by the glossary, or everyday words: not listed.
    for explained in ("Somatostatin", "analogues", "neuroendocrine", "neoplasms", "nurse"):
        assert explained not in words

    link = shown.select_one('a[href^="/admin/netinfo/glossaryterm/add/?term=subcutaneously"]')
    assert text_of(link) == "add “subcutaneously” to the glossary"
    assert (
        link["href"] == "/admin/netinfo/glossaryterm/add/?term=subcutaneously&slug=subcutaneously"
    )

    # Following the link opens the glossary's add form with the word filled in.
    form = soup(admin_client.get(link["href"]))
    assert form.select_one("input#id_term")["value"] == "subcutaneously"
    assert form.select_one("input#id_slug")["value"] == "subcutaneously"


@pytest.mark.django_db
def test_hard_text_is_labelled_hard_and_a_published_term_removes_the_word(
    admin_client, make_page, make_term
):
    page = make_page("Hard", body=HARD_TEXT)
    before = meter(admin_client.get(change_url(page)), "body")
    assert figures(before)[0] < 30
    assert figures(before)[2] == "Very hard"
    assert "app-meter__summary--hard" in str(before)
    assert "multidisciplinary" in hard_words(before)

    make_term("Multidisciplinary team", forms=("MDT",))
    after = meter(admin_client.get(change_url(page)), "body")
    assert "multidisciplinary" not in hard_words(after)


@pytest.mark.django_db
def test_a_word_only_a_draft_term_explains_links_to_that_draft(admin_client, make_page, make_term):
    draft = make_term("Subcutaneous", forms=("subcutaneously",), state="draft")
    page = make_page("Hard", body=HARD_TEXT)
    shown = meter(admin_client.get(change_url(page)), "body")
    assert "subcutaneously" in hard_words(shown)  # not yet explained on the page
    link = shown.find("a", string=lambda text: text and "draft entry" in text)
    assert link["href"] == change_url(draft)
    assertNotContains(admin_client.get(change_url(page)), "add “subcutaneously” to the glossary")


@pytest.mark.django_db
def test_meter_measures_the_submitted_text_when_a_save_is_refused(admin_client):
    # No title: the form comes back with the error, and the meter is for what was typed.
    response = admin_client.post("/admin/netinfo/page/add/", {"slug": "x", "body": HARD_TEXT})
    assert response.status_code == 200
    assertContains(response, "This field is required")
    shown = meter(response, "body")
    assert figures(shown)[0] == textstat.flesch_reading_ease(HARD_TEXT)
    assert "multidisciplinary" in hard_words(shown)


@pytest.mark.django_db
def test_empty_field_says_how_to_start(admin_client, make_page):
    page = make_page("Empty", body="")
    shown = meter(admin_client.get(change_url(page)), "body")
    assert "Write some text to see how easy it is to read." in text_of(shown)


# ---- The live endpoint (used by meter.js) ----


@pytest.mark.django_db
def test_endpoint_returns_textstats_figures_and_the_meter_html(admin_client, make_term):
    make_term("Scan")
    response = admin_client.post("/admin/readability/measure/", {"text": KNOWN_TEXT})
    assert response.status_code == 200
    data = response.json()
    assert data["reading_ease"] == textstat.flesch_reading_ease(KNOWN_TEXT)
    assert data["grade"] == textstat.flesch_kincaid_grade(KNOWN_TEXT)
    assert data["label"] == label_for(data["reading_ease"])
    assert data["words"] == textstat.lexicon_count(KNOWN_TEXT)
    assert data["long_sentences"] == []
    assert [item["word"] for item in data["unexplained_words"]] == []
    assert "Reading ease" in data["html"]

    hard = admin_client.post("/admin/readability/measure/", {"text": HARD_TEXT}).json()
    words = {item["word"]: item["add_url"] for item in hard["unexplained_words"]}
    assert words["multidisciplinary"].endswith("?term=multidisciplinary&slug=multidisciplinary")
    assert len(hard["long_sentences"]) == 1


@pytest.mark.django_db
def test_endpoint_is_for_staff_only_and_needs_a_csrf_token(admin_user, django_user_model):
    assert Client().post("/admin/readability/measure/", {"text": "x"}).status_code == 302

    patient = django_user_model.objects.create_user("patient", password="pw")
    client = Client()
    client.force_login(patient)
    assert client.post("/admin/readability/measure/", {"text": "x"}).status_code == 302

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin_user)
    assert strict.post("/admin/readability/measure/", {"text": "x"}).status_code == 403
    assert strict.get("/admin/readability/measure/").status_code == 405


@pytest.mark.django_db
def test_endpoint_refuses_enormous_text(admin_client):
    response = admin_client.post("/admin/readability/measure/", {"text": "word " * 30_000})
    assert response.status_code == 400


# ---- The report ----


def report_rows(response):
    return [
        (text_of(row.select_one("th")), float(row.select_one("data")["value"]))
        for row in soup(response).select("table.app-report tbody tr")
        if row.select_one("data")
    ]


@pytest.mark.django_db
def test_report_lists_every_published_page_worst_first_with_edit_links(
    admin_client, make_page, make_site, make_term, make_trial, make_treatment
):
    easy = make_page("Easy page", body=KNOWN_TEXT)
    make_page("Draft page", body=HARD_TEXT, state="draft")
    hard_trial = make_trial(title="Hard trial", summary=HARD_TEXT)
    make_site("Pancreas", overview="Some NETs start in the pancreas. It is behind your stomach.")
    make_term("Biopsy", definition="Taking a small piece of tissue to look at under a microscope.")
    make_treatment("Lanreotide", what_it_is="An injection under the skin, every 4 weeks.")

    response = admin_client.get("/admin/readability/")
    rows = report_rows(response)
    titles = [title for title, _ in rows]
    assert set(titles) == {"Easy page", "Hard trial", "Pancreas", "Biopsy", "Lanreotide"}
    assert titles[0] == "Hard trial"
    eases = [ease for _, ease in rows]
    assert eases == sorted(eases)
    assert "Draft page" not in titles

    page = soup(response)
    assert page.select_one(f'a[href="{change_url(hard_trial)}"]') is not None
    assert page.select_one(f'a[href="{change_url(easy)}"]') is not None
    assert page.select_one(f'a[href="{hard_trial.get_absolute_url()}"]') is not None
    assert "1 of 5 pages is below that" in text_of(page.select_one("#content-main p"))


@pytest.mark.django_db
def test_report_can_show_one_kind_of_page(admin_client, make_page, make_trial):
    make_page("Easy page", body=KNOWN_TEXT)
    make_trial(title="Hard trial", summary=HARD_TEXT)
    titles = [title for title, _ in report_rows(admin_client.get("/admin/readability/?kind=trial"))]
    assert titles == ["Hard trial"]
    everything = report_rows(admin_client.get("/admin/readability/?kind=nonsense"))
    assert len(everything) == 2


@pytest.mark.django_db
def test_report_query_count_does_not_grow_with_pages(admin_client, make_page):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get("/admin/readability/").status_code == 200
        return len(context.captured_queries)

    make_page("One", body=KNOWN_TEXT)
    few = queries()
    for number in range(10):
        make_page(f"Page {number}", body=KNOWN_TEXT)
    assert queries() == few


@pytest.mark.django_db
def test_report_is_for_staff_only(client, make_page):
    make_page("Easy page", body=KNOWN_TEXT)
    response = client.get("/admin/readability/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_report_figures_follow_an_edit(admin_client, make_page):
    page = make_page("Changing page", body=KNOWN_TEXT)
    before = report_rows(admin_client.get("/admin/readability/"))
    page.body = HARD_TEXT
    page.save()
    after = report_rows(admin_client.get("/admin/readability/"))
    assert before[0][1] == textstat.flesch_reading_ease(KNOWN_TEXT)
    assert after[0][1] < before[0][1]


@pytest.mark.django_db
def test_admin_index_links_to_the_report(admin_client):
    response = admin_client.get("/admin/")
    assert soup(response).select_one('a[href="/admin/readability/"]') is not None


@pytest.mark.django_db
def test_a_medical_phrase_is_suggested_for_the_glossary_as_one_term(admin_client, make_page):
    page = make_page("Phrase", body="Sunitinib is a tyrosine kinase inhibitor. It is a tablet.")
    shown = meter(admin_client.get(change_url(page)), "body")
    words = hard_words(shown)
    assert "tyrosine kinase inhibitor" in words
    assert "tyrosine" not in words and "inhibitor" not in words
    link = shown.select_one('a[href*="term=tyrosine+kinase+inhibitor"]')
    assert link["href"].endswith("&slug=tyrosine-kinase-inhibitor")


@pytest.mark.django_db
def test_a_multi_word_draft_term_is_suggested_whole_and_links_to_the_draft(
    admin_client, make_page, make_term
):
    draft = make_term("Hepatic venous sampling", state="draft")
    page = make_page("Phrase", body="You may have hepatic venous sampling before surgery.")
    shown = meter(admin_client.get(change_url(page)), "body")
    assert "hepatic venous sampling" in hard_words(shown)
    link = shown.find("a", string=lambda text: text and "draft entry" in text)
    assert link["href"] == change_url(draft)
