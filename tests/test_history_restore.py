"""Restoring an old version brings back the record's links and rows, or says exactly what
it cannot; a restore that would clash with another record's address says so instead of
failing; the edit guard never lists fields it cannot know changed. (The starting content's
first versions: tests/starting_content/test_history_starting_content.py.)"""

import pytest
from pytest_django.asserts import assertContains

from netinfo.editorial import history, pending
from tests.editorial import admin_url, changes_url, edit, errors_on, form_data
from tests.html import soup, text_of
from trials.models import Trial

pytest_plugins = ["tests.editorial_fixtures"]


def first_version(record):
    return record.history.earliest("history_date")


# ---- The edit guard says what really changed ----------------------------------------------


def test_without_the_version_they_started_from_the_guard_does_not_list_every_field(
    editor_client, approver_client, make_page
):
    page = make_page("Older than its history", body="Original.")
    page.history.all().delete()  # as for records saved before history was kept
    theirs = form_data(approver_client.get(admin_url(page)))
    mine = form_data(editor_client.get(admin_url(page)))
    theirs["body"] = "Changed."
    assert approver_client.post(admin_url(page), theirs).status_code == 302

    errors = errors_on(editor_client.post(admin_url(page), mine | {"body": "Mine."}))

    assert not any(error.startswith("They changed") for error in errors)
    assert any("compare the page with your text" in error for error in errors)


# ---- A restore that would clash with another record ---------------------------------------


@pytest.fixture
def address_taken(approver_client, make_page):
    """A page whose old address another page uses now: the restore cannot bring it back."""
    page = make_page("Moving page", slug="old-address", body="Old words.")
    original = first_version(page)
    edit(approver_client, page, slug="new-address", body="New words.")
    other = make_page("Newcomer", slug="old-address")
    return page, original, other


def test_restoring_a_version_whose_address_is_taken_says_what_clashes(
    approver_client, address_taken
):
    page, original, other = address_taken
    response = approver_client.post(changes_url(page, original), follow=True)

    assert response.status_code == 200
    message = text_of(soup(response).select_one(".messagelist"))
    assert "Not restored" in message
    assert "“old-address”" in message and "“Newcomer”" in message
    assert "Change the slug of “Newcomer”" in message
    page.refresh_from_db()
    assert (page.slug, page.body) == ("new-address", "New words.")


def test_the_revert_form_says_what_clashes_too(approver_client, address_taken):
    page, original, other = address_taken
    url = f"{admin_url(page, 'history')}{original.history_id}/"
    response = approver_client.post(url, form_data(approver_client.get(url)))

    assert response.status_code == 200
    wanted = "“old-address” is the slug of “Newcomer” now. Change the slug of “Newcomer” first, "
    wanted += "or give this one another slug."
    assert wanted in errors_on(response)
    page.refresh_from_db()
    assert page.slug == "new-address"


# ---- Restoring brings back links and rows -------------------------------------------------


@pytest.fixture
def linked_trial(make_trial, make_site, make_treatment):
    from trials.models import Location, Publication

    pancreas, lung = make_site("Pancreas"), make_site("Lung")
    trial = make_trial(
        "Linked trial",
        summary="Original summary.",
        sites=[pancreas],
        treatments=[make_treatment("Everolimus")],
        identifiers=[("nct", "NCT01234567")],
    )
    Location.objects.create(trial=trial, name="The Christie", town="Manchester")
    Publication.objects.create(trial=trial, title="First results", year=2024)
    return trial, pancreas, lung


def inline_rows(data, prefix):
    return int(data[f"{prefix}-INITIAL_FORMS"])


def test_restoring_a_version_brings_back_its_links_and_rows(client, approver_client, linked_trial):
    trial, pancreas, lung = linked_trial
    original = first_version(trial)
    data = form_data(approver_client.get(admin_url(trial)))
    assert inline_rows(data, "locations") == 1 and inline_rows(data, "publications") == 1
    data |= {
        "summary": "Changed summary.",
        "sites": [str(lung.pk)],
        "treatments": [],
        "locations-0-DELETE": "on",
        "publications-0-DELETE": "on",
        "identifiers-0-value": "NCT07654321",
    }
    response = approver_client.post(admin_url(trial), data)
    assert response.status_code == 302, errors_on(response)
    assert "The Christie" not in client.get(trial.get_absolute_url()).content.decode()

    listed = soup(approver_client.get(admin_url(trial, "history")))
    latest_row = text_of(listed.select_one("#change-history tbody tr"))
    for label in ("Summary", "Tumour sites", "Places", "Registry numbers", "Publications"):
        assert label in latest_row
    preview = soup(approver_client.get(changes_url(trial, original)))
    restore_rows = {text_of(row.th) for row in preview.select(".app-admin-diff")[1].select("tr")}
    assert {"Tumour sites", "Treatments", "Places", "Registry numbers"} <= restore_rows
    assert not preview.select(".app-admin-not-restored")

    response = approver_client.post(changes_url(trial, original), follow=True)

    assertContains(response, "Restored")
    trial.refresh_from_db()
    assert trial.summary == "Original summary."
    assert [site.name for site in trial.sites.all()] == ["Pancreas"]
    assert [t.name for t in trial.treatments.all()] == ["Everolimus"]
    assert [i.value for i in trial.identifiers.all()] == ["NCT01234567"]
    assert [(p.name, p.town) for p in trial.locations.all()] == [("The Christie", "Manchester")]
    assert [(p.title, p.year) for p in trial.publications.all()] == [("First results", 2024)]
    page = client.get(trial.get_absolute_url()).content.decode()
    assert "The Christie" in page and "NCT01234567" in page and "First results" in page


def test_the_restore_page_says_exactly_what_it_cannot_bring_back(
    approver_client, approver, linked_trial, make_trial
):
    trial, pancreas, lung = linked_trial
    original = first_version(trial)
    data = form_data(approver_client.get(admin_url(trial)))
    data |= {"sites": [str(lung.pk)], "identifiers-0-DELETE": "on", "summary": "Changed."}
    assert approver_client.post(admin_url(trial), data).status_code == 302
    pancreas.delete()
    make_trial("Other trial", identifiers=[("nct", "NCT01234567")])

    preview = soup(approver_client.get(changes_url(trial, original)))
    problems = [text_of(li) for li in preview.select(".app-admin-not-restored li")]
    assert problems == [
        "Tumour sites: “Pancreas” has been deleted since, so it is not linked again. To link it, "
        "restore it from the deleted records first, then restore this version again.",
        "Registry numbers: “ClinicalTrials.gov (NCT): NCT01234567” cannot come back: trial "
        "“Other trial” has it now. Take it off that record first, then restore this version "
        "again.",
    ]

    response = approver_client.post(changes_url(trial, original), follow=True)
    messages = [text_of(li) for li in soup(response).select(".messagelist li")]
    assert messages[1:] == problems
    trial.refresh_from_db()
    assert trial.summary == "Original summary."
    assert list(trial.sites.all()) == []  # Lung was not in that version; Pancreas is gone
    assert [p.name for p in trial.locations.all()] == ["The Christie"]


def test_a_deleted_trial_comes_back_with_its_links_and_rows(approver_client, linked_trial):
    trial, pancreas, lung = linked_trial
    pk = trial.pk
    assert approver_client.post(admin_url(trial, "delete"), {"post": "yes"}).status_code == 302
    [deletion] = history.deleted_records(Trial)
    response = approver_client.post(
        f"/admin/trials/trial/deleted/{deletion.history_id}/restore/", follow=True
    )
    assertContains(response, "Restored “Linked trial”")
    trial = Trial.objects.get(pk=pk)
    assert [site.name for site in trial.sites.all()] == ["Pancreas"]
    assert [i.value for i in trial.identifiers.all()] == ["NCT01234567"]
    assert [p.name for p in trial.locations.all()] == ["The Christie"]


def test_a_treatments_drugs_and_uses_come_back(
    approver_client, make_treatment, make_site, make_use
):
    from treatments.models import Drug

    treatment = make_treatment("Lanreotide")
    Drug.objects.create(generic_name="lanreotide", slug="lanreotide").treatments.add(treatment)
    make_use(treatment, make_site("Small bowel"), note="Funded by the NHS")
    original = first_version(treatment)
    data = form_data(approver_client.get(admin_url(treatment)))
    drugs_prefix = next(k[: -len("-TOTAL_FORMS")] for k in data if k.startswith("Drug_"))
    data |= {"uses-0-DELETE": "on", f"{drugs_prefix}-0-DELETE": "on"}
    response = approver_client.post(admin_url(treatment), data)
    assert response.status_code == 302, errors_on(response)
    assert not treatment.uses.exists() and not treatment.drugs.exists()

    approver_client.post(changes_url(treatment, original))

    assert [use.note for use in treatment.uses.all()] == ["Funded by the NHS"]
    assert [drug.generic_name for drug in treatment.drugs.all()] == ["lanreotide"]


def test_the_revert_form_brings_back_links_too(approver_client, linked_trial):
    trial, pancreas, lung = linked_trial
    original = first_version(trial)
    data = form_data(approver_client.get(admin_url(trial)))
    data |= {"sites": [str(lung.pk)], "locations-0-DELETE": "on"}
    assert approver_client.post(admin_url(trial), data).status_code == 302

    url = f"{admin_url(trial, 'history')}{original.history_id}/"
    reverting = form_data(approver_client.get(url))
    assert reverting["sites"] == [str(pancreas.pk)]  # the form shows the old links
    assert approver_client.post(url, reverting).status_code == 302

    assert [site.name for site in trial.sites.all()] == ["Pancreas"]
    assert [p.name for p in trial.locations.all()] == ["The Christie"]


def test_an_import_writes_a_history_entry_with_the_rows_it_wrote(approver_client, tmp_path):
    import json

    from tests.ctgov_importing import minimal
    from trials.registry.importer import run_import
    from trials.registry.sources import file_sources

    path = tmp_path / "NCT90000001.json"
    path.write_text(json.dumps(minimal("NCT90000001")), encoding="utf-8")
    run_import(file_sources([path]))
    trial = Trial.objects.get(identifiers__value="NCT90000001")
    imported = trial.history.latest("history_date")
    assert imported.history_change_reason  # the import says what it did
    data = form_data(approver_client.get(admin_url(trial)))
    assert (
        approver_client.post(admin_url(trial), data | {"identifiers-0-DELETE": "on"}).status_code
        == 302
    )

    approver_client.post(changes_url(trial, imported))

    assert [i.value for i in trial.identifiers.all()] == ["NCT90000001"]


def test_records_saved_before_history_was_kept_get_a_first_version(approver_client, linked_trial):
    import io

    from django.core.management import call_command

    trial, pancreas, lung = linked_trial
    trial.history.all().delete()  # as in a database loaded before first versions were kept
    out = io.StringIO()
    call_command("record_first_versions", stdout=out)
    assert "Kept the first version of 1 records." in out.getvalue()  # only the trial lacked one
    first = first_version(trial)
    assert first.history_change_reason.startswith("First version kept")

    data = form_data(approver_client.get(admin_url(trial)))
    data |= {"summary": "Changed.", "sites": [str(lung.pk)]}
    assert approver_client.post(admin_url(trial), data).status_code == 302
    approver_client.post(changes_url(trial, first))
    trial.refresh_from_db()
    assert trial.summary == "Original summary."
    assert [site.name for site in trial.sites.all()] == ["Pancreas"]

    call_command("record_first_versions", stdout=out)
    assert "Kept the first version of 0 records." in out.getvalue()


def test_an_import_that_moves_places_shows_them_in_the_history(approver_client, tmp_path):
    import json

    from tests.ctgov_importing import run, trial_for, write
    from tests.ctgov_parsing import DATA

    run(DATA / "edge_recruiting_eu_ids.json")
    trial = trial_for("NCT99999901")
    old_places = sorted(str(place) for place in trial.locations.all())
    record = json.loads((DATA / "edge_recruiting_eu_ids.json").read_text())
    record["protocolSection"]["contactsLocationsModule"]["locations"] = [
        {"facility": "New Test Centre", "city": "Bristol", "country": "United Kingdom"}
    ]
    record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2025-01-01"
    run(write(tmp_path / "moved.json", record))

    listed = soup(approver_client.get(admin_url(trial, "history")))
    assert "Places" in text_of(listed.select_one("#change-history tbody tr"))
    html = soup(approver_client.get(changes_url(trial, trial.history.latest("history_date"))))
    row = next(r for r in html.select(".app-admin-diff tbody tr") if text_of(r.th) == "Places")
    assert all(place in text_of(row.select_one(".app-admin-diff__old")) for place in old_places)
    new = row.select_one(".app-admin-diff__new")
    for removed in new.find_all("del"):
        removed.decompose()
    assert text_of(new).replace(" ,", ",") == "New Test Centre, Bristol"


def test_an_editors_restore_of_a_live_trial_waits_and_says_what_it_leaves_out(
    client, editor_client, approver_client, linked_trial
):
    trial, pancreas, lung = linked_trial
    original = first_version(trial)
    data = form_data(approver_client.get(admin_url(trial)))
    data |= {"sites": [str(lung.pk)], "locations-0-DELETE": "on", "summary": "Changed."}
    assert approver_client.post(admin_url(trial), data).status_code == 302

    preview = soup(editor_client.get(changes_url(trial, original)))
    problems = [text_of(li) for li in preview.select(".app-admin-not-restored li")]
    assert problems == [
        "As this page is on the site, your restore is saved as a change for an approver to "
        "review. That change does not include the places of this version: they stay as they "
        "are today. Change them in the form before you submit it, or ask an approver to restore "
        "this version."
    ]
    editor_client.post(changes_url(trial, original))
    trial.refresh_from_db()
    assert trial.summary == "Changed."  # nothing live changed: it waits for review
    assert [site.name for site in trial.sites.all()] == ["Lung"]
    waiting = pending.open_change(trial)
    assert waiting.data["summary"] == ["Original summary."]
    assert waiting.data["sites"] == [str(pancreas.pk)]  # the old version's links wait too
