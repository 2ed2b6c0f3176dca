from django.core.management.base import BaseCommand
from django.db import transaction

from netinfo.content_version import content_models
from netinfo.editorial import history

REASON = "First version kept (saved before history was recorded)"


class Command(BaseCommand):
    help = (
        "Give every content record that has no history entry a first one, as it is now, with "
        "its links and rows, so that its next edit can be seen and undone. For databases "
        "loaded before load_content kept first versions; safe to run again."
    )

    def handle(self, *args, **options):
        missing = {}
        for model in content_models():
            pk = model._meta.pk.attname
            kept = model.history.values(pk)
            pks = set(model._base_manager.exclude(pk__in=kept).values_list("pk", flat=True))
            if pks:
                missing[model] = pks
        with transaction.atomic():
            count = history.write_versions(missing, REASON)
        self.stdout.write(self.style.SUCCESS(f"Kept the first version of {count} records."))
