"""The breadcrumb: scope, then one numbered crumb per level; a number key jumps back to it.

It always fits its line: when the crumbs are wider than the terminal, the longest crumbs above
the current one are shortened first (with '…'), so the level you are on stays readable."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from core.text import clean

SEPARATOR = " › "
SHORTEST = 4  # a shortened crumb keeps at least this many characters and its '…'


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def fit(crumbs: list[str], room: int) -> list[str]:
    """The crumbs shortened, longest first and the last one last, to fit `room` columns
    (numbers and separators included)."""
    out = list(crumbs)

    def width() -> int:
        numbers = sum(len(f"{i + 1}:") for i in range(len(out) - 1))
        return sum(len(c) for c in out) + numbers + len(SEPARATOR) * (len(out) - 1)

    while width() > room:
        upper = [i for i in range(len(out) - 1) if len(out[i]) > SHORTEST + 1]
        if not upper:
            break
        i = max(upper, key=lambda k: len(out[k]))
        out[i] = _cut(out[i], max(SHORTEST + 1, len(out[i]) - (width() - room)))
    if out and width() > room:
        out[-1] = _cut(out[-1], max(SHORTEST + 1, len(out[-1]) - (width() - room)))
    return out


class Breadcrumb(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._shown: tuple[str | None, tuple[str, ...]] | None = None
        self._drawn: tuple[object, ...] | None = None
        self._line = ""

    def set_crumbs(self, crumbs: list[str], scope: str | None = None) -> None:
        key = (scope, tuple(clean(c, 40, single_line=True) for c in crumbs))
        if key == self._shown:
            return
        self._shown = key
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if self._shown is None:
            return
        scope, crumbs = self._shown
        room = self.size.width or 200
        drawn = (scope, crumbs, room)
        if drawn == self._drawn:
            return
        self._drawn = drawn
        text = Text(no_wrap=True, overflow="ellipsis")
        if scope:
            label = f"[{clean(scope, 40, single_line=True)}] "
            text.append(label, style="bold #5fafd7")
            room -= len(label)
        shown = fit(list(crumbs), room)
        for i, crumb in enumerate(shown):
            if i:
                text.append(SEPARATOR, style="dim")
            last = i == len(shown) - 1
            if not last:
                text.append(f"{i + 1}:", style="dim")
            text.append(crumb, style="bold" if last else "")
        self._line = text.plain
        self.update(text, layout=False)  # one fixed line: no layout pass

    @property
    def plain(self) -> str:
        if self._shown is None:
            return ""
        scope, crumbs = self._shown
        return (f"[{scope}] " if scope else "") + SEPARATOR.join(crumbs)

    @property
    def drawn(self) -> str:
        """The line as drawn at the current width (numbers and shortened crumbs)."""
        return self._line
