"""The editorial workflow: drafts stay off every public page, editors cannot publish by any
admin path while approvers can, review dates drive the filter and dashboard, and a stale
save is refused without losing what the editor typed."""

import datetime
from unittest import mock

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from netinfo.editorial import dashboard, workflow
from netinfo.editorial.content_admin import ContentAdmin
from netinfo.editorial.forms import ContentAdminForm
from netinfo.models import Page
from tests.editorial import (
    CONTENT_KINDS,
    KIND_IDS,
    admin_url,
    errors_on,
    form_data,
    staff,
)
from tests.html import soup, text_of

pytest_plugins = ["tests.editorial_fixtures"]

TODAY = datetime.date(2025, 6, 15)


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


# ---- An editor cannot publish by any admin path --------------------------------------------


@pytest.mark.parametrize("kind", KIND_IDS)
def test_an_editor_cannot_publish_through_the_change_form(editor_client, make_record, kind):
    record = make_record(kind, state="draft")
    response = editor_client.get(admin_url(record))
    html = soup(response)
    assert not html.find("select", attrs={"name": "state"})  # shown, not editable
    assert "Draft (not on the site)" in text_of(html.find(class_="field-state"))

    data = form_data(response)
    data |= {"state": "published", "last_reviewed": "2025-01-02", "reviewed_by": "Me"}
    data |= {"change_note": "Published by an editor", "sources": "- A new source"}
    response = editor_client.post(admin_url(record), data)

    assert response.status_code == 302, errors_on(response)
    record.refresh_from_db()
    assert record.sources == "- A new source"  # the editor's own work is saved
    assert record.state == "draft"
    assert record.last_reviewed is None and record.reviewed_by == ""
    assert record.change_note == ""
    assert editor_client.logout() is None
    assert editor_client.get(record.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("kind", ["page", "glossaryterm", "tumoursite"])
def test_an_editor_cannot_publish_through_the_add_form(editor_client, kind):
    fields = {
        "page": {"title": "Crafted page", "slug": "crafted", "order": "0"},
        "glossaryterm": {"term": "Crafted", "slug": "crafted", "definition": "A word."},
        "tumoursite": {"name": "Crafted", "slug": "crafted", "order": "0"},
    }[kind]
    url = f"/admin/netinfo/{kind}/add/"
    response = editor_client.get(url)
    assert not soup(response).find("select", attrs={"name": "state"})
    data = {**form_data(response), **fields, "state": "published", "last_reviewed": "2025-01-02"}
    response = editor_client.post(url, data)
    assert response.status_code == 302, errors_on(response)

    from django.apps import apps

    record = apps.get_model("netinfo", kind).objects.get(slug="crafted")
    assert record.state == "draft"
    assert record.last_reviewed is None


def test_an_editor_is_not_offered_and_cannot_run_the_publish_action(editor_client, make_page):
    page = make_page("Waiting page", state="draft")
    changelist = editor_client.get("/admin/netinfo/page/")
    actions = [o.get("value") for o in soup(changelist).select("select[name=action] option")]
    assert "publish_selected" not in actions

    response = editor_client.post(
        "/admin/netinfo/page/",
        {"action": "publish_selected", "_selected_action": [page.pk], "index": "0"},
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.state == "draft"


def test_an_editor_cannot_publish_by_reverting_to_a_published_version(
    editor_client, approver, make_page
):
    page = make_page("Going back", body="Old words.")  # published
    page.state = "draft"
    page._history_user = approver
    page.save()
    published_version = page.history.order_by("history_date").first()
    assert published_version.state == "published"

    url = f"/admin/netinfo/page/{page.pk}/history/{published_version.history_id}/"
    response = editor_client.post(url, form_data(editor_client.get(url)))
    assert response.status_code == 302, errors_on(response)
    page.refresh_from_db()
    assert page.state == "draft"

    changes_url = f"/admin/netinfo/page/{page.pk}/history/{published_version.history_id}/changes/"
    assert editor_client.post(changes_url).status_code == 302
    page.refresh_from_db()
    assert page.state == "draft"


def test_list_editing_cannot_publish_for_an_editor_even_if_state_is_editable_there(
    editor, approver, make_page
):
    """A content admin that put "state" in list_editable would still refuse editors."""

    class StateListAdmin(ContentAdmin):
        list_display = ("title", "state")
        list_editable = ("state",)

    model_admin = StateListAdmin(Page, admin.AdminSite(name="test_admin"))

    def list_edit(user, page):
        request = RequestFactory().post(
            "/",
            {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-0-id": str(page.pk),
                "form-0-state": "published",
                "_save": "Save",
            },
        )
        request.user = user
        request._dont_enforce_csrf_checks = True
        request.session = {}
        request._messages = mock.MagicMock()
        model_admin.changelist_view(request)
        page.refresh_from_db()
        return page.state

    assert list_edit(editor, make_page("Listed by an editor", state="draft")) == "draft"
    assert list_edit(approver, make_page("Listed by an approver", state="draft")) == "published"


def test_the_form_itself_refuses_a_publish_by_someone_who_may_not(editor, make_page):
    page = make_page("Form check", state="draft")

    class PageForm(ContentAdminForm):
        class Meta:
            model = Page
            fields = ["title", "slug", "state"]

    PageForm.editing_user = editor
    data = {"title": "Form check", "slug": page.slug, "state": "published"}
    form = PageForm(data | {"edit_version": page.version}, instance=page)
    assert not form.is_valid()
    assert "Only a content approver can publish" in str(form.errors["state"])


# ---- An approver can publish and record a review -------------------------------------------


@pytest.mark.parametrize("kind", KIND_IDS)
def test_an_approver_publishes_and_records_a_review_in_the_form(
    client, approver_client, make_record, kind
):
    record = make_record(kind, state="draft")
    response = approver_client.get(admin_url(record))
    data = form_data(response)
    data |= {"state": "published", "last_reviewed": "2025-03-01", "reviewed_by": "Dr A Smith"}
    data |= {"change_note": "First published"}
    response = approver_client.post(admin_url(record), data)

    assert response.status_code == 302, errors_on(response)
    record.refresh_from_db()
    assert record.state == "published"
    assert record.last_reviewed == datetime.date(2025, 3, 1)
    assert record.reviewed_by == "Dr A Smith"
    assert record.next_review_due == datetime.date(2026, 3, 1)  # a year on, filled in
    public = client.get(record.get_absolute_url())
    assert public.status_code == 200
    review = text_of(soup(public).find(class_="app-review"))
    assert "1 March 2025, by Dr A Smith" in review
    assert "1 March 2026" in review
    assert "First published" in review


def test_recording_a_review_asks_who_did_it(approver_client, make_page):
    page = make_page("Needs a name")
    data = form_data(approver_client.get(admin_url(page))) | {"last_reviewed": "2025-03-01"}
    response = approver_client.post(admin_url(page), data)
    assert response.status_code == 200
    assert any("Say who reviewed it" in error for error in errors_on(response))


def test_the_publish_action_is_for_approvers_and_keeps_history(
    approver_client, approver, make_page
):
    first = make_page("First draft", state="draft")
    second = make_page("Second draft", state="draft")
    changelist = approver_client.get("/admin/netinfo/page/")
    actions = [o.get("value") for o in soup(changelist).select("select[name=action] option")]
    assert "publish_selected" in actions

    response = approver_client.post(
        "/admin/netinfo/page/",
        {"action": "publish_selected", "_selected_action": [first.pk, second.pk], "index": "0"},
        follow=True,
    )
    assertContains(response, "Published 2 pages.")
    for page in (first, second):
        page.refresh_from_db()
        assert page.state == "published"
        latest = page.history.latest("history_date")
        assert latest.history_user == approver
        assert latest.history_change_reason == "Published"

    approver_client.post(
        "/admin/netinfo/page/",
        {"action": "unpublish_selected", "_selected_action": [first.pk], "index": "0"},
    )
    first.refresh_from_db()
    assert first.state == "draft"


@pytest.mark.parametrize(("factory", "app_label", "model", "field"), CONTENT_KINDS, ids=KIND_IDS)
def test_every_content_admin_offers_publishing_to_approvers_only(
    request, editor_client, approver_client, factory, app_label, model, field
):
    request.getfixturevalue(factory)()  # the admin shows actions once there is a record
    url = f"/admin/{app_label}/{model}/"
    for client_, offered in ((editor_client, False), (approver_client, True)):
        html = soup(client_.get(url))
        actions = [o.get("value") for o in html.select("select[name=action] option")]
        assert ("publish_selected" in actions) is offered
        filters = text_of(html.find(id="changelist-filter"))
        assert "Overdue for review" in filters


def test_an_editor_edit_to_a_published_page_waits_and_the_page_stays_published(
    editor_client, make_page
):
    """Editors cannot take a page off the site, and their change waits for an approver
    (tests/test_pending.py follows it through)."""
    page = make_page("Live page", body="Old text.")
    data = form_data(editor_client.get(admin_url(page))) | {"body": "New text."}
    assert editor_client.post(admin_url(page), data).status_code == 302
    page.refresh_from_db()
    assert page.state == "published" and page.body == "Old text."


# ---- Review dates: filter and dashboard ----------------------------------------------------


@pytest.fixture
def review_dates(make_page, make_trial):
    day = datetime.timedelta(days=1)
    return {
        "overdue": make_page("Overdue page", next_review_due=TODAY - day),
        "overdue trial": make_trial("Overdue trial", next_review_due=TODAY - 400 * day),
        "due today": make_page("Due today page", next_review_due=TODAY),
        "due in 30": make_trial("Due in thirty trial", next_review_due=TODAY + 30 * day),
        "due in 31": make_page("Due in thirty-one page", next_review_due=TODAY + 31 * day),
        "draft overdue": make_page(
            "Draft overdue page", state="draft", next_review_due=TODAY - day
        ),
        "never": make_page("Never reviewed page"),
    }


@pytest.fixture
def frozen_today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def _listed(response):
    return {text_of(a) for a in soup(response).select("#result_list tbody th a")}


def test_the_overdue_filter_lists_exactly_the_overdue_published_records(
    approver_client, review_dates, frozen_today
):
    assert _listed(approver_client.get("/admin/netinfo/page/?review=overdue")) == {"Overdue page"}
    assert _listed(approver_client.get("/admin/netinfo/page/?review=soon")) == {"Due today page"}
    assert _listed(approver_client.get("/admin/netinfo/page/?review=never")) == {
        "Never reviewed page"
    }
    trials = _listed(approver_client.get("/admin/trials/trial/?review=overdue"))
    assert trials == {"Overdue trial"}


def _section(html, key):
    section = html.find(id=f"dashboard-{key}")
    return {text_of(a) for a in section.select("tbody th a")}


def test_the_dashboard_lists_overdue_due_soon_and_drafts(
    approver_client, review_dates, make_term, frozen_today
):
    make_term("Draft term", state="draft")
    html = soup(approver_client.get("/admin/"))
    assert _section(html, "overdue") == {"Overdue page", "Overdue trial"}
    assert _section(html, "soon") == {"Due today page", "Due in thirty trial"}
    assert _section(html, "never") == {"Never reviewed page"}
    assert _section(html, "drafts") == {"Draft overdue page", "Draft term"}
    overdue_rows = html.find(id="dashboard-overdue").select("tbody tr")
    assert "Overdue trial" in text_of(overdue_rows[0])  # longest overdue first


def test_the_dashboard_shows_only_what_the_user_may_see(client, review_dates, frozen_today):
    from django.contrib.auth.models import Permission

    user = staff("pagesonly")
    user.user_permissions.add(Permission.objects.get(codename="view_page"))
    client.force_login(user)
    html = soup(client.get("/admin/"))
    assert _section(html, "overdue") == {"Overdue page"}


# ---- No silent overwrites ------------------------------------------------------------------


def test_a_second_save_from_a_stale_form_is_refused_and_keeps_the_typed_text(
    editor_client, approver_client, make_page
):
    page = make_page("Shared page", body="Original text.", state="draft")
    first = form_data(approver_client.get(admin_url(page)))
    second = form_data(editor_client.get(admin_url(page)))
    assert first["edit_version"] == second["edit_version"] == str(page.version)

    first["body"] = "The approver's new text."
    first["summary"] = "A new summary."
    assert approver_client.post(admin_url(page), first).status_code == 302

    second["body"] = "The editor's typed text."
    response = editor_client.post(admin_url(page), second)

    assert response.status_code == 200  # the form again, not a redirect
    errors = " ".join(errors_on(response))
    assert "Not saved: Alan saved this page while you were editing it" in errors
    assert "They changed Body to “The approver's new text.”" in errors
    assert "They changed Summary to “A new summary.”" in errors
    textarea = soup(response).find("textarea", attrs={"name": "body"})
    assert "The editor's typed text." in textarea.get_text()
    page.refresh_from_db()
    assert page.body == "The approver's new text."

    # Having read the message, the editor can choose to save their version over it.
    again = form_data(response)
    assert again["body"].strip() == "The editor's typed text."
    assert editor_client.post(admin_url(page), again).status_code == 302
    page.refresh_from_db()
    assert page.body == "The editor's typed text."


def test_each_save_adds_one_to_the_version(editor_client, make_page):
    page = make_page("Counting", state="draft")
    start = page.version
    for text in ("One.", "Two."):
        data = form_data(editor_client.get(admin_url(page))) | {"body": text}
        assert editor_client.post(admin_url(page), data).status_code == 302
    page.refresh_from_db()
    assert page.version == start + 2
    page.save()  # outside the admin too (imports, commands)
    page.refresh_from_db()
    assert page.version == start + 3


def test_the_check_and_the_increment_are_one_update(make_page):
    page = make_page("Raced")
    stale = Page.objects.get(pk=page.pk)
    page.body = "Saved first."
    page.save()
    stale._expected_version = stale.version
    stale.body = "Saved second, from an old copy."
    with pytest.raises(workflow.StaleEdit):
        stale.save()
    page.refresh_from_db()
    assert page.body == "Saved first."


def test_a_save_that_loses_the_race_after_the_check_is_refused_too(
    editor_client, approver, make_page
):
    """The form's check passed a moment before another save landed: the UPDATE that claims
    the version finds nothing, the whole save is rolled back and the form comes back with
    the other person's changes."""
    page = make_page("Photo finish", body="Start.", state="draft")
    data = form_data(editor_client.get(admin_url(page))) | {"body": "Mine."}
    other = Page.objects.get(pk=page.pk)
    other.body = "Theirs."
    other._history_user = approver
    other.save()
    original = ContentAdminForm._check_version
    calls = []

    def checked_just_before_the_other_save(form, cleaned):
        calls.append(1)
        if len(calls) == 1:
            form.instance._expected_version = cleaned["edit_version"]
            return
        original(form, cleaned)

    with mock.patch.object(ContentAdminForm, "_check_version", checked_just_before_the_other_save):
        response = editor_client.post(admin_url(page), data)

    assert len(calls) == 2  # refused at the UPDATE, then shown again with the check
    assert response.status_code == 200
    assert "They changed Body to “Theirs.”" in " ".join(errors_on(response))
    page.refresh_from_db()
    assert page.body == "Theirs."


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
