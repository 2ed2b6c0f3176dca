"""The registry sync (manage.py sync_ctgov) from saved pages, and the registry-change tasks
it leaves for staff on published trials. The API stand-in and faults:
test_registry_sync_network.py."""

import datetime

import pytest
from django.utils import timezone

from tests import ctgov_pages
from tests.registry_sync_runs import database, sync
from trials.choices import Status
from trials.models import Identifier, RegistryChange, Trial

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.editorial_fixtures"]


@pytest.fixture
def saved(tmp_path):
    return ctgov_pages.write_pages(tmp_path / "pages")


# --- Saved pages ----------------------------------------------------------------------------


def test_saved_pages_of_real_and_edge_case_records_sync_into_drafts(saved):
    output, error = sync(pages=str(saved))

    assert error == ""
    assert "3 pages, 14 studies" in output
    assert "Import finished: 14 created, 0 updated, 0 unchanged, 0 skipped." in output
    trials = Trial.objects.all()
    assert trials.count() == 14
    assert {trial.state for trial in trials} == {"draft"}
    assert {trial.registry_checked for trial in trials} == {timezone.localdate()}
    assert (
        'NCT06171568: created "Lariboisière Cognitive Assessment: Evaluation of the 1-year '
        'Outcomes" as a draft' in output
    )
    withdrawn = Trial.objects.get(identifiers__value="NCT00973089")
    assert withdrawn.status == Status.WITHDRAWN


def test_a_second_sync_changes_nothing(saved):
    sync(pages=str(saved))
    before = database()

    output, error = sync(pages=str(saved))

    assert error == ""
    assert "Import finished: 0 created, 0 updated, 14 unchanged, 0 skipped." in output
    assert database() == before
    assert Trial.history.count() == 14  # one row each, from the first sync
    assert not RegistryChange.objects.exists()


def test_a_malformed_study_is_skipped_by_name_the_rest_goes_on_and_the_exit_says_so(tmp_path):
    pages = ctgov_pages.pages(extra_last=[ctgov_pages.malformed(), "not a study"])
    folder = ctgov_pages.write_pages(tmp_path / "pages", pages)

    output, error = sync(pages=str(folder))

    assert "2 problems" in error
    assert "Import finished: 14 created, 0 updated, 0 unchanged, 2 skipped." in output
    assert (
        f"{folder}/page-003.json, record 3 (NCT99999990): "
        "protocolSection.statusModule.overallStatus: unknown value 'HALF_OPEN'" in output
    )
    assert f"{folder}/page-003.json, record 4: expected a study object" in output
    assert not Identifier.objects.filter(value="NCT99999990").exists()


def test_a_saved_page_that_cannot_be_read_changes_nothing(tmp_path):
    folder = ctgov_pages.write_pages(tmp_path / "pages")
    (folder / "page-002.json").write_text('{"studies": [')

    output, error = sync(pages=str(folder))

    assert "stopped before it changed anything" in error
    assert f"Nothing was changed: {folder}/page-002.json: malformed JSON at line 1" in output
    assert Trial.objects.count() == 0


def test_staff_text_is_kept_and_known_trials_are_refreshed(saved, make_trial):
    trial = make_trial(
        title="A plain-English title",
        summary="What staff wrote.",
        status=Status.OPEN,
        identifiers=[("nct", "NCT00973089")],
        registry_checked=datetime.date(2020, 1, 1),
    )

    output, _ = sync(pages=str(saved))

    trial.refresh_from_db()
    assert "NCT00973089: updated" in output
    assert trial.status == Status.WITHDRAWN
    assert trial.registry_checked == timezone.localdate()
    assert (trial.title, trial.summary) == ("A plain-English title", "What staff wrote.")


# --- Registry changes on published trials ----------------------------------------------------


def test_a_status_change_on_a_published_trial_is_a_task_until_an_approver_checks_it(
    saved, make_trial, approver_client
):
    trial = make_trial(
        title="Surgery for deep caries",
        state="published",
        status=Status.OPEN,
        identifiers=[("nct", "NCT00973089")],
    )

    output, _ = sync(pages=str(saved))

    assert "Registry changed on 1 published trial" in output
    assert "Surgery for deep caries: status Open to new patients → Withdrawn" in output
    approver = approver_client
    dashboard = approver.get("/admin/")
    text = dashboard.content.decode()
    assert "Registry changed – check the plain-English text (1)" in text
    assert "Status: Open to new patients → Withdrawn" in text
    assert "Surgery for deep caries" in text

    task = RegistryChange.objects.get()
    response = approver.post(f"/admin/trials/trial/registry-change/{task.pk}/checked/", follow=True)

    assert "Marked checked: Surgery for deep caries" in response.content.decode()
    assert "Registry changed – check the plain-English text (0)" in response.content.decode()
    task.refresh_from_db()
    assert task.checked_at is not None
    assert task.checked_by.username == "alan"
    assert trial.registry_changes.open().count() == 0


def test_an_editor_sees_the_task_but_cannot_mark_it_checked(saved, make_trial, editor_client):
    make_trial(state="published", status=Status.OPEN, identifiers=[("nct", "NCT00973089")])
    sync(pages=str(saved))
    task = RegistryChange.objects.get()

    editor = editor_client
    dashboard = editor.get("/admin/").content.decode()
    assert "An approver marks it checked." in dashboard
    assert "Mark checked" not in dashboard
    response = editor.post(f"/admin/trials/trial/registry-change/{task.pk}/checked/")
    assert response.status_code == 403
    assert RegistryChange.objects.open().count() == 1


def test_drafts_and_unchanged_facts_make_no_task(saved, make_trial):
    make_trial(state="draft", status=Status.OPEN, identifiers=[("nct", "NCT00973089")])
    sync(pages=str(saved))
    sync(pages=str(saved))
    assert not RegistryChange.objects.exists()


def test_later_changes_join_the_open_task_keeping_the_first_old_value(tmp_path, make_trial):
    make_trial(state="published", status=Status.OPEN, identifiers=[("nct", "NCT00973089")])
    study = ctgov_pages.real("NCT00973089")
    status = study["protocolSection"]["statusModule"]
    status["overallStatus"] = "ACTIVE_NOT_RECRUITING"
    status["lastUpdatePostDateStruct"]["date"] = "2030-01-01"
    sync(pages=str(ctgov_pages.write_pages(tmp_path / "one", [{"studies": [study]}])))
    status["overallStatus"] = "COMPLETED"
    status["lastUpdatePostDateStruct"]["date"] = "2030-02-01"
    sync(pages=str(ctgov_pages.write_pages(tmp_path / "two", [{"studies": [study]}])))

    task = RegistryChange.objects.get()
    status_change = next(c for c in task.changes if c["field"] == "status")
    assert (status_change["old"], status_change["new"]) == (
        "Open to new patients",
        "Closed to new patients",
    )


def test_places_and_size_changes_are_listed_old_to_new(tmp_path, make_trial):
    trial = make_trial(
        state="published", status=Status.WITHDRAWN, identifiers=[("nct", "NCT00973089")]
    )
    # A place an earlier import brought (places staff add are kept by every import).
    trial.locations.create(name="Old Hospital", town="Leeds", source="registry")
    study = ctgov_pages.real("NCT00973089")
    study["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": 40, "type": "ESTIMATED"}
    sync(pages=str(ctgov_pages.write_pages(tmp_path / "p", [{"studies": [study]}])))

    changes = {c["field"]: (c["old"], c["new"]) for c in RegistryChange.objects.get().changes}
    assert changes["target_size"] == ("not given", "40")
    old, new = changes["places"]
    assert old == "1 hospital"
    assert "removed: Old Hospital, Leeds" in new
