"""The trimmed Chargebee document is the vendor's API v2 (product catalog 1) one, the version the
preset speaks: it checks what Chargebee checks, and the one gap it leaves open is pinned here."""

from __future__ import annotations

import httpx
from openapi_core import OpenAPI

from .contract_kit import Vendor, refusal, spec_dict

BASE = "https://acme.chargebee.com/api/v2"
AUTH = {"Authorization": "Basic a2V5Og=="}


def _refusal(method: str, path: str, **kw) -> str:
    vendor = Vendor("chargebee_v2", BASE, lambda r: httpx.Response(200))
    return refusal(vendor, httpx.Request(method, BASE + path, headers=AUTH, **kw))


def test_chargebee_document_is_api_v2_product_catalog_1():
    doc = spec_dict("chargebee_v2")
    assert doc["info"]["version"] == "2026-08-28.release"
    assert (doc["info"]["x-cb-api-version"], doc["info"]["x-cb-product-catalog-version"]) == (2, 1)
    assert all(s["url"].endswith("/api/v2") for s in doc["servers"])
    ops = {f"{m.upper()} {p}" for p, item in doc["paths"].items() for m in item}
    assert ops == {
        "GET /customers", "POST /customers", "POST /customers/{customer-id}",
        "GET /subscriptions", "GET /invoices",
    }  # fmt: skip
    OpenAPI.from_dict(doc)  # openapi-core's own check of the document: valid OpenAPI 3.1


def test_chargebee_document_accepts_what_the_preset_and_demo_send():
    assert _refusal("GET", "/customers?limit=1") == ""
    assert _refusal("GET", "/subscriptions?limit=100&status%5Bis%5D=active") == ""
    offset = "%5B%221767225600000%22%2C%22200%22%5D"  # a next_offset handed back
    assert _refusal("GET", f"/invoices?limit=100&status%5Bis%5D=paid&offset={offset}") == ""
    body = {"first_name": "Ada", "email": "ada@example.com", "billing_address[city]": "Leeds"}
    assert _refusal("POST", "/customers", data=body) == ""


def test_chargebee_document_refuses_what_chargebee_would():
    assert "limit" in _refusal("GET", "/customers?limit=101")  # 100 a page at most
    assert "status" in _refusal("GET", "/subscriptions?status%5Bis%5D=live")
    assert "status" in _refusal("GET", "/invoices?status%5Bis%5D=unpaid")
    assert "updated_at" in _refusal("GET", "/customers?updated_at%5Bafter%5D=2026-01-01")
    assert "validation" in _refusal("POST", "/customers", data={"first_name": "A" * 151})
    too_long = {"billing_address[city]": "L" * 51}  # form deepObject, checked field by field
    assert "validation" in _refusal("POST", "/customers", data=too_long)
    assert "validation" in _refusal("POST", "/customers/cus_1", data={"fraud_flag": "maybe"})
    assert "not found" in _refusal("POST", "/customers/cus_1/update_billing_info", data={})


def test_update_a_customer_takes_no_billing_address_but_the_document_leaves_it_open():
    # v2's update_a_customer has no billing_address (Chargebee moves it with
    # POST /customers/{id}/update_billing_info); its body allows additional properties (custom
    # fields), so a billing_address[...] field on an update passes the document unchecked.
    update = spec_dict("chargebee_v2")["paths"]["/customers/{customer-id}"]["post"]
    schema = update["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert "billing_address" not in schema["properties"]
    assert schema["additionalProperties"] is True
    assert _refusal("POST", "/customers/cus_1", data={"billing_address[city]": "Leeds"}) == ""
