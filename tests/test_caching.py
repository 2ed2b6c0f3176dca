"""Repeat visits are cheap: an unchanged page answers 304 with no body; a changed one, 200."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.html import soup, text_of

SITE = "http://testserver"


@pytest.fixture
def published_trial(make_trial):
    return make_trial("A trial of a new drug", summary="The first text.")


def test_an_unchanged_page_is_not_sent_again(client, published_trial):
    url = published_trial.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_a_changed_page_is_sent_in_full(client, published_trial):
    url = published_trial.get_absolute_url()
    etag = client.get(url)["ETag"]
    published_trial.summary = "The new text."
    published_trial.save()
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 200
    assert b"The new text." in again.content


def test_a_shared_cache_may_keep_a_public_page_briefly(client, published_trial, settings):
    settings.PUBLIC_CACHE_SECONDS = 45
    response = client.get(published_trial.get_absolute_url())
    policy = {part.strip() for part in response["Cache-Control"].split(",")}
    # A proxy or CDN keeps it for 45 s; a browser checks back every time (a cheap 304).
    assert policy == {"public", "max-age=0", "s-maxage=45"}
    assert "Cookie" in response["Vary"]
    assert not response.cookies


def test_signed_in_staff_get_private_pages(admin_client, published_trial):
    response = admin_client.get(published_trial.get_absolute_url())
    policy = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-cache"} <= policy and "public" not in policy


def test_the_health_check_and_admin_are_never_cached(admin_client, db):
    assert "no-cache" in admin_client.get("/healthz")["Cache-Control"]
    assert "ETag" not in admin_client.get("/admin/")


# ---- The page cache (netinfo.caching.page_cache): worked out once per version of the content ----


@pytest.fixture
def every_kind(make_site, make_term, make_page, make_treatment, make_use, make_trial):
    """One published record of each kind, and the address of each public page type."""
    pancreas = make_site("Pancreas", summary="NETs that start in the pancreas.")
    make_term("Biopsy", definition="Taking a small piece of tissue.")
    page = make_page("About NETs", body="You may have a biopsy.")
    make_page("Home", slug="home", body="Information about NETs.")
    treatment = make_treatment("Lanreotide", summary="An injection.")
    make_use(treatment, pancreas)
    trial = make_trial("A trial of lanreotide", sites=[pancreas], treatments=[treatment])
    return {
        "home": "/",
        "site page": page.get_absolute_url(),
        "tumour sites": "/tumour-sites/",
        "tumour site": pancreas.get_absolute_url(),
        "glossary": "/glossary/?q=biopsy",
        "glossary term": "/glossary/biopsy/",
        "treatments": "/treatments/?site=pancreas",
        "treatment": treatment.get_absolute_url(),
        "trial finder": "/trials/?q=lanreotide",
        "trial": trial.get_absolute_url(),
    }


@pytest.mark.parametrize(
    "kind",
    [
        "home",
        "site page",
        "tumour sites",
        "tumour site",
        "glossary",
        "glossary term",
        "treatments",
        "treatment",
        "trial finder",
        "trial",
    ],
)
def test_a_second_visitor_gets_the_same_page_for_one_query(
    client, every_kind, django_assert_num_queries, kind
):
    url = every_kind[kind]
    first = client.get(url)
    assert first.status_code == 200
    visitor = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(1):  # the content version
        again = visitor.get(url)
    # The very same bytes: nothing of one visitor's, so an HTTP cache may share them too.
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert not again.cookies
    # The feedback form in the footer works for the second visitor.
    sent = visitor.post("/feedback/", {"path": url, "helpful": "no"}, HTTP_ORIGIN=SITE)
    assert sent.status_code == 302


def test_an_edit_shows_on_the_next_visit(client, make_trial):
    trial = make_trial("A trial of a new drug", status="open")
    assert "Open to new patients" in text_of(soup(client.get(trial.get_absolute_url())).main)
    trial.status = "closed"
    trial.save()
    main = text_of(soup(client.get(trial.get_absolute_url())).main)
    assert "Closed to new patients" in main
    assert "Open to new patients" not in main


def test_a_part_changed_without_saving_its_trial_shows_on_the_next_visit(
    client, make_trial, make_site
):
    """A place, registry number or tumour site added or removed on its own, as the importer
    or a script may, changes the content version (netinfo.content_version) like a save does."""
    from trials.models import Identifier, Location

    trial = make_trial("A trial of a new drug", status="open")
    url = trial.get_absolute_url()
    finder = "/trials/?q=NCT01234567&region=Wales"
    assert "Cardiff" not in text_of(soup(client.get(url)).main)
    assert "No trials found" in text_of(soup(client.get(finder)).main)

    place = Location.objects.create(trial=trial, name="Velindre", town="Cardiff", region="Wales")
    Identifier.objects.create(trial=trial, kind="nct", value="NCT01234567")
    trial.sites.add(make_site("Lung"))

    main = text_of(soup(client.get(url)).main)
    assert "Cardiff" in main
    assert "Lung" in main
    assert "1 trial found" in text_of(soup(client.get(finder)).main)

    place.delete()
    assert "Cardiff" not in text_of(soup(client.get(url)).main)
    # No trial takes place in Wales now, so it is no longer a choice.
    assert "did not recognise the place “Wales”" in text_of(soup(client.get(finder)).main)


def test_a_deleted_page_is_gone_on_the_next_visit(client, make_page):
    page = make_page("Diet and NETs", body="Eat what you can.")
    make_page("Sleep and NETs", body="Rest when you need to.")  # edited later
    assert client.get(page.get_absolute_url()).status_code == 200
    page.delete()  # leaves the latest edit as it was: the deletion itself changes the version
    assert client.get("/diet-and-nets/").status_code == 404


def test_a_missing_page_is_not_remembered(client, make_page):
    assert client.get("/diet-and-nets/").status_code == 404
    make_page("Diet and NETs", body="Eat what you can.")
    assert client.get("/diet-and-nets/").status_code == 200


def test_a_glossary_rerender_shows_on_the_next_visit(client, make_term, make_page):
    page = make_page("About NETs", body="You may have a biopsy.")
    make_term("Biopsy", definition="Taking a small piece of tissue.")
    # The re-render waits for the commit (which never comes in a test), as it would wait
    # for a slow import: the page is cached without the pop-up...
    assert "app-glossary" not in str(soup(client.get(page.get_absolute_url())).main)
    from netinfo.glossary import rerender_all

    rerender_all()  # ...and the re-render, though it leaves updated_at alone, is seen.
    assert soup(client.get(page.get_absolute_url())).main.select("a[href='/glossary/biopsy/']")


def test_staff_previews_are_never_cached(client, admin_client, make_trial):
    draft = make_trial("A secret draft", state="draft")
    url = draft.get_absolute_url()
    assert "This page is a draft" in admin_client.get(url).content.decode()
    assert client.get(url).status_code == 404
    draft.state = "published"
    draft.save()
    public = client.get(url)
    assert public.status_code == 200
    assert "This page is a draft" not in public.content.decode()
    # A signed-in editor never gets the public copy: they see their own fresh page.
    draft.title = "A secret draft, renamed"
    Trial = type(draft)
    Trial.objects.filter(pk=draft.pk).update(title=draft.title)  # no updated_at change
    assert "renamed" in admin_client.get(url).content.decode()


def test_parameters_a_page_does_not_read_share_its_entry(
    client, every_kind, django_assert_num_queries
):
    client.get("/treatments/?site=pancreas")
    client.get("/glossary/biopsy/")
    with django_assert_num_queries(1):
        client.get("/treatments/?utm_source=leaflet&site=pancreas")
    with django_assert_num_queries(1):
        client.get("/glossary/biopsy/?from=leaflet")
    with CaptureQueriesContext(connection) as queries:  # another choice: worked out afresh
        lung = client.get("/treatments/?site=nowhere")
    assert len(queries) > 1
    assert "We did not recognise the tumour site" in lung.content.decode()


def test_a_renamed_kind_of_treatment_shows_on_the_next_visit(client, make_treatment):
    treatment = make_treatment("Lanreotide", type_name="Hormone therapy")
    assert "Hormone therapy" in text_of(soup(client.get("/treatments/")).main)
    kind = treatment.type
    kind.name = "Somatostatin analogues"
    kind.save()
    main = text_of(soup(client.get("/treatments/")).main)
    assert "Somatostatin analogues" in main
    assert "Hormone therapy" not in main
