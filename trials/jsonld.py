"""schema.org ``MedicalTrial`` data for a trial page, for search engines.

Only facts the page itself shows go in, worded as the page words them, so the data can never
say more than a patient can read. The result is embedded as
``<script type="application/ld+json">``: a data block, not a script, so the CSP allows it.
"""

import json

from django.utils.safestring import mark_safe

from trials.choices import Status

SCHEMA = "https://schema.org/"

# Our statuses in schema.org's MedicalStudyStatus terms. "Not known" has no equivalent and
# is left out rather than guessed; so is an open or opening-soon status that no recent
# registry check confirms (trials.status): the data never claims a trial is recruiting when
# the page does not.
STATUS = {
    Status.OPENING_SOON: "NotYetRecruiting",
    Status.OPEN: "Recruiting",
    Status.CLOSED: "ActiveNotRecruiting",
    Status.RESULTS: "ResultsAvailable",
    Status.SUSPENDED: "Suspended",
    Status.STOPPED: "Terminated",
    Status.WITHDRAWN: "Withdrawn",
}

# Phases that are not a phase: nothing to say to a search engine.
NO_PHASE = ("na", "unknown")

# Characters that could end the <script> element or start an HTML comment, as JSON escapes
# (the same ones Django's json_script escapes).
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def medical_trial(trial, url=""):
    """The JSON-LD dict for ``trial``. Follows relations; prefetch them (Trial.for_page)."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalTrial",
        "name": trial.title,
    }
    if url:
        data["url"] = url
    if trial.acronym:
        data["alternateName"] = trial.acronym
    identifiers = [
        {
            "@type": "PropertyValue",
            "propertyID": identifier.get_kind_display(),
            "value": identifier.value,
            "url": identifier.url,
        }
        for identifier in trial.identifiers.all()
    ]
    if identifiers:
        data["identifier"] = identifiers
    shown = trial.status_now.key
    if shown in STATUS:
        data["status"] = SCHEMA + STATUS[shown]
    if trial.phase not in NO_PHASE:
        data["phase"] = trial.get_phase_display()
    if trial.sponsor:
        data["sponsor"] = {"@type": "Organization", "name": trial.sponsor}
    conditions = [
        {"@type": "MedicalCondition", "name": condition_name(site)} for site in trial.sites.all()
    ]
    if conditions:
        data["healthCondition"] = conditions
    return data


def condition_name(site):
    """How the page names a tumour site as a condition: "Pancreas NETs"."""
    return f"{site.name} NETs"


def script(data):
    """``data`` as a safe ``<script type="application/ld+json">`` element."""
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(_ESCAPES)
    # Safe: json.dumps quotes every string and the escapes above remove "<", ">" and "&",
    # so nothing in the data can close the element or be read as HTML.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
