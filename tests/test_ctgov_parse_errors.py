"""The ClinicalTrials.gov parser on bad input: each error names the record and the field.
Pure Python, no database."""

import pytest

from tests.ctgov_parsing import DM, IDM, PS, SM, del_path, error_for, minimal, real_with, set_path
from trials.registry.parse import parse_study

# --------------------------------------------------------------------------------------------
# Bad input: each error names the record and the field


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
