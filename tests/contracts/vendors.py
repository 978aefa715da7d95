"""Canned vendors for contract tests: where each API is, its spec, and how it answers a request
its spec accepts (one page of records for a pull, an id where the API puts one for a write)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any
from urllib.parse import urlsplit

import httpx

from .contract_kit import Vendor

HUBSPOT = "hubspot_crm_companies+hubspot_crm_contacts+hubspot_crm_deals"


@dataclass
class World:
    """What the sources hold: one record per stream; `version` changes their text so a second
    run updates every record."""

    version: int = 1
    ids: count = field(default_factory=lambda: count(101))

    def v(self, text: str) -> str:
        return f"{text} v{self.version}"

    # ---- source records ----------------------------------------------------------------------

    def hubspot(self, path: str) -> dict[str, Any]:
        kind = path.rstrip("/").rsplit("/", 1)[-1]
        props = {
            "companies": {"name": self.v("Contoso"), "domain": "contoso.example", "phone": "+1 555",
                          "city": "leeds", "lifecyclestage": "customer"},
            "contacts": {"firstname": self.v("Ada"), "lastname": "Lovelace",
                         "email": "ada@contoso.example", "jobtitle": "CTO",
                         "associatedcompanyid": "7001"},
            "deals": {"dealname": self.v("Renewal"), "dealstage": "closedwon", "amount": "1200",
                      "closedate": "2026-03-01T00:00:00Z"},
        }[kind]  # fmt: skip
        rec: dict[str, Any] = {"id": "9001", "properties": props}
        if kind == "deals":
            one = {"results": [{"id": "9001", "type": "deal_to_x"}]}
            rec["associations"] = {"companies": one, "contacts": one}
        return {"results": [rec]}

    def chargebee(self, path: str) -> dict[str, Any]:
        if path.endswith("/subscriptions"):
            entry = {"subscription": {"id": "sub_1", "plan_id": "silver", "plan_amount": 1000,
                                      "started_at": 1767225600},
                     "customer": {"id": "cus_1", "company": "Contoso Ltd",
                                  "first_name": self.v("Ada"),
                                  "last_name": "Lovelace"}}  # fmt: skip
        else:
            entry = {"invoice": {"id": "inv_1", "subscription_id": "sub_1", "line_items": [
                {"entity_id": "silver", "quantity": 2, "unit_amount": 500,
                 "description": self.v("Silver plan")}]}}  # fmt: skip
        return {"list": [entry]}

    def shopify(self, path: str) -> dict[str, Any]:
        name = path.rsplit("/", 1)[-1].removesuffix(".json")
        rec: dict[str, Any] = {
            "customers": {"id": 501, "first_name": self.v("Grace"), "last_name": "Hopper",
                          "email": "accounts@contoso.example", "phone": "+44 20 7946 0000"},
            "products": {"id": 601, "title": self.v("Tent"), "body_html": "A tent",
                         "variants": [{"sku": "tnt-1", "price": "99.00"}]},
            "orders": {"id": 701, "name": self.v("#1001"), "order_number": 1001,
                       "email": "accounts@contoso.example", "created_at": "2026-03-01T10:00:00Z",
                       "currency": "gbp", "total_price": "99.00",
                       "customer": {"id": 501, "first_name": "Grace", "last_name": "Hopper"},
                       "line_items": [{"title": self.v("Tent"), "quantity": 1, "price": "99.00",
                                       "sku": "tnt-1", "tax_lines": [{"title": "GB VAT 20%"}]}]},
            "shop": {"id": 1},
        }[name]  # fmt: skip
        rec["updated_at"] = f"2026-03-0{self.version}T00:00:00Z"
        return {name: [rec]} if name != "shop" else {"shop": rec}

    def autotask_query(self, path: str) -> dict[str, Any]:
        items = []
        if path.endswith("/PurchaseOrders/query"):
            items = [{"id": 801, "purchaseOrderNumber": self.v("PO-1"), "generalMemo": "memo",
                      "shipToEmail": "Ops@Contoso.example", "vendorID": 12}]  # fmt: skip
        return {"items": items, "pageDetails": {"count": len(items), "nextPageUrl": None}}

    # ---- destination answers -----------------------------------------------------------------

    def created(self, vendor: str, req: httpx.Request) -> Any:
        n = next(self.ids)
        body = json.loads(req.content) if req.content.startswith((b"{", b"[")) else {}
        path = urlsplit(str(req.url)).path
        if vendor == "xero":
            key = "Contacts" if "/Contacts" in path else "Invoices"
            out = []
            for k, one in enumerate(body.get(key) or [{}]):
                uid = f"00000000-0000-4000-8000-{n:08d}{k:04d}"
                lines = [{**li, "LineItemID": uid} for li in one.get("LineItems", [])]
                out.append(
                    {
                        **one,
                        "ContactID": one.get("ContactID", uid),
                        "InvoiceID": one.get("InvoiceID", uid),
                        "LineItems": lines,
                    }
                )
            return {key: out}
        if vendor == "quickbooks":
            key = "Customer" if "/customer" in path else "Invoice"
            return {key: {**body, "Id": str(n), "SyncToken": "0"}}
        if vendor == "autotask":
            return {"itemId": n}
        if vendor == "shopify":
            return {"draft_order": {**body.get("draft_order", {}), "id": n}}
        if vendor == "hubspot" and "/batch/" in path:
            results = [{**i, "id": i.get("id") or str(n * 1000 + k)}
                       for k, i in enumerate(body["inputs"])]  # fmt: skip
            return {"status": "COMPLETE", "results": results}
        return {**body, "id": n} if isinstance(body, dict) else {"id": n}


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=data, headers=headers)


def vendors(world: World, bases: dict[str, str]) -> list[Vendor]:
    """Vendor answers; `bases`: connector name -> base URL (as the configs set them)."""

    def hubspot(req: httpx.Request) -> httpx.Response:
        path = urlsplit(str(req.url)).path
        if req.method == "GET" and path.count("/") == 4:
            return _json(world.hubspot(path))
        return _json(world.created("hubspot", req), 201)

    def connectwise(req: httpx.Request) -> httpx.Response:
        if req.method == "GET":
            return _json([])
        return _json(world.created("connectwise", req), 201 if req.method == "POST" else 200)

    def chargebee(req: httpx.Request) -> httpx.Response:
        if req.method == "GET":
            return _json(world.chargebee(urlsplit(str(req.url)).path))
        return _json({"customer": {"id": f"cus_{next(world.ids)}"}})

    def shopify(req: httpx.Request) -> httpx.Response:
        if req.method == "GET":
            return _json(world.shopify(urlsplit(str(req.url)).path))
        return _json(world.created("shopify", req), 201 if req.method == "POST" else 200)

    def autotask(req: httpx.Request) -> httpx.Response:
        path = urlsplit(str(req.url)).path
        if path.endswith("/query"):
            return _json(world.autotask_query(path) if req.method == "POST" else {"items": []})
        return _json(world.created("autotask", req))

    def xero(req: httpx.Request) -> httpx.Response:
        if req.method == "GET":
            return _json({"Contacts": []})
        return _json(world.created("xero", req))

    def quickbooks(req: httpx.Request) -> httpx.Response:
        path = urlsplit(str(req.url)).path
        if req.method == "GET" and path.endswith(("/query", "/preferences")):
            return _json({"QueryResponse": {"Customer": []}, "Preferences": {}})
        if req.method == "GET":
            key = "Customer" if "/customer/" in path else "Invoice"
            return _json({key: {"Id": path.rsplit("/", 1)[-1], "SyncToken": "3"}})
        return _json(world.created("quickbooks", req))

    def token(req: httpx.Request) -> httpx.Response:
        return _json({"access_token": "tok-123", "expires_in": 1800, "token_type": "Bearer",
                      "refresh_token": "rt-2"})  # fmt: skip

    table: dict[str, tuple[str | None, Callable[[httpx.Request], httpx.Response]]] = {
        "hubspot": (HUBSPOT, hubspot),
        "connectwise": ("connectwise_manage", connectwise),
        "chargebee": ("chargebee_v2", chargebee),
        "shopify": ("shopify_admin_rest", shopify),
        "autotask": ("autotask_rest", autotask),
        "xero": ("xero_accounting", xero),
        "quickbooks": ("quickbooks_online", quickbooks),
    }
    out = [Vendor(table[name][0], base, table[name][1]) for name, base in bases.items()
           if name in table]  # fmt: skip
    out.append(Vendor(None, "https://identity.xero.com", token))
    out.append(Vendor(None, "https://oauth.platform.intuit.com", token))
    return out
