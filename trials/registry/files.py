"""Reading ClinicalTrials.gov JSON files safely: a size limit checked before reading,
strict decoding, and the studies in a single study, a list, or an API page.
Pure Python: no Django."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from trials.registry.reader import type_name
from trials.registry.records import RecordError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def split_records(data: Any) -> list:
    """The list of study items in a single study, a list of studies, or ``{"studies": [...]}``.

    Only the container is checked (RecordError for anything else); the items are returned as
    they are, so a caller can parse each with :func:`parse_study`, which rejects an item that is
    not a study object with a message naming it, and still use the items after it.
    """
    if isinstance(data, dict):
        if "studies" in data and "protocolSection" not in data:
            items = data["studies"]
            if not isinstance(items, list):
                raise RecordError.at(
                    "top level", "studies", f"expected a list of studies, got {type_name(items)}"
                )
            return items
        return [data]
    if isinstance(data, list):
        return data
    raise RecordError.at(
        "top level",
        "",
        f'expected a study, a list of studies or {{"studies": [...]}}, got {type_name(data)}',
    )


def iter_records(data: Any) -> Iterator[dict]:
    """Study objects from a single study, a list of studies, or ``{"studies": [...]}``.

    The container is checked at once (RecordError for anything else); the items are checked as
    they are handed out, so the studies before a bad item can still be used.
    """
    return _checked_items(split_records(data))


def _checked_items(items: list) -> Iterator[dict]:
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise RecordError.at(
                f"record {i}", "", f"expected a study object, got {type_name(item)}"
            )
        yield item


def load_file(path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[tuple[int, dict]]:
    """Read a JSON file of studies and return an iterator of ``(index, study)``.

    The file's size is checked before it is opened; a file over ``max_bytes`` (or one that grows
    past it while being read) raises RecordError without being read into memory. Malformed JSON,
    bad UTF-8, NaN/Infinity and absurdly deep nesting raise RecordError naming the file (and the
    line and column for JSON errors). The file is read and decoded here, eagerly; the records are
    handed out lazily.
    """
    return enumerate(iter_records(read_json_file(path, max_bytes)))


def read_json_file(path, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """The decoded JSON of a file, with the checks described in :func:`load_file`."""
    name = os.fspath(path)
    try:
        size = os.stat(name).st_size
    except OSError as exc:
        raise RecordError(f"{name}: cannot read file: {exc.strerror or exc}", record=name) from None
    if size > max_bytes:
        raise RecordError(
            f"file too large: {name} is {size:,} bytes, the limit is {max_bytes:,}", record=name
        )
    try:
        with open(name, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise RecordError(f"{name}: cannot read file: {exc.strerror or exc}", record=name) from None
    if len(raw) > max_bytes:
        raise RecordError(f"file too large: {name} is over {max_bytes:,} bytes", record=name)
    return decode_json(raw, name)


def decode_json(raw: bytes, name: str) -> Any:
    """Decode a file's bytes (UTF-8, optional BOM) as JSON; RecordError naming ``name``."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordError(
            f"{name}: not UTF-8 text (byte {exc.start}: {exc.reason})", record=name
        ) from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise RecordError(
            f"{name}: malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
            record=name,
        ) from None
    except ValueError as exc:  # NaN / Infinity
        raise RecordError(f"{name}: malformed JSON: {exc}", record=name) from None
    except RecursionError:
        raise RecordError(f"{name}: malformed JSON: nested too deeply", record=name) from None


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")
