"""The registry sync against a stand-in for the ClinicalTrials.gov API: the searches and
pages it asks for, retries, pages that do not arrive or no network at all (the database is
left as it was), the page limit, and known trials checked one by one."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_django.asserts import assertContains

from tests import ctgov_pages
from tests.fake_registry import FakeRegistry
from tests.registry_sync_runs import database, sync
from trials.choices import Status
from trials.models import RegistryChange, RegistryCondition, Trial

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.editorial_fixtures"]


@pytest.fixture
def registry(settings):
    fake = FakeRegistry()
    settings.CTGOV_API_URL = fake.url
    settings.CTGOV_TIMEOUT = 0.5
    settings.CTGOV_RETRIES = 2
    yield fake
    fake.stop()


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
