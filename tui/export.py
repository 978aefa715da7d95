"""CSV export of the current view: every page with the same filters, written off the event loop."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from core.errors import UserError
from core.text import csv_cell

from .views.base import Query

EXPORT_PAGE = 1000


def exports_dir() -> Path:
    """Where exports go unless told otherwise: `exports/` in the user data folder
    (~/.local/share/syncdeck/exports on Linux), never the current directory (a git checkout)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("syncdeck", appauthor=False)) / "exports"


def default_path(kind: str, now: float, directory: str | None = None) -> str:
    stamp = datetime.fromtimestamp(now).strftime("%Y%m%d-%H%M%S")
    return str(Path(directory or exports_dir()) / f"syncdeck-{kind}-{stamp}.csv")


def shown_dir(path: Path) -> str:
    """A folder as the user reads it: ~ for the home folder."""
    home = Path.home()
    try:
        return "~/" + str(path.relative_to(home))
    except ValueError:
        return str(path)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, default=str)
    # Cleaned, and a spreadsheet must not run a formula that came from a third-party system.
    return str(csv_cell(value if isinstance(value, str) else str(value)))


def _target(path: str, kind: str, now: float) -> Path:
    """The file to write: `path`, or a default name inside it when it is a folder; a name
    alone goes into the exports folder (created when missing), not the current directory."""
    target = Path(os.path.expanduser(path))
    if target.is_dir():
        target = target / Path(default_path(kind, now)).name
    elif not target.is_absolute() and target.parent == Path("."):
        target = exports_dir() / target
    if target.parent == exports_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
    if not target.parent.exists():
        raise UserError(
            f"The folder {target.parent} does not exist.", "Pick an existing folder for the CSV."
        )
    return target


async def export_rows(rows: list[dict[str, Any]], path: str, kind: str, now: float) -> str:
    """Write rows already in memory (an admin screen's shown rows) with the same defusing as
    export_csv. Returns the path written."""
    target = _target(path, kind, now)
    text = rows_csv_text(rows)

    def write() -> None:
        with open(target, "w", newline="", encoding="utf-8") as handle:
            handle.write(text)

    try:
        await asyncio.to_thread(write)
    except OSError as exc:
        raise UserError(f"Cannot write {target}: {exc.strerror}.", "Pick another path.") from None
    return str(target)


async def _write_view(view: Any, q: Query, handle: Any) -> int:
    """Every row of the view (all pages, same filters) as CSV into `handle`. Returns the count."""
    level = replace(q.level, after=None, before=None)
    query = replace(q, level=level)
    rows = 0
    writer: csv.DictWriter | None = None
    after: int | None = None
    while True:
        window = await view.fetch(query, limit=EXPORT_PAGE, after=after, before=None)
        batch = [{k: _cell(v) for k, v in view.export_row(i).items()} for i in window.items]
        if batch and writer is None:
            writer = csv.DictWriter(handle, fieldnames=list(batch[0]))
            await asyncio.to_thread(writer.writeheader)
        if batch and writer is not None:
            await asyncio.to_thread(writer.writerows, batch)
        rows += len(batch)
        after = window.next_key
        if after is None:
            return rows


async def export_csv(view: Any, q: Query, path: str) -> tuple[int, str]:
    """Write every row of the view (all pages) to `path`. Returns (row count, path written)."""
    target = _target(path, view.kind, q.now)
    try:
        handle = await asyncio.to_thread(open, target, "w", newline="", encoding="utf-8")
    except OSError as exc:
        raise UserError(f"Cannot write {target}: {exc.strerror}.", "Pick another path.") from None
    try:
        rows = await _write_view(view, q, handle)
    finally:
        await asyncio.to_thread(handle.close)
    return rows, str(target)


async def export_csv_text(view: Any, q: Query) -> tuple[int, str]:
    """The same CSV, in memory (the browser console delivers it as a download)."""
    handle = io.StringIO(newline="")
    rows = await _write_view(view, q, handle)
    return rows, handle.getvalue()


def rows_csv_text(rows: list[dict[str, Any]]) -> str:
    """Rows already in memory (an admin screen's), defused like every export, as CSV text."""
    handle = io.StringIO(newline="")
    cleaned = [{k: _cell(v) for k, v in r.items()} for r in rows]
    if cleaned:
        writer = csv.DictWriter(handle, fieldnames=list(cleaned[0]))
        writer.writeheader()
        writer.writerows(cleaned)
    return handle.getvalue()


def deliver_csv(app: Any, text: str, kind: str, now: float) -> str:
    """In a browser (`syncdeck serve`): hand the CSV to the browser as a download; nothing is
    written on the server. Returns the file name the browser saves."""
    name = Path(default_path(kind, now)).name
    app.deliver_text(io.StringIO(text), save_filename=name, mime_type="text/csv")
    return name
