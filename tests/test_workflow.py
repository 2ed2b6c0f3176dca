"""The editorial workflow: drafts stay off every public page, the roles differ only in
publishing and deleting, and warning callouts. Publishing: test_workflow_publishing.py;
review dates: test_review_dates.py; stale saves: test_stale_saves.py."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from netinfo.editorial import dashboard, workflow
from netinfo.models import Page
from tests.editorial import CONTENT_KINDS, KIND_IDS, admin_url, staff
from tests.html import soup, text_of

pytest_plugins = ["tests.editorial_fixtures"]


# ---- Drafts never reach the public --------------------------------------------------------


@pytest.fixture
def drafts_and_published(make_site, make_term, make_treatment, make_trial, make_page):
    """One published and one draft record of each kind, linked so every related list and
    count has a draft to leave out."""
    site = make_site("Pancreas")
    draft_site = make_site("Secret site", state="draft")
    make_term("Biomarker", definition="A sign in the body that can be measured.")
    make_term("Zanthoma", definition="A draft word nobody should see.", state="draft")
    treatment = make_treatment("Everolimus", summary="Tablets. Ask about a Zanthoma biomarker.")
    draft_treatment = make_treatment("Draftomab", state="draft")
    for used in (treatment, draft_treatment):
        used.uses.create(site=site)
    published = make_trial(
        "Published study", acronym="PUBSTUDY", status="open", sites=[site], treatments=[treatment]
    )
    draft = make_trial(
        "Hidden study",
        acronym="HIDDENSTUDY",
        status="open",
        state="draft",
        sites=[site, draft_site],
        treatments=[treatment, draft_treatment],
    )
    make_page("About NETs", body="Read about your Zanthoma biomarker.")
    draft_page = make_page("Unfinished page", state="draft")
    return {
        "site": site,
        "treatment": treatment,
        "published_trial": published,
        "draft_trial": draft,
        "draft_site": draft_site,
        "draft_treatment": draft_treatment,
        "draft_page": draft_page,
    }


DRAFT_WORDS = ("Hidden study", "HIDDENSTUDY", "Secret site", "Draftomab", "Unfinished page")


def _assert_no_drafts(response, url):
    assert response.status_code == 200, url
    text = response.content.decode()
    for word in DRAFT_WORDS:
        assert word not in text, f"{word} shown on {url}"


def test_drafts_are_absent_from_every_public_list_count_and_related_list(
    client, drafts_and_published
):
    records = drafts_and_published
    urls = [
        "/",
        "/trials/",
        f"/trials/?site={records['site'].slug}",
        records["published_trial"].get_absolute_url(),
        "/treatments/",
        records["treatment"].get_absolute_url(),
        "/tumour-sites/",
        records["site"].get_absolute_url(),
        "/glossary/",
        "/glossary/biomarker/",
        "/about-nets/",
    ]
    for url in urls:
        _assert_no_drafts(client.get(url), url)


def test_the_trial_finder_counts_only_published_trials(client, drafts_and_published):
    html = soup(client.get("/trials/"))
    count = text_of(html.find(id="results-heading"))
    assert count.startswith("1 "), count
    pancreas = html.find("input", attrs={"name": "site", "value": "pancreas"})
    label = html.find("label", attrs={"for": pancreas["id"]})
    assert label.find(class_="app-finder__option-count").get_text() == "(1 trial)"

    draft_url = drafts_and_published["draft_trial"].get_absolute_url()
    html = soup(client.get("/trials/?q=HIDDENSTUDY"))
    assert not html.find("a", href=draft_url)
    assert not text_of(html.find(id="results-heading")).startswith("1 ")


def test_a_draft_glossary_term_never_becomes_a_pop_up(client, drafts_and_published):
    page = soup(client.get("/about-nets/"))
    links = [a["href"] for a in page.find_all("a", href=True)]
    assert "/glossary/biomarker/" in links  # the published term is explained
    assert "/glossary/zanthoma/" not in links  # the draft one is plain text
    assert "A draft word nobody should see" not in page.get_text()


def test_drafts_are_not_in_the_sitemap_or_the_trial_feed(client, drafts_and_published):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert drafts_and_published["published_trial"].get_absolute_url() in sitemap
    for record in ("draft_trial", "draft_site", "draft_treatment", "draft_page"):
        assert drafts_and_published[record].get_absolute_url() not in sitemap
    feed = client.get("/trials/feed/")
    assert feed.status_code == 200
    assertContains(feed, "Published study")
    assertNotContains(feed, "Hidden study")


@pytest.mark.parametrize("kind", KIND_IDS)
def test_a_draft_is_a_404_to_the_public_and_to_staff_without_permission(client, make_record, kind):
    record = make_record(kind, state="draft")
    assert client.get(record.get_absolute_url()).status_code == 404
    client.force_login(staff("nosy"))
    assert client.get(record.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("kind", KIND_IDS)
def test_staff_who_can_edit_see_a_draft_marked_as_a_preview(editor_client, make_record, kind):
    record = make_record(kind, state="draft")
    response = editor_client.get(record.get_absolute_url())
    assert response.status_code == 200
    banner = soup(response).find(class_="app-preview-banner")
    assert "This page is a draft" in text_of(banner)

    record.state = "published"
    record.save()
    assert not soup(editor_client.get(record.get_absolute_url())).find(class_="app-preview-banner")


# ---- Roles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("factory", "app_label", "model", "field"), CONTENT_KINDS, ids=KIND_IDS)
def test_the_roles_differ_only_in_publishing_and_deleting(
    editor, approver, factory, app_label, model, field
):
    for action in ("view", "add", "change"):
        assert editor.has_perm(f"{app_label}.{action}_{model}")
        assert approver.has_perm(f"{app_label}.{action}_{model}")
    assert not editor.has_perm(f"{app_label}.publish_{model}")
    assert not editor.has_perm(f"{app_label}.delete_{model}")
    assert approver.has_perm(f"{app_label}.publish_{model}")
    assert approver.has_perm(f"{app_label}.delete_{model}")


def test_editors_can_manage_the_rows_inside_a_record(editor):
    assert editor.has_perm("trials.delete_location")
    assert editor.has_perm("treatments.add_treatmentuse")
    assert not editor.has_perm("netinfo.change_feedback")


def test_running_the_role_sync_again_changes_nothing(db):
    before = {g.name: set(g.permissions.all()) for g in Group.objects.all()}
    workflow.sync_roles()
    assert {g.name: set(g.permissions.all()) for g in Group.objects.all()} == before


# ---- Callouts ------------------------------------------------------------------------------


def test_markdown_fields_tell_editors_how_to_write_a_warning_box(editor_client, make_page):
    page = make_page("Help text")
    help_text = text_of(soup(editor_client.get(admin_url(page))).find(id="id_body_helptext"))
    assert '!!! warning "Title"' in help_text


def test_a_warning_callout_is_published_as_an_announced_aside(client, make_page):
    page = make_page(
        "Carcinoid crisis",
        body='!!! warning "Call 999 if"\n    You faint or cannot breathe.\n',
    )
    aside = soup(client.get(page.get_absolute_url())).find("aside", class_="app-callout--warning")
    assert aside is not None
    assert "Call 999 if" in text_of(aside)


def test_today_is_used_when_no_date_is_given(make_page):
    page = make_page("Today", next_review_due=timezone.localdate() - datetime.timedelta(days=1))
    assert list(dashboard.overdue(Page.objects.all())) == [page]
