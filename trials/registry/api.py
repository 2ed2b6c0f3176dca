"""Talking to ClinicalTrials.gov's API (version 2): the settings, a session that retries with
back-off (urllib3's ``Retry``), and one GET that turns every failure into a ``FetchError``
naming what was asked for."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError
from urllib3.exceptions import TimeoutError as Urllib3Timeout
from urllib3.util.retry import Retry

from trials.registry import REGISTRY
from trials.registry.files import decode_json
from trials.registry.records import RecordError
from trials.registry.sources import max_bytes_setting

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


def get(session, url: str, params: dict | None, name: str, config: Config) -> bytes:
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


def decode(raw: bytes, name: str) -> Any:
    try:
        return decode_json(raw, name)
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
