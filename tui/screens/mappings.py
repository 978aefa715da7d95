"""Mappings of one service and stream: the field grid (destination, source path, transforms,
default, required, lookup, the last pulled value before and after the transforms) and the
value-mapping table of a lookup (status filter with Unmapped first, multi-select, bulk update)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from core.models import ValueMapping
from core.text import clean, plural

from ..views.base import t
from ..widgets.key_footer import KeyFooter
from ..widgets.paged_table import Col, PagedTable
from ..widgets.status_line import StatusLine
from ..widgets.title_bar import TitleBar
from .admin_base import AdminScreen
from .field_form import FieldForm, shown
from .value_pick import ValuePick

FIELD_COLUMNS = [  # shown by priority as the width allows; the field form has every value
    Col("dest", "Destination", None, 0, min=12),
    Col("source", "Source path", None, 1, min=12),
    Col("before", "Pulled value", None, 3, min=12),
    Col("after", "After transforms", None, 2, min=16),
    Col("transforms", "Transforms", None, 4, min=12),
    Col("default", "Default", 8, 6, extra=True),
    Col("req", "Req", 3, 5),
    Col("lookup", "Lookup", 8, 7, extra=True),
]  # extras only when the paths and values before them show whole
VALUE_COLUMNS = [
    Col("sel", "Sel", 3, 3), Col("source", "Source value", None, 0, min=16),
    Col("dest", "Destination value", None, 1, min=16), Col("status", "Status", 15, 2, min=14),
]  # fmt: skip
FILTERS = (None, "unmapped", "mapped", "response_error")
STATUS = {
    "unmapped": ("Unmapped", "bold #d78700"),
    "mapped": ("Mapped", "#5fd75f"),
    "response_error": ("Response error", "bold #ff5f5f"),
}


def preview_cell(value: Any, style: str = "") -> Text:
    """A previewed value as JSON, spaces kept (they are what trim removes), one line."""
    text = clean(shown(value), 80).replace("\n", "⏎").replace("\t", " ")
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


class MappingsScreen(AdminScreen):
    screen_title = "Mappings"
    export_kind = "mappings"
    BINDINGS = [
        Binding("enter", "edit", "Edit / map", id="mappings.edit"),
        Binding("a", "add_field", "Add field", id="mappings.add"),
        Binding("space", "select", "Select", id="mappings.select"),
        Binding("A", "select_all", "Select all", show=False, id="mappings.select_all"),
        Binding("b", "bulk", "Bulk update", id="mappings.bulk"),
        Binding("f", "cycle_filter", "Filter", id="mappings.filter"),
        Binding("l", "cycle_lookup", "Lookup", id="mappings.lookup"),
        Binding("s", "cycle_stream", "Stream", id="mappings.stream"),
        Binding("greater_than_sign", "sample(1)", "Next record", show=False, id="mappings.next"),
        Binding("less_than_sign", "sample(-1)", "Prev record", show=False, id="mappings.prev"),
        Binding("u", "undo", "Undo", id="mappings.undo"),
        Binding("r", "refresh_now", "Refresh", id="mappings.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.service: str | None = None
        self.stream: str | None = None
        self.lookup: str | None = None
        self.filter: str | None = None
        self.selected: set[str] = set()
        self.sample = 0
        self.view: Any = None
        self.values: dict[str, ValueMapping] = {}
        self._other_rows: dict[int, list[Any]] = {}  # previews of records other than the first

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        yield StatusLine(id="map-head")
        yield PagedTable(id="fields-grid")
        yield StatusLine(id="values-head")
        yield PagedTable(id="values-grid")
        yield self.search_box()
        yield StatusLine(id="admin-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_focus(self.fields_table)

    def focus_grid(self) -> None:
        self.set_focus(self.fields_table)

    @property
    def fields_table(self) -> PagedTable:
        return self.query_one("#fields-grid", PagedTable)

    @property
    def values_table(self) -> PagedTable:
        return self.query_one("#values-grid", PagedTable)

    def set_target(self, service: str, stream: str | None = None) -> None:
        if service != self.service:
            self.lookup = None
            self.selected = set()
            self.sample = 0
            self.loads = 0
        self.service, self.stream = service, stream

    # ---- loading -------------------------------------------------------------------------

    async def load(self) -> None:
        if self.service is None:
            services = await self.api.services()
            if not services:
                self.status("No service yet: import a config with `syncdeck config import`.")
                return
            self.service = services[0].name
        view = await self.api.mapping(self.service, self.stream)
        self.view = view
        self.stream = view.stream
        if self.lookup not in view.lookups:
            self.lookup = view.lookups[0] if view.lookups else None
        self.sample = min(self.sample, max(0, len(view.samples) - 1))
        # the rows of the record the header names, from this load's records (a new pull
        # changes them): not the previews computed for the records of an earlier load
        self._other_rows = {self.sample: await self._sample_rows(view)} if self.sample else {}
        self.show_fields(reset=self.loads == 0)
        await self.load_values()
        self.show_title(f"{view.service} / {view.stream}")

    def show_fields(self, reset: bool = False) -> None:
        view = self.view
        record = view.samples[self.sample] if view.samples else None
        rows = []
        for r in self.shown_fields(record):
            after = preview_cell(r.after, "#5fd75f" if r.after else "dim")
            if r.problem:
                after = Text(clean(r.problem, 60, single_line=True), style="#d78700")
            rows.append(
                (r.dest, [
                    t(r.dest, 40, style="bold"), t(r.source, 60), preview_cell(r.before), after,
                    t(r.transforms, 80), t(r.default, 30), Text("yes" if r.required else ""),
                    t(r.lookup, 30),
                ])
            )  # fmt: skip
        self.fields_table.apply(
            FIELD_COLUMNS, rows, reset=reset, cursor_key=self.fields_table.cursor_key
        )
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(f"Service {clean(view.service, 40)}", style="bold")
        head.append(f" · stream {clean(view.stream, 40)}")
        if len(view.streams) > 1:
            head.append(" (s next)", style="dim")
        if view.samples:
            head.append(f" · record {self.sample + 1}/{len(view.samples)} of the last pull")
            head.append(" (< >)", style="dim")
        else:
            head.append(" · no pulled record yet: run the service (g on Services)", style="dim")
        self.query_one("#map-head", StatusLine).set_text(head)

    def shown_fields(self, record: dict[str, Any] | None) -> list[Any]:
        """The field rows the search leaves (all without one)."""
        rows = self.preview_rows(record)
        return [r for r in rows if self.matches(r.dest, r.source, r.transforms, r.lookup)]

    def shown_values(self) -> list[ValueMapping]:
        return [
            v for v in self.values.values() if self.matches(v.source_value, v.destination_value)
        ]

    def preview_rows(self, record: dict[str, Any] | None) -> list[Any]:
        if record is None or self.sample == 0:
            return self.view.rows
        return self._other_rows.get(self.sample, self.view.rows)

    async def load_values(self) -> None:
        if self.lookup is None or self.service is None:
            self.values = {}
            self.values_table.apply(VALUE_COLUMNS, [], reset=True)
            self.query_one("#values-head", StatusLine).set_text(
                "No lookup table in this service: fields map values as they are."
            )
            return
        rows = await self.api.value_rows(self.service, self.lookup, status=self.filter)
        self.values = {v.source_value: v for v in rows}
        self.selected &= set(self.values)
        self.show_values()

    def show_values(self, reset: bool = False) -> None:
        rows = []
        for v in self.shown_values():
            word, style = STATUS[v.status.value]
            mark = Text("[x]" if v.source_value in self.selected else "[ ]", style="bold")
            rows.append(
                (v.source_value, [
                    mark, t(v.source_value, 60), t(v.destination_value or "—", 60),
                    Text(word, style=style),
                ])
            )  # fmt: skip
        self.values_table.apply(
            VALUE_COLUMNS, rows, reset=reset, cursor_key=self.values_table.cursor_key
        )
        unmapped = sum(1 for v in self.values.values() if v.status.value == "unmapped")
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(f"Lookup {clean(self.lookup or '', 40)}", style="bold")
        if self.view and len(self.view.lookups) > 1:
            head.append(" (l next)", style="dim")
        label = "all, Unmapped first" if self.filter is None else STATUS[self.filter][0]
        head.append(f" · filter {label} (f) · {unmapped} unmapped")
        head.append(f" · {len(self.selected)} selected", style="bold" if self.selected else "")
        head.append("  space select · A all · b bulk update", style="dim")
        self.query_one("#values-head", StatusLine).set_text(head)
        self.status(self.search_status() + "tab switches grids · enter edits a field or maps a "
                    "value · a adds a field · u undoes the last change")  # fmt: skip

    def search_status(self) -> str:
        if not self.search or self.view is None:
            return ""
        record = self.view.samples[self.sample] if self.view.samples else None
        fields = len(self.shown_fields(record))
        values = len(self.shown_values())
        note = self.search_note(fields, len(self.view.rows), "fields")
        return note.replace(" match · ", f" and {values} of {len(self.values)} values match · ")

    def show_search(self) -> None:
        if self.view is None:
            return
        self.show_fields(reset=True)
        self.show_values(reset=True)

    def export_rows(self) -> list[dict[str, Any]]:
        if self.view is None:
            return []
        if self.focused is self.values_table:
            return [
                {"lookup": self.lookup or "", "source_value": v.source_value,
                 "destination_value": v.destination_value or "", "status": v.status.value}
                for v in self.shown_values()
            ]  # fmt: skip
        record = self.view.samples[self.sample] if self.view.samples else None
        return [
            {"service": self.view.service, "stream": self.view.stream, "destination": r.dest,
             "source_path": r.source, "transforms": r.transforms, "default": r.default,
             "required": "yes" if r.required else "no", "lookup": r.lookup,
             "pulled_value": shown(r.before), "after_transforms": shown(r.after),
             "problem": r.problem}
            for r in self.shown_fields(record)
        ]  # fmt: skip

    # ---- navigation ----------------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def back(self) -> None:
        if self.focused is self.values_table:
            self.fields_table.focus()

    def action_cycle_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.run_worker(self.load_values, group="values", exclusive=True, exit_on_error=False)

    def action_cycle_lookup(self) -> None:
        if self.view is None or not self.view.lookups:
            return
        names = self.view.lookups
        self.lookup = names[(names.index(self.lookup) + 1) % len(names)]
        self.selected = set()
        self.run_worker(self.load_values, group="values", exclusive=True, exit_on_error=False)

    def action_cycle_stream(self) -> None:
        if self.view is None or len(self.view.streams) < 2:
            self.notify("This service has one stream.", timeout=2)
            return
        names = self.view.streams
        self.stream = names[(names.index(self.stream) + 1) % len(names)]
        self.sample = 0
        self.loads = 0
        self.reload()

    def action_sample(self, step: int) -> None:
        if self.view is None or not self.view.samples:
            return
        self.sample = (self.sample + step) % len(self.view.samples)
        self.run_worker(self._preview_sample, group="sample", exclusive=True,
                        exit_on_error=False)  # fmt: skip

    async def _preview_sample(self) -> None:
        self._other_rows = {self.sample: await self._sample_rows(self.view)}
        self.show_fields()

    async def _sample_rows(self, view: Any) -> list[Any]:
        """The field rows previewed on record number `self.sample` of `view`."""
        record = view.samples[self.sample]
        rows = []
        for r in view.rows:
            values = {"dest": r.dest, "source": r.source, "transforms": r.transforms,
                      "default": r.default, "required": "yes" if r.required else "no",
                      "lookup": r.lookup}  # fmt: skip
            _, prev = await self.api.check_field_form(
                view.service, view.stream, r.dest, values, record, view.lookup_tables
            )
            before, after, problem = prev if prev else (None, None, "")
            rows.append(type(r)(r.dest, r.source, r.transforms, r.default, r.required,
                                r.lookup, before, after, problem))  # fmt: skip
        return rows

    # ---- edits ---------------------------------------------------------------------------

    def action_edit(self) -> None:
        if self.focused is self.values_table:
            self.pick_for(self.targets())
            return
        if self.view is None or not self.writable("editing a field mapping"):
            return
        key = self.fields_table.cursor_key
        row = next((r for r in self.view.rows if r.dest == key), None)
        self.open_field_form(row)

    def action_add_field(self) -> None:
        if self.view is None or not self.writable("adding a field mapping"):
            return
        self.open_field_form(None)

    def open_field_form(self, row: Any | None) -> None:
        view = self.view
        record = view.samples[self.sample] if view.samples else None
        form = FieldForm(
            self.api, view.service, view.stream, row, paths=view.paths, lookups=view.lookups,
            record=record, tables=view.lookup_tables,
        )  # fmt: skip

        def done(dest: str | None) -> None:
            if dest:
                self.notify(f"Saved field {dest}. u undoes it.", timeout=4, markup=False)
                self._other_rows = {}
                self.reload()

        self.app.push_screen(form, done)

    def action_select(self) -> None:
        if self.focused is not self.values_table:
            self.values_table.focus()
            return
        key = self.values_table.cursor_key
        if key is None:
            return
        self.selected ^= {key}
        self.show_values()
        if self.values_table.cursor_row < self.values_table.row_count - 1:
            self.values_table.action_cursor_down()

    def action_select_all(self) -> None:
        shown_keys = {v.source_value for v in self.shown_values()}
        self.selected = set() if shown_keys <= self.selected else shown_keys
        self.values_table.focus()
        self.show_values()

    def targets(self) -> list[str]:
        if self.selected:
            return sorted(self.selected)
        key = self.values_table.cursor_key
        return [key] if key else []

    def action_bulk(self) -> None:
        if not self.selected:
            self.notify("Select rows first: space selects, A selects all shown.", timeout=4)
            return
        self.pick_for(sorted(self.selected))

    def pick_for(self, sources: list[str]) -> None:
        if not sources or self.lookup is None or self.service is None:
            return
        if not self.writable("updating value mappings"):
            return
        service, lookup = self.service, self.lookup

        def done(value: str | None) -> None:
            if not value:
                return

            def saved(count: int) -> None:
                self.selected -= set(sources)
                self.notify(f"Mapped {plural(count, 'value')} of {lookup} to "
                            f"{value}. u undoes it.", timeout=5, markup=False)  # fmt: skip
                self._other_rows = {}

            self.act(lambda: self.api.bulk_map(service, lookup, sources, value), saved)

        self.app.push_screen(ValuePick(self.api, service, lookup, len(sources)), done)

    def action_undo(self) -> None:
        if not self.writable("undo"):
            return

        def done(what: str) -> None:
            self._other_rows = {}
            self.notify(f"Undone: {what}.", markup=False)

        self.act(self.api.undo_last, done)
