"""OAuth2 with a refresh token (Xero, QuickBooks Online): each access token is asked for with
the refresh token; when the token endpoint answers a new refresh token (Xero rotates it every
time, Intuit every day or so), the new one is written to the secrets file at once and the
connector's config is pointed at it (`secret:<connector>.refresh_token`): the value never
reaches the store, its history or a log. A refused refresh token (invalid_grant: expired,
revoked, or already used) marks the auth expired: the run stops with the "Expired OAuth token"
troubleshooting, whose fix is to reconnect.

Config: auth = { type = "oauth2_refresh_token", token_url = "...", client_id = "env:...",
client_secret = "env:...", refresh_token = "env:..." }
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ..config import OAuth2RefreshTokenAuth, resolve
from ..secrets import store_secret
from .auth import BUILDERS, Auth
from .oauth2 import OAuth2ClientCredentials

Rotated = Callable[[str], Awaitable[None]]


class OAuth2RefreshToken(OAuth2ClientCredentials):
    def __init__(self, name: str, refresh_token: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = name
        self.refresh_token = refresh_token
        self.secrets.append(refresh_token)
        self.expired = False  # the token endpoint refused the refresh token: reconnect
        self.on_rotate: Rotated | None = None  # points the stored config at the new secret

    def _grant(self) -> dict[str, str]:
        data = {"grant_type": "refresh_token", "refresh_token": self.refresh_token}
        if self.scopes:
            data["scope"] = " ".join(self.scopes)
        return data

    async def _took(self, body: dict[str, Any]) -> None:
        new = body.get("refresh_token")
        if not isinstance(new, str) or not new or new == self.refresh_token:
            return
        self.secrets.append(new)
        ref = store_secret(f"{self.name}.refresh_token", new)  # before anything else can fail
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
