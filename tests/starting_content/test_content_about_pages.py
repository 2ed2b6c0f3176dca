"""Issue 19 in the real starting content: every treatment page's side effects with when to
call for help, the urgent-help callouts, the FAQ and the pages that say who stands behind the
site, and that the pages this issue wrote stay easy to read.
"""

import re

import pytest

from netinfo.editorial.readability import measure
from tests.html import soup, text_of
from tests.starting_content.pages import TREATMENT_SLUGS, clean, main_text, section

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


def callout_titles(client, url):
    page = soup(client.get(url)).find("main")
    return [
        clean(text_of(aside.find(class_="app-callout__title"))) for aside in page.find_all("aside")
    ]


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
