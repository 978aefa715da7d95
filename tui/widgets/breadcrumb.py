"""The breadcrumb: scope, then one numbered crumb per level; a number key jumps back to it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from core.text import clean

SEPARATOR = " › "


class Breadcrumb(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._shown: tuple[str | None, tuple[str, ...]] | None = None

    def set_crumbs(self, crumbs: list[str], scope: str | None = None) -> None:
        key = (scope, tuple(crumbs))
        if key == self._shown:
            return
        self._shown = key
        text = Text(no_wrap=True, overflow="ellipsis")
        if scope:
            text.append(f"[{clean(scope, 40, single_line=True)}] ", style="bold #5fafd7")
        for i, crumb in enumerate(crumbs):
            if i:
                text.append(SEPARATOR, style="dim")
            last = i == len(crumbs) - 1
            if not last:
                text.append(f"{i + 1}:", style="dim")
            text.append(clean(crumb, 40, single_line=True), style="bold" if last else "")
        self.update(text, layout=False)  # one fixed line: no layout pass

    @property
    def plain(self) -> str:
        if self._shown is None:
            return ""
        scope, crumbs = self._shown
        return (f"[{scope}] " if scope else "") + SEPARATOR.join(crumbs)
