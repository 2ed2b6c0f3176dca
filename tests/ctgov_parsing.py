"""Reading the saved ClinicalTrials.gov records in tests/data/ctgov/ for the parser's tests
(test_ctgov_parse*.py, test_ctgov_files.py), and records changed to test bad input."""

import copy
import json
from pathlib import Path

import pytest

from trials.registry.files import load_file
from trials.registry.parse import parse_study
from trials.registry.records import PartialDate, RecordError

DATA = Path(__file__).parent / "data" / "ctgov"
REAL_IDS = sorted(path.stem for path in DATA.glob("NCT*.json"))


def raw(nct_id):
    return json.loads((DATA / f"{nct_id}.json").read_text(encoding="utf-8"))


def parsed(nct_id):
    [(index, record)] = list(load_file(DATA / f"{nct_id}.json"))
    return parse_study(record, index)


def D(text):
    return PartialDate.parse(text)


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
