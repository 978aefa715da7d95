"""An OAuth2 token endpoint as Xero's and Intuit's answer a refresh: `grant_type=refresh_token`
with the app's client id and secret in HTTP Basic; the answer carries a new access token and a
new refresh token, and the refresh token used is revoked at once (a used, unknown or revoked
one is `invalid_grant`, HTTP 400). Stricter than Xero, which keeps the previous token valid for
a 30-minute grace period: a client that keeps a stale token fails here at once.

Tokens carry a random prefix per server, so a token from an earlier demo session is refused.
"""

from __future__ import annotations

import base64
import itertools
import secrets
import time
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response


class TokenIssuer:
    def __init__(self, client_id: str, *, lifetime: float = 1800.0, intuit: bool = False) -> None:
        self.client_id = client_id
        self.client_secret = secrets.token_urlsafe(18)
        self.lifetime = lifetime
        self.intuit = intuit  # Intuit's answer also states the refresh token's own lifetime
        self.prefix = secrets.token_hex(4)
        self._n = itertools.count(1)
        self.valid: set[str] = set()
        self.access: dict[str, float] = {}  # access token -> expiry (monotonic)
        self.initial = self._refresh_token()
        self.rotations = 0
        self.refused = 0

    def _refresh_token(self) -> str:
        token = f"{self.prefix}-rt-{next(self._n)}-{secrets.token_hex(6)}"
        self.valid.add(token)
        return token

    def _client_ok(self, request: Request) -> bool:
        pair = f"{self.client_id}:{self.client_secret}".encode()
        return request.headers.get("authorization") == "Basic " + base64.b64encode(pair).decode()

    async def token(self, request: Request) -> Response:
        if not self._client_ok(request):
            return JSONResponse({"error": "invalid_client"}, 401)
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace")))
        if form.get("grant_type") != "refresh_token":
            return JSONResponse({"error": "unsupported_grant_type"}, 400)
        used = form.get("refresh_token", "")
        if used not in self.valid:
            self.refused += 1
            return JSONResponse({"error": "invalid_grant"}, 400)
        self.valid.discard(used)
        self.rotations += 1
        access = f"{self.prefix}-at-{secrets.token_hex(12)}"
        self.access[access] = time.monotonic() + self.lifetime
        body: dict[str, object] = {
            "access_token": access,
            "expires_in": int(self.lifetime),
            "token_type": "Bearer",
            "refresh_token": self._refresh_token(),
        }
        if self.intuit:
            body["x_refresh_token_expires_in"] = 8726400  # 101 days
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    def authorised(self, request: Request) -> bool:
        """A request bearing an access token this endpoint gave and that has not expired."""
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        expiry = self.access.get(token)
        return expiry is not None and time.monotonic() < expiry
