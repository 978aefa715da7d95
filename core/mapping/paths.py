"""Dotted paths into JSON: 'company.name', 'paging.next.after', 'items.0.id'."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

MISSING = object()


@lru_cache(maxsize=1024)
def split_path(path: str) -> tuple[str, ...]:
    return tuple(p for p in path.split(".") if p)


def get_path(obj: Any, path: str | None, default: Any = None) -> Any:
    """The value at `path`, or `default` when any part is absent. '' or None is `obj` itself."""
    if not path:
        return obj
    cur = obj
    for part in split_path(path):
        if isinstance(cur, dict):
            if part not in cur:
                return default
            cur = cur[part]
        elif isinstance(cur, list):
            try:
                cur = cur[int(part)]
            except (ValueError, IndexError):
                return default
        else:
            return default
    return cur


def has_path(obj: Any, path: str) -> bool:
    return get_path(obj, path, MISSING) is not MISSING


def set_path(obj: dict[str, Any], path: str, value: Any) -> None:
    """Set a nested destination field, creating what is missing on the way: a table for a
    name ('address.city'), a list for a number ('Phones.0.PhoneNumber' -> {"Phones": [{...}]}).
    A list is padded with empty tables up to the index."""
    parts = split_path(path)
    cur: Any = obj
    for part, nxt_part in zip(parts[:-1], parts[1:], strict=True):
        make = list if nxt_part.isdigit() else dict
        cur = _child(cur, part, make)
    _put(cur, parts[-1], value)


def compile_set(path: str) -> Callable[[dict[str, Any], Any], None]:
    """set_path(obj, path, value) with the path split once. A path of names only (no list
    index: 'properties.email') takes a fast path that does what set_path does for it; any
    other falls back to set_path."""
    parts = split_path(path)
    if not parts or any(p.isdigit() for p in parts):
        return lambda obj, value: set_path(obj, path, value)
    *heads, last = parts

    def set_names(obj: dict[str, Any], value: Any) -> None:
        cur = obj
        for part in heads:
            nxt = cur.get(part)
            if not isinstance(nxt, dict):
                nxt = cur[part] = {}
            cur = nxt
        cur[last] = value

    return set_names


def _child(cur: Any, part: str, make: type) -> Any:
    if isinstance(cur, list):
        i = int(part)
        while len(cur) <= i:
            cur.append({})
        if not isinstance(cur[i], make):
            cur[i] = make()
        return cur[i]
    nxt = cur.get(part)
    if not isinstance(nxt, make):
        nxt = make()
        cur[part] = nxt
    return nxt


def _put(cur: Any, part: str, value: Any) -> None:
    if isinstance(cur, list):
        i = int(part)
        while len(cur) <= i:
            cur.append(None)
        cur[i] = value
    else:
        cur[part] = value
