"""The registry sync (manage.py sync_ctgov): saved pages, the API stand-in, faults, and the
registry-change tasks it leaves for staff."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pytest_django.asserts import assertContains

from tests import ctgov_pages
from tests.fake_registry import FakeRegistry
from trials.choices import Status
from trials.models import Identifier, RegistryChange, RegistryCondition, Trial

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.editorial_fixtures"]


def sync(*args, **options):
    """Run the command; (its output, the CommandError's message or "")."""
    out = io.StringIO()
    try:
        call_command("sync_ctgov", *args, stdout=out, **options)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), ""


def database():
    """What a sync could change: every trial's facts, version and last-checked date."""
    return sorted(
        Trial.objects.values_list("slug", "status", "version", "registry_checked", "state")
    ) + sorted(Identifier.objects.values_list("value", flat=True))


@pytest.fixture
def registry(settings):
    fake = FakeRegistry()
    settings.CTGOV_API_URL = fake.url
    settings.CTGOV_TIMEOUT = 0.5
    settings.CTGOV_RETRIES = 2
    yield fake
    fake.stop()


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


# --- The network ------------------------------------------------------------------------------


def test_the_sync_asks_for_the_conditions_and_countries_and_follows_every_page(registry, settings):
    settings.CTGOV_SYNC_COUNTRIES = ["United Kingdom", "Ireland"]
    for page in ctgov_pages.pages():
        registry.add(page)

    output, error = sync()

    assert error == ""
    assert "Sync with ClinicalTrials.gov (United Kingdom, Ireland)" in output
    assert "3 pages, 14 studies (the registry counts 14)" in output
    assert Trial.objects.count() == 14
    paths = [path for path, _ in registry.requests]
    assert paths == ["/api/v2/studies"] * 3
    first, second, third = (query for _, query in registry.requests)
    assert "pageToken" not in first
    assert second["pageToken"] == ["token-2"] and third["pageToken"] == ["token-3"]
    condition = first["query.cond"][0]
    assert '"neuroendocrine tumour"' in condition and "carcinoid" in condition
    assert '"medullary thyroid cancer"' in condition and "NEC" not in condition.split(" OR ")
    assert first["filter.advanced"] == [
        'AREA[LocationCountry]"United Kingdom" OR AREA[LocationCountry]Ireland'
    ]
    assert first["format"] == ["json"]


def test_staff_edit_the_conditions_searched(registry):
    RegistryCondition.objects.update(active=False)
    RegistryCondition.objects.create(term="goblet cell carcinoid")
    registry.add({"studies": []})

    sync()

    assert registry.requests[0][1]["query.cond"] == ['"goblet cell carcinoid"']


def test_a_429_is_retried_and_then_the_page_is_used(registry):
    registry.add(status=429, body=b"Too many requests", headers={"Retry-After": "0"})
    registry.add({"studies": [ctgov_pages.real("NCT06171568")]})

    output, error = sync()

    assert error == ""
    assert len(registry.requests) == 2
    assert "1 created" in output
    assert Trial.objects.count() == 1


@pytest.mark.parametrize(
    "fault, message",
    [
        ("timeout", "page 2: ClinicalTrials.gov did not answer within 0.5 seconds (3 tries)."),
        (
            "500",
            "page 2: ClinicalTrials.gov answered 500 Internal Server Error after 3 tries: "
            '{"error":',
        ),
        ("not json", "page 2: malformed JSON at line 1 column 1"),
        ("not a page", 'page 2: not an API page (expected {"studies": [...]}).'),
    ],
)
def test_a_page_that_does_not_arrive_leaves_the_database_as_it_was(
    registry, make_trial, fault, message
):
    make_trial(status=Status.OPEN, identifiers=[("nct", "NCT00973089")])
    before = database()
    first, second, _ = ctgov_pages.pages()
    registry.add(first)
    for _ in range(3):  # every try fails
        if fault == "timeout":
            registry.add(second, delay=1.5)
        elif fault == "500":
            registry.add(status=500, body=b'{"error": "down"}')
        elif fault == "not json":
            registry.add(body=b"<html>maintenance</html>")
        else:
            registry.add({"studyList": []})

    output, error = sync()

    assert "stopped before it changed anything" in error
    assert f"Nothing was changed: {message}" in output
    assert database() == before


def test_no_network_leaves_the_database_as_it_was(make_trial):
    make_trial(status=Status.OPEN, identifiers=[("nct", "NCT00973089")])
    before = database()

    output, error = sync()

    assert error
    assert "Nothing was changed: page 1: could not reach ClinicalTrials.gov" in output
    assert "Connection refused" in output
    assert database() == before


def test_the_page_limit_stops_the_sync_and_says_so(registry):
    first, _, _ = ctgov_pages.pages()
    registry.add(first)

    output, error = sync(max_pages=1)

    assert "1 problem" in error
    assert "Stopped after 1 pages, the limit" in output
    assert Trial.objects.count() == 4  # the page that arrived is used
    assert len(registry.requests) == 1


def test_known_trials_the_search_did_not_return_are_checked_one_by_one(registry, make_trial):
    trial = make_trial(state="published", status=Status.OPEN, identifiers=[("nct", "NCT00973089")])
    registry.add({"studies": [ctgov_pages.real("NCT06171568")]})
    registry.add(ctgov_pages.real("NCT00973089"))

    output, error = sync()

    assert error == ""
    assert [path for path, _ in registry.requests] == [
        "/api/v2/studies",
        "/api/v2/studies/NCT00973089",
    ]
    assert "1 page, 1 study, and 1 known trial the search did not return." in output
    assert "Import finished: 1 created, 1 updated, 0 unchanged, 0 skipped." in output
    trial.refresh_from_db()
    assert trial.status == Status.WITHDRAWN
    assert trial.registry_checked == timezone.localdate()
    assert RegistryChange.objects.open().filter(trial=trial).exists()


def test_a_known_trial_whose_record_does_not_arrive_changes_nothing(registry, make_trial):
    make_trial(status=Status.OPEN, identifiers=[("nct", "NCT00973089")])
    before = database()
    registry.add({"studies": [ctgov_pages.real("NCT06171568")]})
    for _ in range(3):
        registry.add(status=503, body=b"busy")

    output, error = sync()

    assert error
    assert (
        "Nothing was changed: ClinicalTrials.gov record NCT00973089: ClinicalTrials.gov "
        "answered 503 Service Unavailable after 3 tries: busy." in output
    )
    assert database() == before


def test_a_known_number_the_registry_does_not_have_is_a_problem_not_a_stop(registry, make_trial):
    make_trial(identifiers=[("nct", "NCT00000001")])
    registry.add({"studies": [ctgov_pages.real("NCT06171568")]})
    registry.add({"message": "not found"}, status=404)

    output, error = sync()

    assert "1 problem" in error
    assert "1 created" in output
    assert (
        "ClinicalTrials.gov record NCT00000001: the registry has no such record; check the "
        "trial's number." in output
    )


def test_a_file_import_also_puts_a_changed_published_trial_on_the_dashboard(
    make_trial, approver_client
):
    make_trial(
        title="Filling deep caries",
        state="published",
        status=Status.OPEN,
        identifiers=[("nct", "NCT00973089")],
    )

    call_command("import_ctgov", str(ctgov_pages.DATA / "NCT00973089.json"), stdout=io.StringIO())

    task = RegistryChange.objects.get()
    assert task.via == "import of a ClinicalTrials.gov file"
    assertContains(approver_client.get("/admin/"), "Status: Open to new patients → Withdrawn")


def test_the_sync_pauses_between_pages_and_searches_the_countries_asked_for(registry):
    from trials.registry.api import Config
    from trials.registry.sync import run_sync

    for page in ctgov_pages.pages():
        registry.add(page)
    pauses = []

    result = run_sync(
        config=Config.from_settings(delay=1.5, countries=["Ireland"]), sleep=pauses.append
    )

    assert result.ok
    assert pauses == [1.5, 1.5]  # before pages 2 and 3, none before the first
    assert registry.requests[0][1]["filter.advanced"] == ["AREA[LocationCountry]Ireland"]
