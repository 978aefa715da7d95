"""Keyset pages: a window of rows plus the total, and the keys to move either way."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

PAGE_SIZES = (20, 25, 50, 100)
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    has_next: bool
    has_prev: bool
    limit: int
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def next_key(self) -> int | None:
        """Pass as `after` to get the next page."""
        return _key(self.items[-1]) if self.items and self.has_next else None

    @property
    def prev_key(self) -> int | None:
        """Pass as `before` to get the previous page."""
        return _key(self.items[0]) if self.items and self.has_prev else None


def _key(item: object) -> int | None:
    """The keyset key of a row: its id; a search hit is keyed on its entity's id."""
    key = getattr(item, "id", None)
    return getattr(item, "entity_id", None) if key is None else key


@dataclass
class Where:
    """A WHERE clause built from optional filters, with its parameters."""

    parts: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)

    def add(self, sql: str, *params: object) -> Where:
        self.parts.append(sql)
        self.params.extend(params)
        return self

    def sql(self) -> str:
        return (" WHERE " + " AND ".join(self.parts)) if self.parts else ""
