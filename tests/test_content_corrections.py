"""Issue 19: the content corrections, side effects, urgent-help callouts, FAQ and the pages that
say who stands behind the site.

Loads fixtures/ as the site does and reads the public pages as a patient would: each
correction is checked both ways (the wrong words are gone, the right ones are there), and
every claim that changed must name a source a reader can follow.
"""

import re

import pytest

from netinfo.editorial.readability import measure
from tests.html import soup, text_of

pytest_plugins = ["tests.starting_content"]

TREATMENT_SLUGS = [
    "surgery",
    "debulking-surgery",
    "somatostatin-analogues",
    "everolimus",
    "sunitinib",
    "capecitabine-temozolomide",
    "streptozocin-chemotherapy",
    "folfiri-folfox",
    "platinum-etoposide",
    "interferon",
    "prrt",
    "liver-embolisation",
    "thermal-ablation",
    "liver-transplant",
    "telotristat-ethyl",
    "belzutifan",
]
GEP_SITES = ["small-bowel", "pancreas", "stomach", "appendix", "rectum", "colon"]
BOWEL_SITES = ["small-bowel", "appendix", "rectum", "colon"]
FOOTER_PAGES = {
    "/faq/": "Common questions about NETs",
    "/who-we-are/": "Who we are",
    "/editorial-policy/": "How we write and check our information",
    "/funding-and-conflicts-of-interest/": "Funding and conflicts of interest",
    "/privacy/": "Privacy",
    "/accessibility/": "Accessibility",
    "/contact/": "Contact us",
}
CRISIS = "Carcinoid crisis: get help straight away"
HYPO = "Low blood sugar with an insulinoma: act fast"


def clean(text):
    """Text as read aloud: glossary pop-up markup leaves spaces before punctuation."""
    return re.sub(r"\(\s+", "(", re.sub(r"\s+([,.;:)?!])", r"\1", text))


def main_text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return clean(text_of(soup(response).find("main")))


def rows(client, url, table_class):
    """Each row of a uses table as (first cell, grade, how it is used, source link)."""
    table = soup(client.get(url)).find("table", class_=table_class)
    found = []
    for tr in table.find("tbody").find_all("tr"):
        cells = tr.find_all(["th", "td"])
        source = cells[2].find(class_="app-uses-table__source")
        link = source.find("a")["href"] if source and source.find("a") else None
        found.append((clean(text_of(cells[0])), text_of(cells[1]), clean(text_of(cells[2])), link))
    return found


def site_rows(client, site, treatment_name):
    return [
        row
        for row in rows(client, f"/tumour-sites/{site}/", "app-site__uses")
        if row[0] == treatment_name
    ]


def section(client, url, id_):
    return soup(client.get(url)).find(id=id_).find_parent("section")


def callout_titles(client, url):
    page = soup(client.get(url)).find("main")
    return [
        clean(text_of(aside.find(class_="app-callout__title"))) for aside in page.find_all("aside")
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


# Side effects and urgent help -------------------------------------------------------------


@pytest.mark.parametrize("slug", TREATMENT_SLUGS)
def test_every_treatment_page_has_side_effects_with_when_to_call_and_a_cited_source(
    client, content, slug
):
    part = section(client, f"/treatments/{slug}/", "side-effects")
    text = clean(text_of(part))
    assert "Your specialist team will tell you about possible side effects" not in text
    assert re.search(r"call|contact|tell your|get medical help", text, re.I), slug
    links = [a["href"] for a in part.find_all("a") if a["href"].startswith("http")]
    assert links, slug
    assert re.search(r"Sources?:", text), slug
    # Each link in the section is also listed, with its publisher, under the page's sources.
    sources = soup(client.get(f"/treatments/{slug}/")).find(id="sources-heading").find_parent()
    listed = {a["href"] for a in sources.find_all("a")}
    assert set(links) <= listed, (slug, set(links) - listed)


@pytest.mark.parametrize(
    "url",
    [
        "/treatments/surgery/",
        "/treatments/debulking-surgery/",
        "/treatments/prrt/",
        "/treatments/liver-embolisation/",
        "/treatments/thermal-ablation/",
        "/treatments/liver-transplant/",
        "/treatments/telotristat-ethyl/",
        "/tumour-sites/small-bowel/",
        "/about-nets/",
    ],
)
def test_carcinoid_crisis_callout_where_it_matters(client, content, url):
    assert CRISIS in callout_titles(client, url)
    aside = [
        a
        for a in soup(client.get(url)).find("main").find_all("aside")
        if CRISIS in clean(text_of(a))
    ][0]
    assert "app-callout--warning" in aside["class"]
    assert "call 999" in text_of(aside)


def test_the_pancreas_page_warns_about_low_blood_sugar_with_an_insulinoma(client, content):
    assert HYPO in callout_titles(client, "/tumour-sites/pancreas/")
    text = main_text(client, "/tumour-sites/pancreas/")
    assert "have a sugary drink or some sweets straight away" in text
    assert "call 999" in text
    page = soup(client.get("/tumour-sites/pancreas/"))
    sources = page.find(id="sources-heading").find_parent()
    assert sources.find("a", href=re.compile("insulinoma/symptoms"))


# FAQ and who stands behind the site -------------------------------------------------------


def test_the_faq_answers_patients_questions_from_the_overview(client, content):
    page = soup(client.get("/faq/"))
    questions = [clean(text_of(h)) for h in page.find("main").find_all("h2")]
    for question in (
        "What is the difference between a NET and a NEC?",
        "What is Lutathera?",
        "What is carcinoid syndrome?",
        "What is a carcinoid crisis?",
    ):
        assert question in questions
    assert all(q.endswith("?") for q in questions if q != "Where this information comes from")
    text = main_text(client, "/faq/")
    assert "NICE recommends it for the NHS for this group" in text


def test_the_footer_links_to_every_page_about_the_site_and_each_one_works(client, content):
    footer = soup(client.get("/")).find("footer")
    links = {a["href"]: text_of(a) for a in footer.find_all("a")}
    for url, title in FOOTER_PAGES.items():
        assert url in links, url
        response = client.get(url)
        assert response.status_code == 200, url
        assert text_of(soup(response).find("h1")) == title


def test_the_footer_helpline_says_whose_line_it_is(client, content):
    footer = clean(text_of(soup(client.get("/")).find("footer")))
    assert "Cancer Research UK's cancer information nurses: call free on 0808 800 4040" in footer
    assert "Monday to Friday" not in footer  # no source gives the hours


def test_the_editorial_policy_says_who_approves_and_who_checks(client, content):
    text = main_text(client, "/editorial-policy/")
    assert "A content approver checks each page before it goes on the site" in text
    assert "A clinical reviewer, a NET doctor or nurse, checks the facts" in text
    assert "not yet checked by a clinician" in text


def test_funding_says_plainly_what_is_not_yet_known(client, content):
    text = main_text(client, "/funding-and-conflicts-of-interest/")
    assert "We have not yet set out who funds this site" in text
    assert "None has been recorded yet" in text


def test_the_privacy_notice_names_the_cookies_the_site_really_sets(client, content):
    # A visitor gets no cookie: not from a page, not from sending feedback.
    assert not client.get("/").cookies
    assert not client.get("/privacy/").cookies
    sent = client.post(
        "/feedback/",
        {"path": "/privacy/", "helpful": "yes", "comment": ""},
        HTTP_ORIGIN="http://testserver",
    )
    assert sent.status_code == 302 and not sent.cookies
    # Staff who sign in get sessionid (two weeks) and csrftoken (about a year).
    from django.test import Client

    from tests.editorial import staff

    staff("privacy-check", "Content editor")
    browser = Client(enforce_csrf_checks=True)
    login = soup(browser.get("/admin/login/"))
    token = login.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    signed_in = browser.post(
        "/admin/login/",
        {"username": "privacy-check", "password": "pw", "csrfmiddlewaretoken": token},
    )
    assert signed_in.status_code == 302
    assert set(browser.cookies) == {"sessionid", "csrftoken"}
    assert browser.cookies["sessionid"]["max-age"] == 14 * 24 * 60 * 60
    assert browser.cookies["csrftoken"]["max-age"] == 52 * 7 * 24 * 60 * 60  # 52 weeks

    text = main_text(client, "/privacy/")
    assert "We do not set any cookies for visitors" in text
    assert "csrftoken" in text and "sessionid" in text and "two weeks" in text
    assert "We set one cookie for visitors" not in text
    assert "We do not use tracking or advertising cookies" in text
    assert "we store your answer, any comment you write, the page it is about and the time" in text
    assert "We never store the address itself" in text


def test_the_privacy_notice_says_what_a_failed_sign_in_leaves(client, content):
    from axes.models import AccessAttempt

    client.post(
        "/admin/login/",
        {"username": "someone", "password": "wrong"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="A browser",
    )
    attempt = AccessAttempt.objects.get(username="someone")
    assert (attempt.ip_address, attempt.user_agent) == ("203.0.113.9", "A browser")
    assert "wrong" not in attempt.post_data  # the password is not kept
    text = main_text(client, "/privacy/")
    assert "we record the name they typed, their internet address and their web browser" in text
    assert "once it is 15 minutes old" in text
    from django.conf import settings

    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60  # what the notice says


def test_the_accessibility_statement_gives_the_standard_tests_known_issues_and_reporting(
    client, content
):
    text = main_text(client, "/accessibility/")
    assert "WCAG) version 2.2, level AA" in text
    assert "axe-core" in text
    assert "What we know is not yet right" in text
    assert "please tell us" in text


# Reading ease -----------------------------------------------------------------------------


def _page_sentences(client, url):
    """Each paragraph, list item, table cell and heading of the main content, as a sentence."""
    main = soup(client.get(url)).find("main")
    for hidden in main.find_all(["script", "style", "template"]):
        hidden.decompose()
    parts = [text_of(el) for el in main.find_all(["p", "li", "td", "th", "h1", "h2", "h3"])]
    return ". ".join(part.rstrip(".") for part in parts if part) + "."


@pytest.mark.parametrize("url", [*FOOTER_PAGES, *(f"/treatments/{s}/" for s in TREATMENT_SLUGS)])
def test_the_pages_this_issue_wrote_stay_easy_to_read(client, content, url):
    assert measure(_page_sentences(client, url)).reading_ease >= 50, url
