"""Bring trials in from ClinicalTrials.gov records, and refresh them, keeping what staff wrote.

:mod:`trials.ctgov` turns a record into plain data; this module writes it to the database. The
management command ``import_ctgov`` and the admin upload page both call :func:`run_import` and
show its :class:`ImportReport`.

What an import may change, and what it never touches:

* A new trial is a draft, titled with the registry's brief title until staff write a
  plain-English one. The plain-English fields (title once created, summary, aims, who can take
  part, what happens, results), the publication state and the public change note are never
  written by an import.
* Registry facts (official title, acronym, status, phase, dates, sizes, sponsor, funders, chief
  investigator, contact, registry text) are refreshed from the record. An empty value in the
  record never blanks a value we already have: staff may have filled it from another source.
* Places from the registry are replaced by the registry's list; places staff added or
  corrected (``Location.source`` staff) are kept, and a registry place with the same hospital
  and town as one of theirs is not added again. Place changes are in their history.
  Identifiers, publications, tumour sites, drugs and treatments are only ever added, so
  nothing staff linked by hand is lost.
* Only references about the trial itself (registry type RESULT or DERIVED, or no type) become
  publications; BACKGROUND references are other studies, so they are listed in the import notes
  instead of being shown to patients as this trial's publications.
* Importing the same record again changes nothing: no save, no history row, no new version.
  Only "registry facts last checked by us" moves to today, written without a save. A record
  older than the one we already imported is left alone.
* Each record is written in its own transaction, so a record that fails leaves nothing
  half-written; with ``atomic=True`` the whole batch is rolled back if any record fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.db import DatabaseError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from netinfo import history_links
from netinfo.models import Content, TumourSite
from netinfo.slugs import short_slug
from treatments.models import Drug, Treatment
from trials import ctgov, registry_changes
from trials.choices import RegistryKind
from trials.ctgov import ParsedTrial, RecordError
from trials.models import Identifier, Location, Publication, Trial
from trials.search_text import refresh

REGISTRY = "ClinicalTrials.gov"
CHANGE_REASON = f"Imported from {REGISTRY}"
#: How a change was found, for staff's registry-change tasks (see trials.registry_changes).
VIA_FILE = f"import of a {REGISTRY} file"

#: Registry reference types that are about the trial itself, so shown as its publications.
PUBLICATION_TYPES = {"RESULT", "DERIVED", ""}

#: The registry facts an import refreshes, in the order they are reported.
REGISTRY_FIELDS = (
    "official_title",
    "acronym",
    "status",
    "phase",
    "recruitment_start",
    "recruitment_start_precision",
    "recruitment_end",
    "recruitment_end_precision",
    "target_size",
    "actual_size",
    "sponsor",
    "funders",
    "chief_investigator",
    "contact_name",
    "contact_email",
    "contact_phone",
    "registry_summary",
    "registry_description",
    "registry_eligibility",
    "registry_status",
    "registry_updated",
    "import_notes",
)

# Fields that belong to the registry alone, so an empty value in the record does clear them.
_REGISTRY_OWNED = {
    "registry_summary",
    "registry_description",
    "registry_eligibility",
    "registry_status",
    "import_notes",
}

_OTHER_ID_KINDS = {
    "EUDRACT": RegistryKind.EUDRACT,
    "EUCT": RegistryKind.EUCT,
    "ISRCTN": RegistryKind.ISRCTN,
    "IRAS": RegistryKind.IRAS,
}


def max_bytes_setting():
    """The largest file an import reads: ``CTGOV_IMPORT_MAX_BYTES``, 20 MiB unless set."""
    return getattr(settings, "CTGOV_IMPORT_MAX_BYTES", ctgov.DEFAULT_MAX_BYTES)


# --------------------------------------------------------------------------------------------
# The report


@dataclass
class Outcome:
    action: str  # "created", "updated", "unchanged" or "skipped"
    source: str  # the file
    record: str = ""  # "record 3 (NCT00973089)", or "" for a problem with the whole file
    nct_id: str = ""
    trial: Trial | None = None
    fields: list[str] = field(default_factory=list)  # what changed, in words staff know
    reason: str = ""  # why it was skipped, or a note on an unchanged record

    @property
    def message(self):
        """One line for staff: what happened to this record, and why."""
        name = self.nct_id or self.record or self.source
        if self.action == "skipped":
            return self.reason
        if self.action == "created":
            return f'{name}: created "{self.trial.title}" as a draft'
        if self.action == "updated":
            return f"{name}: updated {', '.join(self.fields)}"
        return f"{name}: {self.reason or 'no changes'}"


@dataclass
class ImportReport:
    outcomes: list[Outcome] = field(default_factory=list)
    atomic: bool = False
    rolled_back: bool = False

    def _with(self, action):
        return [outcome for outcome in self.outcomes if outcome.action == action]

    @property
    def created(self):
        return self._with("created")

    @property
    def updated(self):
        return self._with("updated")

    @property
    def unchanged(self):
        return self._with("unchanged")

    @property
    def skipped(self):
        return self._with("skipped")

    @property
    def ok(self):
        return not self.skipped

    def counts(self):
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped),
        }

    def summary_line(self):
        counts = ", ".join(f"{number} {action}" for action, number in self.counts().items())
        if self.rolled_back:
            return (
                f"Nothing was imported: {len(self.skipped)} could not be read, and the batch "
                f"was all or nothing. Without the problems it would have been: {counts}."
            )
        return f"Import finished: {counts}."

    def lines(self):
        """The whole report as plain text, one line each, for the command's output."""
        out = [self.summary_line()]
        for action in ("created", "updated", "unchanged", "skipped"):
            outcomes = self._with(action)
            if outcomes:
                heading = action.capitalize()
                if self.rolled_back and action in ("created", "updated"):
                    heading = f"Would have been {action} (rolled back)"
                out.append(f"{heading} ({len(outcomes)}):")
                out.extend(f"  {outcome.message}" for outcome in outcomes)
        return out


# --------------------------------------------------------------------------------------------
# Running an import

#: A source is a name (shown in messages) and a function returning its decoded JSON.
Source = tuple[str, Callable[[], Any]]


class _RollBack(Exception):
    pass


@dataclass
class _Plan:
    identifiers: list[Identifier]
    locations: list[Location] | None  # None: leave the registry's places as they are
    publications: list[Publication]

    @property
    def changes(self) -> list[str]:
        return [
            words
            for words, change in (
                ("registry numbers", self.identifiers),
                ("locations", self.locations is not None),
                ("publications", self.publications),
            )
            if change
        ]

    @history_links.batched()  # the trial's history entry is brought up to date once
    def write(self, trial):
        for obj in [*self.identifiers, *(self.locations or []), *self.publications]:
            obj.trial = trial
        Identifier.objects.bulk_create(self.identifiers)
        if self.identifiers:
            refresh([trial.pk])  # the finder's search text: bulk_create skips its signals
        if self.locations is not None:
            # One by one, so each removal is in the places' history.
            for place in trial.locations.filter(source=Location.Source.REGISTRY):
                place._change_reason = CHANGE_REASON
                place.delete()
            bulk_create_with_history(self.locations, Location, default_change_reason=CHANGE_REASON)
        Publication.objects.bulk_create(self.publications)
        # bulk_create sends no signals: the import's history entry keeps the rows it wrote.
        history_links.keep_current(Trial, trial.pk)


def file_sources(paths: Iterable, max_bytes: int | None = None) -> list[Source]:
    """Sources for files, and for the ``.json`` files in folders (sorted, folders searched
    through)."""
    limit = max_bytes_setting() if max_bytes is None else max_bytes
    sources: list[Source] = []
    for item in paths:
        path = Path(item)
        files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
        if path.is_dir() and not files:
            sources.append((str(path), _raiser(f"{path}: no .json files in this folder")))
        for file in files:
            sources.append((str(file), lambda file=file: ctgov.read_json_file(file, limit)))
    return sources


def upload_source(upload, max_bytes: int | None = None) -> Source:
    """A source for an uploaded file; its size is checked before a byte of it is read."""
    limit = max_bytes_setting() if max_bytes is None else max_bytes
    name = Path(upload.name or "upload").name

    def load():
        if upload.size is not None and upload.size > limit:
            raise RecordError(
                f"file too large: {name} is {upload.size:,} bytes, the limit is {limit:,}",
                record=name,
            )
        raw = upload.read(limit + 1)
        if len(raw) > limit:
            raise RecordError(f"file too large: {name} is over {limit:,} bytes", record=name)
        return ctgov.decode_json(raw, name)

    return name, load


def _raiser(message):
    def load():
        raise RecordError(message)

    return load


def run_import(
    sources: Iterable[Source], *, atomic=False, today=None, user=None, via=VIA_FILE
) -> ImportReport:
    """Import every record of every source and report what happened to each."""
    importer = Importer(today=today, user=user, via=via)
    report = ImportReport(atomic=atomic)
    if not atomic:
        importer.run(sources, report)
        return report
    try:
        with transaction.atomic():
            importer.run(sources, report)
            if report.skipped:
                raise _RollBack
    except _RollBack:
        report.rolled_back = True
    return report


class Importer:
    """Writes parsed records to the database. Holds what every record is matched against."""

    def __init__(self, today=None, user=None, via=VIA_FILE):
        self.today = today or timezone.localdate()
        self.user = user
        self.via = via
        self._sites = None
        self._drugs = None
        self._treatments = None

    def run(self, sources: Iterable[Source], report: ImportReport):
        for name, load in sources:
            try:
                items = ctgov.split_records(load())
            except RecordError as exc:
                report.outcomes.append(Outcome("skipped", name, reason=_in_file(name, exc)))
                continue
            for index, item in enumerate(items):
                report.outcomes.append(self.import_item(name, index, item))

    def import_item(self, source: str, index: int, item: Any) -> Outcome:
        try:
            parsed = ctgov.parse_study(item, index)
        except RecordError as exc:
            nct_id = _nct_id_of(item)
            return Outcome(
                "skipped", source, exc.record, nct_id=nct_id, reason=_in_file(source, exc)
            )
        label = f"record {index} ({parsed.nct_id})"
        try:
            with transaction.atomic():
                outcome = self.apply(parsed, label)
        except RecordError as exc:
            return Outcome(
                "skipped",
                source,
                label,
                nct_id=parsed.nct_id,
                reason=f"{_in_file(source, exc)}; nothing was changed",
            )
        except (DatabaseError, ValidationError, ValueError, OverflowError) as exc:
            return Outcome(
                "skipped",
                source,
                label,
                nct_id=parsed.nct_id,
                reason=f"{source}, {label}: could not be saved, nothing was changed ({exc})",
            )
        outcome.source, outcome.record = source, label
        return outcome

    # ----------------------------------------------------------------------------------------

    def apply(self, parsed: ParsedTrial, label: str = "") -> Outcome:
        """Create or update the trial for one record. Call inside a transaction."""
        trial = self.find_trial(parsed)
        if trial and trial.registry_updated and parsed.last_updated:
            if parsed.last_updated.as_date() < trial.registry_updated:
                return Outcome(
                    "unchanged",
                    "",
                    nct_id=parsed.nct_id,
                    trial=trial,
                    reason=(
                        f"not used: this record was last updated on {parsed.last_updated}, "
                        f"before the one we already have ({trial.registry_updated:%Y-%m-%d})"
                    ),
                )
        notes: list[str] = []
        values = self.registry_values(parsed, notes)
        _check_numbers(values, label or f"record ({parsed.nct_id})")
        links = self.matches(parsed, notes)
        if trial is None:
            return self.create(parsed, values, notes, links)
        return self.update(trial, parsed, values, notes, links)

    def create(self, parsed, values, notes, links) -> Outcome:
        trial = Trial(
            title=_fit(Trial, "title", parsed.brief_title),
            slug=self.new_slug(parsed),
            state=Content.State.DRAFT,
        )
        for name, value in values.items():
            if value is not None:
                setattr(trial, name, value)
        plan = self.plan_related(trial, parsed, notes)
        trial.import_notes = _notes_text(notes)
        trial.registry_checked = self.today
        self.save(trial, CHANGE_REASON)
        plan.write(trial)
        sites, drugs, treatments = links
        trial.sites.set(sites)
        trial.drugs.set(drugs)
        trial.treatments.set(treatments)
        return Outcome("created", "", nct_id=parsed.nct_id, trial=trial)

    def update(self, trial, parsed, values, notes, links) -> Outcome:
        plan = self.plan_related(trial, parsed, notes)
        values["import_notes"] = _notes_text(notes)
        changed = []
        for name in (name for name in REGISTRY_FIELDS if name in values):
            new = values[name]
            if new in (None, "") and name not in _REGISTRY_OWNED:
                continue  # the record is silent: keep what we have
            if new != getattr(trial, name):
                changed.append(name)
        words = _words(changed) + plan.changes + _m2m_changes(trial, *links)

        if not words:
            if trial.registry_checked != self.today:
                # Checking is not an edit: no save, no history row, no new version.
                Trial.objects.filter(pk=trial.pk).update(registry_checked=self.today)
                trial.registry_checked = self.today
            return Outcome("unchanged", "", nct_id=parsed.nct_id, trial=trial)

        published = trial.state == Content.State.PUBLISHED
        before = registry_changes.snapshot(trial) if published else None
        for name in changed:
            setattr(trial, name, values[name])
        trial.registry_checked = self.today
        # An editor with the trial open must not save over the import. (netinfo.workflow also
        # counts versions on save; it sets the version from the database, so never twice.)
        trial.version += 1
        self.save(trial, _reason(words))
        plan.write(trial)
        sites, drugs, treatments = links
        trial.sites.add(*sites)
        trial.drugs.add(*drugs)
        trial.treatments.add(*treatments)
        if published:
            registry_changes.record(trial, before, self.via)
        return Outcome("updated", "", nct_id=parsed.nct_id, trial=trial, fields=words)

    def save(self, trial, reason):
        trial._change_reason = reason
        if self.user is not None:
            trial._history_user = self.user
        trial.save()

    # ----------------------------------------------------------------------------------------
    # Finding the trial

    def find_trial(self, parsed: ParsedTrial) -> Trial | None:
        """The trial with this NCT number; failing that, one staff entered by another registry
        number (EudraCT, ISRCTN...) that has no NCT number yet."""
        found = Identifier.objects.filter(kind=RegistryKind.NCT, value=parsed.nct_id).first()
        if found:
            return found.trial
        for kind, value in self.other_ids(parsed):
            other = Identifier.objects.filter(kind=kind, value=value).first()
            if other and not other.trial.identifiers.filter(kind=RegistryKind.NCT).exists():
                return other.trial
        return None

    @staticmethod
    def other_ids(parsed: ParsedTrial) -> list[tuple[str, str]]:
        return [
            (_OTHER_ID_KINDS[kind], value)
            for kind, value in parsed.other_ids
            if kind in _OTHER_ID_KINDS
        ]

    def new_slug(self, parsed: ParsedTrial) -> str:
        base = short_slug(parsed.brief_title, parsed.acronym) or parsed.nct_id.lower()
        if not Trial.objects.filter(slug=base).exists():
            return base
        return f"{base}-{parsed.nct_id.lower()}"

    # ----------------------------------------------------------------------------------------
    # Values

    def registry_values(self, parsed: ParsedTrial, notes: list[str]) -> dict[str, Any]:
        values: dict[str, Any] = {
            "official_title": parsed.official_title or parsed.brief_title,
            "acronym": _fit(Trial, "acronym", parsed.acronym, notes),
            "status": parsed.status,
            "phase": parsed.phase,
            "sponsor": _fit(Trial, "sponsor", parsed.sponsor, notes),
            "funders": "\n".join(parsed.collaborators),
            "chief_investigator": _fit(
                Trial, "chief_investigator", "; ".join(parsed.chief_investigators), notes
            ),
            "contact_name": _fit(Trial, "contact_name", parsed.contact_name, notes),
            "contact_phone": _fit(Trial, "contact_phone", parsed.contact_phone, notes),
            "contact_email": "",
            "registry_summary": parsed.brief_summary,
            "registry_description": parsed.detailed_description,
            "registry_eligibility": parsed.eligibility_criteria,
            "registry_status": _fit(Trial, "registry_status", parsed.registry_status),
            "registry_updated": parsed.last_updated.as_date() if parsed.last_updated else None,
        }
        if parsed.contact_email:
            try:
                validate_email(parsed.contact_email)
                if len(parsed.contact_email) > Trial._meta.get_field("contact_email").max_length:
                    raise ValidationError("too long")
                values["contact_email"] = parsed.contact_email
            except ValidationError:
                notes.append(
                    f'The contact email "{parsed.contact_email}" is not a valid address, so '
                    "it was left out."
                )
        for end, date in (("start", parsed.start), ("end", parsed.end)):
            values[f"recruitment_{end}"] = date.as_date() if date else None
            if date:
                values[f"recruitment_{end}_precision"] = date.precision
        if parsed.enrolment is not None:
            size = "actual_size" if parsed.enrolment_actual else "target_size"
            values[size] = parsed.enrolment
        if parsed.why_stopped:
            notes.append(f"Why the registry says the trial stopped: {parsed.why_stopped}")
        return values

    # ----------------------------------------------------------------------------------------
    # Identifiers, locations and publications

    def plan_related(self, trial, parsed, notes) -> _Plan:
        """What to add to identifiers and publications, and the locations if they differ.

        Nothing is written yet, so the notes (a number already on another trial, background
        references) are known before the trial is saved.
        """
        return _Plan(
            identifiers=self._new_identifiers(trial, parsed, notes),
            locations=self._new_locations(trial, parsed),
            publications=self._new_publications(trial, parsed, notes),
        )

    def _new_identifiers(self, trial, parsed, notes) -> list[Identifier]:
        have = set(trial.identifiers.values_list("kind", "value")) if trial.pk else set()
        new = []
        for kind, value in [(RegistryKind.NCT, parsed.nct_id), *self.other_ids(parsed)]:
            if (kind, value) in have:
                continue
            pattern, _ = Identifier.PATTERNS[kind]
            label = RegistryKind(kind).label
            if not re.fullmatch(pattern, value):
                notes.append(f"{label} number {value} does not look valid, so it was not added.")
                continue
            other = Identifier.objects.filter(kind=kind, value=value).select_related("trial")
            other = other.first()
            if other:
                notes.append(
                    f'{label} number {value} is already on another trial ("{other.trial}"), '
                    "so it was not added here."
                )
                continue
            have.add((kind, value))
            new.append(Identifier(kind=kind, value=value))
        return new

    def _new_locations(self, trial, parsed) -> list[Location] | None:
        """The registry's places, or None when the trial already has exactly these. Places
        staff added or corrected stay, and stand for the registry's place of the same
        hospital in the same town."""
        have = list(trial.locations.all()) if trial.pk else []
        staff = {_place_key(p) for p in have if p.source == Location.Source.STAFF}
        wanted = [_location(loc) for loc in parsed.locations]
        wanted = [place for place in wanted if _place_key(place) not in staff]
        registry = [p for p in have if p.source == Location.Source.REGISTRY]
        if sorted(map(_location_key, wanted)) == sorted(map(_location_key, registry)):
            return None
        return wanted

    def _new_publications(self, trial, parsed, notes) -> list[Publication]:
        have = list(trial.publications.all()) if trial.pk else []
        pmids = {pub.pmid for pub in have if pub.pmid}
        dois = {pub.doi.lower() for pub in have if pub.doi}
        titles = {pub.title.casefold() for pub in have}
        new = []
        background = []
        for ref in parsed.publications:
            if ref.reference_type not in PUBLICATION_TYPES:
                background.append(f"PMID {ref.pmid}" if ref.pmid else ref.citation[:80])
                continue
            pub = _publication(ref)
            if (
                (pub.pmid and pub.pmid in pmids)
                or (pub.doi and pub.doi.lower() in dois)
                or (not pub.pmid and not pub.doi and pub.title.casefold() in titles)
            ):
                continue
            pmids.add(pub.pmid)
            dois.add(pub.doi.lower())
            titles.add(pub.title.casefold())
            new.append(pub)
        if background:
            notes.append(
                "Background references, not added as this trial's publications: "
                + "; ".join(background)
            )
        return new

    # ----------------------------------------------------------------------------------------
    # Tumour sites, drugs and treatments

    def matches(self, parsed: ParsedTrial, notes: list[str]):
        """The tumour sites, drugs and treatments the record names; unmatched names go to
        ``notes``."""
        if self._sites is None:
            self._sites = [
                (site, [kw for kw in map(str.strip, site.registry_keywords.splitlines()) if kw])
                for site in TumourSite.objects.all()
            ]
            self._drugs = [
                (drug, [drug.generic_name, *drug.brand_names_list]) for drug in Drug.objects.all()
            ]
            self._treatments = [
                (treatment, [treatment.name, *treatment.other_names_list])
                for treatment in Treatment.objects.all()
            ]

        sites = set()
        for kind, words in (("Conditions", parsed.conditions), ("Keywords", parsed.keywords)):
            unmatched = []
            for word in words:
                found = {
                    site for site, keys in self._sites if any(_mentions(word, k) for k in keys)
                }
                sites |= found
                if not found:
                    unmatched.append(word)
            if unmatched:
                notes.append(f"{kind} not matched to a tumour site: {'; '.join(unmatched)}")

        drugs, treatments, unmatched = set(), set(), []
        for name, other_names in parsed.interventions:
            names = [name, *other_names]
            found_drugs = {d for d, keys in self._drugs if _names_match(names, keys)}
            found_treatments = {t for t, keys in self._treatments if _names_match(names, keys)}
            drugs |= found_drugs
            treatments |= found_treatments
            if not found_drugs and not found_treatments:
                unmatched.append(name)
        if unmatched:
            notes.append(
                f"Interventions not matched to a drug or treatment: {'; '.join(unmatched)}"
            )
        key = lambda obj: obj.pk  # noqa: E731
        return sorted(sites, key=key), sorted(drugs, key=key), sorted(treatments, key=key)


# --------------------------------------------------------------------------------------------
# Helpers


def _in_file(source: str, exc: RecordError) -> str:
    message = str(exc)
    if exc.record and exc.record.startswith("record "):
        return f"{source}, {message}"
    if message.startswith(source) or message.startswith("file too large"):
        return message
    return f"{source}: {message}"


def _nct_id_of(item: Any) -> str:
    try:
        value = item["protocolSection"]["identificationModule"]["nctId"]
    except (KeyError, TypeError):
        return ""
    return value if isinstance(value, str) and ctgov.NCT_RE.fullmatch(value) else ""


#: Where each number the importer stores comes from in the record, for error messages.
_NUMBER_PATHS = {
    "target_size": "protocolSection.designModule.enrollmentInfo.count",
    "actual_size": "protocolSection.designModule.enrollmentInfo.count",
}


def _check_numbers(values: dict[str, Any], label: str):
    """Refuse a whole number the database cannot store (an enrolment of 2**63, say): a
    RecordError naming the record and the field, before anything is written."""
    for name, value in values.items():
        field = Trial._meta.get_field(name)
        if value is None or field.get_internal_type() not in _INTEGER_TYPES:
            continue
        try:
            field.run_validators(value)
        except ValidationError:
            low, high = _range(field)
            raise RecordError.at(
                label,
                _NUMBER_PATHS.get(name, name),
                f"{value:,} is outside the range we can store ({low:,} to {high:,})",
            ) from None


_INTEGER_TYPES = {
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}


def _range(field) -> tuple[int, int]:
    low = next((v.limit_value for v in field.validators if isinstance(v, MinValueValidator)), 0)
    high = next((v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)), 0)
    return low, high


def _fit(model, name: str, value: str, notes: list[str] | None = None) -> str:
    """Shorten a value to the field's length, saying so in the notes."""
    limit = model._meta.get_field(name).max_length
    if not value or not limit or len(value) <= limit:
        return value
    if notes is not None:
        verbose = model._meta.get_field(name).verbose_name
        notes.append(f"The registry's {verbose} was longer than {limit} characters: shortened.")
    return value[: limit - 1].rstrip() + "…"


_WORDS = {
    "recruitment_start_precision": "recruitment start",
    "recruitment_end_precision": "recruitment end",
}


def _words(names: list[str]) -> list[str]:
    """Changed fields in words staff know: "status", "recruitment end", "supported by"."""
    words = [_WORDS.get(name) or str(Trial._meta.get_field(name).verbose_name) for name in names]
    return list(dict.fromkeys(words))


def _reason(words: list[str]) -> str:
    """The history's change reason; simple_history keeps 100 characters."""
    text = f"{CHANGE_REASON}: {', '.join(words)}"
    return text if len(text) <= 100 else text[:99] + "…"


def _notes_text(notes: list[str]) -> str:
    return "\n".join(dict.fromkeys(notes))


def _m2m_changes(trial, sites, drugs, treatments) -> list[str]:
    changes = []
    for words, manager, wanted in (
        ("tumour sites", trial.sites, sites),
        ("drugs", trial.drugs, drugs),
        ("treatments", trial.treatments, treatments),
    ):
        have = set(manager.values_list("pk", flat=True))
        if {obj.pk for obj in wanted} - have:
            changes.append(words)
    return changes


def _mentions(text: str, keyword: str) -> bool:
    """Whether ``keyword`` appears in ``text`` as whole words, ignoring case."""
    return re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", text, re.IGNORECASE) is not None


def _normal(name: str) -> str:
    return " ".join(name.split()).casefold()


def _names_match(names: list[str], keys: list[str]) -> bool:
    """An intervention matches a drug or treatment when one of its names is one of ours, or
    contains one of ours of 4 letters or more as whole words ("Lanreotide 120 mg")."""
    names = [_normal(n) for n in names if n.strip()]
    for key in (_normal(k) for k in keys if k.strip()):
        for name in names:
            if name == key or (len(key) >= 4 and _mentions(name, key)):
                return True
    return False


def _location(loc) -> Location:
    name = loc.name or loc.town or loc.country or "Site not named in the registry"
    place = Location(
        name=_fit(Location, "name", name),
        town=_fit(Location, "town", loc.town),
        state=_fit(Location, "state", loc.region),
        country=_fit(Location, "country", loc.country),
        recruiting=loc.recruiting,
        latitude=loc.latitude,
        longitude=loc.longitude,
        source=Location.Source.REGISTRY,
    )
    place.fill_from_town()  # a UK nation or region, and a position if the registry gave none
    return place


def _location_key(loc: Location):
    return (
        loc.name,
        loc.town,
        loc.region,
        loc.state,
        loc.country,
        loc.recruiting,
        loc.latitude,
        loc.longitude,
    )


def _place_key(loc: Location):
    """The same hospital in the same town, however its details were written."""
    return (" ".join(loc.name.casefold().split()), " ".join(loc.town.casefold().split()))


def _publication(ref) -> Publication:
    title = ref.title or ref.citation or (f"PubMed {ref.pmid}" if ref.pmid else "")
    return Publication(
        authors=_fit(Publication, "authors", ref.authors),
        title=_fit(Publication, "title", title),
        journal=_fit(Publication, "journal", ref.journal),
        year=ref.year,
        volume=_fit(Publication, "volume", ref.volume),
        issue=_fit(Publication, "issue", ref.issue),
        pages=_fit(Publication, "pages", ref.pages),
        doi=_fit(Publication, "doi", ref.doi),
        pmid=ref.pmid if len(ref.pmid) <= 12 else "",
        url=ref.url if len(ref.url) <= 200 else "",
    )
