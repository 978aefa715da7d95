"""Connectors: one row per connector with its status (text and colour), "synced N min ago" and
its 30-day totals; test, add, edit, reconnect, disconnect; enter opens its logs."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import DataTable

from core.models import Connector, ConnectorTiles
from core.text import clean, plural
from core.timeutil import local_minute, relative

from ..views.base import Scope, n, t
from ..widgets.detail_pane import DetailPane
from ..widgets.paged_table import Col
from .confirm import Confirm
from .connector_form import ConnectorForm, ReconnectForm
from .grid_screen import GridScreen

STATUS = {
    "connected": ("✔", "#5fd75f"),
    "error": ("✖", "#ff5f5f"),
    "disconnected": ("⊘", "#d78700"),
    "untested": ("?", "#afafaf"),
    "testing": ("…", "#5fafff"),
}
COLUMNS = [  # shown by priority as the width allows; the detail pane and export have all
    Col("name", "Name", 24, 0, min=12), Col("preset", "Preset", 14, 6, min=9),
    Col("status", "Status", 14, 1), Col("synced", "Synced", 11, 2),
    Col("total", "30d", 6, 5, min=5), Col("errors", "Err", 5, 3), Col("warnings", "Warn", 5, 4),
    Col("milestones", "Miles", 5, 5),
]  # fmt: skip


def status_text(status: str) -> Text:
    glyph, style = STATUS.get(status, ("?", ""))
    return Text(f"{glyph} {status}", style=style, no_wrap=True)


class ConnectorsScreen(GridScreen):
    grid_id = "connectors-grid"
    screen_title = "Connectors"
    export_kind = "connectors"
    BINDINGS = [
        Binding("enter", "open_logs", "Logs", id="connectors.logs"),
        Binding("t", "test", "Test", id="connectors.test"),
        Binding("a", "add", "Add", id="connectors.add"),
        Binding("E", "edit", "Edit", id="connectors.edit"),
        Binding("R", "reconnect", "Reconnect", id="connectors.reconnect"),
        Binding("D", "disconnect", "Disconnect", id="connectors.disconnect"),
        Binding("u", "undo", "Undo", id="connectors.undo"),
        Binding("r", "refresh_now", "Refresh", id="connectors.refresh"),
        Binding("y", "copy", "Copy", show=False, id="connectors.copy"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, Connector] = {}
        self.tiles: dict[str, ConnectorTiles] = {}
        self.testing: set[str] = set()
        self.results: dict[str, Text] = {}
        self.configs: dict[str, dict[str, Any]] = {}

    async def load(self) -> None:
        items = await self.api.connectors()
        tiles = {x.connector: x for x in await self.api.connector_tiles()}
        configs = {c.name: await self.api.connector_config(c.name) for c in items}
        self.items = {c.name: c for c in items}
        self.tiles, self.configs = tiles, configs
        self.show_rows(reset=self.loads == 0)

    def shown(self) -> list[Connector]:
        """The connectors the search leaves (all without one)."""
        return [
            c
            for c in self.items.values()
            if self.matches(c.name, c.preset, c.base_url, c.status.value, c.status_detail)
        ]

    def show_rows(self, reset: bool = False) -> None:
        now = self.now()
        shown = self.shown()
        rows = [(c.name, self.cells(c, self.tiles.get(c.name), now)) for c in shown]
        self.table.apply(COLUMNS, rows, reset=reset, cursor_key=self.table.cursor_key)
        self.show_detail()
        items = list(self.items.values())
        bad = sum(1 for c in items if c.status.value == "error")
        self.status(
            self.search_note(len(shown), len(items), "connectors")
            + plural(len(items), "connector")
            + (f" · {bad} in error" if bad else "")
            + " · enter logs · t test · a add · E edit · R reconnect · D disconnect · u undo"
        )

    def show_search(self) -> None:
        self.show_rows(reset=True)

    def export_rows(self) -> list[dict[str, Any]]:
        out = []
        for c in self.shown():
            tl = self.tiles.get(c.name)
            out.append({
                "name": c.name, "preset": c.preset or "", "base_url": c.base_url,
                "status": c.status.value, "status_detail": c.status_detail,
                "last_synced": local_minute(c.last_synced_at) if c.last_synced_at else "",
                "auth": self.api.auth_summary(self.configs.get(c.name, {})),
                "total_30d": tl.total if tl else 0, "errors_30d": tl.errors if tl else 0,
                "warnings_30d": tl.warnings if tl else 0,
                "milestones_30d": tl.milestones if tl else 0,
            })  # fmt: skip
        return out

    def cells(self, c: Connector, tl: ConnectorTiles | None, now: float) -> list[Text]:
        status = "testing" if c.name in self.testing else c.status.value
        synced = relative(c.last_synced_at, reference=now) if c.last_synced_at else "never"
        errors = tl.errors if tl else 0
        warnings = tl.warnings if tl else 0
        return [
            t(c.name, 30, style="bold"), t(c.preset or "—", 20), status_text(status),
            Text(synced, no_wrap=True), n(tl.total if tl else 0),
            n(errors, style="bold #ff5f5f" if errors else ""),
            n(warnings, style="bold #d78700" if warnings else ""),
            n(tl.milestones if tl else 0, style="#5fafff" if tl and tl.milestones else ""),
        ]  # fmt: skip

    def show_detail(self) -> None:
        name = self.current
        pane = self.query_one(DetailPane)
        if name is None:
            empty = "No connector yet: press a to add one."
            if self.search:
                empty = "No connector matches the search: escape clears it."
            pane.show(Text(empty, style="dim"))
            return
        c = self.items[name]
        data = self.configs.get(name, {})
        text = Text()
        text.append(f"{clean(name, 60)}", style="bold")
        text.append(f"  {clean(c.base_url, 200)}\n")
        text.append("Status ", style="dim")
        text.append_text(status_text(c.status.value))
        if c.status_detail:
            text.append(f" · {clean(c.status_detail, 200, single_line=True)}")
        if c.tested_at:
            text.append(f" · tested {local_minute(c.tested_at)}", style="dim")
        tl = self.tiles.get(name)
        if tl is not None:
            counts = "30 days: " + " · ".join(
                plural(count, word) for count, word in ((tl.total, "log"), (tl.errors, "error"),
                (tl.warnings, "warning"), (tl.milestones, "milestone"))
            )  # fmt: skip
            text.append("\n" + counts, style="dim")
        text.append("\n")
        text.append(self.auth_line(data))
        if name in self.results:
            text.append("\n")
            text.append_text(self.results[name])
        pane.show(text)

    def auth_line(self, data: dict[str, Any]) -> Text:
        text = Text("Auth ", style="dim")
        text.append(clean(self.api.auth_summary(data), 300, single_line=True), style="")
        return text

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_detail()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_logs()

    # ---- actions -------------------------------------------------------------------------

    def action_open_logs(self) -> None:
        if self.current:
            self.open_logs(Scope(connector=self.current))

    def action_copy(self) -> None:
        if self.current:
            self.app.copy_to_clipboard(self.current)
            self.notify(f"Copied: {self.current}", timeout=3, markup=False)

    def action_test(self) -> None:
        name = self.current
        if name is None or not self.writable("testing a connector"):
            return
        self.testing.add(name)
        self.results[name] = Text(f"… Testing {name}: one request to its API…", style="#5fafff")
        self.refresh_row(name)

        async def work() -> Any:
            try:
                return await self.api.test_connection(name)
            finally:
                self.testing.discard(name)

        def done(check: Any) -> None:
            self.results[name] = self.result_text(check)
            sev = "information" if check.ok else "error"
            word = "successful" if check.ok else "not successful"
            self.notify(f"Test of {name} {word}.", severity=sev, timeout=4, markup=False)

        self.act(work, done, group="test")

    def result_text(self, check: Any) -> Text:
        text = Text()
        if check.ok:
            text.append(f"✔ Test connection successful: HTTP {check.status_code} in "
                        f"{check.duration_ms}ms", style="#5fd75f")  # fmt: skip
            return text
        text.append("✖ Test is not successful: ", style="bold #ff5f5f")
        text.append(clean(check.reason, 300, single_line=True))
        if check.hint:
            text.append("\nWhat to do: ", style="bold")
            text.append(clean(check.hint, 600))
        return text

    def refresh_row(self, name: str) -> None:
        if name in self.items:
            self.show_rows()
        else:
            self.show_detail()

    def action_add(self) -> None:
        if not self.writable("adding a connector"):
            return
        form = ConnectorForm(self.api, list(self.items))
        self.app.push_screen(form, self._saved)

    def action_edit(self) -> None:
        name = self.current
        if name is None or not self.writable("editing a connector"):
            return
        form = ConnectorForm(self.api, list(self.items), editing=name,
                             existing=self.configs.get(name, {}))  # fmt: skip
        self.app.push_screen(form, self._saved)

    def _saved(self, name: str | None) -> None:
        if name:
            self.notify(f"Saved connector {name}. u undoes it.", timeout=4, markup=False)
            self.reload()

    def action_reconnect(self) -> None:
        name = self.current
        if name is None or not self.writable("reconnecting a connector"):
            return

        async def ask() -> None:
            fields = await self.api.secret_fields(name)
            if not fields:
                self.notify(f"{name} has no secrets to replace.", timeout=4, markup=False)
                return

            def done(changed: str | None) -> None:
                if changed:
                    self.notify(f"Reconnected {name} ({changed}); its services are kept. "
                                "t tests it.", timeout=6, markup=False)  # fmt: skip
                    self.reload()

            self.app.push_screen(ReconnectForm(self.api, name, fields), done)

        self.ask(ask)

    def action_disconnect(self) -> None:
        name = self.current
        if name is None or not self.writable("disconnecting a connector"):
            return

        async def ask() -> None:
            services = [s.name for s in await self.api.connector_services(name) if s.enabled]
            what = ", ".join(services) if services else "no enabled service"
            message = (
                f"Disconnect {name}? This disables {what}. Data stops flowing until you "
                "reconnect it and enable them again."
            )

            def answer(yes: bool | None) -> None:
                if not yes:
                    return

                def done(disabled: list[str]) -> None:
                    self.notify(f"{name} disconnected; disabled: {', '.join(disabled) or 'none'}. "
                                "u undoes it.", timeout=6, markup=False)  # fmt: skip

                self.act(lambda: self.api.disconnect_connector(name, undoable=True), done)

            self.app.push_screen(Confirm(f"Disconnect {name}", message, "Disconnect"), answer)

        self.ask(ask)

    def action_undo(self) -> None:
        if not self.writable("undo"):
            return
        self.act(self.api.undo_last, lambda what: self.notify(f"Undone: {what}.", markup=False))
