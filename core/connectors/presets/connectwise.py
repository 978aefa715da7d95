"""ConnectWise Manage (PSA): basic auth of `company+publicKey:privateKey`, the clientId header,
page / pageSize paging followed through the Link header, records as a bare JSON array."""

from __future__ import annotations

from typing import Any

from ..auth import Auth, Basic
from .base import Cred, Preset


def push_defaults(create: str, update: str | None) -> dict[str, Any]:
    """PATCH takes RFC 6902 operations ([{"op": "replace", "path": "name", ...}])."""
    return {"update_as": "json_patch"} if update and update.startswith("PATCH") else {}


def auth(c: dict[str, str]) -> Auth:
    a = Basic(f"{c['company']}+{c['public_key']}", c["private_key"])
    a.headers["clientId"] = c["client_id"]
    return a


PRESET = Preset(
    name="connectwise",
    title="ConnectWise Manage",
    base_url="https://{site}/v4_6_release/apis/3.0",
    credentials=(
        Cred("site", False, "the API host (api-na.myconnectwise.net, api-eu..., api-au...)"),
        Cred("company", False, "the ConnectWise company id you log in with"),
        Cred("public_key", False, "the API member's public key"),
        Cred("private_key", True, "the API member's private key"),
        Cred("client_id", False, "the clientId from the ConnectWise developer portal"),
    ),
    auth=auth,
    paginator={"type": "header_link"},
    data_selector=None,
    params={"page": 1, "pageSize": 1000},
    requests_per_second=10,
    concurrency=4,
    test_path="/system/info",
    docs="https://developer.connectwise.com/Products/ConnectWise_PSA/Developer_Guide/Pagination",
    push_defaults=push_defaults,
)
