"""Staff upload a ClinicalTrials.gov record file in the admin (trials/registry/admin_import.py)."""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.asserts import assertContains, assertNotContains

from trials.models import Trial

DATA = Path(__file__).parent / "data" / "ctgov"
URL = "/admin/trials/trial/import-ctgov/"
LIST_URL = "/admin/trials/trial/"

pytestmark = pytest.mark.django_db


def staff(*codenames, username="editor"):
    user = User.objects.create_user(username, password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="trials", codename__in=codenames)
    )
    return user


@pytest.fixture
def editor(client):
    client.force_login(staff("add_trial", "change_trial", "view_trial"))
    return client


def upload(name, content):
    if isinstance(content, (dict, list)):
        content = json.dumps(content)
    if isinstance(content, str):
        content = content.encode("utf-8")
    return SimpleUploadedFile(name, content, content_type="application/json")


def real(nct_id):
    return (DATA / f"{nct_id}.json").read_bytes()


def test_the_trial_list_has_an_import_button_for_staff_who_can_add_trials(editor):
    response = editor.get(LIST_URL)
    assertContains(response, f'<a href="{URL}">Import from ClinicalTrials.gov file</a>', html=True)


def test_staff_who_cannot_add_trials_see_no_button_and_cannot_import(client):
    client.force_login(staff("change_trial", "view_trial", username="reviewer"))
    assertNotContains(client.get(LIST_URL), "Import from ClinicalTrials.gov file")
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"file": upload("one.json", real("NCT06171568"))})
    assert response.status_code == 403
    assert Trial.objects.count() == 0


def test_the_public_is_sent_to_the_login_page(client):
    response = client.post(URL, {"file": upload("one.json", real("NCT06171568"))})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert Trial.objects.count() == 0


def test_the_upload_form(editor):
    response = editor.get(URL)
    assert response.status_code == 200
    assertContains(response, "<h1>Import trials from ClinicalTrials.gov</h1>", html=True)
    assertContains(response, 'enctype="multipart/form-data"')
    assertContains(response, "The largest file you can upload is 20 MB.")


def test_uploading_a_record_creates_a_draft_and_says_so(editor):
    response = editor.post(URL, {"file": upload("NCT06171568.json", real("NCT06171568"))})

    assert response.status_code == 200
    assertContains(response, "Import finished: 1 created, 0 updated, 0 unchanged, 0 skipped.")
    trial = Trial.objects.get()
    assert trial.state == "draft"
    assertContains(
        response,
        f'<a href="/admin/trials/trial/{trial.pk}/change/">{trial.title}</a>',
        html=True,
    )
    entry = trial.history.get()
    assert entry.history_user.username == "editor"
    assert entry.history_change_reason == "Imported from ClinicalTrials.gov"


def test_uploading_the_same_file_again_says_it_is_up_to_date(editor):
    editor.post(URL, {"file": upload("NCT06171568.json", real("NCT06171568"))})
    trial = Trial.objects.get()
    version, history = trial.version, trial.history.count()

    response = editor.post(URL, {"file": upload("NCT06171568.json", real("NCT06171568"))})

    assertContains(response, "0 created, 0 updated, 1 unchanged, 0 skipped")
    assertContains(response, "Already up to date (1)")
    trial.refresh_from_db()
    assert (trial.version, trial.history.count()) == (version, history)


def test_an_updated_record_lists_what_changed(editor):
    editor.post(URL, {"file": upload("NCT06171568.json", real("NCT06171568"))})
    record = json.loads(real("NCT06171568"))
    status = record["protocolSection"]["statusModule"]
    status["overallStatus"] = "RECRUITING"
    status["lastUpdatePostDateStruct"]["date"] = "2025-03-03"

    response = editor.post(URL, {"file": upload("newer.json", record)})

    assertContains(response, "1 updated")
    assertContains(response, "status, registry status, registry record last updated")
    assert Trial.objects.get().status == "open"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "bad.json: malformed JSON at line 1 column 2"),
        (b"\xff\xfe\x00", "bad.json: not UTF-8 text"),
        ("  ", "bad.json: malformed JSON at line 1 column 3"),
        ('"just a string"', "bad.json: top level: expected a study, a list of studies"),
        ({"studies": {}}, "bad.json: top level: studies: expected a list of studies"),
        ([{"derivedSection": {}}], "bad.json, record 0: protocolSection: missing"),
        (
            [{"protocolSection": {"identificationModule": {"briefTitle": "No number"}}}],
            "bad.json, record 0: protocolSection.identificationModule.nctId: missing",
        ),
    ],
)
def test_a_bad_file_is_explained_on_the_page_not_a_server_error(editor, content, message):
    response = editor.post(URL, {"file": upload("bad.json", content)})
    assert response.status_code == 200
    assertContains(response, message)
    assertContains(response, "Not imported (1)")
    assert Trial.objects.count() == 0


def test_a_bad_record_does_not_stop_the_good_ones(editor):
    bad = json.loads(real("NCT00973089"))
    bad["protocolSection"]["statusModule"]["overallStatus"] = "FOO"
    page = {"studies": [json.loads(real("NCT06171568")), bad, json.loads(real("NCT03418623"))]}

    response = editor.post(URL, {"file": upload("page.json", page)})

    assertContains(
        response,
        "page.json, record 1 (NCT00973089): protocolSection.statusModule.overallStatus: "
        "unknown value &#x27;FOO&#x27;",
    )
    assertContains(response, "2 created, 0 updated, 0 unchanged, 1 skipped")
    assert Trial.objects.count() == 2


def test_all_or_nothing_imports_nothing_when_one_record_is_bad(editor):
    bad = json.loads(real("NCT00973089"))
    bad["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = "many"
    page = [json.loads(real("NCT06171568")), bad]

    response = editor.post(URL, {"file": upload("page.json", page), "atomic": "on"})

    assertContains(response, "Nothing was imported")
    assertContains(response, "Would have been created (1)")
    assertContains(response, "protocolSection.designModule.enrollmentInfo.count: expected a whole")
    assert Trial.objects.count() == 0


def test_a_file_over_the_limit_is_refused_before_it_is_read(editor, settings):
    settings.CTGOV_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    big = b" " * (3 * 1024 * 1024)

    response = editor.post(URL, {"file": upload("big.json", big)})

    assert response.status_code == 200
    assertContains(response, "This file is 3 MB. The largest file you can upload is 2 MB.")
    assert Trial.objects.count() == 0


def test_no_file_or_an_empty_file(editor):
    assertContains(editor.post(URL, {}), "This field is required.")
    assertContains(editor.post(URL, {"file": upload("empty.json", "")}), "file is empty")
    assert Trial.objects.count() == 0
