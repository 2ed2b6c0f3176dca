"""Importing trials from ClinicalTrials.gov records (trials/registry/importer.py and the
import_ctgov command), with the real records in tests/data/ctgov/: each real record, new
trials, and patients finding a trial once it is published. Importing again:
test_ctgov_reimport.py; bad input: test_ctgov_import_errors.py."""

import datetime

import pytest

from tests.ctgov_importing import minimal, run, trial_for, write
from tests.ctgov_parsing import DATA, REAL_IDS, raw
from treatments.models import Drug
from trials.models import Identifier, Trial

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize("nct_id", REAL_IDS)
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
