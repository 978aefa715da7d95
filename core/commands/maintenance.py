"""Maintenance commands: `syncdeck prune`, `syncdeck db info` and `db migrate`."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import Any

from ..console_api import ConsoleAPI
from ..errors import UserError
from ..timeutil import local_minute
from .base import add_global_flags, command, days_type, span_type
from .db_migrate import register_migrate
from .output import Column, emit_rows, output_format, render_json


def _kv_columns() -> list[Column]:
    return [Column("WHAT", lambda r: r[0], 30), Column("VALUE", lambda r: r[1], 80, flex=True)]


async def prune(args: argparse.Namespace, api: ConsoleAPI) -> int:
    if args.read_only:
        raise UserError("prune deletes old rows, and --read-only forbids writing.",
                        "Run it without --read-only.")  # fmt: skip
    report = await api.prune(
        retention_days=args.days,
        compress_after_days=args.compress_after,
        payload_keep_hours=None if args.keep_payloads is None else args.keep_payloads / 3600,
    )
    if output_format(args) == "json":
        render_json(asdict(report), out=sys.stdout)
        return 0
    rows: list[tuple[str, object]] = [(f"deleted {t}", n) for t, n in report.deleted.items()]
    rows += [
        ("payloads dropped", report.payloads_dropped),
        ("payloads compressed", report.payloads_compressed),
        ("cutoff", local_minute(report.cutoff)),
    ]
    if output_format(args) == "csv":
        emit_rows(args, [{"what": k, "value": v} for k, v in rows], _kv_columns())
    else:
        emit_rows(args, rows, _kv_columns())
    return 0


async def db_info(args: argparse.Namespace, api: ConsoleAPI) -> int:
    info = await api.info()
    if output_format(args) == "json":
        render_json(info, out=sys.stdout)
        return 0
    rows: list[tuple[str, object]] = [
        ("path", info["path"]),
        ("schema", f"{info['schema']} (latest {info['latest_schema']})"),
        ("size", _size(int(info["size_bytes"]))),  # type: ignore[call-overload]
    ]
    if "wal_bytes" in info:  # SQLite
        rows.append(("wal", _size(int(info["wal_bytes"]))))  # type: ignore[call-overload]
        rows.append(("journal mode", info["journal_mode"]))
    if "server_version" in info:  # PostgreSQL
        rows.append(("server version", info["server_version"]))
    rows += [(f"rows {k}", v) for k, v in dict(info["rows"]).items()]  # type: ignore[call-overload]
    if output_format(args) == "csv":
        emit_rows(args, [{"what": k, "value": v} for k, v in rows], _kv_columns())
    else:
        emit_rows(args, rows, _kv_columns())
    return 0


def _keep_type(text: str) -> float | None:
    return None if text.strip().lower() in ("forever", "never", "all") else span_type(text)


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def register(subparsers: Any) -> None:
    p = command(subparsers, "prune", prune, help="delete old history and compress old payloads")
    p.add_argument("--days", type=days_type, default=30.0, metavar="N",
                   help="keep this many days of history (default 30)")  # fmt: skip
    p.add_argument("--compress-after", type=days_type, default=7.0, metavar="N",
                   help="compress stored payloads older than N days (default 7)")  # fmt: skip
    p.add_argument("--keep-payloads", type=_keep_type, default=86400.0, metavar="SPAN",
                   help="drop request/response bodies older than this (default 24h; "
                   "'forever' keeps them)")  # fmt: skip

    db = subparsers.add_parser("db", help="the store file", description="the store file")
    add_global_flags(db, sub=True)
    inner = db.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    command(inner, "info", db_info, help="where the store is, its schema and row counts")
    register_migrate(inner)
