from django.core.management.base import BaseCommand
from django.db import transaction

from netinfo.glossary import rerender_all
from netinfo.signals import content_loaded


class Command(BaseCommand):
    help = (
        "Re-render every page's stored HTML with the current glossary. Saving a glossary term "
        "in the admin does this for you; run it after changing terms in bulk (a data import, "
        "a script, a database restore) so every page marks and explains the right words. "
        "It also rebuilds the words the trial finder searches, for trials changed in bulk."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            count = rerender_all()
            # Each app brings what it derives from its records up to date (loaddata and
            # bulk saves skip the per-record signals): the finder's search text, for one.
            content_loaded.send(sender=type(self))
        self.stdout.write(self.style.SUCCESS(f"Re-rendered {count} pages."))
