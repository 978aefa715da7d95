"""What every command group shares: the common flags, `command()` to declare a subcommand,
paging flags and the argument types that turn bad input into one clear line."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from ..errors import UserError
from ..store import Page
from ..timeutil import parse_since, parse_span

# How a handler gets its store: "read" opens an existing store (a missing one is an error),
# "create" may create it, "none" gets api=None (the handler opens what it needs itself).
StoreMode = Literal["read", "create", "none"]
Handler = Callable[[argparse.Namespace, Any], Awaitable[int | None]]


def add_global_flags(parser: argparse.ArgumentParser, *, sub: bool) -> None:
    """--db, --read-only, --no-mouse. On subcommands their default is SUPPRESS, so a value
    given before the subcommand (`syncdeck --db X runs`) is not overwritten by its default."""
    default: Any = argparse.SUPPRESS if sub else None
    flag_default: Any = argparse.SUPPRESS if sub else False
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="the store file (default: $SYNCDECK_DB or the user data folder)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        default=flag_default,
        help="never write to the store (actions are refused)",
    )
    parser.add_argument(
        "--no-mouse", action="store_true", default=flag_default, help="console: ignore the mouse"
    )


def command(
    subparsers: Any,
    name: str,
    handler: Handler,
    *,
    help: str,
    store: StoreMode = "read",
    formats: bool = True,
    **kwargs: Any,
) -> argparse.ArgumentParser:
    """Declare one subcommand. Its handler is `async def handler(args, api) -> int | None`."""
    parser = subparsers.add_parser(name, help=help, description=help, **kwargs)
    add_global_flags(parser, sub=True)
    if formats:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--json", action="store_true", help="one JSON document, full values")
        group.add_argument("--csv", action="store_true", help="CSV with a header row, full values")
    parser.set_defaults(handler=handler, store_mode=store)
    return parser


# ---- argument types (argparse turns a raised ArgumentTypeError into one error line) ----------


def _type(fn: Callable[[str], Any]) -> Callable[[str], Any]:
    """Any problem converting a value is one line naming the flag (argparse adds 'argument
    --until:'), never argparse's "invalid _since value" or a traceback."""

    def convert(text: str) -> Any:
        try:
            return fn(text)
        except UserError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        except (ValueError, OverflowError, OSError):
            raise argparse.ArgumentTypeError(f"'{text}' is not accepted here.") from None

    convert.__name__ = fn.__name__
    return convert


def _since(text: str) -> float:
    return parse_since(text)


def _span_seconds(text: str) -> float:
    return parse_span(text)


MAX_ID = 2**63 - 1  # the largest id (and number) the store can hold
MAX_SCALE = 1000  # demo --scale: about 87 million API calls


def _positive(text: str, most: int = MAX_ID) -> int:
    """A whole number from 1 to `most` (ids: what SQLite's INTEGER holds)."""
    try:
        value = int(text)
    except ValueError:
        raise UserError(f"'{text}' is not a whole number.", "Use for example 7.") from None
    if value < 1:
        raise UserError(f"{value} is too small.", "Use 1 or more.")
    if value > most:
        raise UserError(f"{text} is too large.", f"Use {most} or less.")
    return value


def _limit(text: str) -> int:
    value = _positive(text)
    if value > 1000:
        raise UserError(f"{value} rows is more than one page can hold.", "Use 1000 or fewer.")
    return value


def _scale(text: str) -> int | float:
    try:
        value = float(text)
    except ValueError:
        raise UserError(f"'{text}' is not a scale.", "Use a number such as 1, 10 or 0.5.") from None
    if not value > 0:
        raise UserError(f"A scale of {text} makes no history.", "Use a number above 0.")
    if value > MAX_SCALE:
        raise UserError(
            f"A scale of {text} would take days and fill the disk.", f"Use {MAX_SCALE} or less."
        )
    return int(value) if value.is_integer() else value


def _days(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UserError(f"'{text}' is not a number of days.", "Use for example 30.") from None
    if not 0 < value <= 36500:  # also refuses nan and inf
        raise UserError(f"{text} days is not a period.", "Use a number above 0, such as 30.")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UserError(f"'{text}' is not a number of seconds.", "Use for example 30.") from None
    if not 0 <= value <= 86400:  # also refuses nan and inf
        raise UserError(f"{text} seconds is out of range.", "Use 0 to 86400.")
    return value


since_type = _type(_since)
seconds_type = _type(_seconds)
span_type = _type(_span_seconds)
positive_int = _type(_positive)
id_type = positive_int  # every id a command takes: a run, step, instance, entity
limit_type = _type(_limit)
days_type = _type(_days)
scale_type = _type(_scale)


def add_paging(parser: argparse.ArgumentParser, default_limit: int) -> None:
    parser.add_argument(
        "--limit",
        type=limit_type,
        default=default_limit,
        metavar="N",
        help=f"rows per page (default {default_limit}, at most 1000)",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--after", type=positive_int, metavar="ID", help="the page after row ID")
    group.add_argument("--before", type=positive_int, metavar="ID", help="the page before row ID")
    group.add_argument("--page", type=positive_int, metavar="N", help="page number N (1 = first)")


async def fetch_page(
    args: argparse.Namespace, fetch: Callable[..., Awaitable[Page[Any]]]
) -> tuple[Page[Any], int | None]:
    """Run `fetch(limit=, after=, before=)` for the paging flags. Returns the page and the number
    of its first row when known (--page walks the keyset pages from the start)."""
    if args.page:
        page = await fetch(limit=args.limit)
        for _ in range(args.page - 1):
            if page.next_key is None:
                pages = max(1, -(-page.total // args.limit))
                raise UserError(
                    f"There is no page {args.page}: {page.total} rows make {pages} page"
                    f"{'s' if pages != 1 else ''} of {args.limit}.",
                    f"Use --page {pages} or less.",
                )
            page = await fetch(limit=args.limit, after=page.next_key)
        return page, (args.page - 1) * args.limit + 1
    page = await fetch(limit=args.limit, after=args.after, before=args.before)
    first: int | None = 1 if args.after is None and args.before is None else None
    return page, first
