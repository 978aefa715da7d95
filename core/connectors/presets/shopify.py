"""Shopify Admin REST: X-Shopify-Access-Token, Link header paging (page_info), the resource's
name as the record key (`/customers.json` -> `customers`), X-Shopify-Shop-Api-Call-Limit "32/40"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import Cred, HeaderAuth, Preset, entity, singular

API_VERSION = "2025-01"


def headroom(headers: Mapping[str, str]) -> float | None:
    value = headers.get("x-shopify-shop-api-call-limit")
    if not value or "/" not in value:
        return None
    used, _, limit = value.partition("/")
    try:
        u, lim = float(used), float(limit)
    except ValueError:
        return None
    return None if lim <= 0 else max(0.0, min(1.0, 1 - u / lim))


def selector(path: str) -> str | None:
    last = path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return last.removesuffix(".json") or None


def push_defaults(create: str, update: str | None) -> dict[str, Any]:
    """A created resource comes back wrapped in its singular name: {"draft_order": {"id": 1}}."""
    name = singular(entity(create))
    return {"id_path": f"{name}.id"} if name else {}


PRESET = Preset(
    name="shopify",
    title="Shopify Admin REST",
    base_url="https://{shop}.myshopify.com/admin/api/" + API_VERSION,
    credentials=(
        Cred("shop", False, "the shop's subdomain (acme for acme.myshopify.com)"),
        Cred("access_token", True, "an Admin API access token"),
    ),
    auth=lambda c: HeaderAuth({"X-Shopify-Access-Token": c["access_token"]}, [c["access_token"]]),
    paginator={"type": "header_link"},
    data_selector=selector,
    params={"limit": 250},
    requests_per_second=2,  # leaky bucket of 40, leaking 2 per second
    concurrency=2,
    headroom=headroom,
    test_path="/shop.json",
    docs="https://shopify.dev/docs/api/usage/rate-limits",
    push_defaults=push_defaults,
)
