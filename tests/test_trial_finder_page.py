"""The trial finder's page: what it shows around the results, bad input ignored with a
note, and the Atom feed of the same search."""

import xml.etree.ElementTree as ET
from urllib.parse import parse_qsl, urlencode

import pytest
from pytest_django.asserts import assertContains

from tests.finder_world import ATOM, feed_titles, found, make_world, names
from tests.html import soup, text_of, titles
from tests.shared import shared_by_module

_world, world = shared_by_module(make_world, "world")


# ---- What the page shows ----


@pytest.mark.django_db
def test_a_result_shows_what_a_patient_needs_to_decide_to_look(client, world):
    page = soup(client.get("/trials/", {"q": "PANPRRT"}))
    card = text_of(page.select_one(".app-trial-card"))
    assert "Radioactive treatment for pancreatic NETs (PANPRRT)" in card
    assert "Open to new patients" in card
    assert "Phase 2" in card
    assert "Pancreas" in card
    assert "Birmingham, London" in card
    assert "This trial tests PRRT after surgery." in card
    assert "It is for adults" not in card  # one sentence only
    assert page.select_one(".app-trial-card__title a")["href"] == world["prrt"].get_absolute_url()


@pytest.mark.django_db
def test_status_and_phase_are_explained_in_plain_words(client, world):
    response = client.get("/trials/")
    assertContains(
        response, "A trial registry has confirmed recently that the trial is taking people."
    )
    assertContains(
        response, "no trial registry has confirmed it recently. The trial may have closed."
    )
    assertContains(response, "Phase 1 trials test whether a treatment is safe")
    assertContains(response, "What do the phases mean?")


@pytest.mark.django_db
def test_each_choice_is_listed_and_removable_with_one_click(client, world):
    page = soup(client.get("/trials/?site=pancreas&grade=g2&q=NETs&status=all"))
    chips = {text_of(a): a["href"] for a in page.select(".app-finder__chip")}
    assert set(chips) == {
        "Remove Words: “NETs” ×",
        "Remove Tumour site: Pancreas ×",
        "Remove Status: any, including closed trials ×",
        "Remove Grade: Grade 2 (G2) ×",
    }
    without_site = client.get(chips["Remove Tumour site: Pancreas ×"])
    assert sorted(titles(without_site)) == names(world, "prrt", "everolimus", "by_drug")
    without_grade = chips["Remove Grade: Grade 2 (G2) ×"]
    assert dict(parse_qsl(without_grade.split("?")[1])) == {
        "q": "NETs",
        "site": "pancreas",
        "status": "all",
    }
    assert page.find("a", string="Clear all")["href"] == "/trials/"


@pytest.mark.django_db
def test_an_empty_result_says_which_choice_to_loosen(client, world):
    response = client.get("/trials/?site=lung&phase=3")
    assertContains(response, "No trials found")
    assertContains(response, "No trials match all of your choices.")
    page = soup(response)
    loosen = {text_of(li): li.a["href"] for li in page.select(".app-finder__loosen li")}
    assert loosen == {
        "Without ‘Lung’ : 1 trial": "/trials/?phase=3",
        "Without ‘Phase 3’ : 1 trial": "/trials/?site=lung",
    }
    assert titles(client.get("/trials/?site=lung")) == [world["everolimus"].title]


@pytest.mark.django_db
def test_an_empty_result_counts_each_single_choice_dropped_most_first(client, world):
    # Grade 1 or 2 open trials: PANPRRT, lanreotide, everolimus; none of them on lung at phase 3.
    response = client.get("/trials/?grade=g1&grade=g2&site=lung&phase=3&q=everolimus")
    loosen = [text_of(li) for li in soup(response).select(".app-finder__loosen li")]
    assert loosen == ["Without ‘Phase 3’ : 1 trial"]
    response = client.get("/trials/?grade=g1&grade=g2&phase=1&q=lanreotide")
    loosen = [text_of(li) for li in soup(response).select(".app-finder__loosen li")]
    assert loosen == [  # dropping the grades would still leave none, so it is not offered
        "Without your words ‘lanreotide’ : 1 trial",
        "Without ‘Phase 1’ : 1 trial",
    ]


@pytest.mark.django_db
def test_the_form_works_without_javascript_and_prints_without_the_filters(client, world):
    page = soup(client.get("/trials/?site=pancreas"))
    form = page.select_one("form.app-finder__form")
    assert form["method"] == "get" and form["action"] == "/trials/"
    assert "app-no-print" in form["class"]  # hidden by the print style sheet
    assert form.find("input", {"name": "site", "value": "pancreas"}).has_attr("checked")
    assert form.find("input", {"name": "status", "value": "open"}).has_attr("checked")
    assert not form.find("input", {"name": "status", "value": "closed"}).has_attr("checked")
    assert not page.find("script", string=True)  # no inline script (the CSP forbids it)


# ---- Bad input ----


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "note"),
    [
        ({"site": "narnia"}, "We did not recognise the tumour site “narnia”"),
        ({"status": "maybe"}, "We did not recognise the status “maybe”"),
        ({"phase": "7"}, "We did not recognise the phase “7”"),
        ({"grade": "g9"}, "We did not recognise the grade “g9”"),
        ({"treatment": "magic"}, "We did not recognise the treatment “magic”"),
        ({"region": "Atlantis"}, "We did not recognise the place “Atlantis”"),
        ({"sort": "random"}, "We did not recognise the order"),
        ({"page": "999"}, "There is no page 999"),
        ({"page": "abc"}, "We did not understand the page number"),
        ({"page": "-1"}, "We did not understand the page number"),
        ({"q": "lung " * 2000}, "used only the first 200 characters"),
        ({"q": "bad\x00byte"}, "a character we cannot search for"),
    ],
)
def test_bad_input_is_ignored_with_a_note(client, world, query, note):
    response = client.get("/trials/", query)
    assert response.status_code == 200
    assertContains(response, note)


@pytest.mark.django_db
def test_an_unknown_value_does_not_undo_the_rest_of_the_search(client, world):
    response = client.get("/trials/?site=narnia&site=pancreas&grade=G2")
    assert sorted(titles(response)) == names(world, "prrt", "by_drug")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "q=%E8%82%BF%E7%98%A4+t%C3%BCm%C3%B6r+%F0%9F%99%82",  # unicode and an emoji
        "q=%27%3B+DROP+TABLE+trials_trial%3B+--",
        "q=%25",
        "q=_",
        "q=1+OR+1%3D1",
        "site=pancreas&site=pancreas&site=PANCREAS&q=a&q=b",
        "page=99999999999999999999999",
        "page=1.5&sort=title&sort=title",
        "page=%C2%B2",  # a superscript two: a digit to Python, not a number
        "page=%EF%BC%92",  # a full-width two
        "status=&site=&q=",
        "site=" + "x" * 5000,
        "q=%ED%A0%80",  # a lone surrogate
    ],
)
def test_strange_input_never_breaks_the_page_or_the_feed(client, world, query):
    from trials.models import Trial

    assert client.get(f"/trials/?{query}").status_code == 200
    assert client.get(f"/trials/feed/?{query}").status_code == 200
    assert Trial.objects.count() == 7


@pytest.mark.django_db
def test_many_unknown_values_give_a_short_note(client, world):
    query = urlencode([("site", f"nowhere-{number}") for number in range(500)])
    response = client.get(f"/trials/?{query}")
    notes = [text_of(note) for note in soup(response).select(".app-finder__note")]
    assert notes == [
        "We did not recognise the tumour site “nowhere-0”, so we left it out.",
        "We did not recognise the tumour site “nowhere-1”, so we left it out.",
        "We did not recognise the tumour site “nowhere-2”, so we left it out.",
        "We left out 497 more tumour sites too.",
    ]
    assert found(response) == 4


@pytest.mark.django_db
def test_search_characters_are_taken_literally(client, world):
    assert titles(client.get("/trials/?q=100%25")) == []
    assert titles(client.get("/trials/?q=a_b")) == []


@pytest.mark.django_db
def test_a_search_with_nothing_to_look_for_says_so(client, world):
    response = client.get("/trials/?q=%25+the")
    assertContains(response, "There were no words we could search for")
    assert found(response) == 4


@pytest.mark.django_db
def test_repeated_values_count_once(client, world):
    response = client.get("/trials/?site=pancreas&site=pancreas&site=PANCREAS")
    assert sorted(titles(response)) == names(world, "prrt", "by_drug")
    chips = [text_of(a) for a in soup(response).select(".app-finder__chip")]
    assert chips == ["Remove Tumour site: Pancreas ×"]


# ---- The Atom feed ----


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["prrt", "lanreotide", "everolimus", "by_drug"]),
        ("site=pancreas", ["prrt", "by_drug"]),
        ("site=pancreas&status=all", ["prrt", "closed", "by_drug"]),
        ("q=nct+02683941", ["prrt"]),
        ("site=lung&phase=3", []),
    ],
)
def test_the_feed_lists_exactly_the_matching_published_trials(client, world, query, expected):
    response = client.get(f"/trials/feed/?{query}")
    expected_titles = sorted(f"{world[key]}" for key in expected)
    assert feed_titles(response) == expected_titles


@pytest.mark.django_db
def test_every_search_page_links_to_its_feed(client, world):
    page = soup(client.get("/trials/?site=pancreas&sort=title"))
    alternate = page.find("link", attrs={"type": "application/atom+xml"})
    assert alternate["href"] == "/trials/feed/?site=pancreas&sort=title"
    root = ET.fromstring(client.get(alternate["href"]).content)
    assert "Tumour site: Pancreas" in root.find(f"{ATOM}title").text
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href").endswith(world["by_drug"].get_absolute_url())
