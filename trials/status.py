"""What a trial's status says to a patient, and on what authority, as of a given day.

A status typed once must not stay "open" for ever. A trial says "Open to new patients" or
"Opening soon" as fact only when a registry check confirmed it within
``settings.TRIAL_STATUS_MAX_AGE_DAYS`` days (default 90), and then it says where and when:
"Open to new patients – checked on ClinicalTrials.gov on 3 March 2026". Otherwise it says
"Status not confirmed – we last checked on 3 March 2026" (or "we have never checked it with a
registry"), and the page points to the registry record and to the trial team.

``shown(trial, today)`` works it out; ``Trial.status_now`` is the same for today, for
templates. The registry's name comes from the trial's registry numbers: from the
``checked_registry`` annotation (``TrialQuerySet.with_registry``) in lists, so no query per
trial, or from prefetched identifiers on the trial page.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from trials.choices import ACTIVE_STATUSES, STATUS_EXPLAINED, RegistryKind, Status

# The key and words of an open or opening-soon status that no recent registry check backs.
UNCONFIRMED = "unconfirmed"
UNCONFIRMED_LABEL = "Status not confirmed"
UNCONFIRMED_EXPLAINED = (
    "We have not been able to confirm with a trial registry that this trial is taking people. "
    "It may have closed."
)
ASK = "Ask the trial team or your specialist."

# Where a check was made, by the kind of registry number, most used first: a trial with an
# NCT number is checked on ClinicalTrials.gov (see trials.registry).
REGISTRY_NAMES = {
    RegistryKind.NCT: "ClinicalTrials.gov",
    RegistryKind.ISRCTN: "the ISRCTN registry",
    RegistryKind.EUCT: "the EU Clinical Trials Information System",
    RegistryKind.EUDRACT: "the EU Clinical Trials Register",
    RegistryKind.IRAS: "the Health Research Authority's website",
}
REGISTRY_ORDER = tuple(REGISTRY_NAMES)
SOME_REGISTRY = "a trial registry"


def max_age():
    return datetime.timedelta(days=settings.TRIAL_STATUS_MAX_AGE_DAYS)


def confirmed_since(today=None):
    """The oldest registry check that still confirms an open status ``today``."""
    return (today or timezone.localdate()) - max_age()


def is_confirmed(status, checked, today=None):
    """Whether an open or opening-soon ``status`` checked on ``checked`` may be shown as fact
    ``today``. Other statuses need no confirmation: they never invite anyone to join."""
    if status not in ACTIVE_STATUSES:
        return True
    return checked is not None and checked >= confirmed_since(today)


def shown_key(status, checked, today=None):
    """The status a patient sees: the trial's own, or ``UNCONFIRMED``. The finder's status
    options are these keys."""
    return status if is_confirmed(status, checked, today) else UNCONFIRMED


def format_day(day):
    return f"{day.day} {day.strftime('%B %Y')}"


def best_identifier(identifiers):
    """The registry number a status is checked against: ClinicalTrials.gov's first."""
    ranked = sorted(identifiers, key=lambda identifier: REGISTRY_ORDER.index(identifier.kind))
    return ranked[0] if ranked else None


@dataclass(frozen=True)
class StatusShown:
    key: str  # a Status value, or UNCONFIRMED: the tag's colour and the finder's option
    label: str  # "Open to new patients", "Status not confirmed"
    checked: str  # "checked on ClinicalTrials.gov on 3 March 2026", "we last checked on ..."
    explained: str  # one plain sentence about what the status means
    registry_name: str = ""
    registry_url: str = ""  # the record to look at, when the trial page knows it

    @property
    def confirmed(self):
        return self.key != UNCONFIRMED

    @property
    def doubtful(self):
        """Whether the page should send the patient to the trial team and the registry."""
        return self.key in (UNCONFIRMED, Status.UNKNOWN)

    @property
    def taking_people(self):
        """Whether the trial is confirmed open to new patients."""
        return self.key == Status.OPEN

    @property
    def text(self):
        return f"{self.label} – {self.checked}"

    @property
    def advice(self):
        return ASK if self.doubtful else ""


def _registry(trial):
    """(registry name, record link) for the check: from the ``checked_registry``
    annotation, else from the trial's (prefetched) identifiers."""
    kind = getattr(trial, "checked_registry", None)
    if kind is not None or hasattr(trial, "checked_registry"):
        return REGISTRY_NAMES.get(kind, SOME_REGISTRY), ""
    identifier = best_identifier(trial.identifiers.all())
    if identifier is None:
        return SOME_REGISTRY, ""
    return REGISTRY_NAMES[identifier.kind], identifier.url


def shown(trial, today=None):
    """What ``trial``'s status says to a patient on ``today`` (default: today)."""
    registry, url = _registry(trial)
    checked = trial.registry_checked
    key = shown_key(trial.status, checked, today)
    if key == UNCONFIRMED or trial.status == Status.UNKNOWN:
        label = UNCONFIRMED_LABEL if key == UNCONFIRMED else Status(trial.status).label
        explained = UNCONFIRMED_EXPLAINED if key == UNCONFIRMED else STATUS_EXPLAINED[key]
        when = (
            f"we last checked on {format_day(checked)}"
            if checked
            else "we have never checked it with a registry"
        )
        return StatusShown(key, label, when, explained, registry, url)
    when = (
        f"checked on {registry} on {format_day(checked)}"
        if checked
        else "not checked with a registry"
    )
    return StatusShown(key, Status(key).label, when, STATUS_EXPLAINED[key], registry, url)
