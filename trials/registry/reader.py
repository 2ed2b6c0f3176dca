"""Typed access to a study record's JSON, raising ``RecordError`` with the record's name and
the field's path ("record 3 (NCT00973089): protocolSection.designModule.phases: ...").
Pure Python: no Django."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from trials.registry.records import PartialDate, RecordError

_MISSING = object()


class Reader:
    """Reads values out of a record, raising RecordError with the record name and JSON path."""

    def __init__(self, index: int):
        self.index = index
        self.nct_id = ""

    @property
    def label(self) -> str:
        if self.nct_id:
            return f"record {self.index} ({self.nct_id})"
        return f"record {self.index}"

    def error(self, path: str, problem: str) -> RecordError:
        return RecordError.at(self.label, path, problem)

    def _raw(self, obj: dict, key: str, path: str, required: bool) -> Any:
        value = obj.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise self.error(path, "missing")
            return _MISSING
        return value

    def dict(self, obj: dict, key: str, path: str, *, required: bool = False) -> dict:
        value = self._raw(obj, key, path, required)
        if value is _MISSING:
            return {}
        if not isinstance(value, dict):
            raise self.error(path, f"expected an object, got {type_name(value)}")
        return value

    def list(self, obj: dict, key: str, path: str) -> list:
        value = self._raw(obj, key, path, False)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            raise self.error(path, f"expected a list, got {type_name(value)}")
        return value

    def dicts(self, obj: dict, key: str, path: str) -> Iterator[tuple[str, dict]]:
        """Each item of a list of objects, with its path; null items are skipped."""
        for i, item in enumerate(self.list(obj, key, path)):
            if item is None:
                continue
            if not isinstance(item, dict):
                raise self.error(f"{path}[{i}]", f"expected an object, got {type_name(item)}")
            yield f"{path}[{i}]", item

    def str(self, obj: dict, key: str, path: str, *, required: bool = False) -> str:
        value = self._raw(obj, key, path, required)
        if value is _MISSING:
            return ""
        if not isinstance(value, str):
            raise self.error(path, f"expected a string, got {type_name(value)}")
        value = value.strip()
        if required and not value:
            raise self.error(path, "empty")
        return value

    def strs(self, obj: dict, key: str, path: str) -> list[str]:
        out = []
        for i, item in enumerate(self.list(obj, key, path)):
            if item is None:
                continue
            if not isinstance(item, str):
                raise self.error(f"{path}[{i}]", f"expected a string, got {type_name(item)}")
            if item.strip():
                out.append(item.strip())
        return out

    def bool(self, obj: dict, key: str, path: str) -> bool | None:
        value = self._raw(obj, key, path, False)
        if value is _MISSING:
            return None
        if not isinstance(value, bool):
            raise self.error(path, f"expected true or false, got {type_name(value)}")
        return value

    def int(self, obj: dict, key: str, path: str) -> int | None:
        value = self._raw(obj, key, path, False)
        if value is _MISSING:
            return None
        # bool is a subclass of int; a count of `true` is a mistake, not 1.
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(path, f"expected a whole number, got {type_name(value)}")
        if value < 0:
            raise self.error(path, f"must not be negative, got {value}")
        return value

    def date(self, obj: dict, key: str, path: str) -> tuple[PartialDate | None, str]:
        """A ``...DateStruct`` object: returns (date, type) where type is ACTUAL/ESTIMATED/""."""
        struct = self.dict(obj, key, path)
        if not struct:
            return None, ""
        text = self.str(struct, "date", f"{path}.date")
        kind = self.str(struct, "type", f"{path}.type")
        if not text:
            return None, kind
        try:
            return PartialDate.parse(text), kind
        except ValueError as exc:
            raise self.error(f"{path}.date", str(exc)) from None


def type_name(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)
