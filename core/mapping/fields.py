"""Field mappings: compile a stream's [fields] once, map each pulled record to a payload.

Order per field: read `from` (one path, or several for concat), apply the transforms, look the
value up, fall back to `default`, then check `required`. A record with an empty required value
or an unmapped lookup value without a default is skipped with a reason in words.

Each field is compiled once per step into a plain closure (paths pre-split, transforms chained,
lookup table and default bound), so mapping a record interprets no spec.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

from ..config import FieldSpec, StreamConfig
from .paths import compile_set, get_path, split_path
from .transforms import TransformError, chain


class Skip(Exception):
    """The record is skipped; the message is the reason."""


@dataclass(frozen=True, slots=True)
class IdRef:
    """A value to be replaced by the destination id another stream gave it (id_of); the pusher
    resolves these per page, from the id map, before the payload is hashed or sent."""

    stream: str
    external_id: str
    kind: str = "string"


class MappingFailed(Exception):
    """A value could not be converted; the entity fails with this reason."""


def empty(v: Any) -> bool:
    return v is None or v == "" or v == []


@dataclass(slots=True)
class MapResult:
    payload: dict[str, Any] | None = None
    skip_reason: str = ""
    fail_reason: str = ""
    unmapped: list[tuple[str, str]] = field(default_factory=list)  # (lookup, source value)


# The one payload hash encoder. Its output is byte-identical to json.dumps(payload,
# sort_keys=True, separators=(",", ":"), default=str): every stored hash depends on it.
# JSONEncoder.encode builds a new C encoder (and a circular-reference memo) per call; the C
# encoder is built once here, without the memo: a mapped payload is a tree (parsed JSON and
# transform results), never circular. About half the cost per record.
_HASH_JSON: Callable[[Any], str]
if c_make_encoder is not None:
    _encode = c_make_encoder(None, str, encode_basestring_ascii, None, ":", ",", True, False, True)
    _HASH_JSON = lambda payload: "".join(_encode(payload, 0))  # noqa: E731
else:  # pragma: no cover - CPython always has the C encoder
    _HASH_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str).encode
_blake2b = hashlib.blake2b


def payload_hash(payload: dict[str, Any]) -> str:
    return _blake2b(_HASH_JSON(payload).encode(), digest_size=16).hexdigest()


_NO_TABLE: dict[str, str] = {}
Getter = Callable[[Any], Any]
# A compiled field: (record, payload being built, unmapped lookup values) -> None; raises Skip
# or MappingFailed with the reason in words.
FieldFn = Callable[[Any, dict[str, Any], list[tuple[str, str]]], None]


def compile_get(path: str | None) -> Getter:
    """get_path(rec, path) with the path split once; plain dicts take a fast path and anything
    else (lists, other types, a missing key) falls back to get_path, so results are the same."""
    parts = split_path(path) if path else ()
    if not parts:
        return lambda rec: rec
    if len(parts) == 1:
        (a,) = parts

        def get1(rec: Any) -> Any:
            if type(rec) is dict:
                return rec.get(a)
            return get_path(rec, path)

        return get1
    if len(parts) == 2:
        a, b = parts

        def get2(rec: Any) -> Any:
            if type(rec) is dict:
                v = rec.get(a)
                if type(v) is dict:
                    return v.get(b)
            return get_path(rec, path)

        return get2
    return lambda rec: get_path(rec, path)


def _getter(spec: FieldSpec) -> tuple[Getter, str]:
    src = spec.from_
    if src is None:
        const = spec.value
        return (lambda rec: const), "value"
    if isinstance(src, list):
        getters = [compile_get(p) for p in src]
        return (lambda rec: [g(rec) for g in getters]), "+".join(src)
    return compile_get(src), src


def compile_field(dest: str, spec: FieldSpec, lookups: dict[str, dict[str, str]]) -> FieldFn:
    get, source_name = _getter(spec)
    transform = chain(spec.transforms)
    lookup = spec.lookup
    default = spec.default
    required = spec.required
    nested = "." in dest
    id_of, id_type = spec.id_of, spec.id_type
    failed = f"field {dest}: "
    empty_required = f"required field {dest} is empty"

    put = compile_set(dest) if nested else None
    simple = id_of is None and not nested
    if transform is None and lookup is None and default is None and not required and simple:

        def plain(rec: Any, out: dict[str, Any], unmapped: list[tuple[str, str]]) -> None:
            out[dest] = get(rec)

        return plain
    if lookup is None and default is None and not required and simple:
        assert transform is not None

        def transformed(rec: Any, out: dict[str, Any], unmapped: list[tuple[str, str]]) -> None:
            try:
                out[dest] = transform(get(rec))
            except TransformError as exc:
                raise MappingFailed(failed + str(exc)) from None

        return transformed
    plain = transform is None and lookup is None and default is None and not required
    if plain and put is not None and id_of is None:  # a nested destination, copied as it is

        def plain_nested(rec: Any, out: dict[str, Any], unmapped: list[tuple[str, str]]) -> None:
            put(out, get(rec))

        return plain_nested

    def general(rec: Any, out: dict[str, Any], unmapped: list[tuple[str, str]]) -> None:
        v = get(rec)
        if transform is not None:
            try:
                v = transform(v)
            except TransformError as exc:
                raise MappingFailed(failed + str(exc)) from None
        if lookup is not None and not (v is None or v == "" or v == []):
            key = str(v)
            table = lookups.get(lookup, _NO_TABLE)  # read per record: tables may be edited
            if key in table:
                v = table[key]
            else:
                unmapped.append((lookup, key))
                if default is None:
                    raise Skip(f"{source_name} '{key}' has no mapping in lookup {lookup}")
                v = None
        if default is not None and (v is None or v == "" or v == []):
            v = default
        if required and (v is None or v == "" or v == []):
            raise Skip(empty_required)
        if id_of is not None and not (v is None or v == "" or v == []):
            v = IdRef(id_of, str(v), id_type)
        if put is not None:
            put(out, v)
        else:
            out[dest] = v

    return general


class Mapper:
    def __init__(self, stream: StreamConfig, lookups: dict[str, dict[str, str]]) -> None:
        self.stream = stream
        self.lookups = lookups
        self._fields: tuple[FieldFn, ...] = tuple(
            compile_field(dest, spec, lookups) for dest, spec in stream.fields.items()
        )
        self._key = compile_get(stream.key)

    def external_id(self, record: Any) -> str | None:
        v = self._key(record)
        if type(v) is str:
            return v or None
        return None if v is None or v == [] else str(v)

    def map_record(self, record: dict[str, Any], unmapped: list[tuple[str, str]]) -> dict[str, Any]:
        """The payload of one record; raises Skip or MappingFailed with the reason in words.
        Lookup values with no mapping are appended to `unmapped` (also when a default applies)."""
        fields = self._fields
        if not fields:  # no mapping declared: push the record as it is
            return dict(record)
        out: dict[str, Any] = {}
        for f in fields:
            f(record, out, unmapped)
        return out

    def map(self, record: dict[str, Any]) -> MapResult:
        res = MapResult()
        try:
            res.payload = self.map_record(record, res.unmapped)
        except MappingFailed as exc:
            res.fail_reason = str(exc)
        except Skip as exc:
            res.skip_reason = str(exc)
        return res
