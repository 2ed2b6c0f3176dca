"""The trial page for trials with little or odd data: nothing optional, dates only as precise
as known, sizes without dates, a draft, JSON-LD that leaves out the unknown and cannot break
out of its script element, a citation without authors; and the page's query count however
big the trial."""

import datetime

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from netinfo.caching import versioned
from tests.html import soup, text_of
from tests.trial_pages import headings, jsonld
from trials.models import Identifier, Location, Publication


@pytest.mark.django_db
def test_a_trial_with_nothing_optional_has_no_empty_headings(client, make_trial):
    trial = make_trial("A bare trial", phase="na", status="closed")

    response = client.get(trial.get_absolute_url())

    assert response.status_code == 200
    assert headings(response) == ["How to join"]
    html = soup(response)
    for heading in html.find("main").find_all(["h2", "h3", "h4"]):
        section = heading.find_parent("section")
        if section is not None:
            assert text_of(section) != text_of(heading), f"empty section {text_of(heading)}"
    assert html.find("main").find_all("dt"), "status and phase are always shown"
    assertContains(response, "This study does not test a drug, so it has no phase.")
    assertContains(response, "This trial is not taking new people.")
    assertNotContains(response, "Where this information comes from")
    assertNotContains(response, "Page last reviewed")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "precision", "shown"),
    [
        (datetime.date(2014, 3, 1), "month", "March 2014"),
        (datetime.date(2014, 3, 1), "year", "2014"),
        (datetime.date(2014, 3, 17), "day", "17 March 2014"),
    ],
)
def test_recruitment_dates_are_shown_only_as_precisely_as_known(
    client, make_trial, day, precision, shown
):
    trial = make_trial("Dated", recruitment_start=day, recruitment_start_precision=precision)

    html = soup(client.get(trial.get_absolute_url()))

    start = html.find("dt", string="Recruitment start")
    assert text_of(start.find_next_sibling("dd")) == shown


@pytest.mark.django_db
def test_sizes_without_dates_are_not_headed_as_dates(client, make_trial):
    trial = make_trial("Sized", target_size=90)

    response = client.get(trial.get_absolute_url())

    assert "Recruitment dates" not in headings(response)
    assert "How many people take part" in headings(response)
    assertContains(response, "<dt>People the trial plans to include</dt><dd>90</dd>", html=True)


@pytest.mark.django_db
def test_a_draft_trial_is_a_404_for_the_public(client, make_trial):
    trial = make_trial("Not ready", state="draft")

    assert client.get(trial.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_jsonld_of_an_empty_trial_leaves_out_what_is_unknown(client, make_trial):
    trial = make_trial("Bare", phase="na", status="unknown")

    data = jsonld(client.get(trial.get_absolute_url()))

    assert set(data) == {"@context", "@type", "name", "url"}


@pytest.mark.django_db
def test_jsonld_cannot_break_out_of_its_script_element(client, make_trial):
    trial = make_trial("</script><script>alert(1)</script>", sponsor="A & B <Ltd>")

    response = client.get(trial.get_absolute_url())

    assertNotContains(response, "<script>alert(1)")
    data = jsonld(response)
    assert data["name"] == "</script><script>alert(1)</script>"
    assert data["sponsor"]["name"] == "A & B <Ltd>"


@pytest.mark.django_db
def test_a_citation_without_authors_starts_with_its_title(make_trial):
    trial = make_trial("Imported trial")
    publication = Publication.objects.create(
        trial=trial, authors="", title="Results of a study.", journal="Lancet", year=2020
    )
    assert publication.citation == "Results of a study. Lancet, 2020."


def _trial_with(make_trial, make_site, make_treatment, locations):
    site = make_site("Pancreas", slug="pancreas")
    trial = make_trial(
        "Counted",
        sites=[site],
        treatments=[make_treatment("Everolimus")],
        identifiers=[("nct", "NCT00000001")],
    )
    Location.objects.bulk_create(
        Location(trial=trial, name=f"Hospital {n}", town=f"Town {n}", region=f"Region {n % 7}")
        for n in range(locations)
    )
    Publication.objects.bulk_create(
        Publication(trial=trial, authors="A Author", title=f"Paper {n}", year=2020)
        for n in range(locations)
    )
    for n in range(locations):
        other = make_trial(f"Related {n}", sites=[site])
        Identifier.objects.create(trial=other, kind="iras", value=str(100000 + n))
    return trial


# A fixed number whatever the size of the trial: the content version (the page cache's key),
# the trial, its sites, drugs, identifiers, locations, publications, published treatments,
# the related trials, and its latest clinical review.
PAGE_QUERIES = 10


@pytest.mark.django_db
@pytest.mark.parametrize("locations", [1, 50])
def test_the_page_takes_a_fixed_number_of_queries(
    client, make_trial, make_site, make_treatment, django_assert_num_queries, locations
):
    trial = _trial_with(make_trial, make_site, make_treatment, locations)

    versioned.warm()  # what pages read once per content version, per process
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(trial.get_absolute_url())

    assert response.status_code == 200
    assert response.content.decode().count("Hospital ") >= locations
