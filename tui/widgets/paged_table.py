"""A DataTable that only ever holds one page window, updated by diff so the cursor stays put.

Dolphie's pattern: compare first, `update_cell` only where a value changed, remove stale rows, add
new ones, all inside one `batch_update`; new rows are marked in the first column.

Columns declared as `Col` (a priority, a minimum and a preferred width, or flex) are laid out to
the table's width and to the values of the rows shown: the most important ones that fit are
shown, in their declared order; the rest stay in the detail pane and the CSV export. Figures are
never cut (tui/widgets/figures.py). The layout is made when the rows are replaced (a level, a
page, a filter) or the terminal resized; a refresh keeps it, unless a figure outgrew its column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Self

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widgets import DataTable

from .figures import Figures

MARK = "_mark"
CELLS_KEPT = 4000  # rendered cells kept across rebuilds (a 120x40 grid shows about 250)
Column = tuple  # a Col, or (key, label, width) shown as given (width None: as wide as its cells)
RowData = tuple[str, Sequence[Text]]  # row key, cells (without the mark column)
Shown = tuple[int, str, str, int | None, bool]  # index in the row, key, label, width, keep_end


class Col(NamedTuple):
    """A column that gives way on a narrow terminal."""

    key: str
    label: str
    width: int | None  # preferred width; None: flex, takes a share of what is left
    priority: int = 0  # 0 first: shown before any column of a higher number
    min: int | None = None  # the narrowest it is shown (default: width; flex: the label)
    keep_end: bool = False  # when cut, drop the start ("2026-03-02 09:27" -> "03-02 09:27")
    extra: bool = False  # shown only when the columns before it show their values whole

    @property
    def narrowest(self) -> int:
        if self.min is not None:
            return self.min
        return self.width if self.width is not None else len(self.label)


Needs = dict[str, tuple[int, int]]  # column key -> (narrowest whole, full) width of its values


def _bounds(c: Col, need: tuple[int, int] | None) -> tuple[int, int | None]:
    """(minimum, preferred) of a column, from its declaration and the values it will show:
    figures get the width they need (never cut); text asks for its longest value, up to its
    declared width (a flex column: its longest value)."""
    if need is None:
        return c.narrowest, c.width
    whole, full = need
    label = len(c.label)
    if whole:  # figures: as narrow as their abbreviated form, as wide as written out
        return max(label, whole), max(label, full, c.width or 0)
    if c.width is None:
        return c.narrowest, max(c.narrowest, full)
    return c.narrowest, max(c.narrowest, label, min(c.width, full))


def layout(
    columns: Sequence[Column], space: int, pad: int = 2, needs: Needs | None = None
) -> list[Shown]:
    """The columns shown in `space` cells (each costs its width plus `pad`): by priority, each at
    its minimum, stopping at the first that does not fit; then, most important first, widened
    to the preferred width; what is left goes to the flex columns, in proportion to their minimum.
    An `extra` column is dropped (least important first) unless it and the columns before it can
    all have their preferred width (their values whole). `needs` (the widths of the values)
    sizes the columns to their content. Plain (key, label, width) tuples are shown as declared."""
    if not any(isinstance(c, Col) for c in columns):
        return [(i, c[0], c[1], c[2], False) for i, c in enumerate(columns)]
    cols = [c if isinstance(c, Col) else Col(*c[:3], priority=i) for i, c in enumerate(columns)]
    bounds = [_bounds(c, (needs or {}).get(c.key)) for c in cols]
    order = sorted(range(len(cols)), key=lambda i: (cols[i].priority, i))
    width: dict[int, int] = {}
    left = space
    for i in order:
        need = bounds[i][0] + pad
        if need > left and width:
            break
        width[i] = bounds[i][0]
        left -= need
    left = max(0, left)

    def rank(i: int) -> tuple[int, int]:
        return cols[i].priority, i

    def short(upto: int) -> int:  # what the columns up to `upto` lack to show values whole
        return sum(
            max(0, (bounds[i][1] or 0) - width[i])
            for i in width
            if rank(i) <= rank(upto) and not cols[i].keep_end
        )

    dropped = []
    for i in sorted(width, key=rank, reverse=True):
        if not cols[i].extra:
            continue
        if short(i) <= left:
            break
        left += width.pop(i) + pad
        dropped.append(i)
    for i in order:
        preferred = bounds[i][1]
        if i in width and preferred is not None and width[i] < preferred:
            if cols[i].keep_end and left < preferred - width[i]:
                continue  # its short form ("03-02 09:27") or whole, nothing in between
            extra = min(left, preferred - width[i])
            width[i] += extra
            left -= extra
    for i in reversed(dropped):  # what is left may still hold an extra whole
        preferred = bounds[i][1] or bounds[i][0]
        if preferred + pad <= left:
            width[i] = preferred
            left -= preferred + pad
    flex = [i for i in order if i in width and cols[i].width is None]
    if flex and left:
        weights = sum(max(1, width[i]) for i in flex)
        shares = {i: left * max(1, width[i]) // weights for i in flex}
        shares[flex[0]] += left - sum(shares.values())
        for i in flex:
            width[i] += shares[i]
    return [(i, c.key, c.label, width[i], c.keep_end) for i, c in enumerate(cols) if i in width]


def needs_of(columns: Sequence[Column], rows: Sequence[RowData]) -> Needs:
    """The widths the values of each column take: (narrowest whole form of its figures, or 0 for
    text; the widest value as written)."""
    out: Needs = {}
    for index, col in enumerate(columns):
        whole = full = 0
        for _, cells in rows:
            if index >= len(cells):
                continue
            cell = cells[index]
            if isinstance(cell, Figures):
                whole = max(whole, cell.narrowest)
            if isinstance(cell, Text):
                plain = cell.plain
                wide = cell.cell_len if "\n" not in plain else max(map(cell_len, plain.split("\n")))
                full = max(full, wide)
        if rows:
            out[col[0]] = (whole, full)
    return out


def fit_cell(cell: object, width: int | None, keep_end: bool) -> object:
    """A cell as shown in `width` cells: figures in their widest form that fits; text cut with
    an ellipsis, or from the start (keep_end)."""
    if not isinstance(cell, Text) or width is None:
        return cell
    if isinstance(cell, Figures):
        return cell.shown(width)
    if keep_end and "\n" not in cell.plain and cell.cell_len > width:
        start = len(cell.plain) - width
        if start > 0 and cell.plain[start - 1].isalnum():  # not mid-token: "03-02", not "6-03-02"
            while start < len(cell.plain) and cell.plain[start].isalnum():
                start += 1
            start += start < len(cell.plain) - 1 and not cell.plain[start].isalnum()
        return cell[start:]
    if cell.overflow is None:
        cell.overflow = "ellipsis"
    return cell


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
        self._shown: list[Shown] = []
        self._rows: dict[str, list[Text]] = {}  # every cell of every row, shown or not
        self._height = 1
        self.new_keys: set[str] = set()
        self._patching = False
        self._merged: dict[int, tuple[Strip, Strip]] = {}
        self._drawn_cells: LRUCache[tuple[object, ...], object] = LRUCache(CELLS_KEPT)
        self._looks: dict[object, tuple[Style, ...]] = {}  # focus state -> styles of its cells

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

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> object:
        """DataTable caches a rendered cell only until the table changes: every rebuild (a
        drill, back, a page, a search) rendered every visible cell again through Rich (about
        0.2 ms each, most of a key's repaint). Here a cell drawn before, with the same content
        at the same place in the same state, is reused (going back, paging back, a search
        showing the rows already there)."""
        key = self._cell_key(row_index, column_index, base_style, width, cursor, hover)
        if key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        lines = self._drawn_cells.get(key)
        if lines is None:
            lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
            self._drawn_cells.set(key, lines)
        return lines

    def _cell_key(
        self, row: int, column: int, base: Style, width: int, cursor: bool, hover: bool
    ) -> tuple[object, ...] | None:
        cells = self._get_row_renderables(row).cells
        if not 0 <= column < len(cells) or not isinstance(cells[column], Text):
            return None
        if row == -1:
            height = self.header_height
        else:
            row_key = self._row_locations.get_key(row)
            if row_key is None or row_key not in self.rows:
                return None
            height = self.rows[row_key].height
        cell = cells[column]
        content = (type(cell), cell.plain, tuple(cell.spans), cell.style, cell.justify,
                   cell.overflow, cell.no_wrap, cell.end, cell.tab_size)  # fmt: skip
        state = (cursor, hover, self._show_hover_cursor, self.show_cursor, self.cursor_type,
                 self._pseudo_class_state, self.cell_padding, self.zebra_stripes,
                 self.app._css_update_count)  # fmt: skip
        return (content, row, column, base, width, height, state)

    def _update_dimensions(self, new_rows: object) -> None:
        """DataTable measures every cell of every new row (Rich's measure: a word split and a
        cell-width sum per cell) to widen auto-width columns. The columns laid out here have
        fixed widths and the rows a fixed height: only the scrollable size is left to set."""
        keys = list(new_rows)  # type: ignore[call-overload]
        rows = [self.rows.get(key) for key in keys]
        fixed = all(not c.auto_width for c in self.columns.values())
        if not fixed or any(r is not None and (r.auto_height or r.label) for r in rows):
            super()._update_dimensions(keys)
            return
        width = sum(c.get_render_width(self) for c in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            width + self._row_label_column_width, self._total_row_height + header
        )

    def notify_style_update(self) -> None:
        """Styles were applied again: a focus change does that too (the cells drawn for each
        focus state stay good, the state is in their key); a theme or CSS change makes every
        cell look different, so none drawn before is kept."""
        super().notify_style_update()
        drawn = getattr(self, "_drawn_cells", None)  # DataTable.__init__ may call this first
        if drawn is None:
            return
        state = self._pseudo_class_state
        try:
            look = (self.rich_style, *(self.get_component_rich_style(name, partial=True)
                                       for name in sorted(self.COMPONENT_CLASSES)))  # fmt: skip
        except KeyError:  # component styles not applied yet: nothing to compare with
            drawn.clear()
            self._looks.clear()
            return
        if self._looks.get(state, look) != look:
            drawn.clear()
            self._looks.clear()
        self._looks[state] = look

    # ---- reading ---------------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        return [str(r.key.value) for r in self.ordered_rows]

    @property
    def shown_keys(self) -> list[str]:
        """The keys of the columns on screen, in order (without the mark column)."""
        return [key for _, key, _, _, _ in self._shown]

    def value(self, row_key: str, column_key: str) -> Text:
        """A row's cell by column key, whether that column is shown or not (uncut)."""
        index = [c[0] for c in self._columns].index(column_key)
        return self._rows[row_key][index]

    @property
    def cursor_key(self) -> str | None:
        if not self.row_count:
            return None
        row = max(0, min(self.cursor_row, self.row_count - 1))
        return str(self.ordered_rows[row].key.value)

    def _highlight_row(self, row_index: int) -> None:
        """DataTable posts RowHighlighted(row_key=None) for row -1 of an empty table (PageDown on
        no rows): no row, no message, so no handler ever sees a highlight without a row."""
        if 0 <= row_index < self.row_count:
            super()._highlight_row(row_index)

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
            elif self._figures_cut(rows) and self._fit(columns, rows) != self._shown:
                # a figure grew past its column (a running run's counts): lay out again
                marks = self.new_keys | ({k for k, _ in rows} - set(self.keys))
                scroll_y = self.scroll_y
                self._rebuild(columns, rows, self.cursor_key, height, marks)
                self.call_after_refresh(self.scroll_to, y=scroll_y, animate=False)
            else:
                self._patching = True
                try:
                    self._patch(rows)
                finally:
                    self._patching = False

    def _fit(self, columns: list[Column], rows: Sequence[RowData]) -> list[Shown]:
        width = self.size.width or self.app.size.width
        gutter = self.styles.scrollbar_size_vertical if self.styles.overflow_y != "hidden" else 0
        pad = 2 * self.cell_padding
        return layout(columns, width - gutter - (1 + pad), pad, needs_of(columns, rows))

    def _figures_cut(self, rows: list[RowData]) -> bool:
        """Would a figure of these rows be cut in the columns shown (no whole form fits)?"""
        for _, cells in rows:
            for i, _, _, width, _ in self._shown:
                cell = cells[i] if i < len(cells) else None
                if isinstance(cell, Figures) and width is not None and cell.narrowest > width:
                    return True
        return False

    def _shown_cells(self, cells: Sequence[Text]) -> list[object]:
        return [fit_cell(cells[i], w, end) for i, _, _, w, end in self._shown if i < len(cells)]

    def _rebuild(
        self,
        columns: list[Column],
        rows: list[RowData],
        cursor_key: str | None,
        height: int,
        marks: set[str] | None = None,
    ) -> None:
        shown = self._fit(columns, rows)
        same_columns = columns == self._columns and shown == self._shown
        self.clear(columns=not same_columns)
        if not same_columns:
            self.add_column(" ", key=MARK, width=1)
            for _, key, label, width, _ in shown:
                self.add_column(label, key=key, width=width)
            self._columns = list(columns)
            self._shown = shown
        self._height = height
        self.new_keys = set(marks or ())
        self._rows = {key: list(cells) for key, cells in rows}
        for key, cells in rows:
            mark = "+" if key in self.new_keys else " "
            self.add_row(KeyedText(mark, key), *self._shown_cells(cells), key=key, height=height)
        keys = [k for k, _ in rows]
        if cursor_key in keys:
            self.move_cursor(row=keys.index(cursor_key), animate=False)
        elif rows:
            self.move_cursor(row=0, animate=False)

    def on_resize(self, event: events.Resize) -> None:
        """Lay the columns out again for the new width (only when that changes what is shown)."""
        rows = [(key, self._rows[key]) for key in self.keys]
        if not self._columns or self._fit(self._columns, rows) == self._shown:
            return
        scroll_y = self.scroll_y
        with self.app.batch_update():
            self._rebuild(self._columns, rows, self.cursor_key, self._height, self.new_keys)
        self.call_after_refresh(self.scroll_to, y=scroll_y, animate=False)

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
                self._rows.pop(key, None)
        for key, cells in rows:
            if key in old_set:
                before = self._rows[key]
                for i, col, _, width, end in self._shown:
                    if i < len(cells) and (i >= len(before) or before[i] != cells[i]):
                        self.update_cell(key, col, fit_cell(cells[i], width, end))
            else:
                shown = self._shown_cells(cells)
                self.add_row(KeyedText("+", key), *shown, key=key, height=self._height)
                self.new_keys.add(key)
            self._rows[key] = list(cells)
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
