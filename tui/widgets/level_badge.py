"""The level badge: coloured, and readable without colour (a glyph and the word)."""

from __future__ import annotations

from rich.text import Text

_BADGES = {
    "INFO": ("i INFO   ", "bold #e0e0e0 on #1f4e79"),
    "WARNING": ("▲ WARNING", "bold black on #d78700"),
    "ERROR": ("✖ ERROR  ", "bold white on #af0000"),
}


def level_badge(level: object) -> Text:
    """`level` is a LogLevel or its string; unknown levels are shown plainly."""
    name = str(getattr(level, "value", level)).upper()
    label, style = _BADGES.get(name, (f"? {name[:7]:<7}", "bold"))
    return Text(label, style=style, no_wrap=True)
