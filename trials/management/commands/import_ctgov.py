from django.core.management.base import BaseCommand, CommandError

from trials.registry.importer import run_import
from trials.registry.sources import file_sources, max_bytes_setting


class Command(BaseCommand):
    help = (
        "Import or refresh trials from ClinicalTrials.gov API v2 study records (JSON files: a "
        'single study, a list of studies, or an API page {"studies": [...]}; a folder means '
        "every .json file in it). New trials are drafts. Registry facts are refreshed; what "
        "staff wrote in plain English is never changed. Prints what was created, updated, "
        "unchanged and skipped, and exits with an error if anything was skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR")
        parser.add_argument(
            "--atomic",
            action="store_true",
            help="All or nothing: if any record cannot be imported, import none of them.",
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=None,
            help=f"Refuse files larger than this (default {max_bytes_setting():,}).",
        )

    def handle(self, *args, paths, atomic=False, max_bytes=None, **options):
        report = run_import(file_sources(paths, max_bytes), atomic=atomic)
        for line in report.lines():
            self.stdout.write(line)
        if report.skipped:
            problem = f"{len(report.skipped)} could not be imported"
            if report.rolled_back:
                problem += "; nothing was imported (--atomic)"
            raise CommandError(problem)
