"""Xero Accounting API: OAuth2 with a rotating refresh token (a Xero app's authorization code
flow), the xero-tenant-id header, `page` paging (100 a page, an empty page ends it), records
under the entity's name (/Contacts -> Contacts). Writes send {"Contacts": [...]}, many records
a call; the new id comes back at Contacts.0.ContactID."""

from __future__ import annotations

from typing import Any

from ..auth import Auth
from ..oauth2_refresh import OAuth2RefreshToken
from .base import Cred, Preset, entity

TOKEN_URL = "https://identity.xero.com/connect/token"


def auth(c: dict[str, str]) -> Auth:
    a = OAuth2RefreshToken(
        c["__connector"], c["refresh_token"], c.get("token_url") or TOKEN_URL, c["client_id"],
        c["client_secret"],
        client_auth="basic",
    )  # fmt: skip
    a.headers["xero-tenant-id"] = c["tenant_id"]
    return a


def selector(path: str) -> str | None:
    return entity(path) or None


def push_defaults(create: str, update: str | None) -> dict[str, Any]:
    name = entity(create)  # Contacts, Invoices, Items, Payments...
    if not name:
        return {}
    return {
        "body": {"wrap": name, "as_list": True},
        "id_path": f"{name}.0.{name[:-1]}ID",
        # Xero dedupes a resent create by this header: a lost answer is resent safely
        "idempotency_header": "Idempotency-Key",
    }


PRESET = Preset(
    name="xero",
    title="Xero Accounting",
    base_url="https://api.xero.com/api.xro/2.0",
    credentials=(
        Cred("tenant_id", False, "the organisation's tenant id (from GET /connections)"),
        Cred("client_id", False, "the Xero app's client id"),
        Cred("client_secret", True, "the Xero app's client secret"),
        Cred("refresh_token", True, "a refresh token from the app's authorization (rotated)"),
        Cred(
            "token_url",
            False,
            "the OAuth token endpoint, when not Xero's (a sandbox)",
            required=False,
        ),
    ),
    auth=auth,
    paginator={"type": "page_number", "page_param": "page", "base_page": 1},
    data_selector=selector,
    params={"pageSize": 100},
    requests_per_second=1,  # 60 calls a minute per organisation, 5 at once
    concurrency=5,
    test_path="/Organisation",
    docs="https://developer.xero.com/documentation/guides/oauth2/limits/",
    batch_limit=50,  # Xero's guidance: up to 50 elements per call for best performance
    push_defaults=push_defaults,
)
