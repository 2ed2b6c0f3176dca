"""Where an import's records come from: files and folders (the command), an upload (the
admin page), each read within the size limit. A source is a name for messages and a function
returning its decoded JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings

from trials.registry.files import DEFAULT_MAX_BYTES, decode_json, read_json_file
from trials.registry.records import RecordError

#: A source is a name (shown in messages) and a function returning its decoded JSON.
Source = tuple[str, Callable[[], Any]]


def max_bytes_setting():
    """The largest file an import reads: ``CTGOV_IMPORT_MAX_BYTES``, 20 MiB unless set."""
    return getattr(settings, "CTGOV_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def file_sources(paths: Iterable, max_bytes: int | None = None) -> list[Source]:
    """Sources for files, and for the ``.json`` files in folders (sorted, folders searched
    through)."""
    limit = max_bytes_setting() if max_bytes is None else max_bytes
    sources: list[Source] = []
    for item in paths:
        path = Path(item)
        files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
        if path.is_dir() and not files:
            sources.append((str(path), _raiser(f"{path}: no .json files in this folder")))
        for file in files:
            sources.append((str(file), lambda file=file: read_json_file(file, limit)))
    return sources


def upload_source(upload, max_bytes: int | None = None) -> Source:
    """A source for an uploaded file; its size is checked before a byte of it is read."""
    limit = max_bytes_setting() if max_bytes is None else max_bytes
    name = Path(upload.name or "upload").name

    def load():
        if upload.size is not None and upload.size > limit:
            raise RecordError(
                f"file too large: {name} is {upload.size:,} bytes, the limit is {limit:,}",
                record=name,
            )
        raw = upload.read(limit + 1)
        if len(raw) > limit:
            raise RecordError(f"file too large: {name} is over {limit:,} bytes", record=name)
        return decode_json(raw, name)

    return name, load


def _raiser(message):
    def load():
        raise RecordError(message)

    return load
