"""The trial feeds are well-formed XML whatever is typed into a search or a summary."""

import xml.etree.ElementTree as ET

import pytest

from tests.html import soup, text_of

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)  # raises on anything XML 1.0 forbids


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=%01", "q=%EF%BF%BE", "q=%EF%BF%BF"])
def test_a_search_with_a_character_xml_forbids_still_gives_a_feed(client, query):
    root = _feed(client, f"/trials/feed/?{query}")
    assert root.find(f"{ATOM}title").text.startswith("Clinical trials for NETs")


def test_a_summary_with_a_character_xml_forbids_breaks_no_feed(client, make_trial):
    make_trial(
        "Odd characters study",
        status="open",
        summary="Tests a new tablet&#14; for people with NETs&#65534;. It lasts a year.",
    )
    make_trial("Plain study", status="open", summary="Tests a plain tablet.")

    for url in ("/trials/feed/", "/trials/feed/?q=tablet"):
        root = _feed(client, url)
        entries = {
            entry.find(f"{ATOM}title").text: entry.find(f"{ATOM}summary").text
            for entry in root.iter(f"{ATOM}entry")
        }
        assert set(entries) == {
            "Odd characters study – Open to new patients",
            "Plain study – Open to new patients",
        }
        assert (
            "Tests a new tablet for people with NETs."
            in entries["Odd characters study – Open to new patients"]
        )


def test_feed_links_are_on_the_public_address(client, make_site, make_trial, settings):
    settings.SITE_URL = "https://nets.example.org"
    site = make_site("Pancreas")
    trial = make_trial("Pancreas study", status="open", sites=[site])

    root = _feed(client, "/trials/feed/?site=pancreas")

    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["alternate"] == "https://nets.example.org/trials/?site=pancreas"
    assert links["self"] == "https://nets.example.org/trials/feed/?site=pancreas"
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == (
        f"https://nets.example.org{trial.get_absolute_url()}"
    )
    assert entry.find(f"{ATOM}id").text.startswith("https://nets.example.org/")


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["site=bogus", "site=pancreas&site=bogus", "grade=g9"])
def test_a_value_the_finder_does_not_know_is_noted_on_the_page_and_in_the_feed(
    client, make_site, query
):
    make_site("Pancreas")
    value = query.rsplit("=", 1)[1]
    noun = "grade" if query.startswith("grade") else "tumour site"
    note = f"We did not recognise the {noun} “{value}”, so we left it out."

    page = soup(client.get(f"/trials/?{query}"))
    assert note in [text_of(shown) for shown in page.select(".app-finder__note")]

    feed = _feed(client, f"/trials/feed/?{query}")
    assert note in feed.find(f"{ATOM}subtitle").text
