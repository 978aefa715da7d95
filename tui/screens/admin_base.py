"""What the admin screens share: the title bar, the live reload (one load at a time, only
when the store changed), read-only refusals, and running an action with its errors shown."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rich.text import Text
from textual.screen import Screen
from textual.timer import Timer

from core.console_api import ConsoleAPI
from core.errors import UserError

from ..views.base import Scope
from ..widgets.status_line import StatusLine
from ..widgets.title_bar import TitleBar


class AdminScreen(Screen):
    screen_title = ""

    def __init__(self) -> None:
        super().__init__()
        self._token: int | None = None
        self._timer: Timer | None = None
        self.loads = 0

    @property
    def api(self) -> ConsoleAPI:
        return self.app.api  # type: ignore[attr-defined]

    @property
    def read_only(self) -> bool:
        return bool(getattr(self.app, "read_only", False))

    def now(self) -> float:
        clock = getattr(self.app, "clock", None)
        if clock is not None:
            return float(clock())
        from core.timeutil import now

        return now()

    def show_title(self, extra: str = "") -> None:
        self.query_one(TitleBar).show(self.screen_title, read_only=self.read_only, extra=extra)

    def status(self, text: str | Text) -> None:
        self.query_one("#admin-status", StatusLine).set_text(text)

    # ---- loading -------------------------------------------------------------------------

    async def load(self) -> None:
        raise NotImplementedError

    def on_screen_resume(self) -> None:
        self.show_title()
        self.reload()
        if self._timer is None:
            interval = float(getattr(self.app, "interval", 5.0))
            self._timer = self.set_interval(interval, self._tick, name="admin-refresh")

    def reload(self) -> None:
        self.run_worker(self._load, group="load", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        try:
            _, self._token = await self.api.changed_since(None)
            await self.load()
            self.loads += 1
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)

    async def _tick(self) -> None:
        if self.app.screen is not self:
            return
        try:
            changed, _ = await self.api.changed_since(self._token)
        except UserError:
            return
        if changed:
            self.reload()

    def action_refresh_now(self) -> None:
        self.reload()

    # ---- actions -------------------------------------------------------------------------

    def writable(self, what: str) -> bool:
        """In read-only mode every change is refused with a message."""
        if self.read_only:
            self.notify(
                f"Read-only mode: {what} is refused. Open syncdeck without --read-only "
                "(and without read_only in the settings) to change anything.",
                title="read-only", severity="warning", timeout=6, markup=False,
            )  # fmt: skip
            return False
        return True

    def act(
        self,
        work: Callable[[], Awaitable[Any]],
        done: Callable[[Any], None] | None = None,
        group: str = "action",
    ) -> None:
        async def run() -> None:
            try:
                result = await work()
            except UserError as exc:
                self.notify(str(exc), severity="error", timeout=8, markup=False)
                return
            if done is not None:
                done(result)
            self.reload()

        self.run_worker(run(), group=group, exit_on_error=False)

    def open_logs(self, scope: Scope, root: str = "logs") -> None:
        from .scoped_logs import ScopedLogsScreen

        app: Any = self.app
        self.app.push_screen(
            ScopedLogsScreen(
                self.api, scope=scope, root=root, interval=app.interval, clock=app.clock
            )  # fmt: skip
        )
