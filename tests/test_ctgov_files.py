"""Reading ClinicalTrials.gov files (trials/registry/files.py): bad JSON, sizes, encodings
and nesting, each refused with a clear error; and the parser needs no Django."""

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from tests.ctgov_parsing import DATA, DM, raw, real_with, set_path
from trials.registry import files
from trials.registry.files import load_file
from trials.registry.parse import parse_study
from trials.registry.records import RecordError

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
