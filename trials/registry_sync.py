"""Keep trials in step with ClinicalTrials.gov: the sync and the check of a single trial.

``manage.py sync_ctgov`` asks the registry's API (version 2, ``/studies``) for every study that
matches the conditions staff keep in the admin (:class:`~trials.models.RegistryCondition`) with
a place in one of the configured countries, page by page, then for the record of every trial
we already have an NCT number for that the search did not return (a trial run abroad, say), and
passes each study to the same
:class:`~trials.importer.Importer` as a file import: new studies become drafts, known trials
get their registry facts and "last checked" date refreshed, and staff's plain-English text is
never touched. The admin's "Check the registry now" button and "Import by registry number"
form use :func:`check_trial` for one NCT number.

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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.utils import timezone
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.util.retry import Retry

from trials import ctgov
from trials.choices import RegistryKind
from trials.ctgov import RecordError
from trials.importer import REGISTRY, Importer, ImportReport, Outcome, max_bytes_setting
from trials.models import Identifier, RegistryChange, RegistryCondition

VIA_SYNC = f"{REGISTRY} sync"
VIA_CHECK = f"check of one trial on {REGISTRY}"
RETRY_STATUSES = (429, 500, 502, 503, 504)


@dataclass(frozen=True)
class Config:
    api_url: str = "https://clinicaltrials.gov/api/v2"
    countries: tuple[str, ...] = ("United Kingdom",)
    timeout: float = 30.0  # seconds, to connect and between bytes of the answer
    delay: float = 1.0  # seconds between pages, to be polite
    max_pages: int = 50
    page_size: int = 100
    retries: int = 4
    backoff: float = 2.0  # seconds: the retries wait 2, 4, 8... (at most a minute)

    @classmethod
    def from_settings(cls, **overrides) -> Config:
        values = {
            name: getattr(settings, setting)
            for name, setting in (
                ("api_url", "CTGOV_API_URL"),
                ("countries", "CTGOV_SYNC_COUNTRIES"),
                ("timeout", "CTGOV_TIMEOUT"),
                ("delay", "CTGOV_SYNC_DELAY"),
                ("max_pages", "CTGOV_SYNC_MAX_PAGES"),
                ("page_size", "CTGOV_SYNC_PAGE_SIZE"),
                ("retries", "CTGOV_RETRIES"),
                ("backoff", "CTGOV_BACKOFF"),
            )
            if hasattr(settings, setting)
        }
        values.update({name: value for name, value in overrides.items() if value is not None})
        values["countries"] = tuple(values.get("countries") or cls.countries)
        values["api_url"] = values.get("api_url", cls.api_url).rstrip("/")
        return cls(**values)

    def for_a_person(self) -> Config:
        """Someone is waiting in the admin: one quick retry, a shorter timeout."""
        return replace(
            self,
            retries=min(self.retries, 1),
            backoff=min(self.backoff, 0.5),
            timeout=min(self.timeout, 15.0),
        )


class FetchError(Exception):
    """A page or record did not arrive. ``offline`` when the registry could not be reached at
    all (no network, a timeout), rather than answering with an error."""

    def __init__(self, message: str, *, offline: bool = False):
        super().__init__(message)
        self.offline = offline


class NotFound(FetchError):
    pass


@dataclass
class Page:
    """A page of the registry's answer (or one record), checked when it arrived but kept as it
    came: its studies are decoded again when they are imported, so a long sync holds bytes,
    not objects (1,000 studies are 19 MB of JSON and about 150 MB once decoded)."""

    name: str  # "page 2", or the saved file's path: the start of every message about it
    load: Callable[[], list]  # the page's studies
    count: int
    ids: frozenset[str]  # the NCT numbers on it
    next_token: str = ""
    total: int | None = None  # the registry's count of matching studies (first page only)

    @property
    def studies(self) -> list:
        return self.load()


# --------------------------------------------------------------------------------------------
# Talking to the registry


def session_for(config: Config) -> requests.Session:
    """A session that retries 429, 5xx, connection errors and timeouts with back-off."""
    retry = Retry(
        total=config.retries,
        connect=config.retries,
        read=config.retries,
        status=config.retries,
        status_forcelist=RETRY_STATUSES,
        allowed_methods={"GET"},
        backoff_factor=config.backoff,
        backoff_max=60,
        respect_retry_after_header=True,
        raise_on_status=False,  # give back the last answer, so the message can quote it
    )
    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.headers.update(
        {
            "Accept": "application/json",
            "User-Agent": f"NET patient information trial sync ({settings.SITE_URL})",
        }
    )
    return session


def conditions() -> list[str]:
    return list(RegistryCondition.objects.filter(active=True).values_list("term", flat=True))


def search_params(terms: list[str], countries: tuple[str, ...], page_size: int) -> dict:
    """The query for ``/studies``: any of the conditions, with a place in any of the
    countries. Terms of more than one word are quoted, so they match as a phrase."""
    return {
        "format": "json",
        "query.cond": " OR ".join(_quoted(term) for term in terms),
        "filter.advanced": " OR ".join(f"AREA[LocationCountry]{_quoted(c)}" for c in countries),
        "pageSize": page_size,
    }


def _quoted(text: str) -> str:
    text = text.replace('"', "").strip()
    return f'"{text}"' if " " in text else text


def _get(session, url: str, params: dict | None, name: str, config: Config) -> bytes:
    """GET an answer's bytes; FetchError naming ``name`` for anything but a 200."""
    tries = config.retries + 1
    try:
        response = session.get(url, params=params, timeout=config.timeout, stream=True)
        raw = _read(response, name)
    except requests.exceptions.Timeout:
        raise FetchError(
            f"{name}: {REGISTRY} did not answer within {config.timeout:g} seconds ({tries} tries).",
            offline=True,
        ) from None
    except requests.exceptions.ConnectionError as exc:
        if _timed_out(exc):  # a read timeout on the last try comes wrapped as this
            raise FetchError(
                f"{name}: {REGISTRY} did not answer within {config.timeout:g} seconds "
                f"({tries} tries).",
                offline=True,
            ) from None
        raise FetchError(
            f"{name}: could not reach {REGISTRY} ({_reason(exc)}; {tries} tries).", offline=True
        ) from None
    except requests.exceptions.RequestException as exc:
        raise FetchError(f"{name}: could not fetch it from {REGISTRY} ({exc}).") from None
    if response.status_code == 404:
        raise NotFound(f"{name}: {REGISTRY} has no such record (404 Not Found).")
    if response.status_code != 200:
        again = f" after {tries} tries" if response.status_code in RETRY_STATUSES else ""
        raise FetchError(
            f"{name}: {REGISTRY} answered {response.status_code} {response.reason}{again}"
            f"{_excerpt(raw)}."
        )
    return raw


def _decode(raw: bytes, name: str) -> Any:
    try:
        return ctgov.decode_json(raw, name)
    except RecordError as exc:
        raise FetchError(f"{exc} (not an API answer)") from None


def _read(response, name: str) -> bytes:
    limit = max_bytes_setting()
    chunks, size = [], 0
    for chunk in response.iter_content(chunk_size=64 * 1024):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            response.close()
            raise FetchError(f"{name}: the answer is over {limit:,} bytes, our limit.")
    return b"".join(chunks)


def _timed_out(exc: Exception) -> bool:
    for arg in (*exc.args, getattr(exc.args[0], "reason", None) if exc.args else None):
        # urllib3 makes "connection refused" a kind of connect timeout; it is not one here.
        if isinstance(arg, Urllib3Timeout) and not isinstance(arg, NewConnectionError):
            return True
    return False


def _reason(exc: Exception) -> str:
    """The innermost cause of a connection error, without urllib3's object reprs."""
    cause = exc
    while True:
        inner = getattr(cause, "reason", None) or cause.__cause__ or cause.__context__
        if inner is None or inner is cause or isinstance(inner, str):
            break
        cause = inner
    text = str(cause)
    if "] " in text and text.startswith("<"):
        text = text.split("] ", 1)[1]  # "<urllib3.connection...>: Failed to establish..."
    return text.split(": ", 1)[-1] if text.startswith("<") else text


def _excerpt(raw: bytes) -> str:
    text = " ".join(raw[:300].decode("utf-8", "replace").split())
    return f": {text[:200]}" if text else ""


def _page(data: Any, name: str, load: Callable[[], Any]) -> Page:
    """Check a decoded page; the Page keeps ``load`` to decode it again when it is used."""
    if not isinstance(data, dict) or not isinstance(data.get("studies"), list):
        raise FetchError(f'{name}: not an API page (expected {{"studies": [...]}}).')
    token = data.get("nextPageToken") or ""
    if not isinstance(token, str):
        raise FetchError(f"{name}: nextPageToken is not a string.")
    total = data.get("totalCount")
    return Page(
        name,
        lambda: load()["studies"],
        len(data["studies"]),
        frozenset(_nct_id(item) for item in data["studies"]) - {""},
        token,
        total if isinstance(total, int) else None,
    )


def fetch_pages(
    config: Config, terms: list[str], session=None, sleep: Callable = time.sleep
) -> tuple[list[Page], list[str]]:
    """Every page of the search, following ``nextPageToken`` up to ``config.max_pages``.

    Returns the pages and the problems that did not stop it (the page limit reached).
    Raises FetchError for a page that did not arrive.
    """
    session = session or session_for(config)
    params = search_params(terms, config.countries, config.page_size)
    url = f"{config.api_url}/studies"
    pages: list[Page] = []
    token = ""
    while True:
        if len(pages) == config.max_pages:
            return pages, [
                f"Stopped after {config.max_pages} pages, the limit (CTGOV_SYNC_MAX_PAGES): "
                f"the registry has more. The studies on later pages were not checked."
            ]
        if pages:
            sleep(config.delay)
        name = f"page {len(pages) + 1}"
        query = {**params, "pageToken": token} if token else {**params, "countTotal": "true"}
        raw = _get(session, url, query, name, config)
        pages.append(_page(_decode(raw, name), name, lambda raw=raw, name=name: _decode(raw, name)))
        token = pages[-1].next_token
        if not token:
            return pages, []


def saved_pages(folder) -> tuple[list[Page], list[str]]:
    """API pages saved as ``.json`` files in a folder, in the order of their names."""
    path = Path(folder)
    if not path.is_dir():
        raise FetchError(f"{path}: not a folder of saved pages.")
    files = sorted(path.glob("*.json"))
    if not files:
        raise FetchError(f"{path}: no .json files in this folder.")
    pages = []
    for file in files:
        try:
            data = ctgov.read_json_file(file, max_bytes_setting())
        except RecordError as exc:
            raise FetchError(str(exc)) from None
        pages.append(
            _page(
                data, str(file), lambda file=file: ctgov.read_json_file(file, max_bytes_setting())
            )
        )
    problems = []
    if pages[-1].next_token:
        problems.append(
            f"{pages[-1].name} names a next page (nextPageToken) but it is the last file: "
            "the saved pages are not the whole answer."
        )
    return pages, problems


def fetch_known(
    config: Config, found: set[str], session, sleep: Callable = time.sleep
) -> tuple[list[Page], list[str]]:
    """The record of every trial we have an NCT number for that the search did not return
    (its places are all outside the countries, say, or its conditions are worded otherwise),
    one request each, so every trial's facts are checked. Returns the records as one-study
    pages, and a problem for each number the registry does not know."""
    wanted = (
        Identifier.objects.filter(kind=RegistryKind.NCT)
        .exclude(value__in=found)
        .order_by("value")
        .values_list("value", flat=True)
    )
    pages, problems = [], []
    for nct_id in wanted:
        sleep(config.delay)
        name = f"{REGISTRY} record {nct_id}"
        url = f"{config.api_url}/studies/{nct_id}"
        try:
            raw = _get(session, url, {"format": "json"}, name, config)
            _decode(raw, name)
            pages.append(
                Page(name, lambda raw=raw, name=name: [_decode(raw, name)], 1, frozenset([nct_id]))
            )
        except NotFound:
            problems.append(f"{name}: the registry has no such record; check the trial's number.")
    return pages, problems


def fetch_study(nct_id: str, config: Config | None = None, session=None) -> Any:
    """One study's record, from ``/studies/{nct_id}``."""
    config = config or Config.from_settings()
    session = session or session_for(config)
    name = f"{REGISTRY} record {nct_id}"
    url = f"{config.api_url}/studies/{nct_id}"
    return _decode(_get(session, url, {"format": "json"}, name, config), name)


# --------------------------------------------------------------------------------------------
# The sync


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
        if pages_dir is not None:
            result.pages, result.problems = saved_pages(pages_dir)
        else:
            result.pages, result.problems = fetch_pages(config, terms, session, sleep)
            known, missing = fetch_known(config, _page_ids(result.pages), session, sleep)
            result.known = known
            result.problems += missing
    except FetchError as exc:
        result.failure = str(exc)
        return result

    started = timezone.now()
    importer = Importer(today=today, via=VIA_SYNC)
    seen: set[str] = set()
    for page in result.pages:
        try:
            studies = page.studies
        except (RecordError, FetchError) as exc:  # a saved file changed under us
            result.report.outcomes.append(Outcome("skipped", page.name, reason=str(exc)))
            continue
        for index, item in enumerate(studies):
            nct_id = _nct_id(item)
            if nct_id and nct_id in seen:
                continue  # the same study on two pages: the registry's order moved
            seen.add(nct_id)
            result.report.outcomes.append(importer.import_item(page.name, index, item))
    for page in result.known:
        result.report.outcomes.append(importer.import_item(page.name, 0, page.studies[0]))
    result.changes = list(
        RegistryChange.objects.open()
        .filter(found_at__gte=started, via=VIA_SYNC)
        .select_related("trial")
        .order_by("trial__title")
    )
    return result


def check_trial(nct_id: str, user=None, config: Config | None = None, session=None) -> Outcome:
    """Fetch one trial's record and import it, for someone waiting in the admin. FetchError
    when it could not be fetched."""
    config = config or Config.from_settings().for_a_person()
    data = fetch_study(nct_id, config, session)
    importer = Importer(user=user, via=VIA_CHECK)
    return importer.import_item(f"{REGISTRY} record {nct_id}", 0, data)


def _page_ids(pages: list[Page]) -> set[str]:
    return set().union(*(page.ids for page in pages))


def _nct_id(item: Any) -> str:
    try:
        value = item["protocolSection"]["identificationModule"]["nctId"]
    except (KeyError, TypeError):
        return ""
    return value if isinstance(value, str) else ""


def _plural(number: int, word: str, words: str = "") -> str:
    return f"{number} {word}" if number == 1 else f"{number} {words or word + 's'}"
