"""Tasks for staff when the registry changes a published trial's facts.

The importer takes a :func:`snapshot` of a trial before it writes a record and calls
:func:`record` after; if the trial is published and its status, phase, dates, size or places
changed, a :class:`~trials.models.RegistryChange` lists them (old → new, in the words the page
uses) until an approver marks it checked with :func:`mark_checked`. The plain-English text
staff wrote may now be wrong ("the trial is looking for people"), and only a person can tell.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from netinfo.models import Content
from trials.models import RegistryChange, Trial
from trials.text import format_partial_date

NOT_GIVEN = "not given"

#: (key, label): the facts a patient reads that staff may have repeated in their own words.
WATCHED = (
    ("status", "Status"),
    ("phase", "Phase"),
    ("recruitment_start", "Recruitment start"),
    ("recruitment_end", "Recruitment end"),
    ("target_size", "Planned number of people"),
    ("actual_size", "Number of people who took part"),
    ("places", "Hospitals taking part"),
)


def snapshot(trial: Trial) -> dict[str, object]:
    """The watched facts of a trial, as the page shows them. One query, for the places."""
    places = sorted(str(location) for location in trial.locations.all()) if trial.pk else []
    return {
        "status": trial.get_status_display(),
        "phase": trial.get_phase_display(),
        "recruitment_start": format_partial_date(
            trial.recruitment_start, trial.recruitment_start_precision
        )
        or NOT_GIVEN,
        "recruitment_end": format_partial_date(
            trial.recruitment_end, trial.recruitment_end_precision
        )
        or NOT_GIVEN,
        "target_size": _number(trial.target_size),
        "actual_size": _number(trial.actual_size),
        "places": places,
    }


def differences(before: dict, after: dict) -> list[dict[str, str]]:
    """What changed, old → new, in the order of :data:`WATCHED`."""
    changes = []
    for key, label in WATCHED:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key == "places":
            old, new = _places(old or [], new or [])
        changes.append({"field": key, "label": label, "old": old, "new": new})
    return changes


def record(trial: Trial, before: dict, via: str) -> RegistryChange | None:
    """Open (or add to) the trial's task if it is published and a watched fact changed.

    Call after the trial and its places are written (inside the import's transaction; it
    opens its own when called outside one, as locking the task needs).
    """
    if trial.state != Content.State.PUBLISHED:
        return None
    changes = differences(before, snapshot(trial))
    if not changes:
        return None
    with transaction.atomic():
        task = RegistryChange.objects.select_for_update().open().filter(trial=trial).first()
        if task is None:
            return RegistryChange.objects.create(trial=trial, changes=changes, via=via)
        task.changes = _merge(task.changes, changes)
        task.via = via
        task.found_at = timezone.now()
        task.save(update_fields=["changes", "via", "found_at"])
    return task


def mark_checked(task: RegistryChange, user) -> bool:
    """Close the task. False when someone else closed it first."""
    with transaction.atomic():
        done = RegistryChange.objects.filter(pk=task.pk, checked_at__isnull=True).update(
            checked_at=timezone.now(), checked_by=user
        )
    return bool(done)


def _number(value) -> str:
    return NOT_GIVEN if value is None else f"{value:,}"


def _places(old: list[str], new: list[str]) -> tuple[str, str]:
    """Places as "3 hospitals" → "4 hospitals (added: X; removed: Y)"."""
    added = [name for name in new if name not in old]
    removed = [name for name in old if name not in new]
    detail = "; ".join(
        part
        for part in (
            f"added: {', '.join(added)}" if added else "",
            f"removed: {', '.join(removed)}" if removed else "",
        )
        if part
    )
    return _count(old), f"{_count(new)} ({detail})" if detail else _count(new)


def _count(places: list[str]) -> str:
    if not places:
        return "none listed"
    return "1 hospital" if len(places) == 1 else f"{len(places)} hospitals"


def _merge(earlier: list[dict], later: list[dict]) -> list[dict]:
    """One list of changes since the task opened: the first old value, the latest new one."""
    merged = {change["field"]: dict(change) for change in earlier}
    for change in later:
        if change["field"] in merged:
            merged[change["field"]]["new"] = change["new"]
        else:
            merged[change["field"]] = dict(change)
    order = [key for key, _ in WATCHED]
    return sorted(merged.values(), key=lambda change: order.index(change["field"]))
