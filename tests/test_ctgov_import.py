"""Importing and refreshing trials from ClinicalTrials.gov records (trials/registry/importer.py
and the import_ctgov command), with the real records in tests/data/ctgov/."""

import copy
import datetime
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from treatments.models import Drug
from trials.models import Identifier, Location, Publication, Trial
from trials.registry.importer import run_import
from trials.registry.sources import file_sources

DATA = Path(__file__).parent / "data" / "ctgov"
REAL = sorted(path.stem for path in DATA.glob("NCT*.json"))

pytestmark = pytest.mark.django_db


def raw(nct_id):
    return json.loads((DATA / f"{nct_id}.json").read_text(encoding="utf-8"))


def write(path, data):
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run(*paths, atomic=False):
    """Run the command like staff would; returns (output, error message or "")."""
    from io import StringIO

    out = StringIO()
    args = [str(path) for path in paths] + (["--atomic"] if atomic else [])
    try:
        call_command("import_ctgov", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), ""


def trial_for(nct_id):
    return Trial.objects.get(identifiers__kind="nct", identifiers__value=nct_id)


def minimal(nct_id="NCT90000001", **protocol):
    """A small record of our own; keyword arguments replace whole modules."""
    record = {
        "protocolSection": {
            "identificationModule": {"nctId": nct_id, "briefTitle": f"Study {nct_id}"},
            "statusModule": {
                "overallStatus": "RECRUITING",
                "lastUpdatePostDateStruct": {"date": "2025-03-03", "type": "ACTUAL"},
            },
        }
    }
    record["protocolSection"].update(protocol)
    return record


# --------------------------------------------------------------------------------------------
# Each real record


# nct id: status, phase, start (date, precision), end (date, precision), sponsor,
#         locations, publication PMIDs, target size, actual size
EXPECTED = {
    "NCT00763412": (
        "results", "na", ("2006-11-01", "month"), ("2013-01-01", "month"),
        "Arbelaez, Ana Maria", 1, set(), None, 31,
    ),
    "NCT00973089": (
        "withdrawn", "na", ("2010-05-01", "month"), ("2015-03-01", "month"),
        "Hadassah Medical Organization", 1, set(), None, 0,
    ),
    "NCT02210780": (
        "results", "2", ("2014-08-05", "day"), ("2015-09-15", "day"),
        "Regeneron Pharmaceuticals", 42, set(), None, 194,
    ),
    "NCT03418623": (
        "closed", "2", ("2018-03-08", "day"), ("2020-03-13", "day"),
        "Laboratorio Farmaceutico Ct S.r.l.", 1, set(), None, 24,
    ),
    "NCT03475563": (
        "unknown", "na", ("2018-08-16", "day"), ("2019-12-30", "day"),
        "Hospital Universitari Vall d'Hebron Research Institute", 3,
        {"25828372", "25689548", "26465375"}, 100, None,
    ),
    "NCT04207047": (
        "unknown", "na", ("2018-10-02", "day"), ("2020-03-31", "day"),
        "LUTRONIC Corporation", 1, set(), None, 3,
    ),
    "NCT05594173": (
        "results", "na", ("2019-09-13", "day"), ("2020-12-20", "day"),
        "University Health Network, Toronto", 1, set(), None, 20,
    ),
    "NCT06171568": (
        "opening_soon", "na", ("2024-02-01", "day"), ("2025-02-01", "day"),
        "Assistance Publique - Hôpitaux de Paris", 1, set(), 400, None,
    ),
}  # fmt: skip


@pytest.mark.parametrize("nct_id", REAL)
def test_each_real_record_imports_with_its_registry_facts(nct_id):
    status, phase, start, end, sponsor, locations, pmids, target, actual = EXPECTED[nct_id]
    output, error = run(DATA / f"{nct_id}.json")
    assert error == ""
    assert "1 created" in output

    trial = trial_for(nct_id)
    record = raw(nct_id)["protocolSection"]
    assert list(trial.identifiers.values_list("kind", "value")) == [("nct", nct_id)]
    assert trial.title == record["identificationModule"]["briefTitle"]
    assert (trial.status, trial.phase) == (status, phase)
    assert (str(trial.recruitment_start), trial.recruitment_start_precision) == start
    assert (str(trial.recruitment_end), trial.recruitment_end_precision) == end
    assert trial.sponsor == sponsor
    assert (trial.target_size, trial.actual_size) == (target, actual)
    assert trial.locations.count() == locations
    assert set(trial.publications.values_list("pmid", flat=True)) == pmids
    assert trial.registry_updated == datetime.date.fromisoformat(
        record["statusModule"]["lastUpdatePostDateStruct"]["date"]
    )
    assert trial.registry_checked == datetime.date.today()
    assert trial.state == "draft"


def test_unknown_status_is_not_shown_as_open_and_keeps_the_last_known_status():
    run(DATA / "NCT03475563.json")
    trial = trial_for("NCT03475563")
    assert trial.get_status_display() == "Status not known"
    assert trial.registry_status == "UNKNOWN (last known: RECRUITING)"
    # its sites still say RECRUITING in the registry, but none is shown as taking people
    assert not trial.locations.filter(recruiting=True).exists()


def test_a_record_with_other_registry_numbers_people_and_places():
    output, error = run(DATA / "edge_recruiting_eu_ids.json")
    assert error == ""
    trial = trial_for("NCT99999901")
    assert set(trial.identifiers.values_list("kind", "value")) == {
        ("nct", "NCT99999901"),
        ("eudract", "2019-001234-56"),
        ("euct", "2023-501234-12-00"),
        ("isrctn", "ISRCTN12345678"),
        ("iras", "287654"),
        ("iras", "301122"),
    }
    assert trial.title == "Hand-made test record: a phase 1/2 trial recruiting in the UK"
    assert trial.official_title.startswith("A Test Study of Drug X in ")
    assert (trial.acronym, trial.status, trial.phase) == ("EDGE-1", "open", "1_2")
    assert (str(trial.recruitment_start), trial.recruitment_start_precision) == (
        "2021-01-01",
        "year",
    )
    assert (str(trial.recruitment_end), trial.recruitment_end_precision) == ("2026-06-01", "month")
    assert trial.funders_list == ["Charity A", "Drug Company B"]
    assert trial.chief_investigator == (
        "Dr A Example, Test University (Principal investigator); Prof B Sample (Study chair)"
    )
    assert (trial.contact_name, trial.contact_email, trial.contact_phone) == (
        "Trial Office",
        "trials@example.org",
        "020 7946 0000 ext. 1234",
    )
    assert trial.registry_summary.startswith("Tests drug X (a pill) for people with NETs &")
    assert trial.registry_eligibility.startswith("Inclusion Criteria:")
    assert sorted(trial.locations.values_list("name", "town", "recruiting")) == [
        ("Glasgow", "Glasgow", False),  # only the town is named, and no site status
        ("Northern Test Infirmary", "Leeds", False),
        ("Royal Test Hospital", "London", True),
        ("Welsh Test Hospital", "Cardiff", False),
    ]
    # Only references about the trial itself are its publications; background reading is
    # listed for staff instead of being shown to patients as this trial's results.
    pubs = {pub.pmid: pub for pub in trial.publications.all()}
    assert set(pubs) == {"11111111", "22222222"}
    assert pubs["11111111"].doi == "10.1016/S1470-2045(19)30000-1"
    assert pubs["11111111"].journal == "Lancet Oncol"
    assert "Background references" in trial.import_notes
    assert "Guidelines for NETs" in trial.import_notes


def test_all_three_file_shapes_import():
    output, error = run(DATA / "edge_studies_page.json", DATA / "edge_list.json")
    assert error == ""
    assert "5 created" in output
    assert trial_for("NCT99999904").get_status_display() == "Stopped early"
    assert "Sponsor decision" in trial_for("NCT99999904").import_notes


def test_a_folder_imports_every_json_file_in_it():
    output, error = run(DATA)
    assert error == ""
    assert "14 created, 0 updated, 0 unchanged, 0 skipped" in output
    assert Trial.objects.count() == 14


# --------------------------------------------------------------------------------------------
# New trials


def test_new_trials_are_drafts_the_public_cannot_see(client):
    run(DATA / "NCT06171568.json")
    trial = trial_for("NCT06171568")
    assert trial.state == "draft"
    assert client.get(trial.get_absolute_url()).status_code == 404


def test_without_an_official_title_the_brief_title_is_kept_as_the_official_one(tmp_path):
    run(write(tmp_path / "one.json", minimal()))
    trial = trial_for("NCT90000001")
    assert trial.title == trial.official_title == "Study NCT90000001"


def test_history_says_the_trial_came_from_the_registry():
    run(DATA / "NCT06171568.json")
    [entry] = trial_for("NCT06171568").history.all()
    assert entry.history_change_reason == "Imported from ClinicalTrials.gov"


def test_conditions_and_interventions_are_matched_case_insensitively(
    tmp_path, make_site, make_treatment
):
    pancreas = make_site("Pancreas", registry_keywords="pancreatic\nislet cell")
    make_site("Small bowel (midgut)", slug="small-bowel", registry_keywords="midgut\nsmall bowel")
    prrt = make_treatment("PRRT", type_name="PRRT", other_names="Lutathera\n177Lu-DOTATATE")
    ssa = make_treatment("Somatostatin analogues", type_name="Somatostatin analogues")
    lanreotide = Drug.objects.create(
        generic_name="lanreotide", slug="lanreotide", brand_names="Somatuline Autogel"
    )
    lanreotide.treatments.add(ssa)
    octreotide = Drug.objects.create(generic_name="octreotide", slug="octreotide")
    record = minimal(
        conditionsModule={
            "conditions": ["Pancreatic Neuroendocrine Tumor", "Carcinoid Syndrome"],
            "keywords": ["ISLET CELL tumour", "somatostatin"],
        },
        armsInterventionsModule={
            "interventions": [
                {"name": "177lu-dotatate", "otherNames": []},
                {"name": "Somatuline AUTOGEL"},
                {"name": "Placebo"},
                {"name": "Sandostatin LAR", "otherNames": ["Octreotide"]},
            ]
        },
    )
    run(write(tmp_path / "net.json", record))

    trial = trial_for("NCT90000001")
    assert list(trial.sites.all()) == [pancreas]
    assert list(trial.treatments.all()) == [prrt]
    assert set(trial.drugs.all()) == {lanreotide, octreotide}
    assert trial.import_notes.splitlines() == [
        "Conditions not matched to a tumour site: Carcinoid Syndrome",
        "Keywords not matched to a tumour site: somatostatin",
        "Interventions not matched to a drug or treatment: Placebo",
    ]


def test_a_drug_named_with_its_dose_is_matched(tmp_path):
    everolimus = Drug.objects.create(generic_name="Everolimus", slug="everolimus")
    Drug.objects.create(generic_name="Evero", slug="evero")  # not a whole word of the name
    record = minimal(armsInterventionsModule={"interventions": [{"name": "Everolimus 10 mg"}]})
    run(write(tmp_path / "one.json", record))
    assert list(trial_for("NCT90000001").drugs.all()) == [everolimus]


def test_a_number_already_on_another_trial_is_not_moved(tmp_path, make_trial):
    other = make_trial(title="Hand-made trial", identifiers=[("eudract", "2019-001234-56")])
    make_trial(title="Another", identifiers=[("nct", "NCT00000001")])
    record = minimal()
    record["protocolSection"]["identificationModule"]["secondaryIdInfos"] = [
        {"id": "2019-001234-56", "type": "EUDRACT_NUMBER"}
    ]
    record["protocolSection"]["identificationModule"]["nctId"] = "NCT90000001"
    # the staff trial has an NCT number of its own, so this record is a different trial
    Identifier.objects.create(trial=other, kind="nct", value="NCT00000002")

    output, error = run(write(tmp_path / "one.json", record))
    assert error == ""
    trial = trial_for("NCT90000001")
    assert trial != other
    assert list(trial.identifiers.values_list("kind", flat=True)) == ["nct"]
    assert "EudraCT number 2019-001234-56 is already on another trial" in trial.import_notes
    assert other.identifiers.filter(kind="eudract").exists()


def test_a_trial_staff_entered_by_its_eudract_number_is_refreshed_not_duplicated(
    tmp_path, make_trial
):
    staff = make_trial(
        title="Testing a new pill for NETs",
        summary="Staff wrote this.",
        identifiers=[("eudract", "2019-001234-56")],
    )
    record = minimal(
        sponsorCollaboratorsModule={"leadSponsor": {"name": "Test Sponsor"}},
    )
    record["protocolSection"]["identificationModule"]["orgStudyIdInfo"] = {
        "id": "EudraCT 2019-001234-56"
    }
    output, error = run(write(tmp_path / "one.json", record))
    assert error == ""
    assert "0 created, 1 updated" in output
    staff.refresh_from_db()
    assert Trial.objects.count() == 1
    assert staff.identifiers.filter(kind="nct", value="NCT90000001").exists()
    assert (staff.title, staff.summary, staff.sponsor) == (
        "Testing a new pill for NETs",
        "Staff wrote this.",
        "Test Sponsor",
    )


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


# --------------------------------------------------------------------------------------------
# Bad input


def bad_batch(folder):
    """A folder with one good record and every kind of bad input the issue names."""
    folder.mkdir()
    write(folder / "a_good.json", minimal("NCT90000001"))
    (folder / "b_malformed.json").write_text('{"studies": [{"protocolSection": ', "utf-8")
    write(folder / "c_missing.json", [{"derivedSection": {}}, minimal("NCT90000002")])
    no_nct = minimal()
    del no_nct["protocolSection"]["identificationModule"]["nctId"]
    write(folder / "d_no_nct.json", {"studies": [minimal("NCT90000003"), no_nct]})
    unknown = minimal("NCT90000004")
    unknown["protocolSection"]["statusModule"]["overallStatus"] = "MAYBE"
    write(folder / "e_unknown.json", unknown)
    wrong = minimal("NCT90000005", designModule={"enrollmentInfo": {"count": "forty"}})
    write(folder / "f_wrong_type.json", [wrong, "NCT90000006", minimal("NCT90000007")])
    with open(folder / "g_huge.json", "wb") as fh:  # sparse: 50 MB on paper, nothing on disk
        fh.truncate(50 * 1024 * 1024)
    return folder


BAD_MESSAGES = [
    "b_malformed.json: malformed JSON at line 1 column 34",
    "c_missing.json, record 0: protocolSection: missing",
    "d_no_nct.json, record 1: protocolSection.identificationModule.nctId: missing",
    "e_unknown.json, record 0 (NCT90000004): protocolSection.statusModule.overallStatus: "
    "unknown value 'MAYBE'",
    "f_wrong_type.json, record 0 (NCT90000005): protocolSection.designModule.enrollmentInfo."
    "count: expected a whole number, got a string",
    "f_wrong_type.json, record 1: expected a study object, got a string",
    "file too large: ",
    "g_huge.json is 52,428,800 bytes, the limit is 20,971,520",
]


def test_every_bad_input_is_named_and_the_rest_of_the_batch_lands(tmp_path):
    output, error = run(bad_batch(tmp_path / "batch"))

    for message in BAD_MESSAGES:
        assert message in output
    assert "Skipped (7):" in output
    assert error == "7 could not be imported"
    assert sorted(Identifier.objects.values_list("value", flat=True)) == [
        "NCT90000001",
        "NCT90000002",
        "NCT90000003",
        "NCT90000007",
    ]


def test_with_atomic_one_bad_record_rolls_the_whole_batch_back(tmp_path):
    output, error = run(bad_batch(tmp_path / "batch"), atomic=True)

    assert "Nothing was imported" in output
    assert "Would have been created (rolled back) (4):" in output
    assert "c_missing.json, record 0: protocolSection: missing" in output
    assert error == "7 could not be imported; nothing was imported (--atomic)"
    assert Trial.objects.count() == 0
    assert Identifier.objects.count() == 0


def test_with_atomic_a_good_batch_imports(tmp_path):
    output, error = run(DATA / "NCT06171568.json", DATA / "edge_list.json", atomic=True)
    assert error == ""
    assert Trial.objects.count() == 3


def test_a_record_that_fails_while_saving_leaves_nothing_half_written(tmp_path, monkeypatch):
    def fail(objs, *args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Location.objects, "bulk_create", fail)
    output, error = run(DATA / "NCT06171568.json")

    assert "record 0 (NCT06171568): could not be saved, nothing was changed (disk full)" in output
    assert error == "1 could not be imported"
    assert Trial.objects.count() == 0
    assert Identifier.objects.count() == 0


def test_the_size_limit_comes_from_settings(tmp_path, settings):
    settings.CTGOV_IMPORT_MAX_BYTES = 1000
    output, error = run(DATA / "NCT06171568.json")
    assert "file too large" in output
    assert "the limit is 1,000" in output
    assert Trial.objects.count() == 0


def test_the_size_limit_can_be_given_to_the_command(tmp_path):
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_ctgov", str(DATA / "NCT06171568.json"), "--max-bytes=500", stdout=out)
    assert "the limit is 500" in out.getvalue()


def test_a_missing_file_and_an_empty_folder_are_named(tmp_path):
    (tmp_path / "empty").mkdir()
    output, error = run(tmp_path / "nope.json", tmp_path / "empty")
    assert "nope.json: cannot read file" in output
    assert "empty: no .json files in this folder" in output
    assert error == "2 could not be imported"


# --------------------------------------------------------------------------------------------
# Patients find the trial once it is published


def test_an_imported_trial_once_published_is_found_by_its_nct_number(client, tmp_path):
    run(DATA / "NCT06171568.json", DATA / "edge_list.json")
    trial = trial_for("NCT06171568")
    title = trial.title

    assert title not in client.get("/trials/", {"q": "NCT06171568"}).content.decode()

    trial.state = "published"
    trial.save()
    Trial.objects.exclude(pk=trial.pk).update(state="published")

    found = client.get("/trials/", {"q": "NCT06171568"}).content.decode()
    assert title in found
    assert "Phase 4 study by invitation" not in found
    other = client.get("/trials/", {"q": "NCT99999907"}).content.decode()
    assert "Phase 4 study by invitation" in other
    assert title not in other
