"""Every change is kept with who and when, readable as a diff, and restorable in one step;
a deleted record can be brought back; public change notes come from the history."""

import pytest
from pytest_django.asserts import assertContains

from netinfo.editorial import history, workflow
from netinfo.models import Page
from tests.editorial import KIND_IDS, admin_url, changes_url, edit, errors_on, form_data
from tests.html import soup, text_of

pytest_plugins = ["tests.editorial_fixtures"]


# ---- Who changed what, and when -----------------------------------------------------------


def test_each_save_is_kept_with_who_made_it(editor_client, editor, approver_client, make_page):
    page = make_page("Kept", body="First words.", state="draft")
    edit(editor_client, page, body="Second words.")
    edit(approver_client, page, summary="A summary.")

    saves = list(page.history.order_by("history_date"))
    assert [s.body for s in saves] == ["First words.", "Second words.", "Second words."]
    assert saves[1].history_user == editor
    assert [s.version for s in saves] == [1, 2, 3]

    html = soup(editor_client.get(admin_url(page, "history")))
    rows = [text_of(row) for row in html.select("#change-history tbody tr")]
    assert "Alan" in rows[0] and "Summary" in rows[0]
    assert "Edna" in rows[1] and "Body" in rows[1]
    assert "First version" in rows[2]


def test_a_save_reads_as_a_field_by_field_word_by_word_diff(editor_client, make_page):
    page = make_page("Diffed", body="You have the injection every 4 weeks.", state="draft")
    edit(editor_client, page, body="You have the injection every 2 weeks.", title="Diffed page")
    latest = page.history.latest("history_date")

    html = soup(editor_client.get(changes_url(page, latest)))
    rows = {text_of(row.th): row for row in html.select(".app-admin-diff tbody tr")}
    assert set(rows) == {"Title", "Body"}  # no rendered HTML, version or timestamps
    body = rows["Body"]
    assert text_of(body.select_one(".app-admin-diff__old")) == (
        "You have the injection every 4 weeks."
    )
    assert [text_of(tag) for tag in body.find_all("del")] == ["4"]
    assert [text_of(tag) for tag in body.find_all("ins")] == ["2"]


def test_the_diff_escapes_what_editors_typed(editor_client, make_page):
    page = make_page("Escaped", body="Safe.", state="draft")
    edit(editor_client, page, body="<script>alert(1)</script> Safe.")
    response = editor_client.get(changes_url(page, page.history.latest("history_date")))
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;" in response.content


def test_choices_and_dates_read_as_words_in_the_diff(approver_client, make_page):
    page = make_page("Words", state="draft")
    edit(
        approver_client,
        page,
        state="published",
        last_reviewed="2025-03-01",
        reviewed_by="Dr A Smith",
    )
    html = soup(approver_client.get(changes_url(page, page.history.latest("history_date"))))
    rows = {text_of(row.th): text_of(row) for row in html.select(".app-admin-diff tbody tr")}
    assert "Draft (not on the site)" in rows["State"] and "Published" in rows["State"]
    assert "1 March 2025" in rows["Last reviewed"]
    assert "1 March 2026" in rows["Next review due"]


# ---- Restore ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KIND_IDS)
def test_an_edit_then_restore_brings_back_the_old_text(client, approver_client, make_record, kind):
    from tests.editorial import CONTENT_KINDS

    field = next(k[3] for k in CONTENT_KINDS if k[2] == kind)
    record = make_record(kind, **{field: "The original, checked text."})
    original = record.history.latest("history_date")
    edit(approver_client, record, **{field: "A mistaken edit."})
    assertContains(client.get(record.get_absolute_url()), "A mistaken edit.")

    page = soup(approver_client.get(changes_url(record, original)))
    assert page.find("input", attrs={"value": "Restore this version"})
    response = approver_client.post(changes_url(record, original), follow=True)

    assertContains(response, "Restored")
    record.refresh_from_db()
    assert getattr(record, field) == "The original, checked text."
    assertContains(client.get(record.get_absolute_url()), "The original, checked text.")
    latest = record.history.latest("history_date")
    assert latest.history_change_reason.startswith("Restored the version saved on")
    assert record.version == 3  # the restore is a save of its own, and can be undone


def test_the_restore_page_says_what_restoring_would_change(editor_client, make_page):
    page = make_page("Preview of restore", body="Old.", state="draft")
    original = page.history.latest("history_date")
    edit(editor_client, page, body="New.")
    html = soup(editor_client.get(changes_url(page, original)))
    tables = html.select(".app-admin-diff")
    assert len(tables) == 2  # what that save changed, and what restoring it would change
    assert [text_of(t) for t in tables[1].select("tbody del, tbody ins")] == ["New", "Old"]


def test_simple_historys_revert_form_works_with_the_version_check(editor_client, make_page):
    page = make_page("Reverted", body="Before.", state="draft")
    original = page.history.latest("history_date")
    edit(editor_client, page, body="After.")
    url = f"{admin_url(page, 'history')}{original.history_id}/"
    data = form_data(editor_client.get(url))
    assert data["edit_version"] == str(page.version)  # today's version, not the old one
    assert editor_client.post(url, data).status_code == 302
    page.refresh_from_db()
    assert page.body == "Before."


def test_someone_without_change_permission_cannot_restore(client, editor_client, make_page):
    from django.contrib.auth.models import Permission

    from tests.editorial import staff

    page = make_page("Protected", body="Old.", state="draft")
    original = page.history.latest("history_date")
    edit(editor_client, page, body="New.")
    reader = staff("reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_page"))
    client.force_login(reader)
    html = soup(client.get(changes_url(page, original)))
    assert not html.find("input", attrs={"value": "Restore this version"})
    assert client.post(changes_url(page, original)).status_code == 403
    page.refresh_from_db()
    assert page.body == "New."


# ---- Deleted records ----------------------------------------------------------------------


def test_a_deleted_record_is_listed_and_restored_as_it_was(client, approver_client, make_page):
    page = make_page("Deleted by mistake", body="Words worth keeping.")
    pk, url = page.pk, page.get_absolute_url()
    response = approver_client.post(admin_url(page, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert client.get(url).status_code == 404

    changelist = soup(approver_client.get("/admin/netinfo/page/"))
    assert changelist.find("a", href="/admin/netinfo/page/deleted/")
    deleted = soup(approver_client.get("/admin/netinfo/page/deleted/"))
    row = next(r for r in deleted.select("tbody tr") if "Deleted by mistake" in text_of(r))
    assert "Alan" in text_of(row)

    response = approver_client.post(row.form["action"], follow=True)
    assertContains(response, "Restored “Deleted by mistake”")
    page = Page.objects.get(pk=pk)
    assert page.body == "Words worth keeping."
    assert page.state == "published"
    assert client.get(url).status_code == 200
    assert (
        "Deleted by mistake"
        not in approver_client.get("/admin/netinfo/page/deleted/").content.decode()
    )


@pytest.mark.parametrize("kind", KIND_IDS)
def test_every_kind_of_record_can_be_restored_after_deletion(approver, make_record, kind):
    record = make_record(kind)
    model, pk = type(record), record.pk
    record.delete()
    [deletion] = history.deleted_records(model)
    restored = history.restore_deleted(deletion, approver)
    assert model.objects.get(pk=pk).get_absolute_url() == restored.get_absolute_url()


def test_an_editor_restores_a_deleted_record_as_a_draft(editor, make_page):
    page = make_page("Was published")
    page.delete()
    [deletion] = history.deleted_records(Page)
    restored = history.restore_deleted(deletion, editor)
    assert restored.state == "draft"


def test_a_deleted_record_cannot_come_back_over_one_with_the_same_address(
    approver_client, make_page
):
    page = make_page("Taken", slug="taken")
    page.delete()
    make_page("Taken again", slug="taken")
    [deletion] = history.deleted_records(Page)
    response = approver_client.post(
        f"/admin/netinfo/page/deleted/{deletion.history_id}/restore/", follow=True
    )
    assertContains(response, "cannot come back while another record has the same slug")
    assert Page.objects.filter(slug="taken").count() == 1


def test_editors_cannot_delete_content_records(editor_client, make_page):
    page = make_page("Not yours to delete")
    assert editor_client.post(admin_url(page, "delete"), {"post": "yes"}).status_code == 403
    assert Page.objects.filter(pk=page.pk).exists()


def test_reverting_a_record_deleted_meanwhile_is_refused_with_a_way_forward(
    approver_client, make_page
):
    page = make_page("Vanishing", body="Old.")
    original = page.history.latest("history_date")
    url = f"{admin_url(page, 'history')}{original.history_id}/"
    data = form_data(approver_client.get(url))
    Page.objects.filter(pk=page.pk).delete()
    response = approver_client.post(url, data)
    assert response.status_code == 200
    assert any("has been deleted since you opened it" in e for e in errors_on(response))
    assert not Page.objects.filter(pk=page.pk).exists()


# ---- Public change notes ------------------------------------------------------------------


def test_the_page_lists_the_latest_public_change_notes_newest_first(
    client, approver_client, make_trial
):
    trial = make_trial("Noted trial", status="open")
    edit(approver_client, trial, change_note="Now open to new patients")
    edit(approver_client, trial, summary="Updated summary.")  # same note, not repeated
    edit(approver_client, trial, change_note="Status changed to closed to new patients")

    review = soup(client.get(trial.get_absolute_url())).find(class_="app-review")
    notes = [text_of(li) for li in review.select(".app-review__change-list li")]
    assert len(notes) == 2
    assert notes[0].endswith("Status changed to closed to new patients")
    assert notes[1].endswith("Now open to new patients")
    assert review.find("time")


def test_a_note_written_while_a_record_was_a_draft_is_never_public(
    client, approver_client, make_page
):
    page = make_page("Quiet page", state="draft")
    edit(approver_client, page, change_note="Internal wording tweak")
    edit(approver_client, page, state="published", change_note="First published")
    review = text_of(soup(client.get(page.get_absolute_url())).find(class_="app-review"))
    assert "First published" in review
    assert "Internal wording tweak" not in review


def test_clearing_the_note_hides_the_list_without_a_query(
    client, approver_client, make_page, django_assert_max_num_queries
):
    page = make_page("Cleared", change_note="Old news")
    edit(approver_client, page, change_note="")
    assert "What changed" not in client.get(page.get_absolute_url()).content.decode()
    assert [note.text for note in history.public_change_notes(page)] == ["Old news"]
    from netinfo.templatetags.editorial import public_change_notes

    with django_assert_max_num_queries(0):
        assert public_change_notes(page) == []


def test_restored_records_still_obey_the_publish_rules(editor, make_page):
    page = make_page("Rules", state="draft", body="Old.")
    original = page.history.latest("history_date")
    page.state = "published"
    page.body = "New."
    page.save()
    page.state = "draft"
    page.save()
    published = page.history.filter(state="published").latest("history_date")
    assert original.state == "draft"
    history.restore_version(published, editor)
    page.refresh_from_db()
    assert page.state == "draft" and page.body == "New."
    assert not workflow.can_publish(editor, Page)
