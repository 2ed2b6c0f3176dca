"""Running a data migration's ``fill`` in a test, as a deploy would run it."""

import importlib

from django.core.cache import cache
from django.db import connection
from django.db.migrations.loader import MigrationLoader


def run_fill(app_label, name):
    """Run migration ``name``'s ``fill`` with the models as they were at that migration.
    A migration runs before the site starts, so nothing cached from before it is kept."""
    from trials.finder import index as finder_index

    migration = importlib.import_module(f"{app_label}.migrations.{name}")
    state = MigrationLoader(connection).project_state((app_label, name))
    migration.fill(state.apps, connection.schema_editor())
    cache.clear()
    finder_index.forget()
