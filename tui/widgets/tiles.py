"""The four overview tiles: Total logs 30d, Errors 30d, Warnings 30d, Last update."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from core.timeutil import local_zone_name


class Tile(Static):
    """A label over a value; updates only when the text changes (an idle tick writes nothing)."""

    def __init__(self, label: str, *, id: str) -> None:
        super().__init__(id=id, classes="tile")
        self.label = label
        self._value: str | None = None

    def set_value(self, value: str, *, alert: str | None = None) -> None:
        self.set_class(alert == "error", "-error")
        self.set_class(alert == "warning", "-warning")
        if value == self._value:
            return
        self._value = value
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(self.label + "\n", style="dim")
        text.append(value, style="bold")
        self.update(text)


class Tiles(Horizontal):
    """Total logs, Errors (red when above 0), Warnings (orange when above 0), Last update."""

    def compose(self) -> ComposeResult:
        yield Tile("Total logs (30d)", id="tile-total")
        yield Tile("Errors (30d)", id="tile-errors")
        yield Tile("Warnings (30d)", id="tile-warnings")
        yield Tile(f"Last update ({local_zone_name()})", id="tile-last")

    def show(self, total: int, errors: int, warnings: int, last: str) -> None:
        self.query_one("#tile-total", Tile).set_value(f"{total:,}")
        self.query_one("#tile-errors", Tile).set_value(
            f"{errors:,}" + (" ✖" if errors else ""), alert="error" if errors else None
        )
        self.query_one("#tile-warnings", Tile).set_value(
            f"{warnings:,}" + (" ▲" if warnings else ""), alert="warning" if warnings else None
        )
        self.query_one("#tile-last", Tile).set_value(last)
