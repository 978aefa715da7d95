"""Realistic URLs, ids and headers for the demo's connectors (plain strings, built fast)."""

from __future__ import annotations

import json
import random
from urllib.parse import quote

from .catalogue import ConnectorSpec, Pull

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SHOPIFY_STATUS = {"/orders.json": "any", "/products.json": "active"}
# Autotask's query body: `filter` is a list of conditions (QueryModel), as the preset sends it
_AUTOTASK_QUERY = '{"MaxRecords":500,"filter":[{"op":"eq","field":"status","value":2}]}'


def make_id(rng: random.Random, style: str) -> str:
    if style == "hubspot":
        return str(rng.randrange(1_000_000_000, 40_000_000_000))
    if style == "cw":
        return str(rng.randrange(10_000, 99_999))
    if style == "shopify":
        return str(rng.randrange(7_000_000_000_000, 8_000_000_000_000))
    if style == "autotask":
        return str(rng.randrange(29_680_000, 29_699_999))
    if style == "qbo":
        return str(rng.randrange(100, 9_999))
    if style == "xero":
        h = f"{rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"
    if style == "chargebee_sub":
        return "AzZ" + "".join(rng.choice(_B62) for _ in range(13))
    if style == "chargebee_line":
        return "li_" + "".join(rng.choice(_B62) for _ in range(14))
    raise ValueError(style)


def pull_url(base: str, pull: Pull, page: int, token: str) -> tuple[str, str, str]:
    """(method, url, params_json) of one page of a paginated pull."""
    size = pull.page_size
    if pull.style == "cursor":  # HubSpot CRM v3
        if page == 1:
            return "GET", f"{base}{pull.path}?limit={size}", f'{{"limit":{size}}}'
        return (
            "GET",
            f"{base}{pull.path}?limit={size}&after={token}",
            f'{{"limit":{size},"after":"{token}"}}',
        )
    if pull.style == "page":  # ConnectWise Manage
        return (
            "GET",
            f"{base}{pull.path}?page={page}&pageSize={size}",
            f'{{"page":{page},"pageSize":{size}}}',
        )
    if pull.style == "offset":  # Chargebee
        if page == 1:
            return "GET", f"{base}{pull.path}?limit={size}", f'{{"limit":{size}}}'
        off = quote(f'["{token}","{page * size}"]', safe="")
        return (
            "GET",
            f"{base}{pull.path}?limit={size}&offset={off}",
            json.dumps({"limit": size, "offset": f'["{token}","{page * size}"]'}),
        )
    if pull.style == "page_info":  # Shopify Admin REST
        if page == 1:
            # status=any is an orders filter; products take active/archived/draft
            status = _SHOPIFY_STATUS.get(pull.path)
            if status is None:
                return "GET", f"{base}{pull.path}?limit={size}", f'{{"limit":{size}}}'
            return (
                "GET",
                f"{base}{pull.path}?limit={size}&status={status}",
                f'{{"limit":{size},"status":"{status}"}}',
            )
        return (
            "GET",
            f"{base}{pull.path}?limit={size}&page_info={token}",
            f'{{"limit":{size},"page_info":"{token}"}}',
        )
    if pull.style == "query":  # Autotask REST query + nextPageUrl
        if page == 1:
            return "POST", f"{base}{pull.path}", _AUTOTASK_QUERY
        return "GET", f"{base}{pull.path}/next?paging={token}", f'{{"paging":"{token}"}}'
    raise ValueError(pull.style)


def token(rng: random.Random, style: str) -> str:
    if style == "cursor":
        return str(rng.randrange(10**9, 10**11))
    if style == "offset":
        return str(rng.randrange(1_690_000_000_000, 1_730_000_000_000))
    return "".join(rng.choice(_B62) for _ in range(40))


class Push:
    """Destination-side URLs per destination style: lookup, create, update, delete, detail."""

    def __init__(self, base: str, path: str, style: str) -> None:
        self.base = base
        self.path = path
        self.style = style
        self.coll = f"{base}{path}"

    def lookup(self, ext: str) -> tuple[str, str, str]:
        s = self.style
        if s == "cw":
            cond = f'identifier="{ext}"'
            return "GET", f"{self.coll}?conditions={quote(cond)}", json.dumps({"conditions": cond})
        if s == "autotask":
            return "POST", f"{self.coll}/query", f'{{"filter":"externalProductID eq {ext}"}}'
        if s == "shopify":
            return "GET", f"{self.coll}?name=%23{ext}", f'{{"name":"#{ext}"}}'
        if s == "xero":
            return (
                "GET",
                f"{self.coll}?where=Reference%3D%3D%22{ext}%22",
                f'{{"where":"Reference==\\"{ext}\\""}}',
            )
        q = f"select * from Customer where DisplayName = '{ext}'"
        return "GET", f"{self.base}/query?query={quote(q)}", json.dumps({"query": q})

    def write(self, action: str, iid: str) -> tuple[str, str]:
        s = self.style
        if action == "create":
            return ("PUT" if s == "xero" else "POST"), self.coll
        if s == "cw":
            return ("PATCH" if action != "delete" else "DELETE"), f"{self.coll}/{iid}"
        if s == "autotask":
            return ("PATCH" if action != "delete" else "DELETE"), (
                self.coll if action != "delete" else f"{self.coll}/{iid}"
            )
        if s == "shopify":
            return (
                "PUT" if action != "delete" else "DELETE"
            ), f"{self.base}/draft_orders/{iid}.json"
        if s == "xero":
            return "POST", f"{self.coll}/{iid}"
        op = "update" if action != "delete" else "delete"
        return "POST", f"{self.coll}?operation={op}"


def detail_url(base: str, pull: Pull, ext: str) -> str:
    """A source-side GET of one record (associations, line items)."""
    if pull.style == "cursor":
        return f"{base}{pull.path}/{ext}?associations=companies,contacts"
    if pull.style == "page_info":
        return f"{base}{pull.path.removesuffix('.json')}/{ext}.json"
    if pull.style == "query":
        search = f'{{"filter":[{{"field":"OrderID","op":"eq","value":{ext}}}]}}'
        return f"{base}/PurchaseOrderItems/query?search={quote(search, safe='')}"
    return f"{base}{pull.path}/{ext}"


def header_variants(spec: ConnectorSpec) -> tuple[str, list[str], str, str]:
    """(request headers json, 8 response-header variants by headroom, 429 headers, error headers)"""
    req = json.dumps(spec.request_headers, separators=(",", ":"))
    ok = []
    for i in range(8):
        h = {"Content-Type": "application/json; charset=utf-8"}
        if spec.rate_header:
            left = int(spec.rate_budget * (i + 0.5) / 8)
            h[spec.rate_header] = (
                f"{spec.rate_budget - left}/{spec.rate_budget}"
                if "Call-Limit" in spec.rate_header
                else str(left)
            )
        ok.append(json.dumps(h, separators=(",", ":")))
    limited = json.dumps(
        {"Content-Type": "application/json", "Retry-After": "10"}, separators=(",", ":")
    )
    err = json.dumps({"Content-Type": "application/json; charset=utf-8"}, separators=(",", ":"))
    return req, ok, limited, err
