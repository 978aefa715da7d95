"""OAuth2 with a refresh token (Xero, QuickBooks Online): each access token is asked for with
the refresh token; when the token endpoint answers a new refresh token (Xero rotates it every
time, Intuit every day or so), the new one is written to the secrets file at once and the
connector's config is pointed at it (`secret:<connector>.refresh_token`): the value never
reaches the store, its history or a log. A refused refresh token (invalid_grant: expired,
revoked, or already used) marks the auth expired: the run stops with the "Expired OAuth token"
troubleshooting, whose fix is to reconnect.

The token a connector was built with may be stale: a test of the unsaved form, `config import
--test` or another worker rotated it, and the config (an env: variable, a typed value) still
names the old one. So each refresh takes a lock shared by every process on the secrets file
(one refresh of a connector at a time), first follows the secrets file from the token it holds
to the current one (core/secrets.py: successor), and, when the vendor refuses it anyway (a
process without the lock won the race), re-reads the file once more before giving up.

Config: auth = { type = "oauth2_refresh_token", token_url = "...", client_id = "env:...",
client_secret = "env:...", refresh_token = "env:..." }
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from ..config import OAuth2RefreshTokenAuth, resolve
from ..errors import UserError
from ..secrets import config_dir, fingerprint, store_rotation, successor
from .auth import BUILDERS, Auth
from .oauth2 import OAuth2ClientCredentials

Rotated = Callable[[str], Awaitable[None]]
LOCK_WAIT = 60.0  # seconds to wait for another process's refresh before going ahead
RACE_WAIT = 1.0  # seconds a refused token is given for the winner's token to be written

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: refreshes are not serialised
    fcntl = None  # type: ignore[assignment]


@contextlib.asynccontextmanager
async def refresh_lock(key: str, wait: float = LOCK_WAIT) -> AsyncIterator[bool]:
    """An exclusive lock per refresh-token key, shared by every process using this secrets
    folder; taken without blocking the event loop. Yields whether it was taken (a process stuck
    for `wait` seconds is not waited for: the refused-token path still recovers)."""
    folder = config_dir() / "locks"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(folder / f"refresh-{fingerprint(key)[:16]}.lock", os.O_RDWR | os.O_CREAT,
                     0o600)  # fmt: skip
    except OSError:
        yield False
        return
    try:
        deadline = time.monotonic() + wait
        got = fcntl is None
        while not got:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                got = True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.02)
        yield got
    finally:
        os.close(fd)  # releases the lock


class OAuth2RefreshToken(OAuth2ClientCredentials):
    def __init__(self, name: str, refresh_token: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = name
        self.refresh_token = refresh_token
        self.secrets.append(refresh_token)
        self.expired = False  # the token endpoint refused the refresh token: reconnect
        self.on_rotate: Rotated | None = None  # points the stored config at the new secret

    @property
    def key(self) -> str:
        return f"{self.name}.refresh_token"

    def _grant(self) -> dict[str, str]:
        data = {"grant_type": "refresh_token", "refresh_token": self.refresh_token}
        if self.scopes:
            data["scope"] = " ".join(self.scopes)
        return data

    async def _fetch(self, client: Any) -> None:
        async with refresh_lock(self.key):
            self._follow(client)
            self.expired = False
            await super()._fetch(client)
            if self.expired and await self._winner(client):
                self.expired = False
                await super()._fetch(client)

    def _follow(self, client: Any) -> bool:
        """Take the current token when the one held was rotated away (by a test, an import's
        test, another worker). True when it changed."""
        try:
            new = successor(self.refresh_token)
        except UserError:  # an unreadable secrets file: the token held is tried as it is
            return False
        if not new:
            return False
        self._keep_secret(client, new)
        self.refresh_token = new
        return True

    async def _winner(self, client: Any) -> bool:
        """The vendor refused the token: if another process rotated it meanwhile, its token is
        written to the secrets file within moments. True when one arrived (try it once)."""
        deadline = time.monotonic() + RACE_WAIT
        while True:
            if self._follow(client):
                return True
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.05)

    def _keep_secret(self, client: Any, value: str) -> None:
        self.secrets.append(value)
        redactor = getattr(client, "redactor", None)
        if redactor is not None:
            redactor.add(value)

    async def _took(self, body: dict[str, Any], client: Any = None) -> None:
        new = body.get("refresh_token")
        if not isinstance(new, str) or not new or new == self.refresh_token:
            return
        self._keep_secret(client, new)
        ref = store_rotation(self.key, self.refresh_token, new)  # before anything else can fail
        self.refresh_token = new
        if self.on_rotate is not None:
            await self.on_rotate(ref)

    def _fail(self, reason: str) -> None:
        super()._fail(reason)
        lowered = reason.lower()
        self.expired = "invalid_grant" in lowered or any(
            f"http {code}" in lowered for code in (400, 401)
        )
        if self.expired:
            self.error = (
                f"the refresh token of connector {self.name} was refused ({reason}); it expired, "
                f"was revoked or was already used. Reconnect {self.name} with a new one"
            )


def build(name: str, a: OAuth2RefreshTokenAuth, environ: dict[str, str] | None) -> Auth:
    where = f"connectors.{name}.auth"
    return OAuth2RefreshToken(
        name,
        resolve(a.refresh_token, f"{where}.refresh_token", environ),
        resolve(a.token_url, f"{where}.token_url", environ),
        resolve(a.client_id, f"{where}.client_id", environ),
        resolve(a.client_secret, f"{where}.client_secret", environ),
        a.scopes,
        client_auth=a.client_auth,
        refresh_margin=a.refresh_margin,
    )


BUILDERS[OAuth2RefreshTokenAuth] = build


def rotation_saver(store: Any, name: str) -> Rotated:
    """on_rotate for a connector kept in `store`: its auth.refresh_token becomes the reference."""

    async def save(ref: str) -> None:
        data = await store.connector_config(name)
        # a preset reads it from credentials, a plain connector from auth
        where = "credentials" if "refresh_token" in (data.get("credentials") or {}) else "auth"
        table = dict(data.get(where) or {})
        if table.get("refresh_token") == ref:
            return
        table["refresh_token"] = ref
        data = {**data, where: table}
        await store.upsert_connector(
            name, base_url=data.get("base_url", ""), preset=data.get("preset"), config=data
        )

    return save


def keep_rotations(client: Any, store: Any, name: str) -> None:
    """Every Client built from a stored connector calls this: a refresh token its auth rotates
    is pointed at from the stored config (a `connectors test` rotates Xero's too)."""
    if hasattr(client.auth, "on_rotate"):
        client.auth.on_rotate = rotation_saver(store, name)
