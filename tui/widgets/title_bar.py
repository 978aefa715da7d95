"""The one-line title of an admin screen: where you are, "read-only" when it is, the screen keys."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from core.text import clean

from .mode_badge import BADGE_STYLE, mode_of

SCREEN_KEYS = "C connectors · S services · M mappings · L logs"


class TitleBar(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._shown = ""

    def show(self, title: str, *, read_only: bool, extra: str = "") -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("syncdeck › ", style="dim")
        text.append(clean(title, 60, single_line=True), style="bold")
        mode = mode_of(self.app) or ("read-only" if read_only else "")
        if mode:
            text.append(f"  {mode} ", style=BADGE_STYLE)
        if extra:
            text.append(f"  {clean(extra, 80, single_line=True)}", style="#5fafd7")
        text.append(f"   {SCREEN_KEYS}", style="dim")
        if text.plain != self._shown:
            self._shown = text.plain
            self.update(text)

    @property
    def plain(self) -> str:
        return self._shown
