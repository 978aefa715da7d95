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
