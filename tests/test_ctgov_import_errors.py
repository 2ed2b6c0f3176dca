"""The ClinicalTrials.gov import on bad input: each bad file or record is named and the rest
of the batch lands, or with --atomic nothing does; a record that fails while saving leaves
nothing half written; and the size limit."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from tests.ctgov_importing import minimal, run, write
from tests.ctgov_parsing import DATA
from trials.models import Identifier, Location, Trial

pytestmark = pytest.mark.django_db


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
