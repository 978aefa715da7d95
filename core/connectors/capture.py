"""Payload capture helpers: a run's secrets are redacted in every client's stored bodies.

A record pulled from the source can carry the source's secret (an echoed token, say) into the
body pushed to the destination, so each client of a run must know the other's secrets.
"""

from __future__ import annotations

from .client import Client
from .redact import Redactor


def share_secrets(*clients: Client) -> Redactor:
    """Give the clients one redactor knowing all their secrets (and the tokens any of them
    fetches later); returns it, for the run's recorder."""
    shared = Redactor()
    for c in clients:
        for v in c.redactor._values:  # noqa: SLF001 - the redactor's own value list
            shared.add(v)
    for c in clients:
        c.redactor = shared
    return shared
