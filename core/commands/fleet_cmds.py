"""The fleet, headless: `syncdeck workers` lists the workers sharing this store (host, pid,
runs in hand, last heartbeat; stale ones marked by the database's clock)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..console_api import ConsoleAPI
from .base import command
from .output import Column, attr, emit_rows, output_format


def _age(w: Any) -> str:
    return f"{w.heartbeat_age:.0f}s ago"


def _state(w: Any) -> str:
    return "STALE" if w.stale else w.status


WORKER_COLUMNS = [
    attr("id", 6, right=True),
    attr("host", 28, flex=True),
    attr("pid", 8, right=True),
    Column("STATE", _state, 8),
    Column("RUNS", lambda w: w.runs_in_hand, 5, right=True),
    Column("HEARTBEAT", _age, 12, right=True),
    Column("LEASE", lambda w: f"{w.lease_seconds:g}s", 7, right=True),
    Column("STARTED", lambda w: w.started_at, 16),
]


async def workers(args: argparse.Namespace, api: ConsoleAPI) -> int:
    found = await api.workers(include_stopped=args.all)
    emit_rows(
        args, found, WORKER_COLUMNS,
        empty="No worker is running against this store. Start one with `syncdeck worker`.",
    )  # fmt: skip
    if output_format(args) == "table" and any(w.stale for w in found):
        sys.stdout.write(
            "STALE: no heartbeat within its lease; its runs are marked interrupted at the next "
            "beat of any other worker or the next syncdeck start.\n"
        )
    return 0


def register(subparsers: Any) -> None:
    what = "the workers sharing this store: host, runs in hand, last heartbeat"
    p = command(subparsers, "workers", workers, help=what)
    p.add_argument("--all", action="store_true",
                   help="include workers that stopped or were lost")  # fmt: skip
