"""A DataTable that only ever holds one page window, updated by diff so the cursor stays put.

Dolphie's pattern: compare first, `update_cell` only where a value changed, remove stale rows, add
new ones, all inside one `batch_update`; new rows are marked in the first column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

from rich.segment import Segment
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable

MARK = "_mark"
Column = tuple[str, str, int | None]  # key, label, width
RowData = tuple[str, Sequence[Text]]  # row key, cells (without the mark column)


class KeyedText(Text):
    """The mark cell: carries its row key so `sort` can put rows in the order of the page."""

    def __init__(self, mark: str, row_key: str) -> None:
        super().__init__(mark, style="bold #00d7af" if mark.strip() else "", no_wrap=True)
        self.row_key = row_key


class PagedTable(DataTable):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
    ]

    def __init__(self, *, id: str | None = None, merge_cells: bool = False) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.merge_cells = merge_cells
        self._columns: list[Column] = []
        self._height = 1
        self.new_keys: set[str] = set()
        self._patching = False
        self._merged: dict[int, tuple[Strip, Strip]] = {}

    def refresh(self, *regions: Region, **options: bool) -> Self:
        """While patching, DataTable.remove_row asks for a layout pass; the table's size comes
        from CSS, not from its rows, so skip it: a layout repaints every scrollbar on screen."""
        if getattr(self, "_patching", False):  # refresh() runs inside DataTable.__init__
            options["layout"] = False
        return super().refresh(*regions, **options)

    # ---- drawing ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """DataTable tags every cell with its own meta (row, column), so `Strip.simplify` keeps
        one segment per cell and the terminal gets a colour code and a reset for each. With a
        row cursor only the row of a click matters: runs of cells that look alike become one
        segment carrying the first cell's meta (fewer bytes per line)."""
        strip = super().render_line(y)
        if not self.merge_cells or self.app.is_headless:
            return strip  # headless: SVG exports (tests, screenshots) keep one span per cell
        cached = self._merged.get(id(strip))
        if cached is not None and cached[0] is strip:
            return cached[1]
        merged = _merge_alike(strip)
        if len(self._merged) > 400:
            self._merged.clear()
        self._merged[id(strip)] = (strip, merged)
        return merged

    # ---- reading ---------------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        return [str(r.key.value) for r in self.ordered_rows]

    @property
    def cursor_key(self) -> str | None:
        if not self.row_count:
            return None
        row = min(self.cursor_row, self.row_count - 1)
        return str(self.ordered_rows[row].key.value)

    # ---- writing ---------------------------------------------------------------------------

    def apply(
        self,
        columns: list[Column],
        rows: list[RowData],
        *,
        reset: bool,
        cursor_key: str | None = None,
        height: int = 1,
    ) -> None:
        """Show `rows`. `reset` (a new level, page or filter) rebuilds and puts the cursor on
        `cursor_key`; otherwise the table is patched and the cursor stays on its record."""
        with self.app.batch_update():
            if reset or columns != self._columns or height != self._height:
                self._rebuild(columns, rows, cursor_key, height)
            else:
                self._patching = True
                try:
                    self._patch(rows)
                finally:
                    self._patching = False

    def _rebuild(
        self, columns: list[Column], rows: list[RowData], cursor_key: str | None, height: int
    ) -> None:
        same_columns = columns == self._columns
        self.clear(columns=not same_columns)
        if not same_columns:
            self.add_column(" ", key=MARK, width=1)
            for key, label, width in columns:
                self.add_column(label, key=key, width=width)
            self._columns = list(columns)
        self._height = height
        self.new_keys = set()
        for key, cells in rows:
            self.add_row(KeyedText(" ", key), *cells, key=key, height=height)
        keys = [k for k, _ in rows]
        if cursor_key in keys:
            self.move_cursor(row=keys.index(cursor_key), animate=False)
        elif rows:
            self.move_cursor(row=0, animate=False)

    def _patch(self, rows: list[RowData]) -> None:
        old = self.keys
        old_set = set(old)
        new = [k for k, _ in rows]
        new_set = set(new)
        cursor = self.cursor_key
        before_y = old.index(cursor) * self._height if cursor in old_set else None
        for key in old:
            if key not in new_set:
                self.remove_row(key)
                self.new_keys.discard(key)
        col_keys = [c[0] for c in self._columns]
        for key, cells in rows:
            if key in old_set:
                for col, value in zip(col_keys, cells, strict=False):
                    if self.get_cell(key, col) != value:
                        self.update_cell(key, col, value)
            else:
                self.add_row(KeyedText("+", key), *cells, key=key, height=self._height)
                self.new_keys.add(key)
        if self.keys != new:
            order = {k: i for i, k in enumerate(new)}
            self.sort(MARK, key=lambda mark: order[mark.row_key])
        if cursor in new_set and before_y is not None:
            index = new.index(cursor)
            if index != self.cursor_row:
                self.move_cursor(row=index, animate=False, scroll=False)
            shift = index * self._height - before_y
            if shift and self.scroll_y > 0:
                self.scroll_to(y=self.scroll_y + shift, animate=False)

    def clear_marks(self) -> None:
        for key in list(self.new_keys):
            if key in self.keys:
                self.update_cell(key, MARK, KeyedText(" ", key))
        self.new_keys = set()


def _merge_alike(strip: Strip) -> Strip:
    out: list[Segment] = []
    last_key: object = None
    for text, style, control in strip:
        key = None if style is None else style.clear_meta_and_links()
        if out and not control and key == last_key and out[-1].control is None:
            prev = out[-1]
            out[-1] = Segment(prev.text + text, prev.style)
        else:
            out.append(Segment(text, style, control))
            last_key = key
    return Strip(out, strip.cell_length)
