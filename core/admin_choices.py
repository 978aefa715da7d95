"""Destination values for a lookup, fetched from the destination where its preset knows how
(companies, agreements, products...). A failed fetch raises ChoicesError ("Response error")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from .config import ConnectorConfig, RetryConfig
from .connectors.client import Client, ResponseError
from .connectors.oauth2_refresh import keep_rotations
from .errors import UserError
from .mapping.paths import get_path
from .store import Store
from .text import clean


@dataclass(frozen=True)
class Source:
    path: str
    selector: str | None  # where the list is in the body (None: the body is the list)
    value: str  # path of the value to store
    label: str  # path of what to show


# preset -> lookup words -> how to list them. A lookup matches when its name contains the word.
KNOWN: dict[str, dict[str, Source]] = {
    "connectwise": {
        "agreement": Source("/finance/agreements?pageSize=1000", None, "id", "name"),
        "compan": Source("/company/companies?pageSize=1000", None, "id", "name"),
        "product": Source("/procurement/catalog?pageSize=1000", None, "identifier", "description"),
    },
    "autotask": {
        "compan": Source('/Companies/query?search={"filter":[]}', "items", "id", "companyName"),
        "product": Source('/Products/query?search={"filter":[]}', "items", "id", "name"),
    },
    "hubspot": {
        "compan": Source("/crm/v3/objects/companies?limit=100", "results", "id", "properties.name"),
        "owner": Source("/crm/v3/owners?limit=100", "results", "id", "email"),
    },
    "shopify": {
        "product": Source("/products.json?limit=250", "products", "id", "title"),
    },
    "chargebee": {
        "plan": Source("/item_prices?limit=100", "list", "item_price.id", "item_price.name"),
    },
}


class ChoicesError(UserError):
    """The destination did not return the list: shown as "Response error" with a retry key."""


def source_for(cfg: ConnectorConfig, lookup: str) -> Source | None:
    if cfg.preset in ("json_server", "json_server_0_17"):  # every collection is GET /name
        sel = "data" if cfg.preset == "json_server" else None
        return Source(f"/{lookup}", sel, "id", "name")
    words = lookup.lower()
    for word, src in KNOWN.get(cfg.preset or "", {}).items():
        if word in words:
            return src
    return None


async def fetch_choices(
    store: Store,
    service: str,
    lookup: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    limit: int = 500,
) -> list[tuple[str, str]]:
    """(value, label) pairs of the destination's list for `lookup`; [] when the destination's
    preset does not know how to list it (the user types the value)."""
    svc = await store.get_service(service)
    data = await store.connector_config(svc.destination)
    try:
        cfg = ConnectorConfig.model_validate(data)
    except Exception:  # noqa: BLE001 - a broken stored config: no list, the user types
        return []
    src = source_for(cfg, lookup)
    if src is None:
        return []
    cfg = cfg.model_copy(update={"retry": RetryConfig(attempts=2, backoff_max=2.0)})
    try:
        client = Client(svc.destination, cfg, transport=transport)
        keep_rotations(client, store, svc.destination)
    except UserError as exc:
        raise ChoicesError(f"Response error: {exc.message}", exc.hint) from None
    try:
        ex = await client.request("GET", src.path)
    finally:
        await client.aclose()
    if not ex.ok or (ex.status or 0) >= 400:
        reason = ex.error or f"HTTP {ex.status}"
        raise ChoicesError(
            f"Response error: {svc.destination} did not return the {lookup} list ({reason}).",
            "Press r to retry; if it persists, test the connector on the Connectors screen.",
        )
    try:
        body: Any = ex.json()
    except ResponseError as exc:
        raise ChoicesError(f"Response error: {exc}.", "Press r to retry.") from None
    items = get_path(body, src.selector) if src.selector else body
    if not isinstance(items, list):
        raise ChoicesError(
            f"Response error: the {lookup} list of {svc.destination} is not a list.",
            "Press r to retry.",
        )
    out: list[tuple[str, str]] = []
    for item in items[:limit]:
        value = get_path(item, src.value)
        if value in (None, ""):
            continue
        label = get_path(item, src.label)
        out.append((clean(value, 200, single_line=True), clean(label or "", 200, single_line=True)))
    return out
