"""`syncdeck db migrate --from SQLITE --to POSTGRESQL_URL [--dry-run]`."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import asdict
from typing import Any

from ..store.location import display_url
from ..store.migrate import migrate_store
from .base import command
from .output import Column, emit_rows, output_format, render_json

COLUMNS = [
    Column("TABLE", lambda c: c.table, 20),
    Column("SOURCE ROWS", lambda c: c.source_rows, 14, right=True),
    Column("COPIED ROWS", lambda c: "-" if c.copied_rows is None else c.copied_rows, 14,
           right=True),
]  # fmt: skip


async def db_migrate(args: argparse.Namespace, api: Any) -> int:
    started = time.monotonic()
    report = await migrate_store(args.source, args.to, dry_run=args.dry_run)
    counts = report.tables
    if output_format(args) == "json":
        render_json({"dry_run": args.dry_run, "tables": [asdict(c) for c in counts],
                     "running": report.running},
                    out=sys.stdout)  # fmt: skip
        return 0
    emit_rows(args, counts, COLUMNS)
    if output_format(args) == "csv":
        return 0
    total = sum(c.source_rows for c in counts)
    where = display_url(args.to.strip())
    if report.running:
        ids = ", ".join(str(i) for i in report.running)
        print(f"Note: run(s) {ids} were running in the source; copied as they stood (what a "
              "worker writes to the SQLite store from now on stays there). Stop the workers "
              "before migrating for real.")  # fmt: skip
    if args.dry_run:
        print(f"Dry run: would copy {total} rows into {where} (empty, reachable); nothing written.")
    else:
        print(f"Copied {total} rows into {where} in {time.monotonic() - started:.1f} s; "
              f"counts match. Next: syncdeck --db {where}")  # fmt: skip
    return 0


def register_migrate(inner: Any) -> None:
    p = command(inner, "migrate", db_migrate, store="none",
                help="copy an SQLite store (history and configuration) into an empty PostgreSQL "
                "database")  # fmt: skip
    p.add_argument("--from", dest="source", required=True, metavar="SQLITE",
                   help="the SQLite store: sqlite:///path/to/syncdeck.db or a path")  # fmt: skip
    p.add_argument("--to", required=True, metavar="URL",
                   help="an empty PostgreSQL database: postgresql://USER@HOST/DBNAME")  # fmt: skip
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="check both ends, print the counts it would copy, write nothing",
    )
