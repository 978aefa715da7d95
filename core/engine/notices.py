"""The words of the WARNING log events a run writes when an API misbehaves around it: paging
that stopped on a guard, credentials withheld from another host."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..models import LogLevel


def paging_stopped(source: str, stream: str, paginator: Any) -> tuple[str, str]:
    return (
        f"Paging of {stream} stopped early",
        f"{source}: {paginator.stop_reason}. The records of later pages, if any, were not read; "
        "check the stream's paginator settings or ask the API's owner.",
    )


def withheld(rec: Any, step_id: int, clients: Iterable[tuple[str, Any]]) -> list[Any]:
    """A WARNING log event per host that got a request without credentials since the last call
    (a next link or redirect to a host other than the connector's)."""
    logs = []
    for name, client in clients:
        if client is None:
            continue
        for host in client.guard.take_withheld():
            logs.append(rec.log(
                LogLevel.WARNING, f"Credentials withheld from {host}",
                f"{name} sent a request to {host} (a next link or a redirect), which is not its "
                f"own host ({client.guard.base_host}); it went without {name}'s credentials. If "
                f"{host} belongs to the same API, add it to connectors.{name}.allowed_hosts.",
                step_id=step_id, code="credentials_withheld",
            ))  # fmt: skip
    return logs
