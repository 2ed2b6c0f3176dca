"""The finder's list of trials: pages a screen reader can follow, the sort orders, and the
first sentence of each trial's summary on its card. Each test makes the trials it lists
(tests/test_trial_finder.py shares one small world of trials between its tests)."""

import datetime
from urllib.parse import parse_qsl

import pytest

from tests.html import soup, text_of, titles


@pytest.mark.django_db
def test_pagination_is_usable_with_a_screen_reader(client, make_trial):
    for number in range(45):
        make_trial(f"Trial {number:02}", status="open")
    response = client.get("/trials/?sort=title&page=2")
    page = soup(response)
    nav = page.find("nav", attrs={"aria-label": "Pages of trials"})
    current = nav.find("a", attrs={"aria-current": "page"})
    assert text_of(current) == "Page 2"
    assert "Page 2 of 3" in text_of(nav)
    assert titles(response)[0] == "Trial 20"
    next_link = nav.find("a", attrs={"rel": "next"})
    assert dict(parse_qsl(next_link["href"][1:])) == {"sort": "title", "page": "3"}
    assert titles(client.get("/trials/" + next_link["href"]))[-1] == "Trial 44"


@pytest.mark.django_db
def test_each_sort_order_puts_the_trials_in_the_order_its_name_says(client, make_trial):
    import datetime

    def made(title, opened=None):
        return make_trial(title, status="open", recruitment_start=opened)

    made("beta trial", datetime.date(2024, 5, 1))
    made("Alpha trial")  # no opening date
    made("Gamma trial", datetime.date(2025, 1, 1))
    made("alpha trial, again", datetime.date(2024, 5, 1))
    assert titles(client.get("/trials/?sort=title")) == [
        "Alpha trial",
        "alpha trial, again",
        "beta trial",
        "Gamma trial",
    ]
    # Newest opening first; trials with no opening date last; A to Z among equals.
    assert titles(client.get("/trials/?sort=opening")) == [
        "Gamma trial",
        "alpha trial, again",
        "beta trial",
        "Alpha trial",
    ]
    # The last one saved comes first.
    assert titles(client.get("/trials/"))[0] == "alpha trial, again"


@pytest.mark.django_db
def test_each_result_shows_the_first_sentence_of_its_summary(client, make_trial):
    from netinfo.glossary import rerender_all
    from trials.finder.search_text import refresh
    from trials.models import Trial

    trial = make_trial("Saved trial", status="open", summary="It tests PRRT. It is for adults.")
    # Loaded as fixtures are, without save(): the re-render after a load works it out.
    loaded = Trial.objects.bulk_create(
        [
            Trial(
                title="Loaded trial",
                slug="loaded",
                state="published",
                status="open",
                registry_checked=datetime.date.today(),
                summary="Dr. Smith runs it. It is small.",
            )
        ]
    )
    refresh([loaded[0].pk])

    def summaries():
        cards = soup(client.get("/trials/?sort=title")).select(".app-trial-card")
        return {
            text_of(card.h3): text_of(card.select_one(".app-trial-card__summary"))
            for card in cards
            if card.select_one(".app-trial-card__summary")
        }

    assert summaries() == {"Saved trial": "It tests PRRT."}
    rerender_all()
    assert summaries() == {"Saved trial": "It tests PRRT.", "Loaded trial": "Dr. Smith runs it."}

    trial.summary = "It now tests lutetium. It is for adults."
    trial.save()
    assert summaries()["Saved trial"] == "It now tests lutetium."


@pytest.mark.django_db
def test_the_data_migration_gives_trials_saved_before_it_their_sentence(client, make_trial):
    from tests.data_migrations import run_fill
    from trials.models import Trial

    make_trial("Older trial", status="open", summary="It tests PRRT. It is for adults.")
    Trial.objects.update(summary_sentence="")  # as before the field existed
    run_fill("trials", "0009_trial_summary_sentence")
    card = soup(client.get("/trials/")).select_one(".app-trial-card__summary")
    assert text_of(card) == "It tests PRRT."


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("<p>This trial tests PRRT. It is for adults.</p>", "This trial tests PRRT."),
        ("Dr. Smith leads it. It is big.", "Dr. Smith leads it."),
        ("It tests a drug (e.g. Lutathera). More.", "It tests a drug (e.g. Lutathera)."),
        ("**Bold** start? Then more.", "Bold start?"),
        ("", ""),
    ],
)
def test_the_first_sentence_of_a_summary(text, sentence):
    from trials.text import first_sentence

    assert first_sentence(text) == sentence


def test_counts_in_words():
    from trials.finder.results import count_in_words

    assert count_in_words(0) == "No trials found"
    assert count_in_words(1) == "1 trial found"
    assert count_in_words(1204) == "1,204 trials found"
