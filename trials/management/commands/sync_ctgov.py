from django.core.management.base import BaseCommand, CommandError

from trials.registry.api import Config
from trials.registry.sync import run_sync


class Command(BaseCommand):
    help = (
        "Sync trials with ClinicalTrials.gov (API v2): every study matching the registry "
        "search conditions (edit them in the admin) with a place in the configured countries "
        "(CTGOV_SYNC_COUNTRIES). New studies become drafts; known trials get their registry "
        "facts and 'last checked' date refreshed; plain-English text is never changed. "
        "Prints what was created, updated (which fields), unchanged and skipped, and exits "
        "with an error if anything went wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pages",
            metavar="DIR",
            help='Read saved API pages (.json files, each {"studies": [...], '
            '"nextPageToken": ...}, in the order of their names) instead of the network.',
        )
        parser.add_argument(
            "--country",
            action="append",
            dest="countries",
            metavar="NAME",
            help="Search this country instead of CTGOV_SYNC_COUNTRIES (repeat for more).",
        )
        parser.add_argument(
            "--max-pages", type=int, help="Ask for at most this many pages of results."
        )

    def handle(self, *args, pages=None, countries=None, max_pages=None, **options):
        config = Config.from_settings(countries=countries, max_pages=max_pages)
        result = run_sync(pages_dir=pages, config=config)
        for line in result.lines():
            self.stdout.write(line)
        if result.failure:
            raise CommandError("the sync stopped before it changed anything (see above)")
        if not result.ok:
            problems = len(result.report.skipped) + len(result.problems)
            raise CommandError(f"{problems} problem{'s' if problems != 1 else ''}: see above")
