"""No silent overwrites: a save from a stale form is refused without losing what the editor
typed, and the version check and increment are one UPDATE."""

from unittest import mock

import pytest

from netinfo.editorial import workflow
from netinfo.editorial.forms import ContentAdminForm
from netinfo.models import Page
from tests.editorial import admin_url, errors_on, form_data
from tests.html import soup

pytest_plugins = ["tests.editorial_fixtures"]


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
