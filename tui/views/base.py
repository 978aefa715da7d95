"""Shared shapes of the log viewer: the level stack entry, filters, scope, a fetched window."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from rich.text import Text

from core.console_api import ConsoleAPI
from core.text import clean, plural
from core.timeutil import parse_span

from ..widgets.figures import figure

T = TypeVar("T")

LEVELS = (None, "INFO", "WARNING", "ERROR")
KINDS = (None, "milestone", "event")
RANGES = ("30d", "7d", "24h", "1h")
PAGE_SIZES = (20, 25, 50, 100)


@dataclass
class Scope:
    connector: str | None = None
    service: str | None = None

    @property
    def label(self) -> str | None:
        if self.service:
            return f"service {self.service}"
        if self.connector:
            return f"connector {self.connector}"
        return None

    def as_kwargs(self) -> dict[str, str]:
        return {k: v for k, v in (("connector", self.connector), ("service", self.service)) if v}


@dataclass
class Filters:
    level: str | None = None
    connector: str | None = None
    kind: str | None = None
    range: str = "30d"
    page_size: int = 20
    failed_only: bool = False  # `f`: failed runs, steps, pages, entities, calls; ERROR logs
    dates: str = ""  # `T`: a date or a range as typed ('2026-11-20', '2026-11-20..2026-11-22')
    since_at: float | None = None  # what `dates` means, resolved when it was typed
    until_at: float | None = None
    account: str = ""  # `a`: log events about one record (external or internal id)

    def since(self, now: float) -> float | None:
        if self.dates:
            return self.since_at
        return now - parse_span(self.range)

    def until(self) -> float | None:
        return self.until_at if self.dates else None


@dataclass
class Level:
    """One entry of the drill-down stack; it keeps its page anchor and cursor for coming back."""

    kind: str
    crumb: str
    ids: dict[str, int] = field(default_factory=dict)
    after: int | None = None
    before: int | None = None
    page_no: int = 1
    cursor_key: str | None = None
    search: str = ""
    external_id: str | None = None  # entities opened from a search keep the id as a filter
    back_to: str | None = None  # a run opened from a log row: escape returns to that root

    def first_page(self) -> None:
        self.after = self.before = None
        self.page_no = 1


@dataclass
class Window(Generic[T]):
    items: list[T]
    total: int
    has_next: bool = False
    has_prev: bool = False
    note: str = ""  # e.g. "2 steps · 5 entities match"

    @classmethod
    def of(cls, page: Any, note: str = "") -> Window[T]:
        return cls(list(page.items), page.total, page.has_next, page.has_prev, note)

    def failed_note(self, q: Query, one: str, many: str) -> Window[T]:
        """With failed-only on, the note counts the failed rows of the level ('1 failed call',
        '2 failed calls')."""
        if q.filters.failed_only:
            counted = plural(self.total, one, many)
            self.note = f"{counted} · {self.note}" if self.note else counted
        return self

    @property
    def next_key(self) -> int | None:
        return getattr(self.items[-1], "id", None) if self.items and self.has_next else None

    @property
    def prev_key(self) -> int | None:
        return getattr(self.items[0], "id", None) if self.items and self.has_prev else None


@dataclass
class Query:
    """Everything a view needs to fetch one window."""

    api: ConsoleAPI
    level: Level
    filters: Filters
    scope: Scope
    now: float

    @property
    def paging(self) -> dict[str, Any]:
        return {
            "limit": self.filters.page_size,
            "after": self.level.after,
            "before": self.level.before,
        }


class View(Protocol):
    kind: str
    title: str
    newest_first: bool
    row_height: int
    columns: list[Any]  # Col (tui.widgets.paged_table): priority, minimum, preferred width

    async def fetch(self, q: Query, **paging: Any) -> Window[Any]: ...
    def cells(self, item: Any, now: float) -> list[Text]: ...
    def child(self, item: Any, level: Level) -> Level | None: ...
    def detail(self, item: Any, now: float) -> Text: ...
    def copy_value(self, item: Any) -> str: ...
    def export_row(self, item: Any) -> dict[str, object]: ...


def t(value: object, limit: int = 60, style: str = "") -> Text:
    """An untrusted value as one line of plain text: control bytes stripped, cut with '…'."""
    return Text(clean(value, limit, single_line=True), style=style, no_wrap=True)


def n(value: int | None, style: str = "") -> Text:
    """A figure: '1,187', abbreviated ('1.2k') rather than cut in a narrow column."""
    return figure(value, style)
