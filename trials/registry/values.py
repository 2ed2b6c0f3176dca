"""The registry facts an import writes on a trial: read from the parsed record, fitted to the
fields, checked against what the database can store, and the words for what changed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email

from trials.models import Trial
from trials.registry import REGISTRY
from trials.registry.records import ParsedTrial, RecordError

CHANGE_REASON = f"Imported from {REGISTRY}"


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
REGISTRY_OWNED = {
    "registry_summary",
    "registry_description",
    "registry_eligibility",
    "registry_status",
    "import_notes",
}


def registry_values(parsed: ParsedTrial, notes: list[str]) -> dict[str, Any]:
    """The trial's registry facts from the record; what could not be used goes to ``notes``."""
    values: dict[str, Any] = {
        "official_title": parsed.official_title or parsed.brief_title,
        "acronym": fit(Trial, "acronym", parsed.acronym, notes),
        "status": parsed.status,
        "phase": parsed.phase,
        "sponsor": fit(Trial, "sponsor", parsed.sponsor, notes),
        "funders": "\n".join(parsed.collaborators),
        "chief_investigator": fit(
            Trial, "chief_investigator", "; ".join(parsed.chief_investigators), notes
        ),
        "contact_name": fit(Trial, "contact_name", parsed.contact_name, notes),
        "contact_phone": fit(Trial, "contact_phone", parsed.contact_phone, notes),
        "contact_email": "",
        "registry_summary": parsed.brief_summary,
        "registry_description": parsed.detailed_description,
        "registry_eligibility": parsed.eligibility_criteria,
        "registry_status": fit(Trial, "registry_status", parsed.registry_status),
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


#: Where each number the importer stores comes from in the record, for error messages.
_NUMBER_PATHS = {
    "target_size": "protocolSection.designModule.enrollmentInfo.count",
    "actual_size": "protocolSection.designModule.enrollmentInfo.count",
}


def check_numbers(values: dict[str, Any], label: str):
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


def fit(model, name: str, value: str, notes: list[str] | None = None) -> str:
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


def changed_words(names: list[str]) -> list[str]:
    """Changed fields in words staff know: "status", "recruitment end", "supported by"."""
    words = [_WORDS.get(name) or str(Trial._meta.get_field(name).verbose_name) for name in names]
    return list(dict.fromkeys(words))


def change_reason(words: list[str]) -> str:
    """The history's change reason; simple_history keeps 100 characters."""
    text = f"{CHANGE_REASON}: {', '.join(words)}"
    return text if len(text) <= 100 else text[:99] + "…"
