"""The words of the WARNING log events a run writes when an API misbehaves around it: paging
that stopped on a guard, credentials withheld from another host."""

from __future__ import annotations

from typing import Any


def paging_stopped(source: str, stream: str, paginator: Any) -> tuple[str, str]:
    return (
        f"Paging of {stream} stopped early",
        f"{source}: {paginator.stop_reason}. The records of later pages, if any, were not read; "
        "check the stream's paginator settings or ask the API's owner.",
    )
