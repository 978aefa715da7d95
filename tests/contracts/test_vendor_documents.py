"""The trimmed vendor documents themselves: each loads, checks what it should, and leaves
open only what the vendor's own document leaves open."""

from __future__ import annotations

import httpx

from .contract_kit import Vendor, refusal, spec_dict

AUTOTASK = "https://webservices5.autotask.net/ATServicesRest/V1.0"
AT_HEADERS = {"ApiIntegrationCode": "code", "UserName": "api@example.com", "Secret": "s"}


def _autotask(method: str, path: str, headers: dict[str, str] | None = None, **kw) -> str:
    vendor = Vendor("autotask_rest", AUTOTASK, lambda r: httpx.Response(200))
    headers = AT_HEADERS if headers is None else headers
    req = httpx.Request(method, AUTOTASK + path, headers=headers, **kw)
    return refusal(vendor, req)


def test_autotask_document_is_the_vendors_swagger_2():
    doc = spec_dict("autotask_rest")
    assert doc["info"]["title"] == "Datto|Autotask PSA Rest API"
    # Autotask's document references a Filter definition it never defines: the items of a
    # query's `filter` are unchecked by the vendor's own contract (its example sends value 0).
    assert doc["x-open-refs"] == ["Filter"]


def test_autotask_document_refuses_what_autotask_would():
    assert _autotask("POST", "/Products", json={"name": "Tent", "isActive": True}) == ""
    assert "productBillingCodeID" in _autotask(
        "POST", "/Products", json={"name": "Tent", "productBillingCodeID": "billing"}
    )
    no_secret = {k: v for k, v in AT_HEADERS.items() if k != "Secret"}
    assert "header parameter: Secret" in _autotask("POST", "/Products", headers=no_secret, json={})
    assert "not found" in _autotask("POST", "/Widgets", json={})


CW = "https://api-na.myconnectwise.net/v4_6_release/apis/3.0"


def _connectwise(method: str, path: str, **kw) -> str:
    vendor = Vendor("connectwise_manage", CW, lambda r: httpx.Response(200))
    return refusal(vendor, httpx.Request(method, CW + path, headers={"clientId": "c"}, **kw))


def test_connectwise_document_is_connectwises_own():
    doc = spec_dict("connectwise_manage")
    assert (doc["openapi"], doc["info"]["version"]) == ("3.0.1", "2025.8")
    basic = {"type": "http", "scheme": "basic"}
    assert doc["components"]["securitySchemes"] == {"basicAuth": basic}
    # the one recorded edit: PatchOperation.value is published as {"type": "object"} (C#'s
    # `object`, any JSON value); it is kept under x-published and any value is taken
    value = doc["components"]["schemas"]["PatchOperation"]["properties"]["value"]
    assert value == {"x-published": {"type": "object"}}


def test_connectwise_document_refuses_what_connectwise_would():
    deal = {"name": "Renewal", "company": {"id": 1}, "contact": {"id": 2},
            "primarySalesRep": {"identifier": "ZAdmin"}}  # fmt: skip
    assert _connectwise("POST", "/sales/opportunities", json=deal) == ""
    dated = {**deal, "expectedCloseDate": "2026-03-01T00:00:00Z"}
    assert _connectwise("POST", "/sales/opportunities", json=dated) == ""
    # ConnectWise's dates are date-time: a bare date is refused
    bare = {**deal, "expectedCloseDate": "2026-03-01"}
    assert "date-time" in _connectwise("POST", "/sales/opportunities", json=bare)
    assert "primarySalesRep" in _connectwise("POST", "/sales/opportunities", json={"name": "x"})
    # PATCH takes a list of operations, not the object
    ops = [{"op": "replace", "path": "name", "value": "Acme"}]
    assert _connectwise("PATCH", "/company/companies/7", json=ops) == ""
    assert _connectwise("PATCH", "/company/companies/7", json={"name": "Acme"}) != ""
    addition = {"product": {"id": 1}, "billCustomer": "Free"}
    assert "billCustomer" in _connectwise("POST", "/finance/agreements/3/additions", json=addition)
