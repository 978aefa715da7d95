"""The mode line every screen shows in read-only mode: the App's sub_title ("read-only"), set
once by the App, is the one place that decides it; the admin screens' TitleBar reads the same."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

BADGE_STYLE = "bold reverse #d78700"


def mode_of(app: object) -> str:
    """The mode words of the app ("read-only"), or "" in the normal mode."""
    return str(getattr(app, "sub_title", "") or "")


class ModeBadge(Static):
    """One line at the top, shown only when the app has a mode (takes no room otherwise)."""

    DEFAULT_CSS = """
    ModeBadge {
        dock: top;
        height: 1;
        background: $boost;
    }
    """

    def __init__(self) -> None:
        super().__init__(id="mode-badge", markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "sub_title", self._show, init=True)

    def _show(self, _: object = None) -> None:
        mode = mode_of(self.app)
        self.display = bool(mode)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("syncdeck › ", style="dim")
        text.append(f" {mode} ", style=BADGE_STYLE)
        if mode == "read-only":
            text.append("  changes are refused (open without --read-only to change)", style="dim")
        self.update(text)
