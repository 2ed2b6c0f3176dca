import json
import warnings
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings, setup_test_environment, teardown_test_environment

from benchmarks import harness as bench


class Command(BaseCommand):
    help = (
        "Measure every page type at growing numbers of published trials, on a throw-away "
        "database (never the real one): server time (median, 95th percentile), SQL queries, "
        "page weight, and each time as a ratio to a trivial Django view. Prints a table and "
        "writes JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes",
            default="100,1000,10000",
            help="Comma-separated numbers of trials (default 100,1000,10000).",
        )
        parser.add_argument(
            "--repeat", type=int, default=30, help="Timed requests per page (default 30)."
        )
        parser.add_argument(
            "--json",
            default="bench-results/bench.json",
            help="Where to write the figures (default bench-results/bench.json).",
        )

    def handle(self, *args, sizes, repeat, **options):
        try:
            sizes = sorted(int(size) for size in sizes.split(","))
        except ValueError as error:
            raise CommandError("--sizes takes whole numbers, e.g. 100,1000") from error
        warnings.filterwarnings("ignore", "No directory at", UserWarning)
        setup_test_environment()
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        self.stdout.write(
            f"Throw-away database: {connection.settings_dict['NAME']} ({connection.vendor})"
        )
        try:
            with override_settings(ROOT_URLCONF="benchmarks.harness", DEBUG=False):
                figures = bench.run(sizes, repeat, out=self.stdout.write)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
        path = Path(options["json"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(
                {"database": connection.vendor, "repeat": repeat, "figures": figures}, indent=2
            )
        )
        self.stdout.write(self.style.SUCCESS(f"Figures written to {path}"))
