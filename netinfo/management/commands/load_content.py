from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from netinfo.editorial import history
from netinfo.glossary import rerender_all
from netinfo.models import TumourSite
from netinfo.signals import content_loaded


class Command(BaseCommand):
    help = (
        "Load the starting content from fixtures/ into an empty database, then render every "
        "page. Does nothing if content is already there, so editors' work is never replaced "
        "(use --force to load it over the top)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load even if the database has content."
        )

    def handle(self, *args, force=False, **options):
        if TumourSite.objects.exists() and not force:
            self.stdout.write("Content is already loaded; nothing to do.")
            return
        fixtures = sorted(Path(settings.FIXTURE_DIRS[0]).glob("*.json"))
        if not fixtures:
            self.stdout.write("No fixtures found in fixtures/.")
            return
        with transaction.atomic(), history.records_loaded() as loaded:
            call_command("loaddata", *[str(path) for path in fixtures], verbosity=0)
            rendered = rerender_all()
            # Each app brings what it derives from its records up to date (loaddata and
            # bulk saves skip the per-record signals): the finder's search text, for one.
            content_loaded.send(sender=type(self))
            # loaddata skips the signal that writes history too: every record gets its first
            # version here, so its original text can be seen and restored after an edit.
            versions = history.write_versions(loaded, history.STARTING_CONTENT)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(fixtures)} fixture files; rendered {rendered} pages; "
                f"kept the first version of {versions} records in their history."
            )
        )
