"""OAuth2 client credentials: a token fetched from token_url, cached, renewed before it
expires, and renewed once more after a 401 (the client then retries the request once).

Config: auth = { type = "oauth2_client_credentials", token_url = "...", client_id = "...",
client_secret = "env:NAME", scopes = ["a", "b"] }. Tokens are added to the redactor as they
arrive, so they never reach the store.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx

from ..config import OAuth2ClientCredentialsAuth, resolve
from ..text import clean
from .auth import BUILDERS, Auth, basic_token
from .redact import Redactor

DEFAULT_LIFETIME = 3600.0


class OAuth2ClientCredentials(Auth):
    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        scopes: list[str] | None = None,
        *,
        client_auth: str = "body",
        refresh_margin: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scopes = list(scopes or [])
        self.client_auth = client_auth
        self.margin = refresh_margin
        self.clock = clock
        self.secrets.append(client_secret)
        if client_auth == "basic":  # what the Authorization header carries
            self.secrets.append(basic_token(client_id, client_secret))
        self.token: str | None = None
        self.expires_at = 0.0
        self.fetches = 0
        self.error = ""
        self._lock = asyncio.Lock()

    def _fresh(self) -> bool:
        return self.token is not None and self.clock() < self.expires_at - self.margin

    async def prepare(self, client: Any = None) -> None:
        if self._fresh():
            return
        async with self._lock:
            if not self._fresh():
                await self._fetch(client)

    async def refresh(self, client: Any = None) -> bool:
        """After a 401: the token may have been revoked early. Fetch a new one once."""
        old = self.token
        async with self._lock:
            if self.token == old:  # nobody renewed it meanwhile
                await self._fetch(client)
        return self.token is not None

    def _grant(self) -> dict[str, str]:
        """The token request's grant (a subclass asks with a refresh token)."""
        data = {"grant_type": "client_credentials"}
        if self.scopes:
            data["scope"] = " ".join(self.scopes)
        return data

    async def _took(self, body: dict[str, Any], client: Any = None) -> None:
        """A token answer arrived (a subclass keeps a rotated refresh token)."""

    async def _fetch(self, client: Any) -> None:
        data = self._grant()
        auth = None
        if self.client_auth == "basic":
            auth = httpx.BasicAuth(self.client_id, self.client_secret)
        else:
            data.update(client_id=self.client_id, client_secret=self.client_secret)
        http: httpx.AsyncClient | None = getattr(client, "http", None)
        own = http is None
        if own:
            http = httpx.AsyncClient(timeout=30)
        assert http is not None
        self.fetches += 1
        try:
            resp = await http.post(
                self.token_url, data=data, auth=auth, headers={"Accept": "application/json"}
            )
            body = resp.json() if resp.status_code < 400 else {}
        except (httpx.HTTPError, ValueError) as exc:
            self._fail(f"the token endpoint {self.token_url} failed: {exc or type(exc).__name__}")
            return
        finally:
            if own:
                await http.aclose()
        token = body.get("access_token") if isinstance(body, dict) else None
        if resp.status_code >= 400 or not token:
            detail = clean(resp.text, 200, single_line=True)
            self._fail(f"the token endpoint answered HTTP {resp.status_code}: {detail}")
            return
        try:
            lifetime = float(body.get("expires_in") or DEFAULT_LIFETIME)
        except (TypeError, ValueError):
            lifetime = DEFAULT_LIFETIME
        await self._took(body, client)
        self.token = str(token)
        self.expires_at = self.clock() + lifetime
        self.error = ""
        self.headers["Authorization"] = f"Bearer {self.token}"
        self.secrets.append(self.token)
        redactor = getattr(client, "redactor", None)
        if redactor is not None:
            redactor.add(self.token)

    def _fail(self, reason: str) -> None:
        """No token: the request goes out without one and the API's 401 is what is recorded.
        The reason is redacted here: a token endpoint may echo the form it was sent."""
        self.token = None
        self.expires_at = 0.0
        self.error = Redactor([*self.secrets, self.client_id]).text(reason) or ""
        self.headers.pop("Authorization", None)


def build(name: str, a: OAuth2ClientCredentialsAuth, environ: dict[str, str] | None) -> Auth:
    where = f"connectors.{name}.auth"
    return OAuth2ClientCredentials(
        resolve(a.token_url, f"{where}.token_url", environ),
        resolve(a.client_id, f"{where}.client_id", environ),
        resolve(a.client_secret, f"{where}.client_secret", environ),
        a.scopes,
        client_auth=a.client_auth,
        refresh_margin=a.refresh_margin,
    )


BUILDERS[OAuth2ClientCredentialsAuth] = build
