"""Keep trials in step with ClinicalTrials.gov: the sync and the check of a single trial.

``manage.py sync_ctgov`` asks the registry's API (version 2, ``/studies``) for every study that
matches the conditions staff keep in the admin (:class:`~trials.models.RegistryCondition`) with
a place in one of the configured countries, page by page, then for the record of every trial
we already have an NCT number for that the search did not return (a trial run abroad, say), and
passes each study to the same :class:`~trials.registry.importer.Importer` as a file import:
new studies become drafts, known trials get their registry facts and "last checked" date
refreshed, and staff's plain-English text is never touched. The admin's "Check the registry
now" button and "Import by registry number" form use :func:`check_trial` for one NCT number.
The asking is in ``trials.registry.api`` (HTTP) and ``trials.registry.pages`` (paging).

What happens when something goes wrong:

* Every page is fetched before anything is written. A page that does not arrive (no network, a
  timeout, a 5xx after the retries, an answer that is not an API page) stops the sync with a
  message naming the page, and the database is left as it was: the pages after it cannot be
  asked for without its ``nextPageToken``, and half a sync would refresh some trials' "last
  checked" dates and not others.
* A study that cannot be used is skipped with a message naming the page and the study; the
  others go on. Each study is written in its own transaction (see the importer).
* 429 and 5xx answers, connection errors and timeouts are retried with exponential back-off
  (urllib3's ``Retry``, which also honours ``Retry-After``). There is a pause between pages and
  a limit on the number of pages; reaching the limit is reported as a problem.

Settings (``netinfo/settings.py``, each from an environment variable of the same name):
``CTGOV_API_URL``, ``CTGOV_SYNC_COUNTRIES``, ``CTGOV_TIMEOUT``, ``CTGOV_SYNC_DELAY``,
``CTGOV_SYNC_MAX_PAGES``, ``CTGOV_SYNC_PAGE_SIZE``, ``CTGOV_RETRIES``, ``CTGOV_BACKOFF``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from trials.models import RegistryChange
from trials.registry import REGISTRY
from trials.registry.api import Config, FetchError, session_for
from trials.registry.importer import Importer
from trials.registry.pages import (
    Page,
    conditions,
    fetch_known,
    fetch_pages,
    fetch_study,
    saved_pages,
    study_nct_id,
)
from trials.registry.records import RecordError
from trials.registry.report import ImportReport, Outcome

VIA_SYNC = f"{REGISTRY} sync"
VIA_CHECK = f"check of one trial on {REGISTRY}"


@dataclass
class SyncResult:
    source: str  # "ClinicalTrials.gov (United Kingdom)" or the folder of saved pages
    terms: list[str] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    report: ImportReport = field(default_factory=ImportReport)
    problems: list[str] = field(default_factory=list)  # did not stop the sync
    failure: str = ""  # stopped it before anything was written
    changes: list[RegistryChange] = field(default_factory=list)
    known: list[Page] = field(default_factory=list)  # known trials the search did not return

    @property
    def ok(self) -> bool:
        return not (self.failure or self.problems or self.report.skipped)

    def lines(self) -> list[str]:
        """What the command prints."""
        studies = sum(page.count for page in self.pages)
        total = self.pages[0].total if self.pages else None
        searched = f"{_plural(len(self.terms), 'condition')} searched" if self.terms else ""
        if self.failure:
            return [
                f"Sync with {self.source}: {searched or 'stopped'}.",
                f"Nothing was changed: {self.failure}",
            ]
        out = [
            f"Sync with {self.source}: {searched + ', ' if searched else ''}"
            f"{_plural(len(self.pages), 'page')}, {_plural(studies, 'study', 'studies')}"
            + (f" (the registry counts {total})" if total is not None else "")
            + (
                f", and {_plural(len(self.known), 'known trial')} the search did not return."
                if self.known
                else "."
            )
        ]
        out.extend(self.report.lines())
        if self.changes:
            out.append(
                f"Registry changed on {_plural(len(self.changes), 'published trial')}: "
                "check the plain-English text (listed on the admin dashboard):"
            )
            for task in self.changes:
                changed = "; ".join(
                    f"{c['label'].lower()} {c['old']} → {c['new']}" for c in task.changes
                )
                out.append(f"  {task.trial}: {changed}")
        if self.problems:
            out.append("Problems:")
            out.extend(f"  {problem}" for problem in self.problems)
        return out


def run_sync(
    *,
    pages_dir=None,
    config: Config | None = None,
    terms: list[str] | None = None,
    today=None,
    session=None,
    sleep: Callable = time.sleep,
) -> SyncResult:
    """Fetch every page (or read the saved ones), then import each study."""
    config = config or Config.from_settings()
    if pages_dir is not None:
        result = SyncResult(source=f"saved pages in {pages_dir}")
    else:
        terms = conditions() if terms is None else terms
        result = SyncResult(source=f"{REGISTRY} ({', '.join(config.countries)})", terms=terms)
        if not terms:
            result.failure = "no conditions to search for: add some in the admin."
            return result
    session = session or (None if pages_dir is not None else session_for(config))
    try:
        _fetch(result, pages_dir, config, terms, session, sleep)
    except FetchError as exc:
        result.failure = str(exc)
        return result
    started = timezone.now()
    _import(result, Importer(today=today, via=VIA_SYNC))
    result.changes = list(
        RegistryChange.objects.open()
        .filter(found_at__gte=started, via=VIA_SYNC)
        .select_related("trial")
        .order_by("trial__title")
    )
    return result


def _fetch(result: SyncResult, pages_dir, config: Config, terms, session, sleep: Callable):
    """Every page, before anything is written: the saved ones, or the search's and then the
    known trials it did not return. FetchError when one does not arrive."""
    if pages_dir is not None:
        result.pages, result.problems = saved_pages(pages_dir)
        return
    result.pages, result.problems = fetch_pages(config, terms, session, sleep)
    known, missing = fetch_known(config, _page_ids(result.pages), session, sleep)
    result.known = known
    result.problems += missing


def _import(result: SyncResult, importer: Importer):
    """Each study on the pages once, then each known trial's record."""
    seen: set[str] = set()
    for page in result.pages:
        try:
            studies = page.studies
        except (RecordError, FetchError) as exc:  # a saved file changed under us
            result.report.outcomes.append(Outcome("skipped", page.name, reason=str(exc)))
            continue
        for index, item in enumerate(studies):
            nct_id = study_nct_id(item)
            if nct_id and nct_id in seen:
                continue  # the same study on two pages: the registry's order moved
            seen.add(nct_id)
            result.report.outcomes.append(importer.import_item(page.name, index, item))
    for page in result.known:
        result.report.outcomes.append(importer.import_item(page.name, 0, page.studies[0]))


def check_trial(nct_id: str, user=None, config: Config | None = None, session=None) -> Outcome:
    """Fetch one trial's record and import it, for someone waiting in the admin. FetchError
    when it could not be fetched."""
    config = config or Config.from_settings().for_a_person()
    data = fetch_study(nct_id, config, session)
    importer = Importer(user=user, via=VIA_CHECK)
    return importer.import_item(f"{REGISTRY} record {nct_id}", 0, data)


def _page_ids(pages: list[Page]) -> set[str]:
    return set().union(*(page.ids for page in pages))


def _plural(number: int, word: str, words: str = "") -> str:
    return f"{number} {word}" if number == 1 else f"{number} {words or word + 's'}"
