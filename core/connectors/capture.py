"""Payload capture helpers: a run's secrets are redacted in every client's stored bodies.

A record pulled from the source can carry the source's secret (an echoed token, say) into the
body pushed to the destination, so each client of a run must know the other's secrets.
"""

from __future__ import annotations

from .client import Client


def share_secrets(*clients: Client) -> None:
    values: set[str] = set()
    for c in clients:
        values.update(c.redactor._values)  # noqa: SLF001 - the redactor's own value list
    for c in clients:
        for v in values:
            c.redactor.add(v)
