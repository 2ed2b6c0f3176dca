"""Issue 19: the content corrections, read on the public pages of the real starting content
as a patient would: each correction is checked both ways (the wrong words are gone, the
right ones are there), with a source a reader can follow. Side effects, urgent help, the
FAQ and the pages about the site: test_content_about_pages.py.
"""

import re

import pytest

from tests.html import soup, text_of
from tests.starting_content.pages import TREATMENT_SLUGS, clean, main_text, rows, section

GEP_SITES = ["small-bowel", "pancreas", "stomach", "appendix", "rectum", "colon"]
BOWEL_SITES = ["small-bowel", "appendix", "rectum", "colon"]


def site_rows(client, site, treatment_name):
    return [
        row
        for row in rows(client, f"/tumour-sites/{site}/", "app-site__uses")
        if row[0] == treatment_name
    ]


# Corrections ------------------------------------------------------------------------------


def test_prrt_keeps_the_licence_and_nhs_funding_apart_and_covers_grades_1_and_2(client, content):
    text = main_text(client, "/treatments/prrt/")
    assert "Who it is licensed for" in text
    assert "be grade 1 or grade 2 (well differentiated)" in text
    assert "NICE recommends Lutathera for the NHS for the same group of people" in text
    assert "TA539" in text
    assert "The NHS has approved PRRT" not in text

    for site in GEP_SITES:
        (row,) = site_rows(client, site, "PRRT with lutetium-177")
        _, grades, how, link = row
        assert grades == "Grade 1 (G1) to Grade 2 (G2)", site
        assert how.startswith("Licensed Licensed, and recommended by NICE for the NHS"), site
        assert "Approved by the NHS" not in how
        assert link == "https://www.nice.org.uk/guidance/ta539/chapter/1-Recommendations"
    (lung,) = site_rows(client, "lung", "PRRT with lutetium-177")
    assert lung[2].startswith("Only within a clinical trial")


def test_every_treatment_use_row_names_its_source_or_says_ask_your_specialist(client, content):
    from treatments.models import TreatmentUse

    for use in TreatmentUse.objects.select_related("treatment", "site"):
        assert use.source and use.source_url.startswith("http"), use

    for slug in TREATMENT_SLUGS:
        for _, _, how, link in rows(client, f"/treatments/{slug}/", "app-treatment__uses"):
            assert "Source:" in how and link, (slug, how)


def test_everolimus_is_not_said_to_be_licensed_for_grade_3(client, content):
    everolimus = rows(client, "/treatments/everolimus/", "app-treatment__uses")
    assert everolimus
    assert all(grades == "Grade 1 (G1) to Grade 2 (G2)" for _, grades, _, _ in everolimus)
    assert not any("Grade 3" in grades for _, grades, _, _ in everolimus)
    (lung,) = [row for row in everolimus if row[0] == "Lung (bronchial)"]
    assert "do not make hormones" in lung[2]
    assert lung[3] == "https://www.nice.org.uk/guidance/ta449/chapter/1-Recommendations"
    assert "do not cover grade 3 NETs" in main_text(client, "/treatments/everolimus/")


def test_belzutifan_says_it_is_for_vhl_and_who_licensed_and_funds_it(client, content):
    (row,) = site_rows(client, "pancreas", "Belzutifan")
    assert "Only for adults with von Hippel-Lindau disease (VHL)" in row[2]
    assert "Cancer Drugs Fund" in row[2]
    text = main_text(client, "/treatments/belzutifan/")
    assert "The UK medicines regulator (MHRA) licensed belzutifan in May 2022" in text
    assert "since 5 September 2024" in text
    assert "not a treatment for pancreatic NETs in people who do not have VHL" in text


def test_telotristat_is_an_add_on_for_diarrhoea_somatostatin_analogues_do_not_control(
    client, content
):
    (row,) = site_rows(client, "small-bowel", "Telotristat ethyl")
    how = row[2]
    assert not how.startswith("Usually used")
    assert "An add-on for carcinoid syndrome diarrhoea that somatostatin analogues do not" in how
    text = main_text(client, "/treatments/telotristat-ethyl/")
    assert "It is an add-on" in text
    assert "only offer it when the injections alone do not control the diarrhoea" in text
    site = main_text(client, "/tumour-sites/small-bowel/")
    assert "Doctors use it with somatostatin analogues to manage" not in site


def test_captem_is_not_said_to_be_usual_for_bowel_nets(client, content):
    for site in BOWEL_SITES:
        (row,) = site_rows(client, site, "Capecitabine and temozolomide")
        assert row[2].startswith("Ask your specialist"), site
        assert "respond to chemotherapy less well" in row[2]
    (pancreas,) = site_rows(client, "pancreas", "Capecitabine and temozolomide")
    assert pancreas[2].startswith("Usually used")


def test_liver_transplant_is_not_listed_for_lung_nets_or_grade_3(client, content):
    transplant = rows(client, "/treatments/liver-transplant/", "app-treatment__uses")
    assert transplant
    assert "Lung (bronchial)" not in [site for site, _, _, _ in transplant]
    assert not any("Grade 3" in grades for _, grades, _, _ in transplant)
    assert not site_rows(client, "lung", "Liver transplant")


def test_streptozocin_describes_the_real_combinations_not_a_three_drug_regimen(client, content):
    text = main_text(client, "/treatments/streptozocin-chemotherapy/")
    assert "chemotherapy with 3 drugs" not in text
    assert "carboplatin" not in text
    assert "streptozocin and 5-fluorouracil" in text
    assert "streptozocin and capecitabine" in text
    assert "NET 01" in text
    drugs = text_of(section(client, "/treatments/streptozocin-chemotherapy/", "drugs"))
    assert "Carboplatin" not in drugs and "Capecitabine" in drugs
    sources = text_of(
        soup(client.get("/treatments/streptozocin-chemotherapy/"))
        .find(id="sources-heading")
        .find_parent("section")
    )
    assert "Having chemotherapy treatment for neuroendocrine tumours" in sources


def test_seven_in_100000_is_a_yearly_incidence(client, content):
    about = main_text(client, "/about-nets/")
    assert "About 7 in every 100,000 people are found to have a NET" not in about
    assert "About 7 in every 100,000 people are diagnosed with a NET each year" in about
    assert "It is not the number of people living with a NET" in about
    faq = main_text(client, "/faq/")
    assert "About 7 in every 100,000 people are diagnosed with a NET each year" in faq


def test_the_men1_figure_is_about_the_tumour_not_the_inherited_syndrome(client, content):
    text = main_text(client, "/tumour-sites/pancreas/")
    assert "About 40 in every 100 have a change in a gene called MEN1" not in text
    assert "have a change in a gene called MEN1" in text
    assert "is about changes found in the tumour. It is not about MEN1 syndrome" in text
    assert "MEN1 syndrome. People with it are born with a change in the MEN1 gene" in text


def test_lung_nets_are_typical_and_atypical_carcinoids_with_their_grades(client, content):
    text = main_text(client, "/tumour-sites/lung/")
    assert "Typical carcinoid is low grade, like grade 1" in text
    assert "Atypical carcinoid is intermediate grade, like grade 2" in text
    assert "Like other NETs, lung NETs can be grade 1, 2 or 3" not in text
    sources = soup(client.get("/tumour-sites/lung/")).find(id="sources-heading").find_parent()
    assert sources.find("a", href=re.compile(r"lung-nets/stages-types-grades/grades$"))


def test_short_acting_octreotide_is_more_than_once_a_day(client, content):
    how = clean(text_of(section(client, "/treatments/somatostatin-analogues/", "how-you-have-it")))
    assert "Octreotide can be a daily injection" not in how
    assert "Short-acting octreotide is an injection under the skin" in how
    assert "more than once a day, for example 2 to 3 times a day" in how


def test_the_midgut_is_not_only_the_small_bowel(client, content):
    site = main_text(client, "/tumour-sites/small-bowel/")
    assert "Doctors also call the small bowel the midgut" not in site
    assert (
        "includes most of the small bowel, the appendix and the first part of the large bowel"
        in site
    )
    assert "a midgut NET is not always a small bowel NET" in site
    assert soup(client.get("/tumour-sites/small-bowel/")).find("h1").get_text(strip=True) == (
        "Small bowel NETs"
    )


@pytest.mark.parametrize(
    "url", ["/about-nets/", "/tumour-sites/small-bowel/", "/treatments/telotristat-ethyl/"]
)
def test_the_carcinoid_syndrome_figure_says_which_group_it_is_about(client, content, url):
    text = main_text(client, url)
    assert "midgut NET" in text and "spread to the liver" in text
    assert "no figure for other groups" in text
