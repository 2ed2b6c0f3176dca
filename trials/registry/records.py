"""What a ClinicalTrials.gov record becomes: plain data (``ParsedTrial`` and its parts,
``PartialDate``) and the error that names the record and field that could not be used.
Pure Python: no Django."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field


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
