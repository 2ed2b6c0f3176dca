"""Asking ClinicalTrials.gov from the admin: "Check the registry now" on a trial's page and
"Import by registry number", online (a stand-in for the API) and offline."""

import copy
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.asserts import assertContains, assertNotContains

from tests import ctgov_pages
from tests.fake_registry import FakeRegistry
from trials.choices import Status
from trials.models import RegistryChange, Trial

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.editorial_fixtures"]

IMPORT_URL = "/admin/trials/trial/import-ctgov/"


@pytest.fixture
def registry(settings):
    fake = FakeRegistry()
    settings.CTGOV_API_URL = fake.url
    yield fake
    fake.stop()


def change_url(trial):
    return f"/admin/trials/trial/{trial.pk}/change/"


def check_url(trial):
    return f"/admin/trials/trial/{trial.pk}/check-registry/"


@pytest.fixture
def published(make_trial):
    return make_trial(
        title="Filling deep caries",
        state="published",
        status=Status.OPEN,
        summary="Staff text.",
        identifiers=[("nct", "NCT00973089")],
    )


# --- Check the registry now ------------------------------------------------------------------


def test_approvers_see_the_button_and_editors_do_not(published, approver_client, editor_client):
    button = '<button type="submit" class="historylink">Check the registry now</button>'
    assertContains(approver_client.get(change_url(published)), button, html=True)
    assertNotContains(editor_client.get(change_url(published)), "Check the registry now")
    assert editor_client.post(check_url(published)).status_code == 403


def test_the_button_checks_the_registry_and_says_what_changed(published, approver_client, registry):
    registry.add(ctgov_pages.real("NCT00973089"))

    response = approver_client.post(check_url(published), follow=True)

    assert registry.requests[0][0] == "/api/v2/studies/NCT00973089"
    assertContains(
        response, "Checked on ClinicalTrials.gov: NCT00973089: updated official title, status,"
    )
    assertContains(response, "The trial is on the dashboard: check its plain-English text.")
    published.refresh_from_db()
    assert published.status == Status.WITHDRAWN
    assert published.summary == "Staff text."
    task = RegistryChange.objects.get()
    assert task.via == "check of one trial on ClinicalTrials.gov"


def test_the_button_says_so_when_the_registry_cannot_be_reached(published, approver_client):
    response = approver_client.post(check_url(published), follow=True)

    assert response.status_code == 200
    assertContains(response, "ClinicalTrials.gov cannot be reached from this server just now")
    assertContains(response, "Nothing was changed.")
    published.refresh_from_db()
    assert published.status == Status.OPEN


def test_the_button_reports_a_record_the_registry_does_not_have(
    published, approver_client, registry
):
    registry.add({"message": "not found"}, status=404)
    response = approver_client.post(check_url(published), follow=True)
    assertContains(response, "ClinicalTrials.gov has no study NCT00973089.")


def test_the_button_on_a_trial_without_an_nct_number(make_trial, approver_client):
    trial = make_trial(title="Only an ISRCTN", identifiers=[("isrctn", "ISRCTN12345678")])
    response = approver_client.post(check_url(trial), follow=True)
    assertContains(response, "This trial has no ClinicalTrials.gov (NCT) number")


def test_a_get_does_not_check(published, approver_client):
    assert approver_client.get(check_url(published)).status_code == 405


# --- Import by registry number ---------------------------------------------------------------


def test_an_approver_imports_a_trial_by_its_number(approver_client, registry):
    registry.add(ctgov_pages.real("NCT06171568"))

    response = approver_client.post(IMPORT_URL, {"nct_id": " nct 06171568 "})

    assert registry.requests[0][0] == "/api/v2/studies/NCT06171568"
    assertContains(response, "Import finished: 1 created, 0 updated, 0 unchanged, 0 skipped.")
    trial = Trial.objects.get()
    assert trial.state == "draft"


def test_offline_the_number_form_says_so_and_offers_the_upload(approver_client):
    response = approver_client.post(IMPORT_URL, {"nct_id": "NCT06171568"})

    assert response.status_code == 200
    assertContains(response, "ClinicalTrials.gov cannot be reached from this server just now")
    assertContains(response, 'name="file"')
    assertContains(response, 'value="NCT06171568"')  # what they typed is kept
    assert Trial.objects.count() == 0


def test_a_server_set_up_offline_offers_only_the_upload(approver_client, settings):
    settings.CTGOV_ONLINE = False
    response = approver_client.get(IMPORT_URL)
    assertContains(response, "This server cannot reach ClinicalTrials.gov")
    assertNotContains(response, 'name="nct_id"')
    assertContains(response, 'name="file"')


def test_a_mistyped_number_is_a_form_error(approver_client, registry):
    response = approver_client.post(IMPORT_URL, {"nct_id": "NCT123"})
    assertContains(response, "This is not an NCT number.")
    assert registry.requests == []


def test_editors_upload_files_but_do_not_fetch_by_number(editor_client):
    response = editor_client.get(IMPORT_URL)
    assertNotContains(response, "Import by registry number")
    assertContains(response, 'name="file"')
    assert editor_client.post(IMPORT_URL, {"nct_id": "NCT06171568"}).status_code == 403


# --- Numbers the database cannot store (issue 18, item 4) -------------------------------------


def huge(nct_id="NCT99999911"):
    study = copy.deepcopy(ctgov_pages.real("NCT03418623"))
    ident = study["protocolSection"]["identificationModule"]
    ident["nctId"] = nct_id
    ident.pop("acronym", None)
    ident["orgStudyIdInfo"] = {"id": "HUGE-1"}
    ident.pop("secondaryIdInfos", None)
    study["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": 2**63}
    return study


def upload(records):
    return SimpleUploadedFile("three.json", json.dumps(records).encode(), "application/json")


@pytest.mark.parametrize("atomic", [False, True])
def test_an_upload_of_good_huge_good_reports_the_huge_one(editor_client, atomic):
    records = [ctgov_pages.real("NCT06171568"), huge(), ctgov_pages.real("NCT00973089")]
    data = {"file": upload(records)}
    if atomic:
        data["atomic"] = "on"

    response = editor_client.post(IMPORT_URL, data)

    assert response.status_code == 200
    assertContains(
        response,
        "three.json, record 1 (NCT99999911): protocolSection.designModule.enrollmentInfo.count: "
        "9,223,372,036,854,775,808 is outside the range we can store",
    )
    if atomic:
        assertContains(response, "Nothing was imported")
        assert Trial.objects.count() == 0
    else:
        assertContains(response, "Import finished: 2 created, 0 updated, 0 unchanged, 1 skipped.")
        assert set(Trial.objects.values_list("identifiers__value", flat=True)) == {
            "NCT06171568",
            "NCT00973089",
        }


def test_a_huge_number_on_a_known_trial_changes_nothing(tmp_path, make_trial):
    from django.core.management import CommandError, call_command

    trial = make_trial(target_size=30, identifiers=[("nct", "NCT99999911")])
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(huge()))

    with pytest.raises(CommandError, match="1 could not be imported"):
        call_command("import_ctgov", str(path), stdout=io.StringIO())

    trial.refresh_from_db()
    assert trial.target_size == 30


def test_a_trial_with_an_open_registry_change_says_so_on_its_page(
    published, approver_client, registry
):
    registry.add(ctgov_pages.real("NCT00973089"))
    approver_client.post(check_url(published))

    page = approver_client.get(change_url(published))

    assertContains(page, "Registry changed – check the plain-English text")
    assertContains(page, "Status: Open to new patients → Withdrawn")
    task = RegistryChange.objects.get()
    response = approver_client.post(
        f"/admin/trials/trial/registry-change/{task.pk}/checked/",
        {"next": change_url(published)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == change_url(published)
    assertContains(response, "Marked checked")
    assertNotContains(response, "Status: Open to new patients → Withdrawn")
