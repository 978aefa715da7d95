"""An admin screen built around one grid: title, the grid, its detail pane, the search box,
the status line and the footer; the row under the cursor is `current`."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from ..widgets.detail_pane import DetailPane
from ..widgets.key_footer import KeyFooter
from ..widgets.paged_table import PagedTable
from ..widgets.status_line import StatusLine
from ..widgets.title_bar import TitleBar
from .admin_base import AdminScreen


class GridScreen(AdminScreen):
    grid_id = "admin-grid"  # CSS id of the grid
    items: dict[str, Any]

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        yield PagedTable(id=self.grid_id)
        yield DetailPane(id="detail")
        yield self.search_box()
        yield StatusLine(id="admin-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_focus(self.table)

    def focus_grid(self) -> None:
        self.set_focus(self.table)

    @property
    def table(self) -> PagedTable:
        return self.query_one(PagedTable)

    @property
    def current(self) -> str | None:
        key = self.table.cursor_key
        return key if key in self.items else None
