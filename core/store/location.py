"""What the user named as the store: a PostgreSQL URL, or else a path to an SQLite file."""

from __future__ import annotations

SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(location: object) -> bool:
    return isinstance(location, str) and location.strip().lower().startswith(SCHEMES)
