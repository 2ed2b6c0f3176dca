"""The ClinicalTrials.gov parser on our hand-made edge cases, its mappings (status, phase,
registry numbers), partial dates and citations. Pure Python, no database."""

import datetime
import json

import pytest

from tests.ctgov_parsing import DATA, minimal
from trials.registry.citations import parse_citation
from trials.registry.files import load_file
from trials.registry.numbers import classify_id
from trials.registry.parse import parse_study
from trials.registry.records import PartialDate

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
