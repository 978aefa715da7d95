"""Status cells readable without colour: a glyph and the word."""

from __future__ import annotations

from rich.text import Text

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


def counts_cell(*counts: int, failed: int) -> Text:
    """'2/13/239/7' for created/updated/skipped/failed (or pulled/C/U/F): the failed count is
    red when above 0 and never cut when the column is narrow (the middle gives way)."""
    from ..widgets.paged_table import tail_text

    text = Text("/".join(f"{c:,}" for c in counts) + "/", justify="right", no_wrap=True)
    text.append(f"{failed:,}", style="bold #ff5f5f" if failed else "")
    return tail_text(text, len(f"{failed:,}") + 1)
