"""The footer with the keys that matter most first: `?` help and `q` quit, then the screen's
keys in their order. It is compact and fits its width: when the keys do not fit, long words
get their short form ("Next/prev page" -> "Page"), then the last keys are left out whole,
never drawn half under the command palette key. Every key stays in `?` help and the command
palette. A screen may rename a key for its current state (`footer_description(action)`: `v`
says "Runs" on the Log list and "Log" on Runs). (No binding of the screens using it is in a
binding group, whose keys Textual composes inside a container.)

Textual's Footer recomposes on every `refresh_bindings()` and focus change, and a recompose
mounts new key widgets and lays the whole screen out again (about 20 ms and a full layout pass
per drill, back or page key): this one recomposes only when what it would show changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

FIRST = ("help", "quit")  # the App's actions, in this order
SHORT = {"Commands": "Cmds", "Next/prev page": "Page"}
AFTER_ROWS = 0.01  # seconds between looks while the screen holds its paint for a key's rows


def _rank(widget: object) -> int:
    action = str(getattr(widget, "action", "")).removeprefix("app.")
    return FIRST.index(action) if action in FIRST else len(FIRST)


def _width(key: object) -> int:
    """Columns one compact footer key takes, its gap included."""
    return len(str(getattr(key, "key_display", ""))) + 1 + len(getattr(key, "description", "")) + 1


class KeyFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)
        self._width = 0
        self._drawn: tuple[object, ...] | None = None  # what the last compose showed

    def shown(self) -> tuple[object, ...]:
        """Everything the footer's keys are made of: the screen's shown bindings (key, label,
        state), the names the screen gives them, and the width they are fitted to."""
        screen = self.screen
        rename = getattr(screen, "footer_description", None)
        keys = tuple(
            (b.key, self.app.get_key_display(b), b.description, b.action, enabled, tooltip,
             rename(b.action) if rename is not None else None, b.group)
            for (_, b, enabled, tooltip) in screen.active_bindings.values()
            if b.show or b.action == "command_palette"
        )  # fmt: skip
        return (self.app.size.width, self._bindings_ready, keys)

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached or self.shown() == self._drawn:
            return
        if self.app._batch_count:  # a key's rows are being loaded (LiveLoader.hold_paint):
            # they are drawn first, the footer a frame later, not its rebuild before them
            self.set_timer(AFTER_ROWS, self._recompose_if_changed, name="footer-later")
            return
        await self.recompose()

    def compose(self) -> ComposeResult:
        self._drawn = self.shown()
        items = sorted(super().compose(), key=_rank)  # stable: the rest keep their order
        rename = getattr(self.screen, "footer_description", None)
        for item in items:
            if rename is not None:
                item.description = rename(str(getattr(item, "action", ""))) or item.description
            # FooterKey sets this class from its bound `compact` once mounted, which restyled
            # every key a second time (a stylesheet pass per key, most of a recompose).
            item.set_class(self.compact, "-compact", update=False)
        yield from self.fit(items, self.app.size.width)

    @staticmethod
    def fit(items: list, width: int) -> list:  # noqa: ANN001 - FooterKey widgets
        palette = [k for k in items if k.has_class("-command-palette")]
        keys = [k for k in items if k not in palette]

        def used() -> int:
            return sum(_width(k) for k in keys + palette)

        for k in keys + palette:
            if used() > width and k.description in SHORT:
                k.description = SHORT[k.description]
        while keys and used() > width:
            keys.pop()
        return keys + palette

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self.call_after_refresh(self.recompose)
