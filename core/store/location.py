"""What the user named as the store: a PostgreSQL URL, or else a path to an SQLite file."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(location: object) -> bool:
    return isinstance(location, str) and location.strip().lower().startswith(SCHEMES)


def display_url(url: str) -> str:
    """The URL without its password, for messages and `info` (secrets never reach a screen)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "the PostgreSQL URL"
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        user = user.split(":", 1)[0]
        netloc = f"{user}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
