from django.core.management.base import BaseCommand, CommandError

from benchmarks.synthetic import Generator
from netinfo.models import TumourSite
from trials.models import Trial


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database with synthetic published content, for load tests. Refuses to "
        "touch a database that already holds any trial or tumour site."
    )

    def add_arguments(self, parser):
        parser.add_argument("--trials", type=int, default=1000)

    def handle(self, *args, trials, **options):
        if Trial.objects.exists() or TumourSite.objects.exists():
            raise CommandError("This database already has content; use an empty one.")
        generator = Generator()
        generator.base()
        generator.grow_to(trials)
        self.stdout.write(self.style.SUCCESS(f"Created {trials:,} synthetic published trials."))
