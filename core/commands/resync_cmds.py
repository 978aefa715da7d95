"""`syncdeck status` (each service: synced, syncing, needs resync and why, never run) and
`syncdeck resync [NAME...] [--all]` (Levelup's Auto Resync / Auto Resync All)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..console_api import ConsoleAPI
from ..errors import UserError
from .base import command
from .output import Column, emit_rows, output_format, render_json

STATUS_COLUMNS = [
    Column("SERVICE", lambda s: s.service, 30),
    Column("STATE", lambda s: s.state.value, 12),
    Column("WHY", lambda s: s.reason, 40, flex=True),
    Column("LAST RUN", lambda s: s.last_run, 8, right=True),
    Column("LAST STATUS", lambda s: s.last_status, 11),
    Column("STARTED", lambda s: s.last_started, 16),
]


async def status(args: argparse.Namespace, api: ConsoleAPI) -> int:
    states = await api.sync_states()
    if args.needs_resync:
        states = [s for s in states if s.state.value == "needs resync"]
    empty = "No service needs a resync." if args.needs_resync else "No services yet."
    emit_rows(args, states, STATUS_COLUMNS, empty=empty)
    return 0


async def resync(args: argparse.Namespace, api: ConsoleAPI) -> int:
    if bool(args.names) == bool(args.all):
        raise UserError(
            "Name the services to resync, or give --all for every one that needs it.",
            "See which need it with `syncdeck status --needs-resync`.",
        )
    results = await api.resync(args.names or None, force=args.force)
    if output_format(args) == "json":
        render_json(results, out=sys.stdout)
    elif not results:
        sys.stdout.write("No service needs a resync.\n")
    for r in results if output_format(args) != "json" else []:
        line = r.message if r.ran else f"{r.service}: not run: {r.message}"
        sys.stdout.write(" ".join(line.split()) + "\n")
    if any(not r.ran for r in results):
        return 1
    return 3 if any(r.status != "success" for r in results) else 0


def register(subparsers: Any) -> None:
    what = ("each service: synced, syncing, needs resync (last run failed, partial, "
            "interrupted, or a connector reconnected)")  # fmt: skip
    p = command(subparsers, "status", status, help=what)
    p.add_argument("--needs-resync", action="store_true",
                   help="only the services that need a resync")  # fmt: skip
    p = command(subparsers, "resync", resync, help="run services again: those named, or with "
                "--all every one that needs a resync (exit 0 all success, 3 some partial or "
                "failed, 1 some not run)", store="read")  # fmt: skip
    p.add_argument("names", nargs="*", metavar="NAME")
    p.add_argument("--all", action="store_true", help="every service that needs a resync")
    p.add_argument("--force", action="store_true", help="ignore the cooldown between runs")
