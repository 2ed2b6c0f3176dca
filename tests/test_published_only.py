"""A published page shows only published related records: a draft tumour site, treatment,
trial or page linked to a published record never shows its name anywhere the public looks."""

import json

import pytest

from tests.html import soup

DRAFT_WORDS = ("Secretsite", "Draftomab", "Hiddenstudy", "Unfinishedpage")


@pytest.fixture
def linked_drafts(make_site, make_term, make_treatment, make_use, make_trial, make_page):
    """Published records, each linked every way it can be to a draft."""
    site = make_site("Pancreas")
    draft_site = make_site("Secretsite", state="draft")
    make_term("Biomarker", definition="A sign in the body that can be measured.")
    treatment = make_treatment("Everolimus", summary="Tablets. Ask about a biomarker.")
    draft_treatment = make_treatment("Draftomab", state="draft", summary="A biomarker drug.")
    for used in (treatment, draft_treatment):
        for where in (site, draft_site):
            make_use(used, where)
    published = make_trial(
        "Published study",
        status="open",
        sites=[site, draft_site],
        treatments=[treatment, draft_treatment],
        summary="Tests a biomarker.",
    )
    make_trial(
        "Hiddenstudy",
        state="draft",
        status="open",
        sites=[site, draft_site],
        treatments=[treatment, draft_treatment],
        summary="A biomarker study.",
    )
    make_page("About NETs", body="Read about your biomarker.")
    make_page("Unfinishedpage", state="draft", body="A biomarker draft.")
    return {"site": site, "treatment": treatment, "trial": published}


def _public_urls(records):
    return [
        "/",
        "/trials/",
        f"/trials/?site={records['site'].slug}",
        "/trials/?q=pancreas",
        "/trials/feed/",
        f"/trials/feed/?site={records['site'].slug}",
        records["trial"].get_absolute_url(),
        "/treatments/",
        f"/treatments/?site={records['site'].slug}",
        records["treatment"].get_absolute_url(),
        "/tumour-sites/",
        records["site"].get_absolute_url(),
        "/glossary/",
        "/glossary/biomarker/",
        "/about-nets/",
        "/sitemap.xml",
    ]


def test_no_draft_linked_to_a_published_record_is_named_on_any_public_page(client, linked_drafts):
    for url in _public_urls(linked_drafts):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for word in DRAFT_WORDS:
            assert word not in text, f"{word} shown on {url}"


def test_a_trial_page_names_only_its_published_tumour_sites_for_people_and_search_engines(
    client, linked_drafts
):
    html = soup(client.get(linked_drafts["trial"].get_absolute_url()))
    data = json.loads(html.find("script", type="application/ld+json").string)
    assert [condition["name"] for condition in data["healthCondition"]] == ["Pancreas NETs"]
    assert "Pancreas" in html.get_text()
    assert "Secretsite" not in html.get_text()
