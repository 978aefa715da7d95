"""The four overview tiles: Total logs 30d, Errors 30d, Warnings 30d, Last update."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
from textual.widget import Widget

from core.timeutil import local_zone_name


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


class Tile(Widget):
    """A label over a value. An unchanged value draws nothing (an idle tick writes 0 bytes);
    a changed value repaints only its own line, never the label, and never lays out."""

    def __init__(self, label: str, *, id: str, short: str | None = None) -> None:
        super().__init__(id=id, classes="tile")
        self.label = label
        self.short = short or label  # the label when the tile is too narrow for `label`
        self._value: str | None = None

    def render(self) -> Text:
        """Two lines, each cut to the tile's width: a long label never pushes the value off
        (at 80 columns "Last update (UTC)" wrapped over its value)."""
        width = self.content_size.width or 80
        label = self.label if len(self.label) <= width else self.short
        text = Text(no_wrap=True)
        text.append(_cut(label, width) + "\n", style="dim")
        value = self._value or ""
        if len(value) > width and " · " in value:  # "3 min ago · 09:42": the first part
            value = value.split(" · ")[0]
        text.append(_cut(value, width), style="bold")
        return text

    def set_value(self, value: str, *, alert: str | None = None) -> None:
        self.set_class(alert == "error", "-error")
        self.set_class(alert == "warning", "-warning")
        if value == self._value:
            return
        first = self._value is None
        self._value = value
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
        yield Tile(f"Last update ({local_zone_name()})", id="tile-last", short="Last update")

    def show(self, total: int, errors: int, warnings: int, last: str) -> None:
        self.query_one("#tile-total", Tile).set_value(f"{total:,}")
        self.query_one("#tile-errors", Tile).set_value(
            f"{errors:,}" + (" ✖" if errors else ""), alert="error" if errors else None
        )
        self.query_one("#tile-warnings", Tile).set_value(
            f"{warnings:,}" + (" ▲" if warnings else ""), alert="warning" if warnings else None
        )
        self.query_one("#tile-last", Tile).set_value(last)
