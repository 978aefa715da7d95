"""Rendering for the headless commands: an aligned table for people, JSON or CSV for scripts.

Tables show cleaned, one-line, cut values (untrusted text never reaches the terminal raw).
JSON is one document with full values, every control and bidi character escaped (\\u202e), so
none reaches a terminal raw. CSV goes through the csv module with full values; control sequences
are stripped there too, since CSV is often read in a terminal, and a cell a spreadsheet would run
as a formula gets a leading ' (core.text.csv_cell, shared with the console's export).
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, TextIO

from pydantic import BaseModel

from ..store import Page
from ..text import clean, csv_cell, json_safe, plural
from ..timeutil import local_minute, local_zone_name

MIN_FLEX = 12


@dataclass(frozen=True)
class Column:
    """One table column: a header, how to get the shown value from a row, and its widest cut."""

    header: str
    get: Callable[[Any], object]
    width: int = 30
    right: bool = False
    flex: bool = False  # shrinks (down to MIN_FLEX) so the table fits the terminal


def attr(name: str, width: int = 30, *, right: bool = False, flex: bool = False) -> Column:
    """A column showing attribute `name`; the header is the name in capitals."""
    return Column(name.upper().replace("_", " "), lambda r: getattr(r, name), width, right, flex)


def show(value: object) -> str:
    """A value as a table cell: local minutes for times, enum values, '' for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local_minute(value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def plain(value: object) -> object:
    """A value for JSON: models dumped with full values, times as ISO 8601 UTC."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")  # as pydantic writes UTC times
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def flat(value: object) -> dict[str, object]:
    """A row as a flat dict for CSV: nested values become compact JSON."""
    data = plain(value)
    if not isinstance(data, dict):
        return {"value": data}
    out: dict[str, object] = {}
    for key, v in data.items():
        if isinstance(v, dict | list):
            out[key] = json.dumps(v, ensure_ascii=False, separators=(",", ":"))
        else:
            out[key] = v
    return out


def render_table(
    rows: Sequence[Any], columns: Sequence[Column], *, out: TextIO, width: int | None = None
) -> None:
    cells = [[clean(show(c.get(r)), c.width, single_line=True) for c in columns] for r in rows]
    widths = [max([len(c.header), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
    limit = width if width is not None else shutil.get_terminal_size((120, 24)).columns
    excess = sum(widths) + 2 * (len(widths) - 1) - limit
    for i, c in enumerate(columns):
        if excess <= 0:
            break
        if c.flex and widths[i] > MIN_FLEX:
            cut = min(excess, widths[i] - MIN_FLEX)
            widths[i] -= cut
            excess -= cut
    header = [c.header for c in columns]
    for line in [header, *cells]:
        parts = []
        for i, c in enumerate(columns):
            text = line[i]
            if len(text) > widths[i]:
                text = text[: max(widths[i] - 1, 0)] + "…"
            parts.append(text.rjust(widths[i]) if c.right else text.ljust(widths[i]))
        out.write("  ".join(parts).rstrip() + "\n")


def render_json(document: object, *, out: TextIO) -> None:
    out.write(json_safe(json.dumps(plain(document), ensure_ascii=False, indent=2)))
    out.write("\n")


def render_csv(
    records: Iterable[dict[str, object]], *, out: TextIO, fields: Sequence[str] = ()
) -> None:
    records = list(records)
    fields = list(fields)
    for rec in records:
        fields.extend(k for k in rec if k not in fields)
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: csv_cell(v) for k, v in rec.items()})


def output_format(args: Any) -> str:
    if getattr(args, "json", False):
        return "json"
    if getattr(args, "csv", False):
        return "csv"
    return "table"


def paging_hint(page: Page[Any], first: int | None) -> str:
    """'rows 21-40 of 345 · next: --after 1234 · prev: --before 1255'."""
    if first is None:  # keyset position: the row number is not known
        text = f"{plural(len(page.items), 'row')} of {page.total:,}"
    else:
        text = f"rows {first}-{first + len(page.items) - 1} of {page.total}"
    if page.next_key is not None:
        text += f" · next: --after {page.next_key}"
    if page.prev_key is not None:
        text += f" · prev: --before {page.prev_key}"
    return text


def emit_page(
    args: Any,
    page: Page[Any],
    columns: Sequence[Column],
    *,
    empty: str,
    first: int | None = 1,
    model: type[BaseModel] | None = None,
    out: TextIO | None = None,
) -> None:
    """Print one keyset page in the chosen format. `model` names the CSV columns even when
    the page is empty."""
    out = out or sys.stdout
    fmt = output_format(args)
    if fmt == "json":
        render_json(
            {
                "items": page.items,
                "total": page.total,
                "limit": page.limit,
                "has_next": page.has_next,
                "has_prev": page.has_prev,
                "next_after": page.next_key,
                "prev_before": page.prev_key,
            },
            out=out,
        )
    elif fmt == "csv":
        fields = list(model.model_fields) if model is not None else []
        render_csv((flat(item) for item in page.items), out=out, fields=fields)
    elif not page.items:
        out.write(f"{empty}\n")
    else:
        render_table(page.items, columns, out=out)
        out.write(f"{paging_hint(page, first)} · times in {local_zone_name()}\n")


def emit_rows(
    args: Any,
    rows: Sequence[Any],
    columns: Sequence[Column],
    *,
    document: object | None = None,
    empty: str = "Nothing to show.",
    out: TextIO | None = None,
) -> None:
    """Print a short list (not paged) in the chosen format."""
    out = out or sys.stdout
    fmt = output_format(args)
    if fmt == "json":
        render_json(rows if document is None else document, out=out)
    elif fmt == "csv":
        render_csv((flat(r) for r in rows), out=out)
    elif not rows:
        out.write(f"{empty}\n")
    else:
        render_table(rows, columns, out=out)
