"""Loading a level's window and the live refresh loop of the Logs screen.

Dolphie's loop: a one-shot timer starts one worker; the worker asks the store the cheap question
first (`changed_since`, one PRAGMA), fetches only when something changed, patches the table by
diff, then re-arms the timer. Refreshes never overlap and an idle tick draws nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual.timer import Timer
from textual.widgets import DataTable

from core.errors import UserError
from core.models import Tiles as TileCounts
from core.timeutil import local_minute, relative

from ..views.base import Window
from ..views.registry import VIEWS
from ..widgets.detail_pane import DetailPane
from ..widgets.refresh_indicator import RefreshIndicator
from ..widgets.status_line import StatusLine
from ..widgets.tiles import Tiles

WAKE_GAP = 1.0  # seconds: the soonest a notification may refresh again
PAINT_HOLD = 0.15  # seconds a navigation waits for its rows before painting without them


class LiveLoader:
    """Mixed into LogsScreen (which provides api, level, stack, table, scope, filters...)."""

    def init_live(self, *, interval: float, clock: Any) -> None:
        self.interval = interval
        self._clock: Callable[[], float] = clock or time.time
        self.paused = False
        self.window: Window[Any] | None = None
        self._items: dict[str, Any] = {}
        self._items_view: Any = None  # the view that fetched _items (the level may move on)
        self._gen = 0
        self._token: int | None = None
        self._timer: Timer | None = None
        self._wake: asyncio.Task[None] | None = None
        self._busy = 0
        self._paint_hold: Timer | None = None
        self._seen_log_id: int | None = None
        self._last_update: datetime | None = None
        self.new_count = 0
        self.new_above = 0
        self.ticks = 0
        self.idle_ticks = 0
        self.loads = 0

    def now(self) -> float:
        return self._clock()

    # ---- the loop --------------------------------------------------------------------------

    def arm(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.interval, self._tick, name="refresh")
        if self.api.pushes_changes:  # PostgreSQL: a commit anywhere wakes the refresh sooner
            if self._wake is not None:
                self._wake.cancel()
            # a plain task, not a worker: it waits most of the time, and workers are waited for
            self._wake = asyncio.create_task(self._wake_on_change())

    async def _wake_on_change(self) -> None:
        """Refresh as soon as another process commits, at most once per WAKE_GAP seconds (a
        run commits every page); the timer still ticks when nothing is announced."""
        try:
            await asyncio.sleep(WAKE_GAP)
            changed = await self.api.wait_for_change(max(0.0, self.interval - WAKE_GAP))
        except UserError:
            return  # the timer still ticks and says what is wrong
        if changed and self._timer is not None and self.is_attached:
            self._timer.stop()
            self._tick()

    def on_unmount(self) -> None:
        if self._wake is not None:
            self._wake.cancel()
        self.release_paint()

    def _tick(self) -> None:
        self._timer = None
        self.run_worker(self._refresh(False), group="refresh", exclusive=True, exit_on_error=False)

    def action_refresh_now(self) -> None:
        self.run_worker(self._refresh(True), group="refresh", exclusive=True, exit_on_error=False)

    def action_pause(self) -> None:
        self.paused = not self.paused
        self.new_count = 0
        if self.paused:
            self.run_worker(self._remember_newest(), group="mark", exit_on_error=False)
        else:
            self.action_refresh_now()
        self.show_indicator()

    def on_screen_resume(self) -> None:
        if self.loads and not self.paused:  # back from a modal (help, export): catch up
            self.action_refresh_now()

    async def _refresh(self, force: bool) -> None:
        try:
            self.ticks += 1
            if self._busy:
                return  # a navigation load is under way and will show fresh data
            changed, token = await self.api.changed_since(self._token)
            if not changed and not force:
                self.idle_ticks += 1
                self.show_last_update()
                return
            if (self.paused and not force) or self.app.screen is not self:
                self._token = token
                await self._count_new()
                return
            await self._load(reset=False, gen=self._gen, force=force)
            if self.paused:  # `r` while paused: shown now, counting starts again from here
                await self._remember_newest()
                self.new_count = 0
                self.show_indicator()
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
        finally:
            self.arm()

    async def _remember_newest(self) -> None:
        page = await self.api.logs(limit=1, **self.scope.as_kwargs())
        self._seen_log_id = page.items[0].id if page.items else 0

    async def _count_new(self) -> None:
        if self._seen_log_id is None:
            await self._remember_newest()
        count = await self.api.count_new_logs(self._seen_log_id or 0, **self.scope.as_kwargs())
        if count != self.new_count:
            self.new_count = count
            self.show_indicator()

    # ---- loading ---------------------------------------------------------------------------

    def hold_paint(self) -> None:
        """Nothing is drawn until the new level's rows are in the grid (or PAINT_HOLD passed):
        the first frame after a key has the rows with their breadcrumb and search line. Each
        frame is a layout and a repaint (20-80 ms); drawn apart, the rows waited behind the
        frames of the chrome over the old rows. A footer whose keys change is rebuilt right
        after (KeyFooter waits for the hold)."""
        if self._paint_hold is None:
            self.app._begin_batch()  # Textual's batch_update, held across the load
        else:
            self._paint_hold.stop()
        self._paint_hold = self.set_timer(PAINT_HOLD, self.release_paint, name="paint-hold")

    def release_paint(self) -> None:
        if self._paint_hold is None:
            return
        self._paint_hold.stop()
        self._paint_hold = None
        self.app._end_batch()
        self.check_idle()  # what changed meanwhile is painted now

    def reload(self) -> None:
        """A navigation: the new level's window replaces the table (cursor restored). Keys
        typed meanwhile wait for it (`enter enter` drills twice, into the rows it shows)."""
        self.hold_paint()
        router = getattr(self.app, "keys", None)
        if router is not None:  # time-limited: a load that never ends lets them go
            router.hold()
        self._gen += 1
        self.run_worker(
            self._load(reset=True, gen=self._gen), group="load", exclusive=True,
            exit_on_error=False,
        )  # fmt: skip

    async def _load(self, *, reset: bool, gen: int, force: bool = True) -> None:
        self._busy += 1
        try:
            level = self.level
            view = VIEWS[level.kind]
            q = self.query_for(level)
            try:
                _, token = await self.api.changed_since(None)  # what this load has seen
                window = await view.fetch(q, **q.paging)
                if not window.items and (level.after or level.before):
                    level.first_page()  # the page went away (retention): back to the first
                    window = await view.fetch(q, **q.paging)
                window = await self._hold_window(view, q, window, reset, force)
                tiles = await self._tiles(refresh=not reset)
            except UserError as exc:
                if gen == self._gen:
                    self.notify(str(exc), severity="error", markup=False)
                return
            if gen != self._gen:
                return  # the user moved on while this was loading
            self._token = token
            self.show_window(view, window, tiles, reset, q.now)
            self.loads += 1
        finally:
            self._busy -= 1
            if gen == self._gen:
                self.release_paint()
                router = getattr(self.app, "keys", None)
                if router is not None:
                    self.app.call_later(router.release)

    async def _tiles(self, *, refresh: bool) -> TileCounts:
        """The tiles depend on the scope and the connector filter, not on the level: a drill or
        a page reuses them; a refresh tick asks again."""
        key = (self.scope.connector or self.filters.connector, self.scope.service)
        cached = getattr(self, "_tile_cache", None)
        if refresh or cached is None or cached[0] != key:
            cached = (key, await self.api.tiles(connector=key[0], service=key[1]))
            self._tile_cache = cached
        return cached[1]

    async def _hold_window(
        self, view: Any, q: Any, window: Window[Any], reset: bool, force: bool
    ) -> Window:
        """On the live first page, keep the window still and count the new rows instead
        ("N new ↑", as toolong does) when showing them would push the record under the cursor
        off the page, or, on a timer tick, out of view or while the table is scrolled down.
        Only at the live edge (top of the first page, the cursor's record still in view after
        the insert) do new rows slide in; `r` always shows them if the record stays on the page.
        A held tick repaints the counters only, not the grid."""
        self.new_above = 0
        level = q.level
        table = self.table
        keys = table.keys
        cursor = table.cursor_key
        if reset or not view.newest_first or level.after or level.before or not keys:
            return window
        if cursor is None or not window.items:
            return window
        ids = [str(i.id) for i in window.items]
        if cursor not in ids and int(cursor) > window.items[-1].id:
            return window  # the record was deleted, not pushed down
        top = int(keys[0])
        new_above = sum(1 for i in window.items if i.id > top)
        if not new_above:
            return window
        if cursor in ids and (force or self._stays_in_view(ids.index(cursor), view.row_height)):
            return window
        self.new_above = new_above
        return await view.fetch(q, limit=q.filters.page_size, after=top + 1, before=None)

    def _stays_in_view(self, row: int, row_height: int) -> bool:
        """At the live edge: the table is not scrolled and `row` would still be visible."""
        table = self.table
        if table.scroll_y > 0:
            return False
        lines = table.scrollable_content_region.height - (
            table.header_height if table.show_header else 0
        )
        return (row + 1) * row_height <= lines

    # ---- showing ---------------------------------------------------------------------------

    def show_window(
        self, view: Any, window: Window[Any], tiles: TileCounts, reset: bool, now: float
    ) -> None:
        level = self.level
        self.window = window
        self._items = {str(i.id): i for i in window.items}
        self._items_view = view
        rows = [(key, view.cells(item, now)) for key, item in self._items.items()]
        with self.app.batch_update():
            self.table.apply(
                view.columns, rows, reset=reset, cursor_key=level.cursor_key,
                height=view.row_height,
            )  # fmt: skip
            level.cursor_key = self.table.cursor_key
            self._last_update = tiles.last_update
            self.query_one(Tiles).show(
                tiles.total, tiles.errors, tiles.warnings, self.last_update_text(now)
            )
            self.show_pager()
            self.show_detail()
            self.show_indicator()

    def last_update_text(self, now: float) -> str:
        last = self._last_update
        if last is None:
            return "never"
        return f"{relative(last, reference=now)} · {local_minute(last)[11:]}"

    def show_last_update(self) -> None:
        self.query_one("#tile-last").set_value(self.last_update_text(self.now()))

    def show_indicator(self) -> None:
        self.query_one(RefreshIndicator).set_state(
            live=not self.paused,
            interval=self.interval,
            new=self.new_count if self.paused else self.new_above,
        )

    def empty_advice(self) -> list[str]:
        """What may bring rows back to an empty grid: the filters that are on, with the keys
        of this view (Runs has no level, kind or account filter)."""
        f, kind = self.filters, self.level.kind
        advice = ["escape clears the search"] if self.level.search else []
        if f.failed_only:
            every = {"logs": "level", "runs": "run"}.get(kind, "row")
            advice.append(f"f shows every {every}")
        if kind == "logs" and f.account:
            advice.append("a changes the account")
        if kind == "logs" and (f.level or f.kind):
            advice.append("l changes the level" if f.level else "m changes the kind")
        if kind in ("logs", "runs") and f.connector and not self.scope.connector:
            advice.append("c changes the connector")
        if kind in ("logs", "runs"):
            advice.append("T changes the dates" if f.dates else "t widens the time range")
        return advice

    def show_pager(self) -> None:
        window = self.window
        level = self.level
        size = self.filters.page_size
        if window is None:
            return
        if not window.items:
            text = "No rows here" + (" match the search" if level.search else "") + "."
            advice = self.empty_advice()
            if advice:
                text += " " + ", ".join(advice) + "."
        else:
            start = (level.page_no - 1) * size + 1
            end = start + len(window.items) - 1
            pages = max(1, -(-window.total // size))
            text = f"{start:,}–{end:,} of {window.total:,} · page {level.page_no}/{pages:,}"
            text += f" · {size} per page (z)"
            if window.has_prev or window.has_next:
                text += " · n next, b previous"
        if window.note:
            text += f" · {window.note}"
        self.query_one("#pager", StatusLine).set_text(text)

    def current_item(self) -> Any:
        """The record under the cursor, if the grid shows the current level's rows (not the
        previous level's, while the new ones load)."""
        key = self.table.cursor_key
        if key is None or self._items_view is not VIEWS[self.level.kind]:
            return None
        return self._items.get(key)

    def show_detail(self) -> None:
        item = self.current_item()
        pane = self.query_one(DetailPane)
        if item is None:
            from rich.text import Text

            pane.show(Text("Nothing selected.", style="dim"))
            return
        # A highlight queued before the level changed still names a row of the shown window:
        # describe it with the view that fetched it, never the new level's.
        view = self._items_view or VIEWS[self.level.kind]
        pane.show(view.detail(item, self.now()))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # A named handler, not @on: decorated handlers of a mixin are not registered.
        event.stop()
        if event.row_key is None:  # an empty grid (no match, past the last page)
            self.show_detail()
            return
        key = str(event.row_key.value)
        if key in self._items:
            self.level.cursor_key = key
            self.show_detail()
