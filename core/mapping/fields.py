"""Field mappings: compile a stream's [fields] once, map each pulled record to a payload.

Order per field: read `from` (one path, or several for concat), apply the transforms, look the
value up, fall back to `default`, then check `required`. A record with an empty required value
or an unmapped lookup value without a default is skipped with a reason in words.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..config import FieldSpec, StreamConfig
from .paths import get_path, set_path
from .transforms import Transform, TransformError, chain


class Skip(Exception):
    """The record is skipped; the message is the reason."""


class MappingFailed(Exception):
    """A value could not be converted; the entity fails with this reason."""


def empty(v: Any) -> bool:
    return v is None or v == "" or v == []


@dataclass(slots=True)
class _Field:
    dest: str
    getter: Callable[[dict[str, Any]], Any]
    source_name: str
    transform: Transform | None
    lookup: str | None
    default: Any
    required: bool


@dataclass(slots=True)
class MapResult:
    payload: dict[str, Any] | None = None
    skip_reason: str = ""
    fail_reason: str = ""
    unmapped: list[tuple[str, str]] = field(default_factory=list)  # (lookup, source value)


def _getter(spec: FieldSpec) -> tuple[Callable[[dict[str, Any]], Any], str]:
    src = spec.from_
    if src is None:
        const = spec.value
        return (lambda rec: const), "value"
    if isinstance(src, list):
        paths = list(src)
        return (lambda rec: [get_path(rec, p) for p in paths]), "+".join(paths)
    return (lambda rec: get_path(rec, src)), src


def payload_hash(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


class Mapper:
    def __init__(self, stream: StreamConfig, lookups: dict[str, dict[str, str]]) -> None:
        self.stream = stream
        self.lookups = lookups
        self.fields: list[_Field] = []
        for dest, spec in stream.fields.items():
            getter, source_name = _getter(spec)
            self.fields.append(
                _Field(
                    dest=dest,
                    getter=getter,
                    source_name=source_name,
                    transform=chain(spec.transforms),
                    lookup=spec.lookup,
                    default=spec.default,
                    required=spec.required,
                )
            )

    def external_id(self, record: Any) -> str | None:
        v = get_path(record, self.stream.key)
        return None if empty(v) else str(v)

    def map(self, record: dict[str, Any]) -> MapResult:
        out: dict[str, Any] = {}
        res = MapResult()
        if not self.fields:  # no mapping declared: push the record as it is
            res.payload = dict(record)
            return res
        for f in self.fields:
            v = f.getter(record)
            if f.transform is not None:
                try:
                    v = f.transform(v)
                except TransformError as exc:
                    res.fail_reason = f"field {f.dest}: {exc}"
                    return res
            if f.lookup is not None and not empty(v):
                table = self.lookups.get(f.lookup, {})
                key = str(v)
                if key in table:
                    v = table[key]
                else:
                    res.unmapped.append((f.lookup, key))
                    if f.default is None:
                        res.skip_reason = (
                            f"{f.source_name} '{key}' has no mapping in lookup {f.lookup}"
                        )
                        return res
                    v = None
            if empty(v) and f.default is not None:
                v = f.default
            if f.required and empty(v):
                res.skip_reason = f"required field {f.dest} is empty"
                return res
            if "." in f.dest:
                set_path(out, f.dest, v)
            else:
                out[f.dest] = v
        res.payload = out
        return res
