"""Publishing: editors cannot publish by any admin path (forms, actions, reverting, list
editing), while approvers can, recording a review."""

import datetime
from unittest import mock

import pytest
from django.contrib import admin
from django.test import RequestFactory
from pytest_django.asserts import assertContains

from netinfo.editorial.content_admin import ContentAdmin
from netinfo.editorial.forms import ContentAdminForm
from netinfo.models import Page
from tests.editorial import CONTENT_KINDS, KIND_IDS, admin_url, errors_on, form_data
from tests.html import soup, text_of

pytest_plugins = ["tests.editorial_fixtures"]


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
