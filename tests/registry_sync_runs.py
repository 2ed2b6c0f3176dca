"""Running the registry sync (manage.py sync_ctgov) for its tests, and what a sync could
change in the database."""

import io

from django.core.management import CommandError, call_command

from trials.models import Identifier, Trial


def sync(*args, **options):
    """Run the command; (its output, the CommandError's message or "")."""
    out = io.StringIO()
    try:
        call_command("sync_ctgov", *args, stdout=out, **options)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), ""


def database():
    """What a sync could change: every trial's facts, version and last-checked date."""
    return sorted(
        Trial.objects.values_list("slug", "status", "version", "registry_checked", "state")
    ) + sorted(Identifier.objects.values_list("value", flat=True))
