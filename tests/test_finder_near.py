"""The trial finder near a town: /trials/?near=Leeds&within=50 lists the trials with a
hospital taking people within 50 miles of Leeds, nearest first, with how far each is."""

import re

import pytest

from tests.html import soup, text_of, titles
from tests.test_trial_finder_speed import FINDER_QUERIES, REPEATED_FINDER_QUERIES
from trials.models import Location

# Positions of some hospitals, and roughly how far each is from the centre of Leeds.
LEEDS = (53.8008, -1.5491)  # 0 miles
HARROGATE = (53.9921, -1.5418)  # 14 miles
SHEFFIELD = (53.3811, -1.4701)  # 29 miles
MANCHESTER = (53.4808, -2.2426)  # 36 miles
LONDON = (51.5074, -0.1278)  # 170 miles


def place(trial, name, town, position, recruiting=True):
    return Location.objects.create(
        trial=trial,
        name=name,
        town=town,
        latitude=position[0],
        longitude=position[1],
        recruiting=recruiting,
    )


@pytest.fixture
def trials(make_trial, make_site):
    pancreas = make_site("Pancreas")
    made = {
        name: make_trial(f"Trial {name}", status="open", sites=[pancreas] if pancreas else [])
        for name in ("leeds", "harrogate", "sheffield", "manchester", "london", "not-here")
    }
    place(made["leeds"], "St James's University Hospital", "Leeds", LEEDS)
    place(made["leeds"], "Royal Free Hospital", "London", LONDON)
    place(made["harrogate"], "Harrogate District Hospital", "Harrogate", HARROGATE)
    place(made["sheffield"], "Weston Park Hospital", "Sheffield", SHEFFIELD)
    place(made["manchester"], "The Christie", "Manchester", MANCHESTER)
    place(made["london"], "Royal Free Hospital", "London", LONDON)
    # A Leeds hospital that is not taking people does not count.
    place(made["not-here"], "Leeds General Infirmary", "Leeds", LEEDS, recruiting=False)
    place(made["not-here"], "Royal Free Hospital", "London", LONDON)
    return made


def nearest(response):
    return [text_of(dd) for dd in soup(response).select(".app-trial-card__nearest dd")]


@pytest.mark.django_db
def test_near_leeds_within_50_miles_lists_nearest_first_with_distances(client, trials):
    response = client.get("/trials/?near=Leeds&within=50")
    assert titles(response) == [
        "Trial leeds",
        "Trial harrogate",
        "Trial sheffield",
        "Trial manchester",
    ]
    assert nearest(response) == [
        "St James's University Hospital, Leeds – less than 1 mile from Leeds",
        "Harrogate District Hospital – 14 miles from Leeds",
        "Weston Park Hospital, Sheffield – 29 miles from Leeds",
        "The Christie, Manchester – 36 miles from Leeds",
    ]
    chips = [text_of(a) for a in soup(response).select(".app-finder__chip")]
    assert "Remove Within 50 miles of Leeds ×" in chips


@pytest.mark.django_db
def test_the_distance_narrows_and_any_distance_keeps_every_trial_nearest_first(client, trials):
    assert titles(client.get("/trials/?near=leeds&within=10")) == ["Trial leeds"]
    assert titles(client.get("/trials/?near=LEEDS&within=25")) == [
        "Trial leeds",
        "Trial harrogate",
    ]
    everything = titles(client.get("/trials/?near=Leeds"))
    assert everything[:4] == [
        "Trial leeds",
        "Trial harrogate",
        "Trial sheffield",
        "Trial manchester",
    ]
    # Their only hospitals taking people are in London, as far as each other.
    assert set(everything[4:]) == {"Trial london", "Trial not-here"}


@pytest.mark.django_db
def test_an_unknown_town_gets_suggestions_never_an_error(client, trials):
    response = client.get("/trials/?near=Leedz&within=50&site=pancreas")
    assert response.status_code == 200
    note = soup(response).select_one(".app-finder__town-note")
    assert text_of(note).startswith("We could not find ‘Leedz’ – did you mean Leeds")
    link = note.find("a", string="Leeds")
    assert "near=Leeds" in link["href"] and "within=50" in link["href"]
    assert "site=pancreas" in link["href"]
    assert titles(client.get(link["href"]))[0] == "Trial leeds"
    # Without a place the search still works: every open trial.
    assert len(titles(response)) == 6

    for hostile in ("<script>", "x" * 500, "Leeds\x00", "%", "  "):
        response = client.get("/trials/", {"near": hostile, "within": "7"})
        assert response.status_code == 200
        assert "<script>" not in response.text  # shown escaped, if at all
        assert "\x00" not in response.text
        assert "We did not recognise the distance" in response.text


@pytest.mark.django_db
def test_near_with_other_filters_and_pages_keeps_the_order(client, make_trial, make_site):
    pancreas, lung = make_site("Pancreas"), make_site("Lung")
    # 30 pancreas trials, each a mile further from Leeds, made in a shuffled order.
    order = [(i * 7) % 30 for i in range(30)]
    for i in order:
        trial = make_trial(f"Near {i:02}", status="open", sites=[pancreas])
        place(trial, f"Hospital {i}", "", (LEEDS[0] + i / 69, LEEDS[1]))
    closer = make_trial("Lung trial", status="open", sites=[lung])
    place(closer, "Lung hospital", "Leeds", LEEDS)

    first = client.get("/trials/?site=pancreas&near=Leeds&within=100")
    second = client.get("/trials/?site=pancreas&near=Leeds&within=100&page=2")
    assert titles(first) + titles(second) == [f"Near {i:02}" for i in range(30)]
    next_link = soup(first).find("a", attrs={"rel": "next"})["href"]
    assert "near=Leeds" in next_link and "within=100" in next_link
    assert titles(client.get("/trials/" + next_link)) == titles(second)
    assert re.search(r"Near 29.*Hospital 29 – 29 miles", text_of(soup(second)))


@pytest.mark.django_db
def test_a_search_near_a_town_asks_the_same_few_queries_however_many_places(
    client, trials, make_trial, django_assert_num_queries
):
    url = "/trials/?near=Leeds&within=50&site=pancreas"
    client.get(url.replace("50", "25"))  # the index is built
    with django_assert_num_queries(FINDER_QUERIES):
        client.get(url)
    with django_assert_num_queries(REPEATED_FINDER_QUERIES):
        client.get(url)
    for i in range(40):
        trial = make_trial(f"More {i}", status="open")
        for j in range(5):
            place(trial, f"Hospital {j}", "", (LEEDS[0] + (i + j) / 100, LEEDS[1]))
    client.get("/trials/?near=Leeds&within=10")  # the index is built again
    with django_assert_num_queries(FINDER_QUERIES):
        assert len(titles(client.get(url))) == 4


@pytest.mark.django_db
def test_no_results_near_a_town_says_how_many_without_the_distance(client, trials):
    response = client.get("/trials/?near=Leeds&within=10&q=manchester")
    assert titles(response) == []
    loosen = [text_of(li) for li in soup(response).select(".app-finder__loosen li")]
    assert loosen == [
        "Without your words ‘manchester’ : 1 trial",
        "Without ‘Within 10 miles of Leeds’ : 1 trial",
    ]
    link = soup(response).find("a", string="Without ‘Within 10 miles of Leeds’")
    assert titles(client.get(link["href"])) == ["Trial manchester"]
