"""What an import did, record by record: the ``Outcome`` of each and the ``ImportReport``
the command prints and the admin page shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from trials.models import Trial


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
