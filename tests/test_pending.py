"""Pending changes: an editor's edit to a published trial waits for an approver and never
reaches the public until one publishes it; approvers see the difference, publish it with a
change note or send it back; their own edits go live at once; two editors cannot overwrite
each other. Every other kind of record, and each admin path: test_pending_paths.py."""

import pytest
from django.core import mail
from pytest_django.asserts import assertContains, assertNotContains

from netinfo.editorial.models import PendingChange
from tests.editorial import admin_url, errors_on, form_data, staff
from tests.html import soup, text_of
from tests.pending_forms import edit, review_url

pytest_plugins = ["tests.editorial_fixtures"]


@pytest.fixture
def emails(editor, approver):
    editor.email = "edna@example.org"
    editor.save()
    approver.email = "alan@example.org"
    approver.save()


@pytest.fixture
def trial(make_trial, make_site):
    return make_trial(
        "Lanreotide after surgery",
        acronym="LAS",
        summary="The old summary patients read today.",
        sites=[make_site("Pancreas")],
    )


def test_an_editors_edit_waits_and_the_approver_publishes_it(
    client,
    editor_client,
    approver_client,
    approver,
    emails,
    trial,
    django_capture_on_commit_callbacks,
):
    public = client.get(trial.get_absolute_url())  # cached for the public, as it is now
    assertContains(public, "The old summary patients read today.")

    with django_capture_on_commit_callbacks(execute=True):
        response = edit(
            editor_client,
            trial,
            summary="A new summary, checked by the nurse.",
            _review_note="The trial team asked for this.",
        )

    # The editor is told plainly; the live record and the public page stay as they were.
    messages = [text_of(m) for m in soup(response).select(".messagelist li")]
    assert any("has been sent for review" in m for m in messages), messages
    assert "Your change is waiting for review" in text_of(soup(response).find(id="pending-banner"))
    trial.refresh_from_db()
    assert trial.summary == "The old summary patients read today."
    public = client.get(trial.get_absolute_url())
    assertContains(public, "The old summary patients read today.")
    assertNotContains(public, "checked by the nurse")

    # Approvers are told by email, with a link to the review page.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alan@example.org"]
    assert "Change waiting for review: Lanreotide after surgery (LAS)" in message.subject
    assert review_url(trial) in message.body
    assert "Their note: The trial team asked for this." in message.body

    # ... and on the dashboard.
    dashboard = soup(approver_client.get("/admin/"))
    pending_list = text_of(dashboard.find(id="dashboard-pending"))
    assert "Lanreotide after surgery" in pending_list and "Edna" in pending_list

    # The approver sees what changed, old and new side by side, and a preview.
    review = soup(approver_client.get(review_url(trial)))
    assert "The trial team asked for this." in text_of(review.find(id="content-main"))
    row = next(r for r in review.select(".app-admin-diff tbody tr") if "Summary" in text_of(r))
    assert "The old summary patients read today." in text_of(row.find(class_="app-admin-diff__old"))
    added = [ins.get_text() for ins in row.find(class_="app-admin-diff__new").find_all("ins")]
    assert "checked" in added and "the nurse" in added
    preview = approver_client.get(review_url(trial, "preview/"))
    assertContains(preview, "A new summary, checked by the nurse.")
    assertContains(preview, "Preview of a change waiting for review")
    trial.refresh_from_db()
    assert trial.summary == "The old summary patients read today."  # the preview saved nothing
    assertNotContains(client.get(trial.get_absolute_url()), "checked by the nurse")

    with django_capture_on_commit_callbacks(execute=True):
        response = approver_client.post(review_url(trial, "publish/"), follow=True)
    assertContains(response, "It is on the site now")

    trial.refresh_from_db()
    assert trial.summary == "A new summary, checked by the nurse."
    assert trial.state == "published"
    assertContains(client.get(trial.get_absolute_url()), "A new summary, checked by the nurse.")
    latest = trial.history.latest("history_date")
    assert latest.history_user == approver
    assert "approved by Alan" in latest.history_change_reason
    assert "Edna" in latest.history_change_reason
    change = PendingChange.objects.get()
    assert change.status == "published" and change.decided_by == approver
    assert mail.outbox[-1].to == ["edna@example.org"]  # the editor hears it is live
    assert not soup(approver_client.get("/admin/")).select("#dashboard-pending tbody th a")


def test_the_editor_goes_on_editing_with_the_pending_values_and_can_withdraw(
    editor_client, trial, make_site
):
    lung = make_site("Lung")
    response = edit(
        editor_client,
        trial,
        submit=False,
        summary="My first try.",
        sites=[str(trial.sites.get().pk), str(lung.pk)],
        **{"locations-0-name": "Royal Free Hospital", "locations-0-town": "London"},
    )
    banner = text_of(soup(response).find(id="pending-banner"))
    assert "saved but not submitted" in banner
    # The form opens with the pending values, links and rows, not the live ones.
    html = soup(editor_client.get(admin_url(trial)))
    assert "My first try." in html.find("textarea", attrs={"name": "summary"}).get_text()
    chosen = {o["value"] for o in html.select("select[name=sites] option[selected]")}
    assert str(lung.pk) in chosen
    assert html.find("input", attrs={"name": "locations-0-name"})["value"] == "Royal Free Hospital"
    assert trial.sites.count() == 1 and not trial.locations.exists()  # nothing live yet

    # Saving again updates the same change.
    edit(editor_client, trial, submit=False, summary="My second try.")
    change = PendingChange.objects.get()
    assert change.data["summary"] == ["My second try."]
    assert change.data["locations-0-name"] == ["Royal Free Hospital"]

    response = editor_client.post(review_url(trial, "withdraw/"), follow=True)
    assertContains(response, "Withdrew the change")
    assert PendingChange.objects.get().status == "withdrawn"
    html = soup(editor_client.get(admin_url(trial)))
    assert "The old summary" in html.find("textarea", attrs={"name": "summary"}).get_text()


def test_the_approver_can_write_a_public_change_note_when_publishing(
    client, editor_client, approver_client, trial
):
    edit(editor_client, trial, summary="The trial has closed.")
    approver_client.post(review_url(trial, "publish/"), {"change_note": "Now closed"})
    trial.refresh_from_db()
    assert trial.change_note == "Now closed"
    review = text_of(soup(client.get(trial.get_absolute_url())).find(class_="app-review"))
    assert "Now closed" in review


def test_links_and_rows_are_shown_to_the_approver_and_published_with_the_change(
    editor_client, approver_client, trial, make_site
):
    lung = make_site("Lung")
    edit(
        editor_client,
        trial,
        sites=[str(lung.pk)],
        **{"locations-0-name": "Christie Hospital", "locations-0-town": "Manchester"},
    )
    review = text_of(soup(approver_client.get(review_url(trial))).find(class_="app-admin-diff"))
    assert "Tumour sites" in review and "Lung" in review and "Pancreas" in review
    assert "Hospitals taking part" in review and "Christie Hospital" in review

    approver_client.post(review_url(trial, "publish/"))
    assert list(trial.sites.values_list("name", flat=True)) == ["Lung"]
    assert list(trial.locations.values_list("name", flat=True)) == ["Christie Hospital"]


def test_send_back_with_a_comment_reaches_the_editor(
    editor_client, approver_client, emails, trial, django_capture_on_commit_callbacks
):
    edit(editor_client, trial, summary="Too many long words here.")
    response = approver_client.post(review_url(trial, "send-back/"), {"comment": ""}, follow=True)
    assertContains(response, "Not sent back: Say what needs changing")

    with django_capture_on_commit_callbacks(execute=True):
        approver_client.post(
            review_url(trial, "send-back/"), {"comment": "Please use shorter words."}
        )
    assert mail.outbox[-1].to == ["edna@example.org"]
    assert "Please use shorter words." in mail.outbox[-1].body
    assert "sent back" in mail.outbox[-1].subject

    html = soup(editor_client.get(admin_url(trial)))
    banner = text_of(html.find(id="pending-banner"))
    assert "Sent back by Alan" in banner and "Please use shorter words." in banner
    assert "Too many long words" in html.find("textarea", attrs={"name": "summary"}).get_text()
    trial.refresh_from_db()
    assert trial.summary == "The old summary patients read today."

    # The editor corrects it and submits again: it is back in the approver's list.
    edit(editor_client, trial, summary="Short words.")
    assert PendingChange.objects.get().status == "submitted"


def test_an_approvers_own_edit_goes_live_at_once(client, approver_client, trial):
    data = form_data(approver_client.get(admin_url(trial))) | {"summary": "Approver's words."}
    assert approver_client.post(admin_url(trial), data).status_code == 302
    trial.refresh_from_db()
    assert trial.summary == "Approver's words."
    assertContains(client.get(trial.get_absolute_url()), "Approver's words.")
    assert not PendingChange.objects.exists()


def test_two_editors_cannot_overwrite_each_other(editor_client, client, trial):
    edit(editor_client, trial, summary="Edna's version.")
    client.force_login(staff("ed2", "Content editor"))
    html = soup(client.get(admin_url(trial)))
    assert "Edna has a change to this page" in text_of(html.find(id="pending-banner"))

    data = form_data(client.get(admin_url(trial))) | {"summary": "Ed2's version."}
    data["_continue"] = "Save"
    response = client.post(admin_url(trial), data)
    assert response.status_code == 200
    errors = " ".join(errors_on(response))
    assert "Not saved: Edna has a change to this page waiting for review" in errors
    typed = soup(response).find("textarea", attrs={"name": "summary"}).get_text()
    assert "Ed2's version." in typed  # nothing they typed is lost
    change = PendingChange.objects.get()
    assert change.data["summary"] == ["Edna's version."]

    # The second editor can read the first one's change, but not publish or withdraw it.
    review = client.get(review_url(trial))
    rows = soup(review).select(".app-admin-diff tbody th")
    assert [text_of(row) for row in rows] == ["Summary"]
    assertNotContains(review, "cannot be published")
    assert client.post(review_url(trial, "withdraw/")).status_code == 403
    assert PendingChange.objects.get().status == "submitted"


def test_pending_changes_never_reach_the_finder_sitemap_or_feed(client, editor_client, trial):
    from netinfo.content_version import content_version

    before = content_version()
    edit(editor_client, trial, title="Zebrafish study title", summary="Zebrafish words.")
    assert content_version() == before  # nothing public changed: cached pages stay valid
    assertNotContains(client.get("/trials/?q=zebrafish"), "Zebrafish")
    assertContains(client.get("/trials/"), "Lanreotide after surgery")
    assertNotContains(client.get("/trials/feed/"), "Zebrafish")
    assertContains(client.get("/sitemap.xml"), trial.get_absolute_url())


def test_an_editor_cannot_publish_their_own_change(editor_client, trial):
    edit(editor_client, trial, summary="Sneaky.")
    assert editor_client.post(review_url(trial, "publish/")).status_code == 403
    trial.refresh_from_db()
    assert trial.summary == "The old summary patients read today."


def test_a_change_that_no_longer_fits_is_not_published_and_says_why(
    editor_client, approver_client, trial, make_trial
):
    edit(editor_client, trial, slug="taken-address")
    make_trial("Another", slug="taken-address")
    review = approver_client.get(review_url(trial))
    assertContains(review, "cannot be published as it stands")
    response = approver_client.post(review_url(trial, "publish/"), follow=True)
    assertContains(response, "cannot be published as it stands")
    trial.refresh_from_db()
    assert trial.slug != "taken-address"
