"""What the admin screens share: the title bar, the live reload (one load at a time, only
when the store changed), read-only refusals, running an action with its errors shown, and the
keys every screen honours: `/` filters the rows by their text (match count, escape clears) and
`e` exports the rows shown to CSV (tui/export.py, the path prompt of the log viewer)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from core.console_api import ConsoleAPI
from core.errors import UserError
from core.text import clean, plural

from ..export import default_path, deliver_csv, export_rows, rows_csv_text
from ..key_router import TypeAhead
from ..views.base import Scope
from ..widgets.status_line import StatusLine
from ..widgets.title_bar import TitleBar


class AdminScreen(TypeAhead, Screen):
    """Keys typed before its first load has shown the rows wait for them (`j E` right after
    `S` acts on the rows, not on an empty grid)."""

    screen_title = ""
    export_kind = "admin"  # syncdeck-<kind>-<stamp>.csv
    BINDINGS = [
        Binding("slash", "search", "Search", id="admin.search"),
        Binding("e", "export", "Export", id="admin.export"),
        Binding("escape", "back", "Back", show=False, id="admin.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._token: int | None = None
        self._timer: Timer | None = None
        self.loads = 0
        self.search = ""

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
        finally:
            self.keys_ready()  # the first load is on screen (or failed): held keys go on

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

    # ---- search: the rows whose text holds every word typed ----------------------------------

    def search_box(self) -> Input:
        box = Input(placeholder="filter rows by name or text…", id="admin-search")
        box.display = False
        return box

    def matches(self, *texts: object) -> bool:
        if not self.search:
            return True
        hay = " ".join(str(x) for x in texts if x is not None).casefold()
        return all(word in hay for word in self.search.casefold().split())

    def search_note(self, shown: int, total: int, noun: str) -> str:
        """'/ acme: 1 of 3 connectors match · escape clears · ' or ''."""
        if not self.search:
            return ""
        typed = clean(self.search, 40, single_line=True)
        return f"/ {typed}: {shown} of {total} {noun} match · escape clears · "

    def action_search(self) -> None:
        box = self.query_one("#admin-search", Input)
        box.value = self.search
        box.display = True
        box.focus()

    @on(Input.Submitted, "#admin-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.input.display = False
        self.focus_grid()
        self.set_search(event.value.strip())

    def set_search(self, value: str) -> None:
        self.search = value
        self.show_search()

    def show_search(self) -> None:
        """Show the rows again with the current search (from the data already loaded)."""
        self.reload()

    def focus_grid(self) -> None:
        self.focus_next()

    def action_back(self) -> None:
        box = self.query_one("#admin-search", Input)
        if box.display:
            box.display = False
            self.focus_grid()
            if self.search:
                self.set_search("")
            return
        if self.search:
            self.set_search("")
            return
        self.back()

    def back(self) -> None:
        """escape with no search to clear (a screen that has levels goes back one)."""

    # ---- export: the rows shown, as CSV ------------------------------------------------------

    def export_rows(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def action_export(self) -> None:
        from .export_prompt import ExportPrompt

        rows = self.export_rows()  # what is shown now, before the prompt takes the focus
        if self.app.is_web:  # in a browser: a download, never a file on the server
            name = deliver_csv(self.app, rows_csv_text(rows), self.export_kind, self.now())
            shown = plural(len(rows), "row")
            self.notify(f"Exported {shown}: your browser downloads {name}", markup=False)
            return
        what = self.screen_title + (" (filtered)" if self.search else "")
        prompt = ExportPrompt(default_path(self.export_kind, self.now()), what)
        self.app.push_screen(prompt, lambda path: self._export_to(path, rows))

    def _export_to(self, path: str | None, rows: list[dict[str, Any]]) -> None:
        if not path:
            return
        kind, now = self.export_kind, self.now()

        async def work() -> None:
            try:
                written = await export_rows(rows, path, kind, now)
            except UserError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            shown = plural(len(rows), "row")
            self.notify(f"Exported {shown} to {written}", timeout=8, markup=False)

        self.run_worker(work(), group="export", exit_on_error=False)

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

    def ask(self, work: Callable[[], Awaitable[Any]]) -> None:
        """Run `work`: it fetches what a form or a question needs, then pushes it. Keys typed
        meanwhile wait for that form (tui/key_router.py) instead of reaching this screen."""
        router = getattr(self.app, "keys", None)
        if router is not None:
            router.hold()

        async def run() -> None:
            try:
                await work()
            except UserError as exc:
                self.notify(str(exc), severity="error", timeout=8, markup=False)
            finally:
                if router is not None:  # nothing pushed: the keys go on to this screen
                    self.app.call_later(router.release)

        self.run_worker(run(), group="ask", exit_on_error=False)

    def open_logs(self, scope: Scope, root: str = "logs") -> None:
        from .scoped_logs import ScopedLogsScreen

        app: Any = self.app
        self.app.push_screen(
            ScopedLogsScreen(
                self.api, scope=scope, root=root, interval=app.interval, clock=app.clock
            )  # fmt: skip
        )
