"""A modal screen that closes once.

`Screen.dismiss()` pops whatever screen is on top. A second dismiss of the same modal (an enter
typed twice in a burst while the first one's command waits, a save finishing after escape) ran
its result callback again and then popped the screen *under* it: with the command palette,
'ctrl+p pause enter' typed three times in one burst took the Log view off the stack and left
the console on Textual's empty default screen, looking frozen."""

from __future__ import annotations

from typing import Any

from textual.await_complete import AwaitComplete


class DismissOnce:
    """Mix in before the Screen class: only the first dismiss, while on top, does anything."""

    _dismissed = False

    def dismiss(self, result: Any = None) -> AwaitComplete:
        app = self.app  # type: ignore[attr-defined]
        if self._dismissed or app.screen is not self:
            return AwaitComplete()  # already closing, or not the screen on top: nothing to pop
        self._dismissed = True
        return super().dismiss(result)  # type: ignore[misc]
