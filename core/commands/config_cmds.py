"""`syncdeck config import FILE`, `config export`, `config validate FILE`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ..config_io import validate_file
from ..console_api import ConsoleAPI
from ..errors import UserError
from .base import command


def _describe(cfg: Any) -> str:
    streams = sum(len(s.streams) for s in cfg.services.values())
    return (
        f"{len(cfg.connectors)} connector(s) ({', '.join(cfg.connectors) or 'none'}), "
        f"{len(cfg.services)} service(s) ({', '.join(cfg.services) or 'none'}), "
        f"{streams} stream(s)"
    )


async def do_import(args: argparse.Namespace, api: ConsoleAPI) -> int:
    if args.read_only:
        raise UserError("config import writes to the store, and --read-only forbids writing.",
                        "Run it without --read-only.")  # fmt: skip
    cfg = validate_file(args.file)  # all of it, before anything is written or asked
    gone = sorted({s.name for s in await api.services()} - set(cfg.services))
    if gone and args.prune and not _confirmed(args, gone):
        print("Nothing imported, nothing removed.", file=sys.stderr)
        return 1
    if args.test:
        from ..connector_check import NOT_ESTABLISHED, check_file_connectors

        failed = [c for c in await check_file_connectors(args.file) if not c.ok]
        for c in failed:
            print(f"syncdeck: {c.connector}: {NOT_ESTABLISHED} GET {c.url}: "
                  f"{c.reason or 'no answer'}.", file=sys.stderr)  # fmt: skip
        if failed and not args.force:
            print("Nothing was imported. Correct the settings, or add --force to import anyway.",
                  file=sys.stderr)  # fmt: skip
            return 1
    cfg = await api.import_config(args.file)
    print(f"Imported {args.file}: {_describe(cfg)}.")
    if gone and args.prune:
        for name in gone:
            await api.delete_service(name)
        print(f"Removed {len(gone)} service(s) not in {args.file}: {', '.join(gone)} "
              "(their runs and logs stay as history).")  # fmt: skip
    elif gone:
        print(f"Kept {len(gone)} stored service(s) the file does not name: {', '.join(gone)} "
              "(config import --prune removes them).", file=sys.stderr)  # fmt: skip
    return 0


def _confirmed(args: argparse.Namespace, gone: list[str]) -> bool:
    """--yes, or a 'y' typed at a terminal; a script without --yes is told what to add."""
    names = ", ".join(gone)
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise UserError(
            f"config import --prune would remove {len(gone)} service(s) not in {args.file}: "
            f"{names}; nothing was imported.",
            "Check the list, then run it again with --yes to confirm.",
        )
    print(f"{args.file} does not name {len(gone)} stored service(s): {names}.", file=sys.stderr)
    print("Remove them (runs and logs stay as history)? [y/N] ", end="", file=sys.stderr)
    try:
        answer = input()
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def _write(path: str, text: str) -> None:
    """Write through a temporary file next to `path`: an error leaves nothing half-written."""
    target = Path(path).expanduser()
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(
            f"Cannot write {path}: {exc.strerror or exc}.", "Pick a file in an existing folder."
        ) from None


async def do_export(args: argparse.Namespace, api: ConsoleAPI) -> int:
    text = await api.export_config()
    if args.output:
        _write(args.output, text)
        print(f"Wrote {args.output}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


async def do_validate(args: argparse.Namespace, api: Any) -> int:
    cfg = validate_file(args.file)
    print(f"{args.file} is valid: {_describe(cfg)}.")
    return 0


def register(subparsers: Any) -> None:
    group = subparsers.add_parser(
        "config", help="import, export or validate the TOML configuration",
        description="The TOML file of connectors and services.",
    )  # fmt: skip
    sub = group.add_subparsers(
        dest="config_command", metavar="ACTION", required=True, parser_class=type(group)
    )
    p = command(sub, "import", do_import, help="validate a TOML file, then store it",
                store="create", formats=False)  # fmt: skip
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--prune",
        action="store_true",
        help="remove stored services the file does not name (listed, then confirmed)",
    )
    p.add_argument("--yes", action="store_true", help="confirm --prune without asking")
    p.add_argument("--test", action="store_true", help="test each connector first; a failing "
                   "test refuses the import (exit 1)")  # fmt: skip
    p.add_argument("--force", action="store_true", help="with --test: import even if a test fails")
    p = command(sub, "export", do_export, help="print the stored configuration as TOML",
                formats=False)  # fmt: skip
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p = command(sub, "validate", do_validate, help="check a TOML file without storing it",
                store="none", formats=False)  # fmt: skip
    p.add_argument("file", metavar="FILE")
