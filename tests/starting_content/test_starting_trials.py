"""The starting trials (fixtures/40_trials.json) say only what a dated source says (issues 16
and 19): no trial is called open, since none has a registry check; SPINET, EA2142 and RETNET
are "Status not known"; NELMAS is found by its name; NETTER-1 gives its results in numbers
with its citation; the "PRRT with everolimus" entry, which was not an identifiable trial, is
gone; the grade filter finds the trials whose registry eligibility gives a grade.
"""

import json
import xml.etree.ElementTree as ET

import pytest

from tests.html import soup, text_of

ATOM = "{http://www.w3.org/2005/Atom}"
STARTING = ["calm-net", "netter-1", "liver-embolisation-trial", "spinet", "ea2142", "nelmas"]


def main(response):
    assert response.status_code == 200
    return soup(response).find("main")


def status_of(client, slug):
    page = main(client.get(f"/trials/{slug}/"))
    return text_of(page.find("dt", string="Status").find_next_sibling("dd"))


def titles(response):
    return [text_of(card.h3) for card in main(response).select(".app-trial-card")]


def test_no_starting_page_says_a_trial_is_open(client, content):
    from netinfo.content_version import content_models

    urls = ["/", "/trials/", "/treatments/", "/tumour-sites/"]
    for model in content_models():
        urls += [record.get_absolute_url() for record in model.objects.published()]
    for url in urls:
        response = client.get(url)
        page = main(response)
        for facet in page.select(".app-finder__form"):
            facet.decompose()  # the finder's filter labels name every status
        text = text_of(page)
        assert "Open to new patients" not in text, url
        assert "Opening soon" not in text, url
        assert "listed this trial as recruiting" not in text, url
        assert "Hospitals taking part" not in text, url
        for script in soup(response).find_all("script", type="application/ld+json"):
            assert "Recruiting" not in json.loads(script.string).get("status", ""), url

    # The finder's default view is empty and says why; so is its feed.
    finder = text_of(main(client.get("/trials/")))
    assert "No trials found" in finder
    assert (
        "There are no trials on this site that a trial registry has confirmed are open or "
        "opening soon." in finder
    )
    feed = ET.fromstring(client.get("/trials/feed/").content)
    assert feed.findall(f"{ATOM}entry") == []
    # Every trial page says its status was never checked with a registry.
    for slug in STARTING:
        assert "we have never checked it with a registry" in status_of(client, slug) or (
            "not checked with a registry" in status_of(client, slug)
        ), slug


@pytest.mark.parametrize("slug", ["liver-embolisation-trial", "spinet", "ea2142"])
def test_trials_a_news_page_called_recruiting_are_status_not_known(client, content, slug):
    status = status_of(client, slug)

    assert status.startswith("Status not known – we have never checked it with a registry")
    assert "Ask the trial team or your specialist" in status
    page = main(client.get(f"/trials/{slug}/"))
    summary = text_of(page.select_one(".app-trial-page__summary"))
    assert "We do not know if" in summary
    assert "still open" not in summary and "recruiting" not in summary


def test_the_liver_embolisation_trial_has_its_short_name(client, content):
    page = main(client.get("/trials/liver-embolisation-trial/"))

    assert text_of(page.h1).endswith("(RETNET)")
    assert "In May 2022, its registry record said it was no longer taking new people." in (
        text_of(page)
    )


def test_nelmas_is_found_by_its_name_in_the_default_view(client, content):
    response = client.get("/trials/?q=NELMAS")

    assert titles(response) == [
        "Lutetium-177 dotatate after surgery for NET that had spread to the liver (NELMAS)"
    ]
    card = text_of(main(response).select_one(".app-trial-card__status"))
    assert card == "Status not known – we have never checked it with a registry"
    assert "You searched for a trial by its short name, so we show it whatever its status." in (
        text_of(main(response))
    )
    assert titles(client.get("/trials/?q=nelmas+trial")) == titles(response)
    # The finder's form sends its default boxes (open, opening soon) ticked: the same result.
    sent = client.get("/trials/?q=NELMAS&status=opening_soon&status=open")
    assert titles(sent) == titles(response)
    # A registry number works the same way.
    assert titles(client.get("/trials/?q=NCT02683941&status=opening_soon&status=open")) == [
        "Lanreotide or a placebo for lung NETs that cannot be removed by surgery (SPINET)"
    ]
    # Ticking a status on purpose keeps it.
    assert titles(client.get("/trials/?q=NELMAS&status=closed")) == []


def test_nelmas_is_linked_to_its_sites_and_not_called_closed(client, content):
    text = text_of(main(client.get("/trials/nelmas/")))
    # The site is "Small bowel" since issue 19: the midgut is more than the small bowel.
    for site in ("Pancreas NETs", "Stomach NETs", "Small bowel NETs"):
        assert site in text
    assert "be well differentiated , grade 1 or grade 2 ( Ki-67 below 20%)" in text

    prrt = main(client.get("/treatments/prrt/"))
    section = text_of(prrt.find(id="trials").find_parent("section"))
    assert "closed or finished" not in section
    assert "Trials that are not known to be taking people" in section
    assert "(NELMAS) Status not known" in section
    assert "Trials you could ask about" not in section

    # Not open here: a site page lists no unconfirmed trial as open.
    pancreas = main(client.get("/tumour-sites/pancreas/"))
    here = pancreas.find(id="trials-here").find_parent("section")
    assert here.select(".app-trial-links__item") == []


def test_the_prrt_with_everolimus_entry_is_gone(client, content):
    from trials.models import Trial

    assert client.get("/trials/prrt-with-everolimus/").status_code == 404
    assert not Trial.objects.filter(title__icontains="everolimus").exists()
    assert "everolimus" not in " ".join(titles(client.get("/trials/?status=all"))).lower()


def test_netter_1_gives_its_results_in_numbers_with_its_citation(client, content):
    page = main(client.get("/trials/netter-1/"))
    text = text_of(page)

    assert "about 65 in every 100 people (65.2%) who had Lutathera" in text
    assert "about 11 in every 100 people (10.8%) who had high-dose octreotide" in text
    assert "18 in every 100 people (18%) who had Lutathera" in text
    assert "3 in every 100 people (3%) who had high-dose octreotide" in text
    assert "Our sources do not give the exact numbers" not in text
    (citation,) = [text_of(cite) for cite in page.find_all("cite")]
    assert citation.startswith("J Strosberg and others.")
    for part in (
        "Phase 3 Trial of 177Lu-Dotatate for Midgut Neuroendocrine Tumors",
        "New England Journal of Medicine, 2017",
        "Volume 376",
        "Pages 125–135",
    ):
        assert part in citation
    link = page.find("a", string="NCT01578239")
    assert link["href"] == "https://clinicaltrials.gov/study/NCT01578239"
    sources = page.find(id="sources").find_parent("section")
    assert sources.find("a", href="https://doi.org/10.1056/NEJMoa1607427")


def test_the_grade_filter_finds_the_trials_whose_eligibility_gives_a_grade(client, content):
    def found(query):
        response = client.get(f"/trials/?status=all&{query}")
        return sorted(title.rsplit("(", 1)[-1].rstrip(")") for title in titles(response))

    assert found("grade=g1") == ["NELMAS", "NETTER-1"]
    assert found("grade=g2") == ["NELMAS", "NETTER-1"]
    assert found("grade=g3") == []
    assert found("grade=nec") == ["EA2142"]
    assert found("receptor_scan=required") == ["NELMAS", "NETTER-1", "SPINET"]
    assert found("functioning=required") == ["CALM-NET"]


@pytest.mark.parametrize("slug", STARTING)
def test_each_trials_sources_say_where_each_fact_comes_from(client, content, slug):
    sources = main(client.get(f"/trials/{slug}/")).find(id="sources").find_parent("section")
    items = sources.find_all("li")

    assert items, slug
    for item in items:
        text = text_of(item)
        # A title a reader can find, who published it, and when (or that it is undated).
        assert item.find("a") or "Journal of Neuroendocrinology" in text, text
        assert any(str(year) in text for year in range(2016, 2027)) or "not dated" in text, text
