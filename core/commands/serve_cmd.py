"""`syncdeck serve`: the console in a browser (the server lives in web/, loaded on demand)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..timeutil import parse_span
from .base import command


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port (1-65535)")
    return int(text)


def _sessions(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of sessions")
    return int(text)


def _span(text: str) -> float:
    try:
        return parse_span(text)
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(subparsers: Any) -> None:
    from web.options import DEFAULT_IDLE, DEFAULT_PORT, DEFAULT_SESSIONS

    p = command(subparsers, "serve", serve, store="none", formats=False,
                help="the console in a browser: read-only unless --allow-write, signed in, "
                     "on 127.0.0.1 unless --host says otherwise")  # fmt: skip
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    auth = p.add_argument_group("sign-in (choose one)")
    auth.add_argument(
        "--token-file",
        type=Path,
        metavar="FILE",
        help="a shared access token, the first line of FILE (16+ characters)",
    )
    auth.add_argument(
        "--password-file",
        type=Path,
        metavar="FILE",
        help="lines of user:hash made by --hash-password",
    )
    auth.add_argument(
        "--trusted-header",
        metavar="NAME",
        help="behind an SSO proxy: the header naming the signed-in user "
        "(e.g. X-Forwarded-User), believed only from --trusted-proxy",
    )
    auth.add_argument(
        "--trusted-proxy",
        default="127.0.0.1",
        metavar="ADDR",
        help="the proxy's address as this server sees it (default 127.0.0.1)",
    )
    auth.add_argument(
        "--no-auth", action="store_true", help="no sign-in (only on a loopback address)"
    )
    auth.add_argument(
        "--hash-password",
        metavar="USER",
        help="print a password-file line for USER (password read from stdin) and exit",
    )
    p.add_argument(
        "--allow-write",
        action="store_true",
        help="let browser users change things (default: read-only)",
    )
    p.add_argument(
        "--max-sessions",
        type=_sessions,
        default=DEFAULT_SESSIONS,
        help=f"console processes at once (default {DEFAULT_SESSIONS}; ~65 MB each)",
    )
    p.add_argument(
        "--idle-timeout",
        type=_span,
        default=DEFAULT_IDLE,
        metavar="SPAN",
        help="close a session after this long without a key (default 15m)",
    )
    p.add_argument("--public-url", metavar="URL",
                   help="the address users open, when behind a reverse proxy "
                        "(https://syncdeck.example.com); the only origin accepted")  # fmt: skip


def _hash_password(user: str) -> int:
    from web.auth import hash_password

    if ":" in user or not user.strip():
        raise UserError(f"'{user}' cannot be a user name.", "Use letters, digits, . _ - or @.")
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {user}: ")
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 12:
        raise UserError("That password is shorter than 12 characters.", "Choose a longer one.")
    print(f"{user}:{hash_password(password)}")
    return 0


async def serve(args: argparse.Namespace, _api: None) -> int:
    if args.hash_password:
        return _hash_password(args.hash_password)
    from web.options import ServeOptions
    from web.run import run_server

    options = ServeOptions(
        host=args.host, port=args.port, db=args.db, allow_write=args.allow_write,
        token_file=args.token_file, password_file=args.password_file,
        trusted_header=args.trusted_header, trusted_proxy=args.trusted_proxy,
        no_auth=args.no_auth, max_sessions=args.max_sessions, idle_timeout=args.idle_timeout,
        public_url=args.public_url,
    )  # fmt: skip
    if args.read_only and args.allow_write:
        raise UserError("--read-only and --allow-write contradict each other.", "Drop one.")
    return await run_server(options)
