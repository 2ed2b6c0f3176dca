"""The ClinicalTrials.gov API v2 parser (trials/registry/parse.py and the modules it uses):
the eight real records, and the containers a file may hold them in. Pure Python, no
database. Edge cases and mappings: test_ctgov_parse_edges.py; bad input:
test_ctgov_parse_errors.py; reading files: test_ctgov_files.py."""

import datetime

import pytest

from tests.ctgov_parsing import DATA, REAL_IDS, parsed, raw
from trials.registry.files import iter_records, load_file
from trials.registry.parse import parse_study
from trials.registry.records import ParsedLocation, PartialDate, RecordError

# --------------------------------------------------------------------------------------------
# The eight real records. Expected values read from the JSON files themselves.

# nct id: (status, registry_status, phase, start, end, sponsor, locations, references)
REAL_EXPECTED = {
    "NCT00763412": (
        "results",
        "COMPLETED",
        "na",
        ("2006-11", "month"),
        ("2013-01", "month"),
        "Arbelaez, Ana Maria",
        1,
        0,
    ),
    "NCT00973089": (
        "withdrawn",
        "WITHDRAWN",
        "na",
        ("2010-05", "month"),
        ("2015-03", "month"),
        "Hadassah Medical Organization",
        1,
        1,
    ),
    "NCT02210780": (
        "results",
        "COMPLETED",
        "2",
        ("2014-08-05", "day"),
        ("2015-09-15", "day"),
        "Regeneron Pharmaceuticals",
        42,
        0,
    ),
    "NCT03418623": (
        "closed",
        "COMPLETED",
        "2",
        ("2018-03-08", "day"),
        ("2020-03-13", "day"),
        "Laboratorio Farmaceutico Ct S.r.l.",
        1,
        1,
    ),
    "NCT03475563": (
        "unknown",
        "UNKNOWN (last known: RECRUITING)",
        "na",
        ("2018-08-16", "day"),
        ("2019-12-30", "day"),
        "Hospital Universitari Vall d'Hebron Research Institute",
        3,
        3,
    ),
    "NCT04207047": (
        "unknown",
        "UNKNOWN (last known: ACTIVE_NOT_RECRUITING)",
        "na",
        ("2018-10-02", "day"),
        # completionDateStruct (2020-03-31, estimated) wins over primaryCompletion 2018-10-31
        ("2020-03-31", "day"),
        "LUTRONIC Corporation",
        1,
        0,
    ),
    "NCT05594173": (
        "results",
        "COMPLETED",
        "na",
        ("2019-09-13", "day"),
        ("2020-12-20", "day"),
        "University Health Network, Toronto",
        1,
        0,
    ),
    "NCT06171568": (
        "opening_soon",
        "NOT_YET_RECRUITING",
        "na",
        ("2024-02-01", "day"),
        ("2025-02-01", "day"),
        "Assistance Publique - Hôpitaux de Paris",
        1,
        8,
    ),
}


def test_all_real_records_have_expectations():
    assert sorted(REAL_EXPECTED) == REAL_IDS
    assert sorted(p.stem for p in DATA.glob("NCT*.json")) == REAL_IDS


@pytest.mark.parametrize("nct_id", REAL_IDS)
def test_real_record_core_fields(nct_id):
    status, registry_status, phase, start, end, sponsor, n_locations, n_refs = REAL_EXPECTED[nct_id]
    trial = parsed(nct_id)
    assert trial.nct_id == nct_id
    assert trial.status == status
    assert trial.registry_status == registry_status
    assert trial.phase == phase
    assert (str(trial.start), trial.start.precision) == start
    assert (str(trial.end), trial.end.precision) == end
    assert trial.sponsor == sponsor
    assert len(trial.locations) == n_locations
    assert len(trial.publications) == n_refs
    assert trial.brief_title
    assert trial.last_updated is not None


@pytest.mark.parametrize("nct_id", REAL_IDS)
def test_real_record_matches_raw_json(nct_id):
    """Cross-check list fields against the raw JSON rather than hard-coding them all."""
    record = raw(nct_id)
    protocol = record["protocolSection"]
    trial = parse_study(record)
    assert trial.has_results is record["hasResults"]
    assert trial.conditions == protocol["conditionsModule"]["conditions"]
    assert trial.keywords == protocol["conditionsModule"].get("keywords", [])
    enrol = protocol["designModule"]["enrollmentInfo"]
    assert trial.enrolment == enrol["count"]
    assert trial.enrolment_actual is (enrol["type"] == "ACTUAL")
    assert trial.study_type == protocol["designModule"]["studyType"]
    raw_interventions = protocol["armsInterventionsModule"]["interventions"]
    assert trial.interventions == [(i["name"], i.get("otherNames", [])) for i in raw_interventions]
    raw_locations = protocol["contactsLocationsModule"]["locations"]
    assert [loc.town for loc in trial.locations] == [loc["city"] for loc in raw_locations]
    assert [loc.country for loc in trial.locations] == [loc["country"] for loc in raw_locations]
    raw_refs = protocol.get("referencesModule", {}).get("references", [])
    assert [p.pmid for p in trial.publications] == [r["pmid"] for r in raw_refs]
    assert [p.citation for p in trial.publications] == [r["citation"] for r in raw_refs]
    # None of the real records carries an EudraCT / EU CT / ISRCTN / IRAS number.
    assert trial.other_ids == []


def test_completed_with_results_phase_na():
    trial = parsed("NCT00763412")
    assert trial.start == PartialDate(2006, 11, None)
    assert trial.start.as_date() == datetime.date(2006, 11, 1)
    assert not trial.start_estimated  # startDateStruct has no type at all here
    assert trial.enrolment == 31 and trial.enrolment_actual
    assert trial.collaborators == [
        "Washington University School of Medicine",
        "National Institutes of Health (NIH)",
        "Novo Nordisk A/S",
        "National Institute of Diabetes and Digestive and Kidney Diseases (NIDDK)",
    ]
    assert trial.chief_investigators == [
        "Neil H White, M.D., Washington University School of Medicine (Study chair)"
    ]
    assert trial.interventions == [("placebo", []), ("repaglinide", ["Prandin"])]
    assert trial.last_updated == PartialDate(2017, 6, 5)
    # markdown escapes in the registry text are removed: "\<126 mg/dl" -> "<126 mg/dl"
    assert "glucose <126 mg/dl" in trial.eligibility_criteria
    assert "\\<" not in trial.eligibility_criteria


def test_withdrawn_with_why_stopped_and_zero_enrolment():
    trial = parsed("NCT00973089")
    assert trial.why_stopped == (
        "recruiting or enrolling participants has halted prematurely and will not resume"
    )
    assert trial.enrolment == 0
    assert trial.enrolment_actual is True
    [pub] = trial.publications
    assert pub.pmid == "18519994"
    assert pub.url == "https://pubmed.ncbi.nlm.nih.gov/18519994/"
    assert pub.authors == "Thompson V, Craig RG, Curro FA, Green WS, Ship JA"
    assert pub.title == (
        "Treatment of deep carious lesions by complete excavation or partial removal: "
        "a critical review"
    )
    assert pub.journal == "J Am Dent Assoc"
    assert (pub.year, pub.volume, pub.issue, pub.pages) == (2008, "139", "6", "705-12")
    assert pub.doi == "10.14219/jada.archive.2008.0252"
    assert pub.reference_type == "BACKGROUND"


def test_many_sites_without_facility_names():
    trial = parsed("NCT02210780")
    assert len(trial.locations) == 42
    assert trial.locations[0] == ParsedLocation(
        name="",
        town="Birmingham",
        region="Alabama",
        country="United States",
        latitude=33.52066,  # the registry's geoPoint
        longitude=-86.80249,
    )
    assert all(loc.name == "" and not loc.recruiting for loc in trial.locations)
    assert ("Dupilumab", ["REGN668", "SAR231893", "Dupixent"]) in trial.interventions
    assert trial.collaborators == ["Sanofi"]
    assert trial.detailed_description == ""
    assert "\\[" not in trial.eligibility_criteria
    assert "[Eichenfeld 2004]" in trial.eligibility_criteria


def test_completed_without_results_and_authors_only_citation():
    trial = parsed("NCT03418623")
    assert trial.has_results is False
    assert trial.chief_investigators == [
        "Raymond F Anton, MD, Department of Psychiatry and Behavioral Sciences - "
        "Medical University of South Carolina (Principal investigator)"
    ]
    [pub] = trial.publications
    # "Schacht JP, Anton RF, Voronin KE": not enough to split, so only the raw parts are kept.
    assert pub.citation == "Schacht JP, Anton RF, Voronin KE"
    assert (pub.authors, pub.title, pub.year) == ("", "", None)
    assert pub.pmid == "23032071"


def test_unknown_status_is_not_shown_as_open_even_if_last_known_recruiting():
    trial = parsed("NCT03475563")
    assert trial.status == "unknown"
    assert trial.registry_status == "UNKNOWN (last known: RECRUITING)"
    assert trial.study_type == "OBSERVATIONAL"
    assert trial.acronym == "BIOSS"
    assert trial.enrolment == 100 and trial.enrolment_actual is False
    assert trial.end_estimated is True
    assert (trial.contact_name, trial.contact_email, trial.contact_phone) == (
        "Imanol Otaegui, MD",
        "iotaegui@vhebron.net",
        "+342746155",
    )
    # The sites' stale "RECRUITING" is kept as their registry status, but no site is shown as
    # taking people while the trial's own status is not known.
    assert [(loc.name, loc.status, loc.recruiting) for loc in trial.locations] == [
        ("Hospital Universitari Parc Taulí", "RECRUITING", False),
        ("Hospital Universitari Vall d'Hebron", "RECRUITING", False),
        ("Hospital Universitario de León", "RECRUITING", False),
    ]
    pubs = trial.publications
    assert [p.year for p in pubs] == [2015, 2015, 2016]
    assert [p.journal for p in pubs] == ["Can J Cardiol", "J Interv Cardiol", "EuroIntervention"]
    assert pubs[0].doi == "10.1016/j.cjca.2014.12.024"  # not "...024. Epub 2014 Dec 24"
    assert (pubs[2].volume, pubs[2].issue, pubs[2].pages) == ("12", "10", "1246-1254")
    assert {p.reference_type for p in pubs} == {"RESULT"}


def test_unknown_status_keeps_last_known_as_registry_text():
    trial = parsed("NCT04207047")
    assert trial.status == "unknown"
    assert trial.registry_status == "UNKNOWN (last known: ACTIVE_NOT_RECRUITING)"
    assert trial.end == PartialDate(2020, 3, 31)
    assert trial.end_estimated is True
    assert [name for name, _ in trial.interventions] == [
        "Genius",
        "eC02",
        "PicoPlus",
        "LaseMD",
        "LaseMD Flex",
    ]


def test_observational_completed_with_results():
    trial = parsed("NCT05594173")
    assert trial.study_type == "OBSERVATIONAL"
    assert trial.phase == "na"
    assert trial.status == "results"
    assert trial.acronym == "NIH_HVX6"
    assert "soft & bite-sized" in trial.detailed_description
    assert trial.other_ids == []  # the NIH grant number is not one of our identifier kinds


def test_observational_not_yet_recruiting():
    trial = parsed("NCT06171568")
    assert trial.status == "opening_soon"
    assert trial.start_estimated and trial.end_estimated
    assert trial.collaborators == [
        "SBT Human(s) Matter",
        "Clinical Research Unit Saint Louis Lariboisière",
    ]
    assert trial.chief_investigators == [
        "Emmanuel Mandonnet, MD, PhD, Assistance Publique - Hôpitaux de Paris "
        "(Principal investigator)",
        "Alexis Schnitzler, MD, PhD, Assistance Publique - Hôpitaux de Paris (Study director)",
    ]
    # First central contact; its "phoneExt" is really the country code "+33", so it is dropped.
    assert trial.contact_name == "Camille Heslot, MD"
    assert trial.contact_email == "camille.heslot@aphp.fr"
    assert trial.contact_phone == "01.49.95.81.69"
    # The French IDRCB number 2023-A00386-39 looks a little like EudraCT but is not one.
    assert trial.other_ids == []
    # Citations in this fixture are truncated ("..."): kept raw, not half-parsed.
    assert len(trial.publications) == 8
    assert all(p.title == "" and p.year is None and p.pmid for p in trial.publications)
    assert trial.locations[0].recruiting is False  # opening soon: no site is recruiting yet


# --------------------------------------------------------------------------------------------
# Containers: single study, list, {"studies": [...]}


def test_single_study_file():
    items = list(load_file(DATA / "NCT02210780.json"))
    assert [(i, r["protocolSection"]["identificationModule"]["nctId"]) for i, r in items] == [
        (0, "NCT02210780")
    ]


def test_list_of_studies():
    records = [raw(n) for n in REAL_IDS]
    assert [parse_study(r, i).nct_id for i, r in enumerate(iter_records(records))] == REAL_IDS


def test_studies_page_object():
    page = {"studies": [raw(n) for n in REAL_IDS[:3]], "nextPageToken": "abc", "totalCount": 3}
    assert [parse_study(r).nct_id for r in iter_records(page)] == REAL_IDS[:3]


def test_single_study_object_via_iter_records():
    record = raw("NCT00973089")
    assert list(iter_records(record)) == [record]


def test_empty_list_and_empty_page():
    assert list(iter_records([])) == []
    assert list(iter_records({"studies": []})) == []


@pytest.mark.parametrize("data", ["text", 42, None, True, 1.5])
def test_iter_records_rejects_other_top_level_values(data):
    with pytest.raises(RecordError) as exc:
        iter_records(data)  # checked at once, before iterating
    assert "top level" in str(exc.value)


def test_iter_records_rejects_studies_that_is_not_a_list():
    with pytest.raises(RecordError) as exc:
        iter_records({"studies": {"protocolSection": {}}})
    assert exc.value.field == "studies"
    assert "expected a list" in str(exc.value)


def test_iter_records_rejects_non_object_items():
    items = iter_records([raw("NCT00973089"), "NCT02210780"])
    assert parse_study(next(items)).nct_id == "NCT00973089"  # the good one first
    with pytest.raises(RecordError) as exc:
        next(items)
    assert exc.value.record == "record 1"
    assert str(exc.value).startswith("record 1: expected a study object")
