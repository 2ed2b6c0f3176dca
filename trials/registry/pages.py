"""The registry's answers as pages: every page of the conditions search (following
``nextPageToken``), pages saved in a folder, and the record of each known trial the search
did not return. Every page is checked when it arrives and decoded again when it is used."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trials.choices import RegistryKind
from trials.models import Identifier, RegistryCondition
from trials.registry import REGISTRY
from trials.registry.api import Config, FetchError, NotFound, decode, get, session_for
from trials.registry.files import read_json_file
from trials.registry.records import RecordError
from trials.registry.sources import max_bytes_setting


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
        frozenset(study_nct_id(item) for item in data["studies"]) - {""},
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
        raw = get(session, url, query, name, config)
        pages.append(_page(decode(raw, name), name, lambda raw=raw, name=name: decode(raw, name)))
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
            data = read_json_file(file, max_bytes_setting())
        except RecordError as exc:
            raise FetchError(str(exc)) from None
        pages.append(
            _page(data, str(file), lambda file=file: read_json_file(file, max_bytes_setting()))
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
            raw = get(session, url, {"format": "json"}, name, config)
            decode(raw, name)
            pages.append(
                Page(name, lambda raw=raw, name=name: [decode(raw, name)], 1, frozenset([nct_id]))
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
    return decode(get(session, url, {"format": "json"}, name, config), name)


def study_nct_id(item: Any) -> str:
    """The NCT number a study item says it has, or "" (not checked: see the parser)."""
    try:
        value = item["protocolSection"]["identificationModule"]["nctId"]
    except (KeyError, TypeError):
        return ""
    return value if isinstance(value, str) else ""
