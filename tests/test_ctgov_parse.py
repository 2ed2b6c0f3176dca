"""The ClinicalTrials.gov API v2 parser (trials/registry/parse.py and the modules it uses, and
trials/registry/files.py): pure Python, no database."""

import copy
import datetime
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from trials.registry import files
from trials.registry.citations import parse_citation
from trials.registry.files import iter_records, load_file
from trials.registry.numbers import classify_id
from trials.registry.parse import parse_study
from trials.registry.records import ParsedLocation, PartialDate, RecordError

DATA = Path(__file__).parent / "data" / "ctgov"
REAL_IDS = sorted(path.stem for path in DATA.glob("NCT*.json"))


def raw(nct_id):
    return json.loads((DATA / f"{nct_id}.json").read_text(encoding="utf-8"))


def parsed(nct_id):
    [(index, record)] = list(load_file(DATA / f"{nct_id}.json"))
    return parse_study(record, index)


def D(text):
    return PartialDate.parse(text)


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


# --------------------------------------------------------------------------------------------
# Hand-made edge cases (tests/data/ctgov/edge_*.json)


def test_edge_recruiting_trial_with_eu_and_uk_ids():
    [(index, record)] = list(load_file(DATA / "edge_recruiting_eu_ids.json"))
    trial = parse_study(record, index)
    assert trial.nct_id == "NCT99999901"  # stripped
    assert trial.brief_title == "Hand-made test record: a phase 1/2 trial recruiting in the UK"
    assert trial.other_ids == [
        ("EUDRACT", "2019-001234-56"),  # from the org study id, found once (deduplicated)
        ("EUCT", "2023-501234-12-00"),
        ("ISRCTN", "ISRCTN12345678"),
        ("IRAS", "287654"),  # bare digits, domain says IRAS
        ("IRAS", "301122"),  # the id itself says IRAS
    ]
    assert trial.status == "open"
    assert trial.registry_status == "RECRUITING"
    assert trial.phase == "1_2"  # order in the registry list does not matter
    assert trial.start == PartialDate(2021) and trial.start.precision == "year"
    assert trial.start.as_date() == datetime.date(2021, 1, 1)
    # no completionDateStruct: falls back to the primary completion date
    assert trial.end == PartialDate(2026, 6) and trial.end_estimated
    assert trial.last_updated == PartialDate(2024, 2, 29)
    assert trial.enrolment == 60 and not trial.enrolment_actual
    assert trial.collaborators == ["Charity A", "Drug Company B"]
    assert trial.chief_investigators == [
        "Dr A Example, Test University (Principal investigator)",
        "Prof B Sample (Study chair)",
    ]
    # first central contact that has anything in it
    assert trial.contact_name == "Trial Office"
    assert trial.contact_phone == "020 7946 0000 ext. 1234"
    assert trial.contact_email == "trials@example.org"
    assert trial.brief_summary == (
        "Tests drug X (a pill) for people with NETs & carcinoid syndrome.\n\n"
        "Uses a *new* scan; blood sugar <7 mmol/l."
    )
    assert trial.detailed_description == ""  # null
    assert trial.eligibility_criteria.startswith(
        "Inclusion Criteria:\n\n* Ki-67 < 20%\n* Age >= 18"
    )
    # titles are not markdown: left exactly as given (after stripping)
    assert trial.official_title == "A Test Study of Drug X in \\[Neuroendocrine\\] Tumours"
    assert trial.conditions == ["Neuroendocrine Tumors", "Carcinoid Syndrome"]
    assert trial.keywords == []
    assert trial.interventions == [("Drug X", ["TX-101", "Xylotab"])]
    assert [
        (loc.name, loc.town, loc.region, loc.status, loc.recruiting) for loc in trial.locations
    ] == [
        ("Royal Test Hospital", "London", "", "RECRUITING", True),
        ("Northern Test Infirmary", "Leeds", "West Yorkshire", "NOT_YET_RECRUITING", False),
        ("Welsh Test Hospital", "Cardiff", "", "SOME_FUTURE_SITE_STATUS", False),
        ("", "Glasgow", "", "", False),
    ]


def test_edge_citations():
    record = json.loads((DATA / "edge_recruiting_eu_ids.json").read_text())
    pubs = parse_study(record).publications
    assert len(pubs) == 4  # the blank citation without a PMID is dropped
    first, group, question, unstructured = pubs
    assert first.authors == "Example A, Sample B, et al."
    assert first.title == "Does drug X work? A randomised trial"
    assert first.journal == "Lancet Oncol"
    assert (first.year, first.volume, first.issue, first.pages) == (2020, "21", "1", "10-20")
    assert first.doi == "10.1016/S1470-2045(19)30000-1"
    assert first.url == "https://pubmed.ncbi.nlm.nih.gov/11111111/"
    assert first.reference_type == "RESULT"

    assert group.authors == "Neuroendocrine Tumour Study Group"
    assert group.title == "Guidelines for NETs"
    assert group.journal == "Neuroendocrinology"
    assert (group.year, group.volume, group.issue, group.pages) == (2016, "103", "2", "125-38")
    assert group.doi == "10.1159/000443170"
    assert group.pmid == ""
    assert group.url == "https://doi.org/10.1159/000443170"  # no PMID: the DOI link

    assert question.authors == "Smith J"
    assert question.title == "Is surgery always needed?"
    assert question.journal == "J Neuroendocr Surg"
    assert (question.year, question.volume, question.issue, question.pages) == (
        2018,
        "5",
        "",
        "e12",
    )
    assert question.url == ""

    assert unstructured.citation == "Unstructured note without the usual layout"
    assert (unstructured.authors, unstructured.title, unstructured.year) == ("", "", None)
    assert unstructured.pmid == "22222222"


def test_edge_studies_page():
    trials = [parse_study(r, i) for i, r in load_file(DATA / "edge_studies_page.json")]
    expanded, terminated, unknown = trials

    assert expanded.nct_id == "NCT99999903"
    assert (expanded.status, expanded.phase, expanded.study_type) == (
        "open",
        "na",
        "EXPANDED_ACCESS",
    )
    assert expanded.locations[0].recruiting is True  # site status AVAILABLE
    assert (expanded.start, expanded.end, expanded.enrolment) == (None, None, None)

    assert (terminated.status, terminated.phase) == ("stopped", "2_3")
    assert terminated.has_results is True  # results do not turn "stopped" into "results"
    assert terminated.why_stopped == "Sponsor decision – slow recruitment"
    assert terminated.end == PartialDate(2018, 2)  # completionDate preferred over primary
    # a stale site status on a trial that is no longer open is not "recruiting"
    assert terminated.locations[0].status == "RECRUITING"
    assert terminated.locations[0].recruiting is False

    assert unknown.status == "unknown"  # never show a stale record as open
    assert unknown.registry_status == "UNKNOWN"
    assert unknown.has_results is False  # no hasResults key at all


def test_edge_list():
    trials = [parse_study(r, i) for i, r in load_file(DATA / "edge_list.json")]
    assert [(t.nct_id, t.status, t.phase) for t in trials] == [
        ("NCT99999906", "suspended", "early1"),
        ("NCT99999907", "open", "4"),
    ]
    assert trials[0].why_stopped == "Safety review"


# --------------------------------------------------------------------------------------------
# Mappings


@pytest.mark.parametrize(
    ("overall", "has_results", "expected"),
    [
        ("NOT_YET_RECRUITING", False, "opening_soon"),
        ("RECRUITING", False, "open"),
        ("ENROLLING_BY_INVITATION", False, "open"),
        ("ACTIVE_NOT_RECRUITING", False, "closed"),
        ("ACTIVE_NOT_RECRUITING", True, "closed"),
        ("COMPLETED", False, "closed"),
        ("COMPLETED", True, "results"),
        ("SUSPENDED", False, "suspended"),
        ("TEMPORARILY_NOT_AVAILABLE", False, "suspended"),
        ("TERMINATED", False, "stopped"),
        ("TERMINATED", True, "stopped"),
        ("WITHDRAWN", False, "withdrawn"),
        ("AVAILABLE", False, "open"),
        ("NO_LONGER_AVAILABLE", False, "closed"),
        ("APPROVED_FOR_MARKETING", False, "closed"),
    ],
)
def test_status_mapping(overall, has_results, expected):
    record = minimal(overallStatus=overall)
    record["hasResults"] = has_results
    trial = parse_study(record)
    assert (trial.status, trial.registry_status) == (expected, overall)


@pytest.mark.parametrize(
    ("last_known", "has_results"),
    [
        ("RECRUITING", False),
        ("NOT_YET_RECRUITING", False),
        ("ACTIVE_NOT_RECRUITING", False),
        ("COMPLETED", True),
        ("ENROLLING_BY_INVITATION", False),
    ],
)
def test_unknown_status_mapping(last_known, has_results):
    record = minimal(overallStatus="UNKNOWN", lastKnownStatus=last_known)
    record["hasResults"] = has_results
    trial = parse_study(record)
    assert trial.status == "unknown"
    assert trial.registry_status == f"UNKNOWN (last known: {last_known})"


@pytest.mark.parametrize(
    ("phases", "expected"),
    [
        (None, "na"),
        ([], "na"),
        (["NA"], "na"),
        (["EARLY_PHASE1"], "early1"),
        (["PHASE1"], "1"),
        (["PHASE2"], "2"),
        (["PHASE3"], "3"),
        (["PHASE4"], "4"),
        (["PHASE1", "PHASE2"], "1_2"),
        (["PHASE2", "PHASE1"], "1_2"),
        (["PHASE2", "PHASE3"], "2_3"),
    ],
)
def test_phase_mapping(phases, expected):
    record = minimal()
    if phases is not None:
        record["protocolSection"]["designModule"] = {"phases": phases}
    assert parse_study(record).phase == expected


@pytest.mark.parametrize(
    ("value", "label", "expected"),
    [
        ("2004-000123-45", "", ("EUDRACT", "2004-000123-45")),
        ("EudraCT No: 2004-000123-45", "OTHER", ("EUDRACT", "2004-000123-45")),
        ("2023-501234-12-00", "CTIS", ("EUCT", "2023-501234-12-00")),
        ("ISRCTN12345678", "", ("ISRCTN", "ISRCTN12345678")),
        ("isrctn 12345678", "REGISTRY", ("ISRCTN", "ISRCTN12345678")),
        ("287654", "OTHER IRAS", ("IRAS", "287654")),
        ("287654", "OTHER Integrated Research Application System", ("IRAS", "287654")),
        ("IRAS 287654", "OTHER", ("IRAS", "287654")),
        ("287654", "OTHER", None),  # bare digits, nothing says IRAS
        ("287654", "OTHER PIRASTAR", None),  # "IRAS" inside another word does not count
        ("IRAS pending", "OTHER IRAS", None),
        ("2004-00123-45", "", None),  # 5 digits in the middle
        ("2004-0001234-45", "", None),
        ("ISRCTN1234567", "", None),
        ("2023-A00386-39", "OTHER IDRCB", None),
        ("NCT01234567", "REGISTRY", None),
        ("P60DK020579", "NIH", None),
    ],
)
def test_identifier_patterns(value, label, expected):
    assert classify_id(value, label) == expected


# --------------------------------------------------------------------------------------------
# PartialDate


@pytest.mark.parametrize(
    ("text", "expected", "precision", "as_date"),
    [
        ("2016", PartialDate(2016, None, None), "year", datetime.date(2016, 1, 1)),
        ("2016-03", PartialDate(2016, 3, None), "month", datetime.date(2016, 3, 1)),
        ("2016-03-15", PartialDate(2016, 3, 15), "day", datetime.date(2016, 3, 15)),
        (" 2016-03-15 ", PartialDate(2016, 3, 15), "day", datetime.date(2016, 3, 15)),
        ("2024-02-29", PartialDate(2024, 2, 29), "day", datetime.date(2024, 2, 29)),
    ],
)
def test_partial_date_parse(text, expected, precision, as_date):
    date = PartialDate.parse(text)
    assert date == expected
    assert date.precision == precision
    assert date.as_date() == as_date


@pytest.mark.parametrize(
    "text",
    [
        "",
        "16",
        "2016-3",
        "2016-13",
        "2016-00",
        "2016-02-30",
        "2023-02-29",
        "2016/03/15",
        "March 2016",
        "2016-03-15T00:00",
        "20160315",
        "2016-03-15-01",
        "٢٠١٦",  # non-ASCII digits must not sneak through
        None,
        2016,
    ],
)
def test_partial_date_rejects(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_partial_date_is_frozen_and_ordered_fields():
    date = PartialDate(2016, 3)
    with pytest.raises(AttributeError):
        date.year = 2017
    assert (date.year, date.month, date.day) == (2016, 3, None)
    with pytest.raises(ValueError):
        PartialDate(2016, None, 4)


# --------------------------------------------------------------------------------------------
# Bad input: each error names the record and the field


def minimal(**status):
    """The smallest record parse_study accepts."""
    return {
        "protocolSection": {
            "identificationModule": {"nctId": "NCT99999999", "briefTitle": "Minimal"},
            "statusModule": {"overallStatus": "RECRUITING", **status},
        }
    }


def real_with(nct_id, change):
    record = copy.deepcopy(raw(nct_id))
    change(record)
    return record


def error_for(record, index=3):
    with pytest.raises(RecordError) as exc:
        parse_study(record, index)
    return exc.value


def set_path(path, value):
    def change(record):
        obj = record
        *parents, last = path.split(".")
        for key in parents:
            obj = obj[key]
        obj[last] = value

    return change


def del_path(path):
    def change(record):
        obj = record
        *parents, last = path.split(".")
        for key in parents:
            obj = obj[key]
        del obj[last]

    return change


PS = "protocolSection"
IDM = f"{PS}.identificationModule"
SM = f"{PS}.statusModule"
DM = f"{PS}.designModule"


@pytest.mark.parametrize(
    ("change", "record_label", "field", "words"),
    [
        (del_path(PS), "record 3", PS, "missing"),
        (set_path(PS, None), "record 3", PS, "missing"),
        (set_path(PS, []), "record 3", PS, "expected an object"),
        (del_path(f"{IDM}.nctId"), "record 3", f"{IDM}.nctId", "missing"),
        (set_path(f"{IDM}.nctId", ""), "record 3", f"{IDM}.nctId", "empty"),
        (set_path(f"{IDM}.nctId", 973089), "record 3", f"{IDM}.nctId", "expected a string"),
        (set_path(f"{IDM}.nctId", "NCT0097308"), "record 3", f"{IDM}.nctId", "'NCT0097308'"),
        (set_path(f"{IDM}.nctId", "NCT009730899"), "record 3", f"{IDM}.nctId", "invalid NCT"),
        (set_path(f"{IDM}.nctId", "nct00973089"), "record 3", f"{IDM}.nctId", "invalid NCT"),
        (set_path(f"{IDM}.nctId", "ISRCTN12345678"), "record 3", f"{IDM}.nctId", "invalid NCT"),
        (del_path(f"{IDM}.briefTitle"), "record 3 (NCT00973089)", f"{IDM}.briefTitle", "missing"),
        (
            set_path(f"{SM}.overallStatus", "FOO"),
            "record 3 (NCT00973089)",
            f"{SM}.overallStatus",
            "unknown value 'FOO'",
        ),
        (
            set_path(f"{SM}.overallStatus", "recruiting"),
            "record 3 (NCT00973089)",
            f"{SM}.overallStatus",
            "unknown value 'recruiting'",
        ),
        (
            del_path(f"{SM}.overallStatus"),
            "record 3 (NCT00973089)",
            f"{SM}.overallStatus",
            "missing",
        ),
        (
            set_path(f"{DM}.phases", ["PHASE5"]),
            "record 3 (NCT00973089)",
            f"{DM}.phases",
            "unknown value 'PHASE5'",
        ),
        (
            set_path(f"{DM}.phases", ["PHASE1", "PHASE3"]),
            "record 3 (NCT00973089)",
            f"{DM}.phases",
            "unknown value",
        ),
        (
            set_path(f"{DM}.phases", "PHASE2"),
            "record 3 (NCT00973089)",
            f"{DM}.phases",
            "expected a list",
        ),
        (
            set_path(f"{DM}.phases", [2]),
            "record 3 (NCT00973089)",
            f"{DM}.phases[0]",
            "expected a string",
        ),
        (
            set_path(f"{DM}.enrollmentInfo.count", "0"),
            "record 3 (NCT00973089)",
            f"{DM}.enrollmentInfo.count",
            "expected a whole number, got a string",
        ),
        (
            set_path(f"{DM}.enrollmentInfo.count", [0]),
            "record 3 (NCT00973089)",
            f"{DM}.enrollmentInfo.count",
            "expected a whole number, got a list",
        ),
        (
            set_path(f"{DM}.enrollmentInfo.count", 12.5),
            "record 3 (NCT00973089)",
            f"{DM}.enrollmentInfo.count",
            "expected a whole number",
        ),
        (
            set_path(f"{DM}.enrollmentInfo.count", True),
            "record 3 (NCT00973089)",
            f"{DM}.enrollmentInfo.count",
            "expected a whole number",
        ),
        (
            set_path(f"{DM}.enrollmentInfo.count", -1),
            "record 3 (NCT00973089)",
            f"{DM}.enrollmentInfo.count",
            "negative",
        ),
        (
            set_path(f"{SM}.startDateStruct.date", "2010-13"),
            "record 3 (NCT00973089)",
            f"{SM}.startDateStruct.date",
            "'2010-13'",
        ),
        (
            set_path(f"{SM}.completionDateStruct.date", "March 2015"),
            "record 3 (NCT00973089)",
            f"{SM}.completionDateStruct.date",
            "not a date",
        ),
        (
            set_path(f"{SM}.lastUpdatePostDateStruct", "2015-08-19"),
            "record 3 (NCT00973089)",
            f"{SM}.lastUpdatePostDateStruct",
            "expected an object",
        ),
        (
            set_path(f"{SM}.startDateStruct.date", 2010),
            "record 3 (NCT00973089)",
            f"{SM}.startDateStruct.date",
            "expected a string",
        ),
        (
            set_path(f"{PS}.conditionsModule.conditions", "Caries"),
            "record 3 (NCT00973089)",
            f"{PS}.conditionsModule.conditions",
            "expected a list",
        ),
        (
            set_path(f"{PS}.contactsLocationsModule.locations", [{"city": ["Jerusalem"]}]),
            "record 3 (NCT00973089)",
            f"{PS}.contactsLocationsModule.locations[0].city",
            "expected a string",
        ),
        (
            set_path(f"{PS}.contactsLocationsModule.locations", ["Jerusalem"]),
            "record 3 (NCT00973089)",
            f"{PS}.contactsLocationsModule.locations[0]",
            "expected an object",
        ),
        (
            set_path(f"{PS}.referencesModule.references", [{"pmid": 18519994}]),
            "record 3 (NCT00973089)",
            f"{PS}.referencesModule.references[0].pmid",
            "expected a string",
        ),
        (
            set_path("hasResults", "false"),
            "record 3 (NCT00973089)",
            "hasResults",
            "expected true or false",
        ),
        (
            set_path(f"{IDM}.briefTitle", {"text": "x"}),
            "record 3 (NCT00973089)",
            f"{IDM}.briefTitle",
            "expected a string",
        ),
    ],
)
def test_bad_records(change, record_label, field, words):
    err = error_for(real_with("NCT00973089", change))
    assert isinstance(err, ValueError)
    assert err.record == record_label
    assert err.field == field
    message = str(err)
    assert message.startswith(f"{record_label}: {field}: ")
    assert words in message


def test_error_message_format_from_the_brief():
    record = real_with("NCT00973089", set_path(f"{SM}.overallStatus", "FOO"))
    assert str(error_for(record)) == (
        "record 3 (NCT00973089): protocolSection.statusModule.overallStatus: unknown value 'FOO'"
    )


def test_bad_last_known_status():
    err = error_for(minimal(overallStatus="UNKNOWN", lastKnownStatus="BAR"), index=0)
    assert str(err) == (
        "record 0 (NCT99999999): protocolSection.statusModule.lastKnownStatus: unknown value 'BAR'"
    )


def test_parse_study_rejects_non_object():
    err = error_for(["not", "a", "study"], index=5)
    assert err.record == "record 5"
    assert "expected a study object" in str(err)


def test_unknown_keys_and_nulls_are_tolerated():
    record = minimal()
    record["brandNewSection"] = {"x": [1, {"y": None}]}
    record["protocolSection"]["brandNewModule"] = [1, 2]
    record["protocolSection"]["designModule"] = {
        "phases": None,
        "enrollmentInfo": {"count": None, "type": "ESTIMATED", "newKey": 1},
    }
    record["protocolSection"]["contactsLocationsModule"] = {
        "locations": [None, {"facility": "Site", "futureKey": {"a": 1}}],
        "centralContacts": None,
    }
    trial = parse_study(record)
    assert trial.phase == "na"
    assert trial.enrolment is None and trial.enrolment_actual is False
    assert [loc.name for loc in trial.locations] == ["Site"]


# --------------------------------------------------------------------------------------------
# Files


def test_load_file_malformed_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "protocolSection": {\n    "identificationModule": {,\n  }\n}\n')
    with pytest.raises(RecordError) as exc:
        load_file(path)
    message = str(exc.value)
    assert str(path) in message
    assert "malformed JSON at line 3 column 30" in message
    assert exc.value.record == str(path)


def test_load_file_truncated_json(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text((DATA / "NCT00973089.json").read_text()[:500])
    with pytest.raises(RecordError, match=r"malformed JSON at line \d+ column \d+"):
        load_file(path)


@pytest.mark.parametrize("content", ["", "   \n"])
def test_load_file_empty(tmp_path, content):
    path = tmp_path / "empty.json"
    path.write_text(content)
    with pytest.raises(RecordError, match=r"malformed JSON at line \d+ column 1"):
        load_file(path)


def test_load_file_rejects_nan(tmp_path):
    path = tmp_path / "nan.json"
    path.write_text('{"studies": [{"hasResults": NaN}]}')
    with pytest.raises(RecordError, match="NaN is not allowed"):
        load_file(path)


def test_load_file_rejects_bad_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"briefTitle": "Lariboisière"}'.encode("latin-1"))
    with pytest.raises(RecordError, match="not UTF-8"):
        load_file(path)


def test_load_file_accepts_utf8_bom(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + (DATA / "NCT06171568.json").read_bytes())
    [(_, record)] = list(load_file(path))
    assert parse_study(record).sponsor == "Assistance Publique - Hôpitaux de Paris"


def test_load_file_deep_nesting(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(RecordError, match="nested too deeply"):
        load_file(path)


def test_load_file_missing_file(tmp_path):
    with pytest.raises(RecordError, match="cannot read file"):
        load_file(tmp_path / "nope.json")


def test_load_file_top_level_not_studies(tmp_path):
    path = tmp_path / "number.json"
    path.write_text("42")
    with pytest.raises(RecordError, match="top level"):
        load_file(path)


def test_load_file_oversized_is_not_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.json"
    with path.open("wb") as fh:
        fh.truncate(5 * 1024 * 1024)  # sparse: takes no disk space
    opened = []
    monkeypatch.setattr(files, "open", lambda *a, **k: opened.append(a), raising=False)
    with pytest.raises(RecordError) as exc:
        load_file(path, max_bytes=1024)
    assert str(exc.value).startswith("file too large")
    assert str(path) in str(exc.value)
    assert "5,242,880 bytes" in str(exc.value)
    assert exc.value.record == str(path)
    assert opened == []  # refused on its size alone


def test_load_file_default_limit_is_20_mib(tmp_path):
    path = tmp_path / "big.json"
    with path.open("wb") as fh:
        fh.truncate(20 * 1024 * 1024 + 1)
    with pytest.raises(RecordError, match="file too large"):
        load_file(path)
    exactly = tmp_path / "exactly.json"
    exactly.write_text("[]" + " " * (1024 - 2))
    assert list(load_file(exactly, max_bytes=1024)) == []


def test_load_file_growing_file_is_cut_off(tmp_path, monkeypatch):
    """A file that is bigger when read than when measured is still refused."""
    path = tmp_path / "grows.json"
    path.write_text("[]")

    class SmallStat:
        st_size = 2

    fake_os = types.SimpleNamespace(fspath=os.fspath, stat=lambda p: SmallStat)
    monkeypatch.setattr(files, "os", fake_os)
    path.write_text("[" + " " * 5000 + "]")
    with pytest.raises(RecordError, match="file too large"):
        load_file(path, max_bytes=100)


def test_load_file_records_then_parse_errors_name_the_index(tmp_path):
    good = raw("NCT00973089")
    bad = real_with("NCT03418623", set_path(f"{DM}.enrollmentInfo.count", "24"))
    path = tmp_path / "page.json"
    path.write_text(json.dumps({"studies": [good, bad]}))
    items = list(load_file(path))
    assert parse_study(items[0][1], items[0][0]).nct_id == "NCT00973089"
    with pytest.raises(RecordError) as exc:
        parse_study(items[1][1], items[1][0])
    assert str(exc.value).startswith(
        "record 1 (NCT03418623): protocolSection.designModule.enrollmentInfo.count: "
    )


def test_load_file_accepts_str_path():
    [(_, record)] = list(load_file(str(DATA / "NCT03475563.json")))
    assert record["protocolSection"]["identificationModule"]["nctId"] == "NCT03475563"


def test_no_database_needed():
    """The parser must stay importable and usable without Django."""
    code = (
        "import sys; from trials.registry import files, parse; "
        "assert parse.parse_study(files.iter_records([{'protocolSection': {"
        "'identificationModule': {'nctId': 'NCT12345678', 'briefTitle': 'T'}, "
        "'statusModule': {'overallStatus': 'COMPLETED'}}}]).__next__()).status == 'closed'; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("citation", "expected"),
    [
        (
            "Yao JC, Shah MH, Ito T, et al; RAD001 in Advanced Neuroendocrine Tumors, Third Trial "
            "(RADIANT-3) Study Group. Everolimus for advanced pancreatic neuroendocrine tumors. "
            "N Engl J Med. 2011 Feb 10;364(6):514-23. doi: 10.1056/NEJMoa1009290.",
            (
                "Everolimus for advanced pancreatic neuroendocrine tumors",
                "N Engl J Med",
                2011,
                "364",
                "6",
                "514-23",
                "10.1056/NEJMoa1009290",
            ),
        ),
        (
            "Caplin ME, Pavel M, Ćwikła JB, et al. Lanreotide in metastatic enteropancreatic "
            "neuroendocrine tumors. N Engl J Med. 2014 Jul 17;371(3):224-33. "
            "doi: 10.1056/NEJMoa1316158. Erratum In: N Engl J Med. 2014 Oct 16;371(16):1556.",
            (
                "Lanreotide in metastatic enteropancreatic neuroendocrine tumors",
                "N Engl J Med",
                2014,
                "371",
                "3",
                "224-33",
                "10.1056/NEJMoa1316158",
            ),
        ),
        (
            "Smith J. Results in 2015. Data from a registry. Clin Cancer Res. 2016 Jun-Jul;"
            "22(3 Pt 2):e1",
            (
                "Results in 2015. Data from a registry",
                "Clin Cancer Res",
                2016,
                "22",
                "3 Pt 2",
                "e1",
                "",
            ),
        ),
    ],
)
def test_citation_parsing(citation, expected):
    pub = parse_citation(citation, pmid="", reference_type="")
    assert (pub.title, pub.journal, pub.year, pub.volume, pub.issue, pub.pages, pub.doi) == expected
    assert pub.citation == citation
