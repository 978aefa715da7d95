"""Status cells readable without colour: a glyph and the word."""

from __future__ import annotations

from rich.text import Text

from ..widgets.figures import counts_cell

__all__ = ["counts_cell", "http_cell", "status_cell"]

_STATUS = {
    "success": ("✔", "#5fd75f"),
    "partial": ("◐", "#d78700"),
    "failed": ("✖", "#ff5f5f"),
    "running": ("▶", "#5fafff"),
    "queued": ("…", ""),
    "cancelled": ("⊘", "dim"),
    "interrupted": ("↯", "#ff5f5f"),
    "stale": ("⚠", "#d78700"),  # "running" in the store, but its process is gone or silent
    "skipped": ("·", "dim"),
}


def status_cell(value: object) -> Text:
    name = str(getattr(value, "value", value))
    glyph, style = _STATUS.get(name, ("?", ""))
    return Text(f"{glyph} {name}", style=style, no_wrap=True)


def http_cell(code: int | None) -> Text:
    if code is None:
        return Text("—", style="dim")
    style = "#5fd75f" if code < 300 else ("#d78700" if code < 500 and code != 401 else "#ff5f5f")
    if code in (401, 403) or code >= 500:
        style = "#ff5f5f"
    return Text(str(code), style=style)
