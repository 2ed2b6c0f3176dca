"""Bring trials in from ClinicalTrials.gov records, and refresh them, keeping what staff wrote.

:mod:`trials.registry.parse` turns a record into plain data; this module writes it to the
database, with the steps in ``values`` (registry facts), ``related`` (numbers, places,
publications) and ``matching`` (tumour sites, drugs, treatments). The management command
``import_ctgov`` and the admin upload page both call :func:`run_import` and show its
``ImportReport`` (``trials.registry.report``).

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

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from netinfo.models import Content
from netinfo.slugs import short_slug
from trials.choices import RegistryKind
from trials.models import Identifier, Trial
from trials.registry import REGISTRY, changes
from trials.registry.files import split_records
from trials.registry.matching import Matcher
from trials.registry.numbers import NCT_RE
from trials.registry.parse import parse_study
from trials.registry.records import ParsedTrial, RecordError
from trials.registry.related import other_identifiers, plan_related
from trials.registry.report import ImportReport, Outcome
from trials.registry.sources import Source
from trials.registry.values import (
    CHANGE_REASON,
    REGISTRY_FIELDS,
    REGISTRY_OWNED,
    change_reason,
    changed_words,
    check_numbers,
    fit,
    registry_values,
)

#: How a change was found, for staff's registry-change tasks (see trials.registry.changes).
VIA_FILE = f"import of a {REGISTRY} file"


class _RollBack(Exception):
    pass


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
        self.matcher = Matcher()

    def run(self, sources: Iterable[Source], report: ImportReport):
        for name, load in sources:
            try:
                items = split_records(load())
            except RecordError as exc:
                report.outcomes.append(Outcome("skipped", name, reason=_in_file(name, exc)))
                continue
            for index, item in enumerate(items):
                report.outcomes.append(self.import_item(name, index, item))

    def import_item(self, source: str, index: int, item: Any) -> Outcome:
        try:
            parsed = parse_study(item, index)
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
        values = registry_values(parsed, notes)
        check_numbers(values, label or f"record ({parsed.nct_id})")
        links = self.matcher.matches(parsed, notes)
        if trial is None:
            return self.create(parsed, values, notes, links)
        return self.update(trial, parsed, values, notes, links)

    def create(self, parsed, values, notes, links) -> Outcome:
        trial = Trial(
            title=fit(Trial, "title", parsed.brief_title),
            slug=self.new_slug(parsed),
            state=Content.State.DRAFT,
        )
        for name, value in values.items():
            if value is not None:
                setattr(trial, name, value)
        plan = plan_related(trial, parsed, notes)
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
        plan = plan_related(trial, parsed, notes)
        values["import_notes"] = _notes_text(notes)
        changed = []
        for name in (name for name in REGISTRY_FIELDS if name in values):
            new = values[name]
            if new in (None, "") and name not in REGISTRY_OWNED:
                continue  # the record is silent: keep what we have
            if new != getattr(trial, name):
                changed.append(name)
        words = changed_words(changed) + plan.changes + _m2m_changes(trial, *links)

        if not words:
            if trial.registry_checked != self.today:
                # Checking is not an edit: no save, no history row, no new version.
                Trial.objects.filter(pk=trial.pk).update(registry_checked=self.today)
                trial.registry_checked = self.today
            return Outcome("unchanged", "", nct_id=parsed.nct_id, trial=trial)

        published = trial.state == Content.State.PUBLISHED
        before = changes.snapshot(trial) if published else None
        for name in changed:
            setattr(trial, name, values[name])
        trial.registry_checked = self.today
        # An editor with the trial open must not save over the import. (netinfo.editorial.workflow
        # also counts versions on save; it sets the version from the database, so never twice.)
        trial.version += 1
        self.save(trial, change_reason(words))
        plan.write(trial)
        sites, drugs, treatments = links
        trial.sites.add(*sites)
        trial.drugs.add(*drugs)
        trial.treatments.add(*treatments)
        if published:
            changes.record(trial, before, self.via)
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
        for kind, value in other_identifiers(parsed):
            other = Identifier.objects.filter(kind=kind, value=value).first()
            if other and not other.trial.identifiers.filter(kind=RegistryKind.NCT).exists():
                return other.trial
        return None

    def new_slug(self, parsed: ParsedTrial) -> str:
        base = short_slug(parsed.brief_title, parsed.acronym) or parsed.nct_id.lower()
        if not Trial.objects.filter(slug=base).exists():
            return base
        return f"{base}-{parsed.nct_id.lower()}"


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
    return value if isinstance(value, str) and NCT_RE.fullmatch(value) else ""


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
