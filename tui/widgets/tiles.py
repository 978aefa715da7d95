"""The four overview tiles: Total logs 30d, Errors 30d, Warnings 30d, Last update."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
from textual.widget import Widget

from core.timeutil import local_zone_name


class Tile(Widget):
    """A label over a value. An unchanged value draws nothing (an idle tick writes 0 bytes);
    a changed value repaints only its own line, never the label, and never lays out."""

    def __init__(self, label: str, *, id: str) -> None:
        super().__init__(id=id, classes="tile")
        self.label = label
        self._value: str | None = None
        self._text = self._compose_text("")

    def _compose_text(self, value: str) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(self.label + "\n", style="dim")
        text.append(value, style="bold")
        return text

    def render(self) -> Text:
        return self._text

    def set_value(self, value: str, *, alert: str | None = None) -> None:
        self.set_class(alert == "error", "-error")
        self.set_class(alert == "warning", "-warning")
        if value == self._value:
            return
        first = self._value is None
        self._value = value
        self._text = self._compose_text(value)
        if first or not self.content_size:
            self.refresh()
        else:
            self.refresh(Region(0, 1, self.content_size.width, 1))


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
