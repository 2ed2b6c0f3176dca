"""The choices a trial's fields take, and the plain words patients read for them.

No models here, so both ``trials.models`` and ``trials.status`` import it without a circle.
"""

from django.db import models


class Status(models.TextChoices):
    """Recruitment status, in the registries' meaning, with the words patients see."""

    OPENING_SOON = "opening_soon", "Opening soon"
    OPEN = "open", "Open to new patients"
    CLOSED = "closed", "Closed to new patients"
    RESULTS = "results", "Results available"
    SUSPENDED = "suspended", "Suspended"
    STOPPED = "stopped", "Stopped early"
    WITHDRAWN = "withdrawn", "Withdrawn"
    UNKNOWN = "unknown", "Status not known"


STATUS_EXPLAINED = {
    Status.OPENING_SOON: "The trial has been approved but is not yet taking people.",
    Status.OPEN: "The trial is looking for people to take part now.",
    Status.CLOSED: "The trial is not taking any more people. It may still be going on.",
    Status.RESULTS: "The trial has finished and the results have been published.",
    Status.SUSPENDED: "The trial has stopped taking people for now. It may start again.",
    Status.STOPPED: "The trial ended before it was planned to.",
    Status.WITHDRAWN: "The trial stopped before anyone joined it.",
    Status.UNKNOWN: "We do not know if this trial is taking people.",
}

# The statuses a patient can still ask to join: the finder shows these by default, when a
# recent registry check confirms them (trials.status).
ACTIVE_STATUSES = (Status.OPEN, Status.OPENING_SOON)


class Phase(models.TextChoices):
    EARLY_1 = "early1", "Early phase 1"
    P1 = "1", "Phase 1"
    P1_2 = "1_2", "Phase 1/2"
    P2 = "2", "Phase 2"
    P2_3 = "2_3", "Phase 2/3"
    P3 = "3", "Phase 3"
    P4 = "4", "Phase 4"
    NA = "na", "No phase (not a drug trial)"
    UNKNOWN = "unknown", "Phase not stated"


PHASE_EXPLAINED = {
    Phase.EARLY_1: "Early phase 1 trials give a very small dose of a new drug to a few people "
    "to see how the body handles it.",
    Phase.P1: "Phase 1 trials test whether a treatment is safe and find the best dose.",
    Phase.P1_2: "Phase 1/2 trials find a safe dose, then test whether the treatment works.",
    Phase.P2: "Phase 2 trials test whether a treatment works and find out more about side effects.",
    Phase.P2_3: "Phase 2/3 trials test whether a treatment works and compare it with the usual "
    "treatment.",
    Phase.P3: "Phase 3 trials compare a new treatment with the usual treatment, in a larger "
    "number of people.",
    Phase.P4: "Phase 4 trials look at a treatment that is already in use, to learn more about "
    "its long-term benefits and side effects.",
    Phase.NA: "This study does not test a drug, so it has no phase.",
    Phase.UNKNOWN: "The information we have does not say which phase this trial is.",
}


class Precision(models.TextChoices):
    YEAR = "year", "Year only"
    MONTH = "month", "Month and year"
    DAY = "day", "Exact day"


class Requirement(models.TextChoices):
    EITHER = "either", "Either"
    REQUIRED = "required", "Required"
    EXCLUDED = "excluded", "Not allowed"


#: What a trial's requirement means to a patient, by field and value: (label, plain sentence)
#: for the trial page's facts about who can join. "Either" says nothing.
REQUIREMENT_FACTS = {
    ("functioning", Requirement.REQUIRED): (
        "Symptoms from hormones",
        "You need to have symptoms caused by hormones the NET makes, such as carcinoid syndrome.",
    ),
    ("functioning", Requirement.EXCLUDED): (
        "Symptoms from hormones",
        "This trial is for people who do not have symptoms caused by hormones the NET makes.",
    ),
    ("receptor_scan", Requirement.REQUIRED): (
        "Somatostatin receptor scan",
        "You need a scan that shows the NET has somatostatin receptors, such as a gallium-68 "
        "PET scan.",
    ),
    ("receptor_scan", Requirement.EXCLUDED): (
        "Somatostatin receptor scan",
        "This trial is for people whose scan does not show somatostatin receptors.",
    ),
}


class RegistryKind(models.TextChoices):
    """The registries a trial's numbers come from (``Identifier.kind``)."""

    NCT = "nct", "ClinicalTrials.gov (NCT)"
    EUDRACT = "eudract", "EudraCT"
    EUCT = "euct", "EU CT number (CTIS)"
    ISRCTN = "isrctn", "ISRCTN"
    IRAS = "iras", "IRAS ID"
