"""Parse ClinicalTrials.gov API v2 study records into plain Python data.

This module is pure: no database, no network, no Django. The importer reads a file with
:func:`load_file`, turns each study into a :class:`ParsedTrial` with :func:`parse_study`, and
writes what it needs to the database.

Anything unexpected in a record that we rely on (a missing ``protocolSection``, an invalid NCT
number, an unknown status or phase, a value of the wrong type, a date that is not a date) raises
:class:`RecordError`, whose message names the record and the field path. Keys we do not know are
ignored, so newer registry records still import.

Choices worth knowing:

* Record indexes are 0-based, as handed out by :func:`load_file` / ``enumerate``.
* ``UNKNOWN`` studies (the registry has not heard from the sponsor for two years) get our
  "unknown" status, never their ``lastKnownStatus``: a trial last known to be recruiting in 2019
  must not be shown as open to new patients. The last known status is kept in
  ``registry_status`` ("UNKNOWN (last known: RECRUITING)") and is still checked.
* A location is ``recruiting`` only when its own registry status is RECRUITING (or AVAILABLE for
  expanded access) *and* the trial as a whole is open; completed trials often keep stale
  "RECRUITING" site statuses.
* Citations are split into authors / title / journal / year / volume / issue / pages only when
  they follow the usual NLM layout (``Authors. Title. Journal. 2015 May;31(5):671-8.``);
  otherwise only the raw citation, PMID and DOI are filled.
* Markdown backslash escapes (``\\[``, ``\\<``, ``\\&``) are removed from the brief summary,
  detailed description and eligibility criteria only; titles are plain text in the registry.
* A central contact's ``phoneExt`` that starts with "+" is a country code put in the wrong
  field (seen in real records); it is dropped rather than glued onto a national number.
* Beyond the agreed API, ParsedTrial has ``start_estimated`` / ``end_estimated`` and
  ParsedPublication has ``reference_type`` (BACKGROUND / RESULT / DERIVED).
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "PartialDate",
    "ParsedLocation",
    "ParsedPublication",
    "ParsedTrial",
    "RecordError",
    "decode_json",
    "iter_records",
    "load_file",
    "read_json_file",
    "split_records",
    "parse_study",
    "STATUS_MAP",
    "PHASE_MAP",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class RecordError(ValueError):
    """A study record (or the file holding it) cannot be used.

    ``record`` names the record ("record 3 (NCT00973089)") or the file; ``field`` is the JSON path
    of the offending value ("protocolSection.statusModule.overallStatus"), or "" when the problem
    is the file or the record as a whole.
    """

    def __init__(self, message: str, *, record: str = "", field: str = ""):
        super().__init__(message)
        self.record = record
        self.field = field

    @classmethod
    def at(cls, record: str, field: str, problem: str) -> RecordError:
        parts = [p for p in (record, field) if p]
        return cls(": ".join([*parts, problem]), record=record, field=field)


# --------------------------------------------------------------------------------------------
# Dates

_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


@dataclass(frozen=True)
class PartialDate:
    """A registry date given to the year, month or day ("2016", "2016-03", "2016-03-15")."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self):
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        # Let datetime check ranges (month 1-12, day within the month, leap years).
        datetime.date(
            self.year,
            1 if self.month is None else self.month,
            1 if self.day is None else self.day,
        )

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def as_date(self) -> datetime.date:
        """The first day the date could mean (missing month/day count as 1)."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        if not isinstance(text, str):
            raise ValueError(f"expected a date string, got {type(text).__name__}")
        m = _DATE_RE.fullmatch(text.strip())
        if not m:
            raise ValueError(f"not a date (expected YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
        year, month, day = (int(g) if g else None for g in m.groups())
        try:
            return cls(year, month, day)
        except ValueError as exc:
            raise ValueError(f"not a valid date: {text!r} ({exc})") from None

    def __str__(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


# --------------------------------------------------------------------------------------------
# Parsed data


@dataclass
class ParsedLocation:
    name: str = ""  # facility; "" when the registry gives only a town (common for industry trials)
    town: str = ""
    region: str = ""  # state / province / county as given
    country: str = ""
    status: str = ""  # the site's registry status, e.g. "RECRUITING", or ""
    recruiting: bool = False
    latitude: float | None = None  # from geoPoint; None when missing or not a valid position
    longitude: float | None = None


@dataclass
class ParsedPublication:
    authors: str = ""
    title: str = ""
    journal: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""  # PubMed page when there is a PMID, else the DOI link, else ""
    citation: str = ""  # the raw citation string
    reference_type: str = ""  # registry's type: BACKGROUND, RESULT or DERIVED (extra field)


@dataclass
class ParsedTrial:
    nct_id: str
    other_ids: list[tuple[str, str]] = field(default_factory=list)
    brief_title: str = ""
    official_title: str = ""
    acronym: str = ""
    status: str = ""
    registry_status: str = ""
    why_stopped: str = ""
    phase: str = "na"
    start: PartialDate | None = None
    end: PartialDate | None = None
    enrolment: int | None = None
    enrolment_actual: bool = False
    sponsor: str = ""
    collaborators: list[str] = field(default_factory=list)
    chief_investigators: list[str] = field(default_factory=list)
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    brief_summary: str = ""
    detailed_description: str = ""
    eligibility_criteria: str = ""
    conditions: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    interventions: list[tuple[str, list[str]]] = field(default_factory=list)
    locations: list[ParsedLocation] = field(default_factory=list)
    publications: list[ParsedPublication] = field(default_factory=list)
    last_updated: PartialDate | None = None
    study_type: str = ""
    has_results: bool = False
    # Extra: whether the start / end dates are the registry's estimates (type ESTIMATED).
    start_estimated: bool = False
    end_estimated: bool = False


# --------------------------------------------------------------------------------------------
# Code tables

#: Registry overallStatus -> our status code. COMPLETED becomes "results" when hasResults.
STATUS_MAP: dict[str, str] = {
    "NOT_YET_RECRUITING": "opening_soon",
    "RECRUITING": "open",
    "ENROLLING_BY_INVITATION": "open",
    "ACTIVE_NOT_RECRUITING": "closed",
    "COMPLETED": "closed",
    "SUSPENDED": "suspended",
    "TEMPORARILY_NOT_AVAILABLE": "suspended",
    "TERMINATED": "stopped",
    "WITHDRAWN": "withdrawn",
    # expanded access
    "AVAILABLE": "open",
    "NO_LONGER_AVAILABLE": "closed",
    "APPROVED_FOR_MARKETING": "closed",
    # the registry has not heard from the sponsor; lastKnownStatus is kept only as registry text
    "UNKNOWN": "unknown",
}

#: Registry phases (as a sorted tuple) -> our phase code.
PHASE_MAP: dict[tuple[str, ...], str] = {
    (): "na",
    ("NA",): "na",
    ("EARLY_PHASE1",): "early1",
    ("PHASE1",): "1",
    ("PHASE2",): "2",
    ("PHASE3",): "3",
    ("PHASE4",): "4",
    ("PHASE1", "PHASE2"): "1_2",
    ("PHASE2", "PHASE3"): "2_3",
}

_OFFICIAL_ROLES = {
    "PRINCIPAL_INVESTIGATOR": "Principal investigator",
    "STUDY_CHAIR": "Study chair",
    "STUDY_DIRECTOR": "Study director",
    "SUB_INVESTIGATOR": "Sub-investigator",
}

_RECRUITING_SITE_STATUSES = {"RECRUITING", "AVAILABLE"}

NCT_RE = re.compile(r"NCT\d{8}", re.ASCII)
_EUCT_RE = re.compile(r"(?<![\d-])(\d{4}-\d{6}-\d{2}-\d{2})(?![\d-])", re.ASCII)
_EUDRACT_RE = re.compile(r"(?<![\d-])(\d{4}-\d{6}-\d{2})(?![\d-])", re.ASCII)
_ISRCTN_RE = re.compile(r"(?<![A-Za-z])ISRCTN\s*(\d{8})(?!\d)", re.IGNORECASE | re.ASCII)
_IRAS_LABEL_RE = re.compile(r"\bIRAS\b|integrated research application system", re.IGNORECASE)
_IRAS_ID_RE = re.compile(
    r"(?:IRAS\s*(?:ID|number|no\.?)?\s*[:#]?\s*)?(\d{3,8})", re.IGNORECASE | re.ASCII
)

# CommonMark lets any ASCII punctuation be backslash-escaped; the registry escapes [ ] < > & etc.
_MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _geo_point(point) -> dict:
    """A location's ``geoPoint`` as latitude and longitude, or nothing when either is missing
    or not a position on Earth (a bad position loses the map, not the record)."""
    if not isinstance(point, dict):
        return {}
    lat, lon = point.get("lat"), point.get("lon")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
        return {}
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return {}
    return {"latitude": float(lat), "longitude": float(lon)}


def unescape_markdown(text: str) -> str:
    """Remove markdown backslash escapes: ``\\[ref\\]`` -> ``[ref]``, ``\\<126`` -> ``<126``."""
    return _MD_ESCAPE_RE.sub(r"\1", text)


# --------------------------------------------------------------------------------------------
# Typed access with error paths

_MISSING = object()


class _Reader:
    """Reads values out of a record, raising RecordError with the record name and JSON path."""

    def __init__(self, index: int):
        self.index = index
        self.nct_id = ""

    @property
    def label(self) -> str:
        if self.nct_id:
            return f"record {self.index} ({self.nct_id})"
        return f"record {self.index}"

    def error(self, path: str, problem: str) -> RecordError:
        return RecordError.at(self.label, path, problem)

    def _raw(self, obj: dict, key: str, path: str, required: bool) -> Any:
        value = obj.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise self.error(path, "missing")
            return _MISSING
        return value

    def dict(self, obj: dict, key: str, path: str, *, required: bool = False) -> dict:
        value = self._raw(obj, key, path, required)
        if value is _MISSING:
            return {}
        if not isinstance(value, dict):
            raise self.error(path, f"expected an object, got {_type_name(value)}")
        return value

    def list(self, obj: dict, key: str, path: str) -> list:
        value = self._raw(obj, key, path, False)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            raise self.error(path, f"expected a list, got {_type_name(value)}")
        return value

    def dicts(self, obj: dict, key: str, path: str) -> Iterator[tuple[str, dict]]:
        """Each item of a list of objects, with its path; null items are skipped."""
        for i, item in enumerate(self.list(obj, key, path)):
            if item is None:
                continue
            if not isinstance(item, dict):
                raise self.error(f"{path}[{i}]", f"expected an object, got {_type_name(item)}")
            yield f"{path}[{i}]", item

    def str(self, obj: dict, key: str, path: str, *, required: bool = False) -> str:
        value = self._raw(obj, key, path, required)
        if value is _MISSING:
            return ""
        if not isinstance(value, str):
            raise self.error(path, f"expected a string, got {_type_name(value)}")
        value = value.strip()
        if required and not value:
            raise self.error(path, "empty")
        return value

    def strs(self, obj: dict, key: str, path: str) -> list[str]:
        out = []
        for i, item in enumerate(self.list(obj, key, path)):
            if item is None:
                continue
            if not isinstance(item, str):
                raise self.error(f"{path}[{i}]", f"expected a string, got {_type_name(item)}")
            if item.strip():
                out.append(item.strip())
        return out

    def bool(self, obj: dict, key: str, path: str) -> bool | None:
        value = self._raw(obj, key, path, False)
        if value is _MISSING:
            return None
        if not isinstance(value, bool):
            raise self.error(path, f"expected true or false, got {_type_name(value)}")
        return value

    def int(self, obj: dict, key: str, path: str) -> int | None:
        value = self._raw(obj, key, path, False)
        if value is _MISSING:
            return None
        # bool is a subclass of int; a count of `true` is a mistake, not 1.
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(path, f"expected a whole number, got {_type_name(value)}")
        if value < 0:
            raise self.error(path, f"must not be negative, got {value}")
        return value

    def date(self, obj: dict, key: str, path: str) -> tuple[PartialDate | None, str]:
        """A ``...DateStruct`` object: returns (date, type) where type is ACTUAL/ESTIMATED/""."""
        struct = self.dict(obj, key, path)
        if not struct:
            return None, ""
        text = self.str(struct, "date", f"{path}.date")
        kind = self.str(struct, "type", f"{path}.type")
        if not text:
            return None, kind
        try:
            return PartialDate.parse(text), kind
        except ValueError as exc:
            raise self.error(f"{path}.date", str(exc)) from None


def _type_name(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


# --------------------------------------------------------------------------------------------
# Entry points


def split_records(data: Any) -> list:
    """The list of study items in a single study, a list of studies, or ``{"studies": [...]}``.

    Only the container is checked (RecordError for anything else); the items are returned as
    they are, so a caller can parse each with :func:`parse_study`, which rejects an item that is
    not a study object with a message naming it, and still use the items after it.
    """
    if isinstance(data, dict):
        if "studies" in data and "protocolSection" not in data:
            items = data["studies"]
            if not isinstance(items, list):
                raise RecordError.at(
                    "top level", "studies", f"expected a list of studies, got {_type_name(items)}"
                )
            return items
        return [data]
    if isinstance(data, list):
        return data
    raise RecordError.at(
        "top level",
        "",
        f'expected a study, a list of studies or {{"studies": [...]}}, got {_type_name(data)}',
    )


def iter_records(data: Any) -> Iterator[dict]:
    """Study objects from a single study, a list of studies, or ``{"studies": [...]}``.

    The container is checked at once (RecordError for anything else); the items are checked as
    they are handed out, so the studies before a bad item can still be used.
    """
    return _checked_items(split_records(data))


def _checked_items(items: list) -> Iterator[dict]:
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise RecordError.at(
                f"record {i}", "", f"expected a study object, got {_type_name(item)}"
            )
        yield item


def load_file(path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[tuple[int, dict]]:
    """Read a JSON file of studies and return an iterator of ``(index, study)``.

    The file's size is checked before it is opened; a file over ``max_bytes`` (or one that grows
    past it while being read) raises RecordError without being read into memory. Malformed JSON,
    bad UTF-8, NaN/Infinity and absurdly deep nesting raise RecordError naming the file (and the
    line and column for JSON errors). The file is read and decoded here, eagerly; the records are
    handed out lazily.
    """
    return enumerate(iter_records(read_json_file(path, max_bytes)))


def read_json_file(path, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """The decoded JSON of a file, with the checks described in :func:`load_file`."""
    name = os.fspath(path)
    try:
        size = os.stat(name).st_size
    except OSError as exc:
        raise RecordError(f"{name}: cannot read file: {exc.strerror or exc}", record=name) from None
    if size > max_bytes:
        raise RecordError(
            f"file too large: {name} is {size:,} bytes, the limit is {max_bytes:,}", record=name
        )
    try:
        with open(name, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise RecordError(f"{name}: cannot read file: {exc.strerror or exc}", record=name) from None
    if len(raw) > max_bytes:
        raise RecordError(f"file too large: {name} is over {max_bytes:,} bytes", record=name)
    return decode_json(raw, name)


def decode_json(raw: bytes, name: str) -> Any:
    """Decode a file's bytes (UTF-8, optional BOM) as JSON; RecordError naming ``name``."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordError(
            f"{name}: not UTF-8 text (byte {exc.start}: {exc.reason})", record=name
        ) from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise RecordError(
            f"{name}: malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
            record=name,
        ) from None
    except ValueError as exc:  # NaN / Infinity
        raise RecordError(f"{name}: malformed JSON: {exc}", record=name) from None
    except RecursionError:
        raise RecordError(f"{name}: malformed JSON: nested too deeply", record=name) from None


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def parse_study(record: dict, index: int = 0) -> ParsedTrial:
    """Turn one API v2 study object into a :class:`ParsedTrial`."""
    r = _Reader(index)
    if not isinstance(record, dict):
        raise r.error("", f"expected a study object, got {_type_name(record)}")

    ps = "protocolSection"
    protocol = r.dict(record, "protocolSection", ps, required=True)

    # identification: the NCT number first, so every later error names it.
    p = f"{ps}.identificationModule"
    ident = r.dict(protocol, "identificationModule", p, required=True)
    nct_id = r.str(ident, "nctId", f"{p}.nctId", required=True)
    if not NCT_RE.fullmatch(nct_id):
        raise r.error(
            f"{p}.nctId", f"invalid NCT number {nct_id!r} (expected NCT followed by 8 digits)"
        )
    r.nct_id = nct_id
    trial = ParsedTrial(nct_id=nct_id)
    trial.brief_title = r.str(ident, "briefTitle", f"{p}.briefTitle", required=True)
    trial.official_title = r.str(ident, "officialTitle", f"{p}.officialTitle")
    trial.acronym = r.str(ident, "acronym", f"{p}.acronym")
    trial.other_ids = _other_ids(r, ident, p)

    # results flag (needed for the status)
    has_results = r.bool(record, "hasResults", "hasResults")
    if has_results is None:
        has_results = isinstance(record.get("resultsSection"), dict)
    trial.has_results = has_results

    # status and dates
    p = f"{ps}.statusModule"
    status_mod = r.dict(protocol, "statusModule", p, required=True)
    trial.status, trial.registry_status = _status(r, status_mod, p, has_results)
    trial.why_stopped = r.str(status_mod, "whyStopped", f"{p}.whyStopped")
    trial.start, start_type = r.date(status_mod, "startDateStruct", f"{p}.startDateStruct")
    trial.start_estimated = start_type == "ESTIMATED"
    end, end_type = r.date(status_mod, "completionDateStruct", f"{p}.completionDateStruct")
    primary_end, primary_type = r.date(
        status_mod, "primaryCompletionDateStruct", f"{p}.primaryCompletionDateStruct"
    )
    if end is None:
        end, end_type = primary_end, primary_type
    trial.end = end
    trial.end_estimated = end_type == "ESTIMATED"
    trial.last_updated, _ = r.date(
        status_mod, "lastUpdatePostDateStruct", f"{p}.lastUpdatePostDateStruct"
    )

    # design
    p = f"{ps}.designModule"
    design = r.dict(protocol, "designModule", p)
    trial.study_type = r.str(design, "studyType", f"{p}.studyType")
    trial.phase = _phase(r, design, p)
    enrol = r.dict(design, "enrollmentInfo", f"{p}.enrollmentInfo")
    trial.enrolment = r.int(enrol, "count", f"{p}.enrollmentInfo.count")
    trial.enrolment_actual = (
        r.str(enrol, "type", f"{p}.enrollmentInfo.type") == "ACTUAL" and trial.enrolment is not None
    )

    # sponsor
    p = f"{ps}.sponsorCollaboratorsModule"
    sponsors = r.dict(protocol, "sponsorCollaboratorsModule", p)
    lead = r.dict(sponsors, "leadSponsor", f"{p}.leadSponsor")
    trial.sponsor = r.str(lead, "name", f"{p}.leadSponsor.name")
    for path, collab in r.dicts(sponsors, "collaborators", f"{p}.collaborators"):
        name = r.str(collab, "name", f"{path}.name")
        if name and name not in trial.collaborators:
            trial.collaborators.append(name)

    # text
    p = f"{ps}.descriptionModule"
    desc = r.dict(protocol, "descriptionModule", p)
    trial.brief_summary = unescape_markdown(r.str(desc, "briefSummary", f"{p}.briefSummary"))
    trial.detailed_description = unescape_markdown(
        r.str(desc, "detailedDescription", f"{p}.detailedDescription")
    )
    p = f"{ps}.eligibilityModule"
    elig = r.dict(protocol, "eligibilityModule", p)
    trial.eligibility_criteria = unescape_markdown(
        r.str(elig, "eligibilityCriteria", f"{p}.eligibilityCriteria")
    )

    p = f"{ps}.conditionsModule"
    conds = r.dict(protocol, "conditionsModule", p)
    trial.conditions = r.strs(conds, "conditions", f"{p}.conditions")
    trial.keywords = r.strs(conds, "keywords", f"{p}.keywords")

    p = f"{ps}.armsInterventionsModule"
    arms = r.dict(protocol, "armsInterventionsModule", p)
    for path, item in r.dicts(arms, "interventions", f"{p}.interventions"):
        name = r.str(item, "name", f"{path}.name")
        if name:
            trial.interventions.append((name, r.strs(item, "otherNames", f"{path}.otherNames")))

    # people and places
    p = f"{ps}.contactsLocationsModule"
    cl = r.dict(protocol, "contactsLocationsModule", p)
    for path, official in r.dicts(cl, "overallOfficials", f"{p}.overallOfficials"):
        name = r.str(official, "name", f"{path}.name")
        if not name:
            continue
        affiliation = r.str(official, "affiliation", f"{path}.affiliation")
        role = r.str(official, "role", f"{path}.role")
        text = f"{name}, {affiliation}" if affiliation else name
        if role:
            text += f" ({_OFFICIAL_ROLES.get(role, role.replace('_', ' ').capitalize())})"
        trial.chief_investigators.append(text)
    for path, contact in r.dicts(cl, "centralContacts", f"{p}.centralContacts"):
        name = r.str(contact, "name", f"{path}.name")
        email = r.str(contact, "email", f"{path}.email")
        phone = _phone(
            r.str(contact, "phone", f"{path}.phone"),
            r.str(contact, "phoneExt", f"{path}.phoneExt"),
        )
        if name or email or phone:
            trial.contact_name, trial.contact_email, trial.contact_phone = name, email, phone
            break
    for path, loc in r.dicts(cl, "locations", f"{p}.locations"):
        site_status = r.str(loc, "status", f"{path}.status")
        trial.locations.append(
            ParsedLocation(
                name=r.str(loc, "facility", f"{path}.facility"),
                town=r.str(loc, "city", f"{path}.city"),
                region=r.str(loc, "state", f"{path}.state"),
                country=r.str(loc, "country", f"{path}.country"),
                status=site_status,
                recruiting=site_status in _RECRUITING_SITE_STATUSES and trial.status == "open",
                **_geo_point(loc.get("geoPoint")),
            )
        )

    # publications
    p = f"{ps}.referencesModule"
    refs = r.dict(protocol, "referencesModule", p)
    for path, ref in r.dicts(refs, "references", f"{p}.references"):
        pub = _publication(
            citation=r.str(ref, "citation", f"{path}.citation"),
            pmid=r.str(ref, "pmid", f"{path}.pmid"),
            reference_type=r.str(ref, "type", f"{path}.type"),
        )
        if pub.citation or pub.pmid:
            trial.publications.append(pub)

    return trial


# --------------------------------------------------------------------------------------------
# Helpers


def _status(r: _Reader, status_mod: dict, path: str, has_results: bool) -> tuple[str, str]:
    overall = r.str(status_mod, "overallStatus", f"{path}.overallStatus", required=True)

    def code(value: str, field_path: str) -> str:
        if value not in STATUS_MAP:
            raise r.error(field_path, f"unknown value {value!r}")
        if value == "COMPLETED" and has_results:
            return "results"
        return STATUS_MAP[value]

    if overall == "UNKNOWN":
        last = r.str(status_mod, "lastKnownStatus", f"{path}.lastKnownStatus")
        if not last or last == "UNKNOWN":
            return "unknown", "UNKNOWN"
        code(last, f"{path}.lastKnownStatus")  # still reject a value we do not know
        return "unknown", f"UNKNOWN (last known: {last})"
    return code(overall, f"{path}.overallStatus"), overall


def _phase(r: _Reader, design: dict, path: str) -> str:
    phases = r.strs(design, "phases", f"{path}.phases")
    key = tuple(sorted(set(phases)))
    if key not in PHASE_MAP:
        shown = phases[0] if len(phases) == 1 else phases
        raise r.error(f"{path}.phases", f"unknown value {shown!r}")
    return PHASE_MAP[key]


def _other_ids(r: _Reader, ident: dict, path: str) -> list[tuple[str, str]]:
    """EudraCT, EU CT, ISRCTN and IRAS numbers among the organisation's and secondary ids."""
    candidates: list[tuple[str, str]] = []  # (id, "type domain")
    org = r.dict(ident, "orgStudyIdInfo", f"{path}.orgStudyIdInfo")
    org_id = r.str(org, "id", f"{path}.orgStudyIdInfo.id")
    if org_id:
        candidates.append((org_id, r.str(org, "type", f"{path}.orgStudyIdInfo.type")))
    for item_path, item in r.dicts(ident, "secondaryIdInfos", f"{path}.secondaryIdInfos"):
        value = r.str(item, "id", f"{item_path}.id")
        if value:
            label = " ".join(
                (
                    r.str(item, "type", f"{item_path}.type"),
                    r.str(item, "domain", f"{item_path}.domain"),
                )
            )
            candidates.append((value, label))

    found: list[tuple[str, str]] = []
    for value, label in candidates:
        kind_value = _classify_id(value, label)
        if kind_value and kind_value not in found:
            found.append(kind_value)
    return found


def _classify_id(value: str, label: str) -> tuple[str, str] | None:
    if m := _EUCT_RE.search(value):
        return "EUCT", m.group(1)
    if m := _EUDRACT_RE.search(value):
        return "EUDRACT", m.group(1)
    if m := _ISRCTN_RE.search(value):
        return "ISRCTN", "ISRCTN" + m.group(1)
    says_iras = _IRAS_LABEL_RE.search(label) or re.match(r"\s*IRAS\b", value, re.IGNORECASE)
    if says_iras and (m := _IRAS_ID_RE.fullmatch(value.strip())):
        return "IRAS", m.group(1)
    return None


def _phone(phone: str, ext: str) -> str:
    if not phone:
        return ""
    if not ext:
        return phone
    # Some sponsors put the country code in the extension field ("+33" next to a national
    # number "01.49.95.81.69"); gluing them together would give a wrong international number,
    # so such an "extension" is left out and the number kept as the registry gives it.
    if ext.startswith("+"):
        return phone
    return f"{phone} ext. {ext}"


_DOI_RE = re.compile(r"\bdoi:\s*(10\.\d{4,9}/\S+)", re.IGNORECASE)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Spring|Summer|Autumn|Fall|Winter)"
# ". Journal. 2015 May 20;31(5):671-8"  (date part, volume, issue and pages all optional after
# the year, but something NLM-like must follow: ';', ':' or the end of the sentence).
_SOURCE_RE = re.compile(
    r"\.\s+(?P<journal>[^.]+?)\.\s+"
    r"(?P<year>(?:1[89]|20)\d{2})"
    rf"(?:\s+{_MONTH}(?:\s+\d{{1,2}})?(?:\s*-\s*(?:{_MONTH}\s*)?\d{{0,2}})?)?"
    r"(?:\s*;\s*(?P<volume>[^(:;.\s]+)?\s*(?:\((?P<issue>[^)]*)\))?)?"
    r"(?:\s*:\s*(?P<pages>[^.;\s]+))?"
    r"(?=\s*[.;]|\s*$)"
)


def _publication(citation: str, pmid: str, reference_type: str) -> ParsedPublication:
    pub = ParsedPublication(citation=citation, pmid=pmid, reference_type=reference_type)
    if m := _DOI_RE.search(citation):
        pub.doi = m.group(1).rstrip(".,;")
    if re.fullmatch(r"[0-9]+", pmid):
        pub.url = f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    elif pub.doi:
        pub.url = f"https://doi.org/{pub.doi}"

    # Authors end at the first ". "; the source ("Journal. Year;Vol(Issue):Pages") follows the
    # title. Only fill the parts when the whole layout is there.
    head, sep, rest = citation.partition(". ")
    if not sep:
        return pub
    m = _SOURCE_RE.search(". " + rest)
    if not m:
        return pub
    journal = m.group("journal").strip()
    title = (". " + rest)[2 : m.start()].strip()
    # A title ending in "?" or "!" has no full stop: "Is X safe? J Foo. 2010;..."
    *title_end, journal = re.split(r"(?<=[?!])\s+", journal)
    if title_end:
        title = ". ".join(filter(None, [title, " ".join(title_end)]))
    if not title or not journal:
        return pub
    authors = head.strip()
    pub.authors = authors + "." if authors.endswith(" et al") else authors
    pub.title = title
    pub.journal = journal
    pub.year = int(m.group("year"))
    pub.volume = (m.group("volume") or "").strip()
    pub.issue = (m.group("issue") or "").strip()
    pub.pages = (m.group("pages") or "").strip()
    return pub
