"""Every word patients use named in issue 19 ("pNET", "MEN1", "phaeo"...), in the real starting
content: each leads to its tumour site and trials in the finder and the glossary, the words
missing before have sourced glossary entries, and two entries corrected say it right."""

from tests.finder_world import finder, result_titles, site_note
from tests.html import soup, text_of

SITE_WORDS = {
    "pNET": "pancreas",
    "PNET": "pancreas",
    "islet cell tumour": "pancreas",
    "insulinoma": "pancreas",
    "gastrinoma": "pancreas",
    "glucagonoma": "pancreas",
    "VIPoma": "pancreas",
    "somatostatinoma": "pancreas",
    "Zollinger-Ellison": "pancreas",
    "Zollinger-Ellison syndrome": "pancreas",
    "GEP-NET": "pancreas",
    "bronchial carcinoid": "lung",
    "typical carcinoid": "lung",
    "atypical carcinoid": "lung",
    "phaeo": "other",
    "phaeochromocytoma": "other",
    "pheochromocytoma": "other",
    "paraganglioma": "other",
    "medullary thyroid cancer": "other",
    "Merkel cell": "other",
    "small cell": "lung",
    "large cell neuroendocrine carcinoma": "lung",
    "MEN1": "pancreas",
    "MEN2": "other",
    "VHL": "pancreas",
}
MISSING_WORDS = (
    "tumour",
    "bowel",
    "colon",
    "rectum",
    "immune system",
    "pathology report",
    "cells dividing",
    "ECMC",
    "NIHR",
)


def test_every_word_patients_use_leads_to_its_site_and_trials(client, content):
    from netinfo.models import TumourSite
    from trials.choices import ACTIVE_STATUSES
    from trials.models import Trial

    for typed, slug in SITE_WORDS.items():
        page = finder(client, q=typed)
        note = site_note(page)
        assert note is not None, typed
        assert f"/tumour-sites/{slug}/" in {a["href"] for a in note.select("a")}, typed
        site = TumourSite.objects.get(slug=slug)
        open_here = set(
            Trial.objects.published()
            .filter(sites=site, status__in=ACTIVE_STATUSES)
            .values_list("title", flat=True)
        )
        shown = result_titles(page)  # "Title (ACRONYM)"
        for title in open_here:  # every open trial for the site is found
            assert any(card.startswith(title) for card in shown), (typed, title)
        if not shown:
            assert "are open or opening soon on this site at the moment" in text_of(note)

        # The glossary knows the word too, and its term's page links the site.
        glossary = soup(client.get("/glossary/", {"q": typed}))
        terms = [a["href"] for a in glossary.select(".app-glossary-index__term a")]
        assert terms, typed
        pages = [soup(client.get(href)) for href in terms]
        assert any(
            p.select_one(f'.app-glossary-term__sites a[href="/tumour-sites/{slug}/"]')
            for p in pages
        ), typed


def test_the_missing_words_have_sourced_glossary_entries(client, content):
    from netinfo.models import GlossaryTerm

    for word in MISSING_WORDS:
        glossary = soup(client.get("/glossary/", {"q": word}))
        assert glossary.select(".app-glossary-index__term a"), word
    new = GlossaryTerm.objects.filter(
        slug__in=[
            "tumour",
            "bowel",
            "colon",
            "rectum",
            "immune-system",
            "pathology-report",
            "cell-division",
            "ecmc",
            "nihr",
            "insulinoma",
            "gastrinoma",
            "glucagonoma",
            "vipoma",
            "somatostatinoma",
            "zollinger-ellison-syndrome",
            "pancreatic-net",
            "merkel-cell-carcinoma",
            "large-cell-neuroendocrine-carcinoma",
            "men2",
        ]
    )
    assert new.count() == 19
    for term in new:
        assert term.is_published
        # A source a reader can find: a link, in the rendered sources.
        assert 'href="http' in term.sources_html, term.slug
    tumour = text_of(soup(client.get("/glossary/tumour/")).select_one("main"))
    assert "benign" in tumour and "rare cancers" in tumour  # whether a NET is a cancer


def test_streptozocin_entries_no_longer_describe_a_three_drug_combination(client, content):
    for slug in ("streptozocin", "fluorouracil", "carboplatin"):
        page = soup(client.get(f"/glossary/{slug}/"))
        main = " ".join(text_of(page.select_one(".app-glossary-term__definition")).split())
        assert "5-fluorouracil and carboplatin" not in main, slug
        assert "streptozocin and carboplatin" not in main, slug
    streptozocin = text_of(soup(client.get("/glossary/streptozocin/")).select_one("main"))
    assert "together with another chemotherapy drug, such as 5-fluorouracil" in streptozocin
    sources = soup(client.get("/glossary/streptozocin/")).select(".app-review__sources a")
    assert any("pubmed.ncbi.nlm.nih.gov/26279284" in a["href"] for a in sources)


def test_men1_explains_the_inherited_syndrome(client, content):
    main = " ".join(text_of(soup(client.get("/glossary/men1/")).select_one("main")).split())
    assert "multiple endocrine neoplasia type 1" in main
    assert "runs in families" in main
    # The figure about gene changes in tumours says that it is about tumours, not families.
    assert "can also happen in a tumour only" in main
