"""Saved ClinicalTrials.gov API pages for the sync's tests: the real records in
tests/data/ctgov/ (copies of ../shared/data/ctgov/) and small edge cases of our own, laid out
as the API pages them ({"studies": [...], "nextPageToken": ...})."""

import copy
import json
from pathlib import Path

DATA = Path(__file__).parent / "data" / "ctgov"

REAL = [
    "NCT00763412",
    "NCT00973089",
    "NCT02210780",
    "NCT03418623",
    "NCT03475563",
    "NCT04207047",
    "NCT05594173",
    "NCT06171568",
]


def real(nct_id):
    return json.loads((DATA / f"{nct_id}.json").read_text())


def edge_cases():
    """Our own small records: a recruiting study with EU numbers, one enrolling by invitation,
    one suspended (edge_list.json), and the three of edge_studies_page.json."""
    studies = [json.loads((DATA / "edge_recruiting_eu_ids.json").read_text())]
    studies += json.loads((DATA / "edge_list.json").read_text())
    studies += json.loads((DATA / "edge_studies_page.json").read_text())["studies"]
    return studies


def malformed():
    """A study the importer must refuse: its status is not one the registry uses."""
    study = copy.deepcopy(real("NCT03418623"))
    ident = study["protocolSection"]["identificationModule"]
    ident["nctId"] = "NCT99999990"
    ident.pop("acronym", None)
    ident["orgStudyIdInfo"] = {"id": "MALFORMED-1"}
    ident.pop("secondaryIdInfos", None)
    study["protocolSection"]["statusModule"]["overallStatus"] = "HALF_OPEN"
    return study


def pages(extra_last=()):
    """Three API pages: four real records, then four real records and the edge cases, then
    whatever a test adds (the last page has no nextPageToken)."""
    records = [real(nct_id) for nct_id in REAL]
    return [
        {"studies": records[:4], "nextPageToken": "token-2", "totalCount": 14 + len(extra_last)},
        {"studies": records[4:] + edge_cases()[:3], "nextPageToken": "token-3"},
        {"studies": edge_cases()[3:] + list(extra_last)},
    ]


def write_pages(folder, page_list=None):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(page_list or pages(), start=1):
        (folder / f"page-{number:03d}.json").write_text(json.dumps(page))
    return folder
