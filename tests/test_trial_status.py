"""A trial says "open" only when a recent registry check says so (issue 16).

Everywhere a status shows (trial page, finder card, tumour-site and treatment lists, JSON-LD,
the feed), it says where and when it was checked; an open or opening-soon status that no
check in the last TRIAL_STATUS_MAX_AGE_DAYS days confirms is "Status not confirmed", and the
finder's default view leaves it out with a note and a link to it.
"""

import datetime
import itertools
import json
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from pytest_django.asserts import assertNotContains

from tests.html import soup, text_of
from trials.models import Trial

ATOM = "{http://www.w3.org/2005/Atom}"
TODAY = timezone.localdate()
_numbers = itertools.count(1)


def long_date(day):
    return f"{day.day} {day:%B %Y}"


def days_ago(days):
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def site(make_site):
    return make_site("Pancreas")


@pytest.fixture
def treatment(make_treatment):
    return make_treatment("PRRT")


@pytest.fixture
def trial_checked(make_trial, site, treatment):
    """An open trial at the pancreas, testing PRRT, with an NCT number, checked ``days`` ago
    (None: never)."""

    def make(days, status="open", title="Lutetium for pancreatic NETs", **fields):
        return make_trial(
            title,
            status=status,
            sites=[site],
            treatments=[treatment],
            identifiers=[("nct", f"NCT{5000000 + next(_numbers):08d}")],
            registry_checked=None if days is None else days_ago(days),
            summary="This trial tests PRRT.",
            **fields,
        )

    return make


def status_of_page(response):
    return text_of(soup(response).find("dt", string="Status").find_next_sibling("dd"))


def card_statuses(response):
    """{trial title: what its card's status line says}."""
    return {
        text_of(card.h3): text_of(card.select_one(".app-trial-card__status"))
        for card in soup(response).select(".app-trial-card")
    }


def jsonld(response):
    (script,) = soup(response).find_all("script", type="application/ld+json")
    return json.loads(script.string)


def trials_open_here(response):
    section = soup(response).find(id="trials-here").find_parent("section")
    return [text_of(item) for item in section.select(".app-trial-links__item")]


def feed_entries(response):
    root = ET.fromstring(response.content)
    return [
        (entry.find(f"{ATOM}title").text, entry.find(f"{ATOM}summary").text)
        for entry in root.findall(f"{ATOM}entry")
    ]


# ---- Checked 91 days ago: not confirmed, everywhere ----


@pytest.mark.django_db
def test_a_trial_checked_91_days_ago_stops_saying_open_on_its_page(client, trial_checked):
    trial = trial_checked(91)

    response = client.get(trial.get_absolute_url())

    status = status_of_page(response)
    assert status.startswith(f"Status not confirmed – we last checked on {long_date(days_ago(91))}")
    assert "It may have closed. Ask the trial team or your specialist." in status
    link = soup(response).find("a", string="the trial's record on ClinicalTrials.gov")
    number = trial.identifiers.get().value
    assert link["href"] == f"https://clinicaltrials.gov/study/{number}"
    assertNotContains(response, "Open to new patients")
    assertNotContains(response, "Hospitals taking part")
    how_to_join = text_of(soup(response).find(id="how-to-join").find_parent("section"))
    assert "We do not know if this trial is taking people now." in how_to_join
    assert "recruiting" not in json.dumps(jsonld(response)).lower()
    assert "status" not in jsonld(response)


@pytest.mark.django_db
def test_a_trial_checked_91_days_ago_leaves_the_default_finder_view_with_a_note_and_a_link(
    client, trial_checked
):
    trial_checked(91)
    trial_checked(1, title="Everolimus for pancreatic NETs")

    page = soup(client.get("/trials/"))

    assert card_statuses(client.get("/trials/")) == {
        "Everolimus for pancreatic NETs": "Open to new patients – checked on ClinicalTrials.gov "
        f"on {long_date(days_ago(1))}"
    }
    note = page.select_one(".app-finder__left-out")
    assert text_of(note).startswith(
        "We left out 1 trial that may be open or opening soon, because no trial registry has "
        "confirmed its status in the last 90 days."
    )
    link = note.find("a")
    assert link["href"] == "/trials/?status=unconfirmed"

    shown = client.get(link["href"])
    assert card_statuses(shown) == {
        "Lutetium for pancreatic NETs": "Status not confirmed – we last checked on "
        f"{long_date(days_ago(91))}"
    }
    assert "Status: Status not confirmed" in text_of(soup(shown).select_one(".app-finder__active"))


@pytest.mark.django_db
def test_the_left_out_note_keeps_the_other_choices_and_counts_only_what_they_match(
    client, trial_checked, make_site, make_trial
):
    trial_checked(200)
    lung = make_site("Lung")
    make_trial("Old lung trial", sites=[lung], registry_checked=days_ago(300))

    note = soup(client.get("/trials/?site=pancreas")).select_one(".app-finder__left-out")

    assert "We left out 1 trial" in text_of(note)
    assert note.find("a")["href"] == "/trials/?site=pancreas&status=unconfirmed"
    # The same when the form is sent with its open and opening-soon boxes ticked.
    ticked = "/trials/?site=pancreas&status=opening_soon&status=open"
    note = soup(client.get(ticked)).select_one(".app-finder__left-out")
    assert "We left out 1 trial" in text_of(note)
    assert note.find("a")["href"] == "/trials/?site=pancreas&status=unconfirmed"
    # Not when "not confirmed" is ticked, or only closed trials are asked for.
    for asked in ("status=open&status=unconfirmed", "status=closed", "status=all"):
        assert not soup(client.get(f"/trials/?{asked}")).select_one(".app-finder__left-out")


@pytest.mark.django_db
def test_a_trial_checked_91_days_ago_is_not_in_the_tumour_sites_open_list(
    client, trial_checked, site
):
    trial_checked(91)
    trial_checked(90, title="Everolimus for pancreatic NETs")

    listed = trials_open_here(client.get(site.get_absolute_url()))

    assert listed == [
        "Everolimus for pancreatic NETs Open to new patients – checked on ClinicalTrials.gov "
        f"on {long_date(days_ago(90))}"
    ]


@pytest.mark.django_db
def test_a_trial_checked_91_days_ago_is_not_one_you_could_ask_about_on_the_treatment_page(
    client, trial_checked, treatment
):
    trial_checked(91)

    page = soup(client.get(treatment.get_absolute_url()))
    section = text_of(page.find(id="trials").find_parent("section"))

    assert "We do not know of any trial of this treatment that is taking people now." in section
    assert "Trials you could ask about" not in section
    assert (
        "Trials that are not known to be taking people Lutetium for pancreatic NETs "
        f"Status not confirmed – we last checked on {long_date(days_ago(91))}" in section
    )


@pytest.mark.django_db
def test_the_feed_never_calls_a_trial_checked_91_days_ago_open(client, trial_checked):
    trial_checked(91)

    assert feed_entries(client.get("/trials/feed/")) == []
    ((title, summary),) = feed_entries(client.get("/trials/feed/?status=all"))
    assert title == "Lutetium for pancreatic NETs – Status not confirmed"
    assert summary.startswith(
        f"Status not confirmed – we last checked on {long_date(days_ago(91))}. Ask the trial "
        "team or your specialist."
    )
    assert "Open to new patients" not in summary


@pytest.mark.django_db
def test_a_trial_never_checked_says_so(client, trial_checked):
    trial = trial_checked(None)

    status = status_of_page(client.get(trial.get_absolute_url()))

    assert status.startswith("Status not confirmed – we have never checked it with a registry")


# ---- Checked yesterday: open, with where and when ----


@pytest.mark.django_db
def test_a_trial_checked_yesterday_says_where_and_when_everywhere(client, trial_checked, site):
    trial = trial_checked(1)
    said = f"Open to new patients – checked on ClinicalTrials.gov on {long_date(days_ago(1))}"

    response = client.get(trial.get_absolute_url())
    assert status_of_page(response).startswith(said)
    assertNotContains(response, "Status not confirmed")
    assert jsonld(response)["status"] == "https://schema.org/Recruiting"
    assert card_statuses(client.get("/trials/")) == {trial.title: said}
    assert trials_open_here(client.get(site.get_absolute_url())) == [f"{trial.title} {said}"]
    ((title, summary),) = feed_entries(client.get("/trials/feed/"))
    assert title == f"{trial.title} – Open to new patients"
    assert summary.startswith(f"{said}.")


@pytest.mark.django_db
def test_the_registry_named_is_the_one_the_trial_is_registered_with(client, make_trial):
    make_trial("An ISRCTN trial", identifiers=[("isrctn", "ISRCTN12345678")])
    make_trial("An unregistered trial")

    assert card_statuses(client.get("/trials/?sort=title")) == {
        "An ISRCTN trial": "Open to new patients – checked on the ISRCTN registry on "
        f"{long_date(TODAY)}",
        "An unregistered trial": "Open to new patients – checked on a trial registry on "
        f"{long_date(TODAY)}",
    }


@pytest.mark.django_db
def test_a_closed_trial_says_when_it_was_checked_or_that_it_was_not(client, trial_checked):
    checked = trial_checked(400, status="closed")
    unchecked = trial_checked(None, status="results", title="An old trial")

    assert status_of_page(client.get(checked.get_absolute_url())).startswith(
        f"Closed to new patients – checked on ClinicalTrials.gov on {long_date(days_ago(400))}"
    )
    assert status_of_page(client.get(unchecked.get_absolute_url())).startswith(
        "Results available – not checked with a registry"
    )


# ---- The limit and the day ----


@pytest.mark.django_db
def test_the_limit_is_a_setting(client, trial_checked, settings):
    settings.TRIAL_STATUS_MAX_AGE_DAYS = 30
    trial = trial_checked(31)

    assert status_of_page(client.get(trial.get_absolute_url())).startswith("Status not confirmed")
    note = soup(client.get("/trials/")).select_one(".app-finder__left-out")
    assert "in the last 30 days" in text_of(note)


@pytest.mark.django_db
def test_cached_pages_and_the_finder_change_at_midnight_without_an_edit(
    client, trial_checked, site, monkeypatch
):
    trial = trial_checked(90)
    said = "Open to new patients – checked on ClinicalTrials.gov on " + long_date(days_ago(90))

    def shown():
        return [
            status_of_page(client.get(trial.get_absolute_url())).startswith(said),
            card_statuses(client.get("/trials/")) == {trial.title: said},
            trials_open_here(client.get(site.get_absolute_url())) == [f"{trial.title} {said}"],
        ]

    assert shown() == [True, True, True]  # cached, and the finder index built, today

    tomorrow = TODAY + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    assert shown() == [False, False, False]
    assert status_of_page(client.get(trial.get_absolute_url())).startswith("Status not confirmed")
    assert "We left out 1 trial" in text_of(soup(client.get("/trials/")))


def test_what_a_status_says_is_worked_out_without_a_request():
    trial = Trial(status="opening_soon", registry_checked=datetime.date(2026, 3, 3))
    trial.checked_registry = "nct"  # as TrialQuerySet.with_registry() annotates it

    shown = trial.status_shown(today=datetime.date(2026, 6, 1))
    assert shown.text == "Opening soon – checked on ClinicalTrials.gov on 3 March 2026"
    assert shown.confirmed

    later = trial.status_shown(today=datetime.date(2026, 6, 2))  # 91 days later
    assert later.text == "Status not confirmed – we last checked on 3 March 2026"
    assert not later.confirmed
    assert later.advice


# ---- Looking up a trial by its short name ----


@pytest.mark.django_db
def test_a_trials_short_name_finds_it_whatever_its_status_with_a_note(client, make_trial):
    make_trial("Lutetium after liver surgery", acronym="LIVERLU", status="unknown")

    page = soup(client.get("/trials/?q=liverlu"))

    assert list(card_statuses(client.get("/trials/?q=liverlu"))) == [
        "Lutetium after liver surgery (LIVERLU)"
    ]
    notes = [text_of(note) for note in page.select(".app-finder__note")]
    assert "You searched for a trial by its short name, so we show it whatever its status." in notes
    # Other words still show only trials a patient could join.
    assert card_statuses(client.get("/trials/?q=liver")) == {}
