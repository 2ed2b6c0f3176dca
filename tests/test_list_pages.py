"""The list pages (the trial finder, treatments, tumour sites, the glossary) show when they
were last reviewed, by whom, and where their words come from, from a site page record that
staff edit like any other."""

import datetime

import pytest

from tests.html import soup, text_of

LISTS = ("/trials/", "/treatments/", "/tumour-sites/", "/glossary/")


def review(client, url):
    page = soup(client.get(url))
    return page.select_one(".app-review")


@pytest.fixture
def records(make_page):
    made = {}
    for url in LISTS:
        slug = url.strip("/")
        made[url] = make_page(
            f"The {slug} list",
            slug=slug,
            last_reviewed=datetime.date(2026, 11, 3),
            reviewed_by="Dr A Smith, NET consultant",
            sources=f"- [A source for {slug}](https://example.org/{slug})",
        )
    return made


@pytest.mark.django_db
def test_each_list_page_shows_its_own_review_date_and_sources(client, records):
    for url in LISTS:
        block = review(client, url)
        assert block is not None, url
        assert "3 November 2026, by Dr A Smith, NET consultant" in text_of(block), url
        link = block.select_one(".app-review__sources a")
        assert link["href"] == f"https://example.org/{url.strip('/')}", url


@pytest.mark.django_db
def test_an_edit_to_the_record_shows_on_the_list_page(client, records):
    assert "3 November 2026" in text_of(review(client, "/glossary/"))
    record = records["/glossary/"]
    record.last_reviewed = datetime.date(2026, 12, 1)
    record.sources = "- [A newer source](https://example.org/newer)"
    record.save()

    block = review(client, "/glossary/")
    assert "1 December 2026" in text_of(block)
    assert block.select_one(".app-review__sources a")["href"] == "https://example.org/newer"


@pytest.mark.django_db
def test_a_draft_record_is_not_shown(client, records):
    record = records["/trials/"]
    record.state = "draft"
    record.save()

    assert review(client, "/trials/") is None
    assert "Preview" not in text_of(soup(client.get("/trials/")).select_one("body"))
