"""The demo's generated history shows the requests each pull made (method, URL, parameters or
body). Those are shown to the user as what syncdeck sends, so each one must be a request the
vendor's own document accepts."""

from __future__ import annotations

import json

import httpx
import pytest

from core.demo.catalogue import CONNECTORS, SERVICES
from core.demo.urls import pull_url

from .contract_kit import Vendor, refusal
from .vendors import HUBSPOT

SPECS = {
    "hubspot": HUBSPOT,
    "connectwise": "connectwise_manage",
    "chargebee": "chargebee_v2",
    "shopify": "shopify_admin_rest",
    "autotask": "autotask_rest",
    "xero": "xero_accounting",
    "quickbooks": "quickbooks_online",
}
BY_NAME = {c.name: c for c in CONNECTORS}
# what the demo's redacted Authorization stands for (Chargebee takes HTTP Basic: the API key)
AUTHORIZATION = {"chargebee": "Basic a2V5Og=="}
# Autotask's second page is the URL it hands back in pageDetails.nextPageUrl; its Swagger
# document describes no such path, so only the first page (the query) is checked there.
PULLS = [
    (svc.source, stream.pull, page)
    for svc in SERVICES
    for stream in svc.streams
    for page in (1, 2)
    if svc.source in SPECS and not (svc.source == "autotask" and page > 1)
]


@pytest.mark.parametrize(
    ("source", "pull", "page"), PULLS, ids=[f"{s}{p.path}-p{n}" for s, p, n in PULLS]
)
def test_demo_pull_requests_are_valid_per_the_vendor_spec(source, pull, page):
    conn = BY_NAME[source]
    method, url, params = pull_url(conn.base_url, pull, page, "tok123")
    headers = {k: "x" if v == "***" else v for k, v in conn.request_headers.items()}
    if source in AUTHORIZATION:
        headers["Authorization"] = AUTHORIZATION[source]
    body = json.loads(params) if method == "POST" else None
    request = httpx.Request(method, url, headers=headers, json=body)
    vendor = Vendor(SPECS[source], conn.base_url, lambda r: httpx.Response(200))
    problem = refusal(vendor, request)
    assert problem == "", f"{method} {url} {params}: {problem}"
