"""QuickBooks Online Accounting API v3: OAuth2 with a refresh token (rotated about daily) from
Intuit, the company (realm) id in the base URL, JSON answers. Writes: create POST /customer,
sparse update POST /customer?operation=update with Id and the SyncToken read first (optimistic
concurrency); answers wrap the record ({"Customer": {"Id": ...}})."""

from __future__ import annotations

from typing import Any

from ..auth import Auth
from ..oauth2_refresh import OAuth2RefreshToken
from .base import Cred, Preset, entity

TOKEN_URL = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"


def auth(c: dict[str, str]) -> Auth:
    return OAuth2RefreshToken(
        c["__connector"], c["refresh_token"], c.get("token_url") or TOKEN_URL, c["client_id"],
        c["client_secret"],
        client_auth="basic",
    )  # fmt: skip


def push_defaults(create: str, update: str | None) -> dict[str, Any]:
    name = entity(create).lower()  # customer, invoice, item...
    if not name:
        return {}
    cap = name[:1].upper() + name[1:]
    return {
        "id_path": f"{cap}.Id",
        "id_field": "Id",
        # Intuit dedupes a write sent again with the same requestid: a lost create is resent
        "idempotency_param": "requestid",
        "read": {"path": f"GET /{name}/{{id}}", "token_path": f"{cap}.SyncToken",
                 "token_field": "SyncToken", "conflict": "Stale Object Error"},
    }  # fmt: skip


PRESET = Preset(
    name="quickbooks",
    title="QuickBooks Online",
    base_url="https://quickbooks.api.intuit.com/v3/company/{realm_id}",
    credentials=(
        Cred("realm_id", False, "the company id (realmId) the app was authorised for"),
        Cred("client_id", False, "the Intuit app's client id"),
        Cred("client_secret", True, "the Intuit app's client secret"),
        Cred("refresh_token", True, "a refresh token from the app's authorization (rotated)"),
        Cred(
            "token_url",
            False,
            "the OAuth token endpoint, when not Intuit's (a sandbox)",
            required=False,
        ),
    ),
    auth=auth,
    paginator={"type": "single_page"},
    data_selector=None,
    headers={"Accept": "application/json"},
    requests_per_second=8,  # 500 requests a minute per company, 10 at once
    concurrency=10,
    test_path="/preferences",
    docs="https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features",
    push_defaults=push_defaults,
)
