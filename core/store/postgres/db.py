"""Opening a PostgreSQL store: the URL, the pool, migrations and the errors a user can fix.

`asyncpg` is imported here and in this package only, and only when a postgresql:// URL is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ...errors import StoreError
from ..location import display_url, is_postgres_url

__all__ = ["create_pool", "display_url", "is_postgres_url", "prepare", "translate_error"]
from .schema import LATEST, MIGRATIONS

if TYPE_CHECKING:
    import asyncpg

CONNECT_TIMEOUT = 10.0
# One lock id for every syncdeck migration: two workers starting at once migrate once.
MIGRATION_LOCK = 0x5D5D_C0DE


def _where(url: str) -> tuple[str, str, str]:
    """(user, host:port, database) as the user wrote them, for messages."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "localhost"
        port = parts.port or 5432
        return parts.username or "(your login)", f"{host}:{port}", parts.path.lstrip("/") or "?"
    except ValueError:
        return "?", "?", "?"


def translate_error(exc: BaseException, url: str) -> StoreError:
    """asyncpg's and the OS's wording -> the user's: what is wrong and what to do. The URL's
    password never appears, even if the driver's own text quoted it."""
    error = _translate(exc, url)
    try:
        password = urlsplit(url).password
    except ValueError:
        password = url.split("@", 1)[0].rpartition(":")[2] if "@" in url else None
    if password:
        error.message = error.message.replace(password, "***")
        error.hint = error.hint.replace(password, "***")
        error.args = (error.message,)
    return error


def _translate(exc: BaseException, url: str) -> StoreError:
    import asyncpg

    shown = display_url(url)
    user, where, dbname = _where(url)
    if isinstance(exc, asyncpg.InvalidPasswordError):
        return StoreError(
            f"PostgreSQL at {where} refused the password for user {user}.",
            "Check the password in the URL (or PGPASSWORD / ~/.pgpass), then retry.",
        )
    if isinstance(exc, asyncpg.InvalidCatalogNameError):
        return StoreError(
            f"PostgreSQL at {where} has no database {dbname}.",
            f"Create it (`createdb -O {user} {dbname}`, or ask your DBA), then retry.",
        )
    if isinstance(exc, asyncpg.InvalidAuthorizationSpecificationError):
        return StoreError(
            f"PostgreSQL at {where} does not let user {user} connect to {dbname}: {exc}.",
            "Check the user name, or ask your DBA to add the role and a pg_hba.conf entry.",
        )
    if isinstance(exc, asyncpg.InsufficientPrivilegeError):
        return StoreError(
            f"User {user} may not change the syncdeck tables in {shown}: {exc}.",
            "Connect as the database owner once to create or upgrade the store "
            "(see the README's operators' section for the grants).",
        )
    if isinstance(exc, TimeoutError):
        return StoreError(
            f"PostgreSQL at {where} did not answer within {CONNECT_TIMEOUT:.0f} s.",
            "Check the host and port in the URL and that a firewall lets you through.",
        )
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc) or type(exc).__name__
        return StoreError(
            f"Cannot reach PostgreSQL at {where}: {reason}.",
            "Check the host and port in the URL and that the server is running.",
        )
    if isinstance(exc, asyncpg.PostgresError | asyncpg.InterfaceError):
        text = " ".join(str(exc).split())
        return StoreError(f"The store {shown} could not be used: {text}.", "Check it, then retry.")
    what = "The PostgreSQL URL" if shown == "the PostgreSQL URL" else shown
    return StoreError(
        f"{what} is not a usable PostgreSQL URL ({exc}).",
        "Write it as postgresql://USER:PASSWORD@HOST:PORT/DATABASE.",
    )


async def create_pool(url: str, *, max_size: int = 4, read_only: bool = False) -> asyncpg.Pool:
    import asyncpg

    # Custom plans always: asyncpg prepares every statement, and after five runs PostgreSQL may
    # switch to a generic plan that cannot see the values: an id search's page then walked the
    # entities newest first (EXPLAIN ANALYZE on 160k entities: generic 15.4 ms, custom 0.6 ms).
    settings = {"application_name": "syncdeck", "plan_cache_mode": "force_custom_plan"}
    if read_only:
        settings["default_transaction_read_only"] = "on"
    try:
        return await asyncpg.create_pool(
            url, min_size=1, max_size=max_size, timeout=CONNECT_TIMEOUT,
            command_timeout=None, server_settings=settings, reset=_keep_session,
        )  # fmt: skip
    except StoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - every failure becomes one clear line
        raise translate_error(exc, url) from None


async def _keep_session(conn: Any) -> None:
    """A connection goes back to the pool as it is: this backend keeps no session state (no
    SET, LISTEN only on its own connection, advisory locks per transaction), and asyncpg's
    default reset (UNLISTEN, RESET ALL, ...) cost a round trip per query (list_runs p50
    6.5 -> 3.0 ms on a loaded 2-core machine)."""
    if conn.is_in_transaction():  # never expected; a half transaction must not be reused
        await conn.execute("ROLLBACK")


async def current_version(conn: Any) -> int | None:
    """The schema version, or None when the database holds no syncdeck store."""
    if await conn.fetchval("SELECT to_regclass('syncdeck_schema')") is None:
        return None
    return int(await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM syncdeck_schema"))


async def prepare(conn: Any, url: str, *, create: bool, read_only: bool = False) -> int:
    """Check and migrate the store on one connection. Returns the schema version."""
    shown = display_url(url)
    version = await current_version(conn)
    if version is None:
        if await conn.fetchval("SELECT to_regclass('runs')") is not None:
            raise StoreError(
                f"The database {shown} holds a `runs` table but no syncdeck store.",
                "Point --db at a database of its own for syncdeck.",
            )
        if not create:
            raise StoreError(
                f"No syncdeck store in {shown} yet.",
                f"Create one with `syncdeck config import FILE --db {shown}` or "
                f"`syncdeck demo --seed-only --db {shown}`.",
            )
    if (version or 0) > LATEST:
        raise StoreError(
            f"The store {shown} was written by a newer syncdeck (schema {version}; "
            f"this one knows {LATEST}).",
            "Upgrade syncdeck (pip install -U syncdeck) on this host too.",
        )
    if version is not None and version < LATEST and read_only:
        raise StoreError(
            f"The store {shown} has an older schema ({version}) and needs an upgrade.",
            "Run any syncdeck command without --read-only once to upgrade it in place.",
        )
    if version is None or version < LATEST:
        await migrate(conn, url)
    return LATEST


async def _ensure_trgm(conn: Any, url: str) -> None:
    import asyncpg

    if await conn.fetchval("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"):
        return
    shown = display_url(url)
    if not await conn.fetchval("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"):
        raise StoreError(
            f"The PostgreSQL server of {shown} lacks the pg_trgm extension (text search).",
            "Install the server's contrib package (postgresql-contrib), then retry.",
        )
    try:
        async with conn.transaction():
            await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except asyncpg.InsufficientPrivilegeError:
        _, _, dbname = _where(url)
        raise StoreError(
            f"The pg_trgm extension is not enabled in {shown} and this user may not enable it.",
            f"Ask the database owner to run `CREATE EXTENSION pg_trgm;` in {dbname}, then retry.",
        ) from None


async def migrate(conn: Any, url: str) -> None:
    """Upgrade in place, one version per transaction, under an advisory lock (two workers
    starting at once: the second waits, then finds the work done)."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
        await _ensure_trgm(conn, url)
    for version in range(1, LATEST + 1):
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS syncdeck_schema "
                "(version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            # Re-check under the lock: another worker may have migrated meanwhile.
            if (await current_version(conn) or 0) >= version:
                continue
            await conn.execute(MIGRATIONS[version - 1])
            await conn.execute("INSERT INTO syncdeck_schema (version) VALUES ($1)", version)
