"""The starting content has a first version in its history: after load_content every
record has one, its first edit shows only what the editor changed, and restoring it gives
back the original text and links. The content is loaded once for the module."""

from pytest_django.asserts import assertContains

from netinfo.content_version import content_models
from netinfo.editorial import history
from netinfo.models import Page
from tests.editorial import admin_url, errors_on, form_data
from tests.html import soup, text_of
from tests.test_history_restore import changes_url, edit, first_version, inline_rows
from trials.models import Trial

pytest_plugins = ["tests.editorial_fixtures"]


def test_after_loading_the_starting_content_every_record_has_its_first_version(content):
    assert "kept the first version of" in content
    for model in content_models():
        records = model.objects.all()
        assert records.exists(), model
        for record in records:
            first = record.history.order_by("history_date", "history_id").first()
            assert first is not None, f"{model.__name__} {record} has no history"
            assert first.history_change_reason == history.STARTING_CONTENT
            assert first.history_type == "+"


def test_the_first_edit_of_starting_content_shows_only_what_the_editor_changed(
    content, approver_client
):
    trial = Trial.objects.get(slug="spinet")
    original_summary = trial.summary
    edit(approver_client, trial, summary="A mistaken edit.")

    latest = trial.history.latest("history_date")
    html = soup(approver_client.get(changes_url(trial, latest)))
    rows = [text_of(row.th) for row in html.select(".app-admin-diff tbody tr")]
    assert rows == ["Summary"]  # not every field "(empty) → ...", as before
    assert original_summary[:40] in text_of(html.select_one(".app-admin-diff__old"))
    listed = soup(approver_client.get(admin_url(trial, "history")))
    rows = [text_of(row) for row in listed.select("#change-history tbody tr")]
    assert "Summary" in rows[0] and "Sources" not in rows[0]
    assert history.STARTING_CONTENT in rows[1] and "First version" in rows[1]


def test_restoring_the_first_version_of_starting_content_gives_back_the_original_text(
    client, content, approver_client
):
    page = Page.objects.get(slug="about-nets")
    original = page.body
    edit(approver_client, page, body="A mistaken edit.")
    assertContains(client.get(page.get_absolute_url()), "A mistaken edit.")

    response = approver_client.post(changes_url(page, first_version(page)), follow=True)

    assertContains(response, "Restored")
    page.refresh_from_db()
    assert page.body == original
    assert "A mistaken edit." not in client.get(page.get_absolute_url()).content.decode()


def test_a_stale_save_of_starting_content_lists_only_what_the_other_person_changed(
    content, editor_client, approver_client
):
    trial = Trial.objects.get(slug="calm-net")
    theirs = form_data(approver_client.get(admin_url(trial)))
    mine = form_data(editor_client.get(admin_url(trial)))

    theirs["contact_phone"] = "0161 496 0000"
    assert approver_client.post(admin_url(trial), theirs).status_code == 302
    mine["aims"] = "The editor's own typed aims."
    response = editor_client.post(admin_url(trial), mine)

    assert response.status_code == 200
    errors = errors_on(response)
    changed = [error for error in errors if error.startswith("They changed")]
    assert changed == ["They changed Contact phone to “0161 496 0000”."]
    assert not any("State" in error for error in errors)
    textarea = soup(response).find("textarea", attrs={"name": "aims"})
    assert "The editor's own typed aims." in textarea.get_text()
    trial.refresh_from_db()
    assert trial.contact_phone == "0161 496 0000"
    assert trial.aims != "The editor's own typed aims."


def test_restoring_starting_content_gives_back_its_registry_numbers(content, approver_client):
    trial = Trial.objects.get(slug="spinet")
    numbers = sorted(trial.identifiers.values_list("value", flat=True))
    assert numbers
    data = form_data(approver_client.get(admin_url(trial)))
    data |= {f"identifiers-{i}-DELETE": "on" for i in range(inline_rows(data, "identifiers"))}
    assert approver_client.post(admin_url(trial), data).status_code == 302
    assert not trial.identifiers.exists()

    approver_client.post(changes_url(trial, first_version(trial)))

    assert sorted(trial.identifiers.values_list("value", flat=True)) == numbers


def test_no_starting_page_claims_a_clinical_review(client, content):
    from netinfo.editorial.models import ClinicalReview

    assert not ClinicalReview.objects.exists()
    for model in content_models():
        record = model.objects.published().first()
        main = soup(client.get(record.get_absolute_url())).find("main")
        notice = main.find(class_="app-clinical-notice")
        assert "Not yet checked by a clinician." in text_of(notice), record
