"""The trial page patients read, /trials/<slug>/, for a fully filled-in trial (made once for
the module): every section in order, and what each says. Trials with little or odd data, and
the page's query count: test_trial_page_edges.py."""

import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from tests import factories
from tests.html import soup, text_of
from tests.shared import shared_by_module
from tests.trial_pages import headings, jsonld, main_text
from trials.models import Location, Publication

# Every section a fully filled-in trial shows, in page order.
ALL_SECTIONS = [
    "What the trial wants to find out",
    "Who can take part",
    "What happens in the trial",
    "What the trial found",
    "Recruitment dates",
    "How to join",
    "Who runs the trial",
    "More detailed information",
    "Where this information comes from",
    "Where this trial is registered",
    "Registry information (technical)",
    "Ethics approval",
    "Related information",
]


def make_full_trial():
    """A trial with every field filled in, like the CALM-NET summary."""
    small_bowel = factories.make_site("Small bowel (midgut)", slug="small-bowel")
    lanreotide = factories.make_treatment(
        "Somatostatin analogues", type_name="Somatostatin analogues"
    )
    trial = factories.make_trial(
        "A study of circulating tumour cells in NETs",
        acronym="CALM-NET",
        official_title="Circulating tumour cells and tumour biomarkers in functional midgut NETs",
        status="open",
        phase="2",
        sites=[small_bowel],
        treatments=[lanreotide],
        identifiers=[("nct", "NCT02683941"), ("isrctn", "ISRCTN12345678")],
        accepts_g1=True,
        accepts_g2=True,
        functioning="required",
        summary="This study is for people with a NET in their bowel.",
        aims="To find out if having CTCs affects how well treatment works.",
        who_can_take_part="- You have diarrhoea from your NET",
        what_happens="You have blood tests before you start lanreotide.",
        results="Symptoms improved for 14 out of 18 people (78%) who had CTCs.",
        recruitment_start=datetime.date(2014, 3, 1),
        recruitment_start_precision="month",
        recruitment_end=datetime.date(2016, 1, 1),
        recruitment_end_precision="year",
        target_size=40,
        actual_size=40,
        chief_investigator="Professor Tim Meyer",
        sponsor="University College London",
        funders="Experimental Cancer Medicine Centre (ECMC)\nNIHR Clinical Research Network",
        contact_name="Andrea Frilling",
        contact_email="a.frilling@example.org",
        contact_phone="020 7946 0000",
        rec_name="South Central - Hampshire B Research Ethics Committee",
        rec_reference="23/SC/0293",
        rec_opinion="Favourable opinion",
        rec_opinion_date=datetime.date(2024, 1, 15),
        registry_summary="Circulating tumour cells (CTCs) are <b>prognostic</b>.",
        registry_eligibility="Inclusion Criteria:\n\n* Midgut NET",
        registry_updated=datetime.date(2025, 2, 3),
        registry_checked=timezone.localdate() - datetime.timedelta(days=30),
        sources="- [Journal of Neuroendocrinology, 2022](https://doi.org/10.1111/jne.13116)",
        last_reviewed=datetime.date(2025, 6, 1),
    )
    Location.objects.create(trial=trial, name="Royal Free Hospital", town="London", region="London")
    Location.objects.create(
        trial=trial,
        name="Beatson West of Scotland Cancer Centre",
        town="Glasgow",
        region="Scotland",
        recruiting=False,
    )
    Publication.objects.create(
        trial=trial,
        authors="T Meyer and others",
        title="Circulating tumour cells and tumour biomarkers in functional midgut NETs",
        journal="Journal of Neuroendocrinology",
        year=2022,
        volume="34",
        issue="4",
        doi="10.1111/jne.13116",
    )
    factories.make_trial("Another small bowel study", acronym="OTHER", sites=[small_bowel])
    return trial


_full_trial, full_trial = shared_by_module(make_full_trial, "full_trial")


@pytest.mark.django_db
def test_a_full_trial_shows_every_section_in_page_order(client, full_trial):
    response = client.get(full_trial.get_absolute_url())

    assert response.status_code == 200
    assert headings(response) == ALL_SECTIONS
    html = soup(response)
    assert text_of(html.find("h1")) == "A study of circulating tumour cells in NETs (CALM-NET)"
    # Sources appear once, in page order, not again in the review block at the foot.
    assert html.get_text().count("Where this information comes from") == 1
    assertContains(response, "Page last reviewed:")


@pytest.mark.django_db
def test_the_status_is_shown_in_words_with_what_it_means(client, full_trial):
    html = soup(client.get(full_trial.get_absolute_url()))

    tag = html.find(class_="app-tag--open")
    assert text_of(tag) == "Open to new patients"
    assert "The trial is looking for people to take part now." in text_of(html.find("main"))


@pytest.mark.django_db
def test_the_phase_is_explained_in_a_sentence(client, full_trial):
    text = main_text(client.get(full_trial.get_absolute_url()))

    assert (
        "This is a phase 2 trial. Phase 2 trials test whether a treatment works and find out "
        "more about side effects." in text
    )


@pytest.mark.django_db
def test_results_keep_the_numbers_as_the_editor_wrote_them(client, full_trial):
    assertContains(
        client.get(full_trial.get_absolute_url()), "14 out of 18 people (78%) who had CTCs"
    )


@pytest.mark.django_db
def test_how_to_join_says_talk_to_your_doctor_and_gives_the_contact(client, full_trial):
    html = soup(client.get(full_trial.get_absolute_url()))

    section = html.find(id="how-to-join").find_parent("section")
    text = text_of(section)
    assert "Talk to your doctor or specialist nurse" in text
    assert "Andrea Frilling" in text
    assert section.find("a", href="mailto:a.frilling@example.org")
    assert section.find("a", href="tel:02079460000")


@pytest.mark.django_db
def test_hospitals_are_grouped_by_region_and_say_which_are_taking_people(client, full_trial):
    html = soup(client.get(full_trial.get_absolute_url()))

    section = html.find(id="how-to-join").find_parent("section")
    assert [text_of(h) for h in section.find_all("h4")] == ["London", "Scotland"]
    items = [text_of(li) for li in section.find_all("li")]
    assert "Royal Free Hospital : taking new people" in items
    assert "Beatson West of Scotland Cancer Centre, Glasgow : not taking new people here" in items


@pytest.mark.django_db
def test_a_closed_trial_does_not_claim_any_hospital_is_taking_people(client, full_trial):
    full_trial.status = "closed"
    full_trial.save()

    response = client.get(full_trial.get_absolute_url())

    assertContains(response, "Royal Free Hospital")
    assertNotContains(response, "taking new people here")
    assertNotContains(response, "Hospitals taking part")
    assertContains(response, "This trial is not taking new people.")


@pytest.mark.django_db
def test_who_runs_it_lists_the_lead_doctor_sponsor_and_supporters(client, full_trial):
    html = soup(client.get(full_trial.get_absolute_url()))

    section = html.find(id="who-runs-it").find_parent("section")
    text = text_of(section)
    assert "Professor Tim Meyer" in text
    assert "University College London" in text
    assert [text_of(li) for li in section.find_all("li")] == [
        "Experimental Cancer Medicine Centre (ECMC)",
        "NIHR Clinical Research Network",
    ]


@pytest.mark.django_db
def test_publications_are_citations_with_a_link(client, full_trial):
    html = soup(client.get(full_trial.get_absolute_url()))

    citation = html.find(class_="app-trial-page__citation")
    assert text_of(citation.find("cite")) == (
        "T Meyer and others. Circulating tumour cells and tumour biomarkers in functional "
        "midgut NETs. Journal of Neuroendocrinology, 2022. Volume 34, Issue 4."
    )
    assert citation.find("a", href="https://doi.org/10.1111/jne.13116")


@pytest.mark.django_db
def test_registry_numbers_link_to_their_registry(client, full_trial):
    html = soup(client.get(full_trial.get_absolute_url()))

    section = html.find(id="registered").find_parent("section")
    links = {text_of(a): a["href"] for a in section.find_all("a")}
    assert links == {
        "NCT02683941": "https://clinicaltrials.gov/study/NCT02683941",
        "ISRCTN12345678": "https://www.isrctn.com/ISRCTN12345678",
    }


@pytest.mark.django_db
def test_ethics_approval_is_shown(client, full_trial):
    html = soup(client.get(full_trial.get_absolute_url()))

    text = text_of(html.find(id="ethics").find_parent("section"))
    assert "South Central - Hampshire B Research Ethics Committee" in text
    assert "23/SC/0293" in text
    assert "15 January 2024" in text


@pytest.mark.django_db
def test_registry_text_is_escaped_labelled_technical_and_says_where_it_is_from(client, full_trial):
    response = client.get(full_trial.get_absolute_url())
    html = soup(response)

    section = html.find(id="registry-information").find_parent("section")
    assert "(technical)" in text_of(section.find("h2"))
    checked = full_trial.registry_checked
    assert (
        "From ClinicalTrials.gov, record last updated 3 February 2025, checked by us "
        f"{checked.day} {checked:%B %Y}." in text_of(section)
    )
    details = section.find("details")
    assert "Circulating tumour cells (CTCs) are <b>prognostic</b>." in text_of(details)
    assert details.find("b") is None
    assertContains(response, "&lt;b&gt;prognostic&lt;/b&gt;")
    assertNotContains(response, "Status not confirmed")


@pytest.mark.django_db
def test_related_shows_other_published_trials_for_the_site_and_the_treatment_pages(
    client, full_trial, make_trial, make_site, make_treatment
):
    small_bowel = full_trial.sites.get()
    make_trial("A draft small bowel study", state="draft", sites=[small_bowel])
    make_trial("A lung study", sites=[make_site("Lung", slug="lung")])
    full_trial.treatments.add(make_treatment("Hidden draft treatment", state="draft"))

    html = soup(client.get(full_trial.get_absolute_url()))

    related = html.find(id="related").find_parent("section")
    links = {text_of(a): a["href"] for a in related.find_all("a")}
    assert "Another small bowel study (OTHER)" in links
    assert "A draft small bowel study" not in text_of(related)
    assert "A lung study" not in text_of(related)
    assert "CALM-NET" not in text_of(related), "a trial is not related to itself"
    assert links["Somatostatin analogues"] == "/treatments/somatostatin-analogues/"
    assert "Hidden draft treatment" not in text_of(related)
    assert links["Find all trials for Small bowel (midgut) NETs"] == "/trials/?site=small-bowel"


@pytest.mark.django_db
def test_jsonld_parses_and_matches_the_page(client, full_trial):
    response = client.get(full_trial.get_absolute_url())
    data = jsonld(response)
    html = soup(response)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalTrial"
    assert data["name"] == "A study of circulating tumour cells in NETs"
    assert data["alternateName"] == "CALM-NET"
    assert data["url"] == "http://testserver" + full_trial.get_absolute_url()
    assert data["status"] == "https://schema.org/Recruiting"
    assert text_of(html.find(class_="app-tag")) == "Open to new patients"
    assert data["phase"] == "Phase 2"
    assert data["sponsor"] == {"@type": "Organization", "name": "University College London"}
    assert data["healthCondition"] == [
        {"@type": "MedicalCondition", "name": "Small bowel (midgut) NETs"}
    ]
    registry_links = {
        a["href"] for a in html.find(id="registered").find_parent("section").find_all("a")
    }
    assert {(i["propertyID"], i["value"]) for i in data["identifier"]} == {
        ("ClinicalTrials.gov (NCT)", "NCT02683941"),
        ("ISRCTN", "ISRCTN12345678"),
    }
    assert {i["url"] for i in data["identifier"]} == registry_links


def _strings(value, key=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, key)
    else:
        yield key, value


@pytest.mark.django_db
def test_jsonld_says_nothing_the_page_does_not(client, full_trial):
    response = client.get(full_trial.get_absolute_url())
    html = soup(response)
    page_text = text_of(html.find("main")).lower()
    hrefs = {a["href"] for a in html.find_all("a", href=True)}

    for key, value in _strings(jsonld(response)):
        if key.startswith("@") or key == "status":
            continue  # schema.org vocabulary, checked against the page above
        if key == "url":
            assert value in hrefs or value == "http://testserver" + full_trial.get_absolute_url()
            continue
        assert str(value).lower() in page_text, f"{key}: {value!r} is not on the page"
