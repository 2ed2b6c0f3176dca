"""The starting content says what its sources say.

Loads fixtures/ with the run command's own loading step, then reads the public pages as a
patient would and checks the facts that matter against the source documents in
../shared/seeds/: CALM-NET's results, NELMAS's size and approvals, SPINET's intervals and
every registry number. Also: every public page renders, facts no source gives stay blank, and
the summaries stay easy to read.
"""

import pytest

from netinfo.editorial.readability import measure
from netinfo.models import Page, a_year_from
from tests.html import soup, text_of
from trials.models import Trial

NCT_NUMBERS = {
    "netter-1": "NCT01578239",
    "liver-embolisation-trial": "NCT02724540",
    "spinet": "NCT02683941",
    "ea2142": "NCT02595424",
    "nelmas": "NCT05987176",
}


def main_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return text_of(soup(response).find("main"))


def list_item(client, url, containing):
    """The text of the one list item on the page that contains ``containing``."""
    items = [
        text_of(li)
        for li in soup(client.get(url)).find("main").find_all("li")
        if containing in text_of(li)
    ]
    assert len(items) == 1, (containing, items)
    return items[0]


def test_the_content_loads_with_the_fixed_ids(content):
    from netinfo.models import Page
    from trials.models import Trial

    assert dict(Trial.objects.published().values_list("pk", "slug")) == {
        1: "calm-net",
        2: "netter-1",
        3: "liver-embolisation-trial",
        4: "spinet",
        5: "ea2142",
        6: "nelmas",
    }
    assert dict(Page.objects.published().values_list("pk", "slug")) == {
        1: "home",
        2: "about-nets",
        3: "joining-a-clinical-trial",
        4: "about-this-information",
        5: "faq",
        6: "who-we-are",
        7: "editorial-policy",
        8: "funding-and-conflicts-of-interest",
        9: "privacy",
        10: "accessibility",
        11: "contact",
        # The list pages' own records: their review dates and sources (fixtures/55_list_pages.json)
        901: "trials",
        902: "treatments",
        903: "tumour-sites",
        904: "glossary",
    }
    # The records point at the right sites, treatments and drugs of the other fixtures.
    spinet = Trial.objects.get(slug="spinet")
    assert [site.slug for site in spinet.sites.all()] == ["lung"]
    assert [drug.slug for drug in spinet.drugs.all()] == ["lanreotide"]
    calm_net = Trial.objects.get(slug="calm-net")
    assert [site.slug for site in calm_net.sites.all()] == ["small-bowel"]
    assert sorted(t.slug for t in Trial.objects.get(slug="ea2142").treatments.all()) == [
        "capecitabine-temozolomide",
        "platinum-etoposide",
    ]
    assert sorted(d.slug for d in Trial.objects.get(slug="nelmas").drugs.all()) == [
        "lutetium-177-dotatate"
    ]


def test_calm_net_gives_its_results_exactly_as_published(client, content):
    url = "/trials/calm-net/"
    text = main_text(client, url)

    assert "40 people had blood tests and finished their treatment" in text
    assert "Symptoms got better with lanreotide for 35 out of 40 people (87%)" in text
    with_ctcs = list_item(client, url, "14 out of 18 people (78%)")
    assert "who had CTCs" in with_ctcs and "did not" not in with_ctcs
    without_ctcs = list_item(client, url, "21 out of 22 people (95%)")
    assert "who did not have CTCs" in without_ctcs
    # Honest about what a study of 40 people can show.
    assert "only 40 people took part" in text

    assert "Results available" in text
    assert "Professor Tim Meyer" in text
    assert "Experimental Cancer Medicine Centre (ECMC)" in text
    assert "NIHR Clinical Research Network: Cancer" in text
    citations = [text_of(cite) for cite in soup(client.get(url)).find("main").find_all("cite")]
    assert len(citations) == 1
    citation = citations[0]
    assert citation.startswith("T Meyer and others.")
    for part in (
        "Circulating tumour cells and tumour biomarkers in functional midgut neuroendocrine "
        "tumours",
        "Journal of Neuroendocrinology, 2022",
        "Volume 34",
        "Issue 4",
    ):
        assert part in citation


def test_calm_net_recruitment_dates_are_only_as_precise_as_the_source(client, content):
    page = soup(client.get("/trials/calm-net/"))
    dates = text_of(page.find(id="recruitment").find_parent("section"))

    assert "Recruitment start 2014" in dates
    assert "Recruitment end 2016" in dates
    assert "January" not in dates  # the source gives the years only


def test_nelmas_gives_its_size_identifiers_sponsor_and_ethics_approval(client, content):
    text = main_text(client, "/trials/nelmas/")

    assert "90 people will take part: 45 in each group" in text
    assert "2 doses of Lu-177 dotatate" in text
    assert "within 3 years of their liver surgery" in text
    assert "IRAS ID: 1006904" in text
    assert "EudraCT: 2022-003575-42" in text
    assert "Imperial College London" in text
    assert "South Central - Hampshire B Research Ethics Committee" in text
    assert "Reference 23/SC/0293" in text
    assert "Further Information Favourable Opinion" in text
    assert "Date of decision 15 January 2024" in text
    # The source does not say whether it is recruiting, so neither do we.
    assert "Status not known" in text
    assert "Open to new patients" not in text


def test_spinet_gives_the_treatment_and_check_intervals_in_plain_words(client, content):
    text = main_text(client, "/trials/spinet/")

    assert "every 28 days (4 weeks)" in text
    assert "every 12 weeks" in text
    assert "120 mg" in text
    assert "placebo" in text


@pytest.mark.parametrize(("slug", "nct"), sorted(NCT_NUMBERS.items()))
def test_every_nct_number_is_on_its_trials_page_and_links_to_the_registry(
    client, content, slug, nct
):
    page = soup(client.get(f"/trials/{slug}/"))

    link = page.find("main").find("a", string=nct)
    assert link is not None, nct
    assert link["href"] == f"https://clinicaltrials.gov/study/{nct}"


def test_facts_no_source_gives_stay_blank(client, content):
    from trials.models import Trial

    # No source names a trial's hospitals.
    assert not any(trial.locations.exists() for trial in Trial.objects.all())


def test_the_pages_give_the_overviews_figures(client, content):
    about = main_text(client, "/about-nets/")
    assert "About 7 in every 100,000 people" in about
    assert "about 6 times as many as 40 years ago" in about
    assert "55 start in the digestive system" in about
    assert "30 start in the lung" in about
    assert "5 start in the pancreas" in about
    assert "Fewer than 3 in every 100 cells (under 3%)" in about
    assert "Between 3 and 20 in every 100 cells (3% to 20%)" in about
    assert "More than 20 in every 100 cells (over 20%)" in about
    assert "about 10 in 100 people (10%) with a midgut NET that has spread to the liver" in about

    info = main_text(client, "/about-this-information/")
    assert "peer review" in info.lower()
    assert "cannot replace your care team" in info

    home = main_text(client, "/")
    assert "Neuroendocrine tumours (NETs) are rare tumours" in home


def test_every_public_page_renders_after_loading(client, content):
    from netinfo.content_version import content_models

    urls = ["/", "/trials/", "/treatments/", "/tumour-sites/", "/glossary/", "/sitemap.xml"]
    for model in content_models():
        urls += [record.get_absolute_url() for record in model.objects.published()]
    assert len(urls) > 6 + 7 + 4  # the lists, the trials and the pages at least

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if url != "/sitemap.xml":
            assert len(soup(response).find_all("h1")) == 1, url


def test_trial_and_page_summaries_are_easy_to_read(content):

    for record in [*Trial.objects.all(), *Page.objects.all()]:
        texts = [getattr(record, name) for name in record.markdown_fields]
        if isinstance(record, Trial):
            assert measure(record.summary).reading_ease >= 60, record.slug
        for text in filter(None, texts):
            assert measure(text).long_sentences == [], record.slug


def test_the_starting_content_is_reviewed_honestly(content):

    for record in [*Trial.objects.all(), *Page.objects.all()]:
        assert record.is_published
        # The starting content (21 November 2026); issue 19's pages and the list pages'
        # records (5 December 2026).
        assert str(record.last_reviewed) in {"2026-11-21", "2026-12-05"}, record.slug
        assert record.next_review_due == a_year_from(record.last_reviewed), record.slug
        assert "not yet checked by a clinician" in record.reviewed_by
        assert record.sources.strip().startswith("- "), record.slug
        # Registry fields are for imports; nothing was imported.
        if isinstance(record, Trial):
            assert not (record.registry_summary or record.registry_status), record.slug


def test_the_starting_content_gives_every_list_page_a_review_and_linked_sources(client, content):
    for url in ("/trials/", "/treatments/", "/tumour-sites/", "/glossary/"):
        block = soup(client.get(url)).select_one(".app-review")
        assert block is not None, url
        assert "Page last reviewed:" in text_of(block), url
        assert block.select(".app-review__sources a[href^='https://']"), url
    # Staff find them with the other site pages, at the list's own address.
    assert Page.objects.get(slug="glossary").get_absolute_url() == "/glossary/"
