"""Running the ClinicalTrials.gov import for its tests (test_ctgov_import*.py): the command
as staff run it, files written, and small records of our own."""

import json

from django.core.management import CommandError, call_command

from trials.models import Trial


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
