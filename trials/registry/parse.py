"""Parse a ClinicalTrials.gov API v2 study record into a ``ParsedTrial``, step by step.

This module is pure: no database, no network, no Django. The importer reads a file with
``trials.registry.files``, turns each study into a ``ParsedTrial`` with :func:`parse_study`,
and writes what it needs to the database.

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

import re

from trials.registry.citations import parse_citation
from trials.registry.numbers import NCT_RE, other_ids
from trials.registry.reader import Reader, type_name
from trials.registry.records import ParsedLocation, ParsedTrial

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


PS = "protocolSection"


def parse_study(record: dict, index: int = 0) -> ParsedTrial:
    """Turn one API v2 study object into a :class:`ParsedTrial`. Each step reads one module of
    the record, in the record's order, so the first problem found is the one reported."""
    r = Reader(index)
    if not isinstance(record, dict):
        raise r.error("", f"expected a study object, got {type_name(record)}")
    protocol = r.dict(record, "protocolSection", PS, required=True)
    trial = _identification(r, protocol)
    trial.has_results = _has_results(r, record)
    _status_and_dates(r, protocol, trial)
    _design(r, protocol, trial)
    _sponsors(r, protocol, trial)
    _texts(r, protocol, trial)
    _conditions_and_interventions(r, protocol, trial)
    _people(r, protocol, trial)
    _places(r, protocol, trial)
    _publications(r, protocol, trial)
    return trial


def _identification(r: Reader, protocol: dict) -> ParsedTrial:
    """The NCT number first, so every later error names it; then titles and other numbers."""
    p = f"{PS}.identificationModule"
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
    trial.other_ids = other_ids(r, ident, p)
    return trial


def _has_results(r: Reader, record: dict) -> bool:
    """The results flag, needed for the status; an older record has only its section."""
    has_results = r.bool(record, "hasResults", "hasResults")
    if has_results is None:
        has_results = isinstance(record.get("resultsSection"), dict)
    return has_results


def _status_and_dates(r: Reader, protocol: dict, trial: ParsedTrial):
    p = f"{PS}.statusModule"
    status_mod = r.dict(protocol, "statusModule", p, required=True)
    trial.status, trial.registry_status = _status(r, status_mod, p, trial.has_results)
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


def _design(r: Reader, protocol: dict, trial: ParsedTrial):
    p = f"{PS}.designModule"
    design = r.dict(protocol, "designModule", p)
    trial.study_type = r.str(design, "studyType", f"{p}.studyType")
    trial.phase = _phase(r, design, p)
    enrol = r.dict(design, "enrollmentInfo", f"{p}.enrollmentInfo")
    trial.enrolment = r.int(enrol, "count", f"{p}.enrollmentInfo.count")
    trial.enrolment_actual = (
        r.str(enrol, "type", f"{p}.enrollmentInfo.type") == "ACTUAL" and trial.enrolment is not None
    )


def _sponsors(r: Reader, protocol: dict, trial: ParsedTrial):
    p = f"{PS}.sponsorCollaboratorsModule"
    sponsors = r.dict(protocol, "sponsorCollaboratorsModule", p)
    lead = r.dict(sponsors, "leadSponsor", f"{p}.leadSponsor")
    trial.sponsor = r.str(lead, "name", f"{p}.leadSponsor.name")
    for path, collab in r.dicts(sponsors, "collaborators", f"{p}.collaborators"):
        name = r.str(collab, "name", f"{path}.name")
        if name and name not in trial.collaborators:
            trial.collaborators.append(name)


def _texts(r: Reader, protocol: dict, trial: ParsedTrial):
    """The registry's own summary, description and eligibility, markdown escapes removed."""
    p = f"{PS}.descriptionModule"
    desc = r.dict(protocol, "descriptionModule", p)
    trial.brief_summary = unescape_markdown(r.str(desc, "briefSummary", f"{p}.briefSummary"))
    trial.detailed_description = unescape_markdown(
        r.str(desc, "detailedDescription", f"{p}.detailedDescription")
    )
    p = f"{PS}.eligibilityModule"
    elig = r.dict(protocol, "eligibilityModule", p)
    trial.eligibility_criteria = unescape_markdown(
        r.str(elig, "eligibilityCriteria", f"{p}.eligibilityCriteria")
    )


def _conditions_and_interventions(r: Reader, protocol: dict, trial: ParsedTrial):
    p = f"{PS}.conditionsModule"
    conds = r.dict(protocol, "conditionsModule", p)
    trial.conditions = r.strs(conds, "conditions", f"{p}.conditions")
    trial.keywords = r.strs(conds, "keywords", f"{p}.keywords")

    p = f"{PS}.armsInterventionsModule"
    arms = r.dict(protocol, "armsInterventionsModule", p)
    for path, item in r.dicts(arms, "interventions", f"{p}.interventions"):
        name = r.str(item, "name", f"{path}.name")
        if name:
            trial.interventions.append((name, r.strs(item, "otherNames", f"{path}.otherNames")))


def _people(r: Reader, protocol: dict, trial: ParsedTrial):
    """The officials (as chief investigators) and the first central contact with any detail."""
    p = f"{PS}.contactsLocationsModule"
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


def _places(r: Reader, protocol: dict, trial: ParsedTrial):
    p = f"{PS}.contactsLocationsModule"
    cl = r.dict(protocol, "contactsLocationsModule", p)
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


def _publications(r: Reader, protocol: dict, trial: ParsedTrial):
    p = f"{PS}.referencesModule"
    refs = r.dict(protocol, "referencesModule", p)
    for path, ref in r.dicts(refs, "references", f"{p}.references"):
        pub = parse_citation(
            citation=r.str(ref, "citation", f"{path}.citation"),
            pmid=r.str(ref, "pmid", f"{path}.pmid"),
            reference_type=r.str(ref, "type", f"{path}.type"),
        )
        if pub.citation or pub.pmid:
            trial.publications.append(pub)


def _status(r: Reader, status_mod: dict, path: str, has_results: bool) -> tuple[str, str]:
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


def _phase(r: Reader, design: dict, path: str) -> str:
    phases = r.strs(design, "phases", f"{path}.phases")
    key = tuple(sorted(set(phases)))
    if key not in PHASE_MAP:
        shown = phases[0] if len(phases) == 1 else phases
        raise r.error(f"{path}.phases", f"unknown value {shown!r}")
    return PHASE_MAP[key]


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
