"""Importing ClinicalTrials.gov records again: the same files change nothing, a newer record
refreshes the registry's facts (places, publications, enrolment) but never what staff wrote,
an older one undoes nothing, and values that do not fit are shortened or left out."""

import copy
import datetime
import json

import pytest

from tests.ctgov_importing import minimal, run, trial_for, write
from tests.ctgov_parsing import DATA, raw
from trials.models import Location, Publication, Trial
from trials.registry.importer import run_import
from trials.registry.sources import file_sources

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------------------------
# Importing again


def snapshot():
    return {
        trial.pk: (
            trial.history.count(),
            trial.version,
            trial.updated_at,
            sorted(trial.identifiers.values_list("pk", flat=True)),
            sorted(trial.locations.values_list("pk", flat=True)),
            sorted(trial.publications.values_list("pk", flat=True)),
        )
        for trial in Trial.objects.all()
    }


def test_importing_the_same_files_twice_changes_nothing():
    run(DATA)
    before = snapshot()
    assert len(before) == 14

    output, error = run(DATA)

    assert error == ""
    assert "0 created, 0 updated, 14 unchanged, 0 skipped" in output
    assert snapshot() == before


def test_a_later_check_moves_the_checked_date_without_an_edit():
    first, later = datetime.date(2026, 1, 5), datetime.date(2026, 6, 1)
    run_import(file_sources([DATA / "NCT03475563.json"]), today=first)
    before = snapshot()
    assert trial_for("NCT03475563").registry_checked == first

    report = run_import(file_sources([DATA / "NCT03475563.json"]), today=later)

    assert len(report.unchanged) == 1
    assert trial_for("NCT03475563").registry_checked == later
    assert snapshot() == before  # no history row, no new version, updated_at as it was


def newer_copy(tmp_path):
    record = copy.deepcopy(raw("NCT06171568"))
    status = record["protocolSection"]["statusModule"]
    status["overallStatus"] = "RECRUITING"
    status["startDateStruct"] = {"date": "2024-05", "type": "ACTUAL"}
    status["completionDateStruct"] = {"date": "2026-03", "type": "ESTIMATED"}
    status["primaryCompletionDateStruct"] = {"date": "2026-01", "type": "ESTIMATED"}
    status["lastUpdatePostDateStruct"] = {"date": "2025-03-03", "type": "ACTUAL"}
    return write(tmp_path / "NCT06171568-newer.json", record)


def test_a_newer_record_updates_registry_facts_but_never_what_staff_wrote(tmp_path):
    run(DATA / "NCT06171568.json")
    trial = trial_for("NCT06171568")
    trial.title = "Checking memory and thinking a year after a brain injury"
    trial.summary = "This study looks at how people recover. Staff wrote this."
    trial.what_happens = "You do some puzzles."
    trial.state = "published"
    trial.save()
    version, history = trial.version, trial.history.count()

    output, error = run(newer_copy(tmp_path))

    assert error == ""
    assert (
        "NCT06171568: updated status, recruitment start, recruitment end, registry status, "
        "registry record last updated" in output
    )
    trial.refresh_from_db()
    assert trial.get_status_display() == "Open to new patients"
    assert (trial.recruitment_start_display, trial.recruitment_end_display) == (
        "May 2024",
        "March 2026",
    )
    assert trial.registry_updated == datetime.date(2025, 3, 3)
    assert trial.title == "Checking memory and thinking a year after a brain injury"
    assert trial.summary == "This study looks at how people recover. Staff wrote this."
    assert trial.what_happens == "You do some puzzles."
    assert "Staff wrote this." in trial.summary_html
    assert trial.state == "published"
    assert trial.version > version
    assert trial.history.count() == history + 1

    latest, previous = trial.history.all()[:2]
    assert latest.history_change_reason.startswith("Imported from ClinicalTrials.gov: status")
    changes = {
        change.field: (change.old, change.new) for change in latest.diff_against(previous).changes
    }
    assert changes["status"] == ("opening_soon", "open")
    assert changes["recruitment_start_precision"] == ("day", "month")
    assert "title" not in changes and "summary" not in changes

    # and the same newer file again changes nothing
    output, error = run(newer_copy(tmp_path))
    assert "1 unchanged" in output
    assert trial_for("NCT06171568").history.count() == history + 1


def test_an_older_record_does_not_undo_a_newer_one(tmp_path):
    run(newer_copy(tmp_path))
    output, error = run(DATA / "NCT06171568.json")
    assert error == ""
    assert "before the one we already have (2025-03-03)" in output
    assert trial_for("NCT06171568").status == "open"


def test_the_registry_locations_replace_the_old_ones(tmp_path):
    run(DATA / "edge_recruiting_eu_ids.json")
    trial = trial_for("NCT99999901")
    old_ids = set(trial.locations.values_list("pk", flat=True))
    record = json.loads((DATA / "edge_recruiting_eu_ids.json").read_text())
    module = record["protocolSection"]["contactsLocationsModule"]
    module["locations"] = [
        {"facility": "New Test Centre", "status": "RECRUITING", "city": "Bristol",
         "country": "United Kingdom"},
    ]  # fmt: skip
    record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2025-01-01"

    output, error = run(write(tmp_path / "moved.json", record))

    assert "updated registry record last updated, locations" in output
    assert list(trial.locations.values_list("name", "town")) == [("New Test Centre", "Bristol")]
    assert not Location.objects.filter(pk__in=old_ids).exists()


def test_a_publication_staff_already_added_is_not_added_again(tmp_path):
    run(DATA / "NCT03475563.json")
    trial = trial_for("NCT03475563")
    trial.publications.filter(pmid="25828372").update(title="Corrected by staff", authors="X Y")
    trial.publications.filter(pmid="26465375").delete()
    Publication.objects.create(
        trial=trial, authors="Z", title="Added by hand", doi="10.1/abc", pmid=""
    )

    output, error = run(DATA / "NCT03475563.json")

    assert "updated publications" in output  # the deleted one comes back
    assert trial.publications.filter(pmid="25828372").get().title == "Corrected by staff"
    assert trial.publications.count() == 4


def test_an_empty_value_in_the_record_does_not_blank_what_we_have(tmp_path):
    record = minimal(sponsorCollaboratorsModule={"leadSponsor": {"name": "Sponsor A"}})
    run(write(tmp_path / "one.json", record))
    trial = trial_for("NCT90000001")
    trial.contact_phone = "0800 000 000"
    trial.save()

    newer = minimal()  # no sponsor, no contact
    newer["protocolSection"]["statusModule"]["overallStatus"] = "COMPLETED"
    newer["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2026-01-01"
    output, error = run(write(tmp_path / "two.json", newer))

    trial.refresh_from_db()
    assert (trial.status, trial.sponsor, trial.contact_phone) == (
        "closed",
        "Sponsor A",
        "0800 000 000",
    )


def test_values_too_long_or_invalid_for_our_fields_are_shortened_or_left_out(tmp_path):
    record = minimal(
        contactsLocationsModule={
            "centralContacts": [{"name": "Trial office", "email": "not an address"}],
            "locations": [{"facility": "H" * 300, "city": "Leeds"}],
        }
    )
    record["protocolSection"]["identificationModule"]["acronym"] = "A" * 60
    output, error = run(write(tmp_path / "long.json", record))

    assert error == ""
    trial = trial_for("NCT90000001")
    assert trial.acronym == "A" * 39 + "…"
    assert (trial.contact_name, trial.contact_email) == ("Trial office", "")
    assert len(trial.locations.get().name) == 200
    assert "acronym was longer than 40 characters" in trial.import_notes
    assert 'The contact email "not an address" is not a valid address' in trial.import_notes


def test_actual_enrolment_is_recorded_beside_the_planned_size(tmp_path):
    record = minimal(designModule={"enrollmentInfo": {"count": 120, "type": "ESTIMATED"}})
    run(write(tmp_path / "one.json", record))
    record["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": 97, "type": "ACTUAL"}
    record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2026-01-01"
    output, error = run(write(tmp_path / "one.json", record))
    assert "updated number of people who took part" in output
    trial = trial_for("NCT90000001")
    assert (trial.target_size, trial.actual_size) == (120, 97)
