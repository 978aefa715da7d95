"""Dotted paths into JSON: 'company.name', 'paging.next.after', 'items.0.id'."""

from __future__ import annotations

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
    """Set a nested destination field, creating tables on the way ('address.city')."""
    parts = split_path(path)
    cur = obj
    for part in parts[:-1]:
        nxt = cur.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            cur[part] = nxt
        cur = nxt
    cur[parts[-1]] = value
