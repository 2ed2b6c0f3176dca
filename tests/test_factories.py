"""The test factories make what the site makes: a trial made with its links and registry
numbers in bulk keeps the same history and is found by the same words as one linked row by
row, and more links cost it no more queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from netinfo.models import VersionLinks
from tests.html import soup, text_of
from trials.models import Identifier, Trial


def linked_row_by_row(title, sites, treatments, identifiers):
    trial = Trial.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        state="published",
        registry_checked=datetime.date.today(),
    )
    trial.sites.set(sites)
    trial.treatments.set(treatments)
    for kind, value in identifiers:
        Identifier.objects.create(trial=trial, kind=kind, value=value)
    return trial


def history_of(trial):
    """Each history entry as (type, its links with the registry numbers' own ids left out)."""
    entries = []
    for entry in Trial.history.filter(id=trial.pk).order_by("history_id"):
        links = VersionLinks.objects.get(kind="trials.trial", history_id=entry.history_id).links
        numbers = [(row["kind"], row["value"]) for row in links.pop("identifiers")]
        entries.append((entry.history_type, links, numbers))
    return entries


def titles_found(client, words):
    response = client.get("/trials/", {"q": words, "status": "all"})
    return sorted(text_of(h) for h in soup(response).select(".app-trial-card__title"))


def test_a_trial_made_in_bulk_has_the_history_and_words_of_one_linked_row_by_row(
    client, make_site, make_treatment, make_trial
):
    lung = make_site("Lung")
    octreotide = make_treatment("Octreotide")
    made = make_trial(
        "Made", sites=[lung], treatments=[octreotide], identifiers=[("nct", "NCT00000001")]
    )
    by_hand = linked_row_by_row("By hand", [lung], [octreotide], [("nct", "NCT00000002")])

    assert history_of(made) == [("+", {**history_of(by_hand)[0][1]}, [("nct", "NCT00000001")])]
    assert history_of(by_hand)[0][2] == [("nct", "NCT00000002")]
    assert len(history_of(by_hand)) == 1
    assert titles_found(client, "lung") == ["By hand", "Made"]
    assert titles_found(client, "octreotide") == ["By hand", "Made"]
    assert titles_found(client, "NCT00000001") == ["Made"]


def test_more_links_and_registry_numbers_cost_a_trial_no_more_queries(
    make_site, make_treatment, make_trial
):
    sites = [make_site(name) for name in ("Lung", "Pancreas", "Stomach")]
    treatments = [make_treatment(name) for name in ("Octreotide", "Everolimus")]
    make_trial("First", sites=sites[:1])  # the first write of some rows costs more
    with CaptureQueriesContext(connection) as one_each:
        make_trial(
            "One", sites=sites[:1], treatments=treatments[:1], identifiers=[("iras", "1001")]
        )
    with CaptureQueriesContext(connection) as several:
        make_trial(
            "Several",
            sites=sites,
            treatments=treatments,
            identifiers=[("iras", "2001"), ("nct", "NCT00000003"), ("isrctn", "ISRCTN00000003")],
        )

    assert len(several) == len(one_each)
