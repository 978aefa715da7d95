"""Validate every request syncdeck sends against the vendor's OpenAPI document, in process
(openapi-core), through an httpx transport: a request the spec refuses is recorded and answered
400, so a contract test fails on it. Answers to valid requests are canned per vendor."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

from .swagger2 import to_openapi3

SPECS = Path(__file__).parent / "specs"


@cache
def spec_dict(name: str) -> dict[str, Any]:
    """One document (`name`.json, trimmed from the vendor's, or `name`.yaml, transcribed), or
    several joined with '+' (HubSpot publishes one document per CRM object). A Swagger 2.0
    document (Autotask's) is read as OpenAPI 3.0 (see swagger2.py)."""
    parts = []
    for one in name.split("+"):
        path = SPECS / f"{one}.json"
        if path.exists():
            doc = json.loads(path.read_text(encoding="utf-8"))
        else:
            doc = yaml.safe_load((SPECS / f"{one}.yaml").read_text(encoding="utf-8"))
        parts.append(to_openapi3(doc) if str(doc.get("swagger", "")).startswith("2.") else doc)
    spec = dict(parts[0])
    spec["paths"] = {k: v for p in parts for k, v in p["paths"].items()}
    components: dict[str, Any] = {}
    for p in parts:
        for kind, items in p.get("components", {}).items():
            components.setdefault(kind, {}).update(items)
    spec["components"] = components
    return spec


@cache
def openapi(name: str, base_url: str) -> OpenAPI:
    spec = dict(spec_dict(name))
    # the request's host and base path, as configured; a Swagger 2.0 document's paths start
    # below its basePath (Autotask: /ATServicesRest, then /V1.0/... in each path)
    url = urlsplit(base_url)
    base = base_url
    if "x-base-path" in spec:
        base = f"{url.scheme}://{url.netloc}{spec['x-base-path']}"
    spec["servers"] = [{"url": base}]
    # The vendors' documents do not all pass the OpenAPI meta-schema (Xero writes boolean
    # defaults as strings, Chargebee's 3.1 parameters carry extra keys): requests are what we
    # check, so the documents themselves are taken as published.
    return OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None))


@dataclass
class _Request:
    """openapi-core's Request protocol over an httpx.Request."""

    host_url: str
    path: str
    method: str
    parameters: RequestParameters
    content_type: str
    body: bytes | None


def as_openapi(req: httpx.Request, base_url: str) -> _Request:
    url = urlsplit(str(req.url))
    query = parse_qs(url.query, keep_blank_values=True)
    params = RequestParameters(
        query=ImmutableMultiDict([(k, v) for k, vs in query.items() for v in vs]),
        header=Headers(dict(req.headers)),
        cookie=ImmutableMultiDict(),
    )
    body = req.content or None
    ctype = req.headers.get("content-type", "application/json" if body else "")
    return _Request(
        host_url=f"{url.scheme}://{url.netloc}",
        path=url.path,
        method=req.method.lower(),
        parameters=params,
        content_type=ctype.lower(),
        body=body,
    )


Answer = Callable[[httpx.Request], httpx.Response]


@dataclass
class Vendor:
    """One API: its spec, where it is, and how it answers a valid request."""

    spec: str | None  # None: not checked (an OAuth token endpoint)
    base_url: str
    answer: Answer


@dataclass
class SpecTransport(httpx.AsyncBaseTransport):
    vendors: list[Vendor]
    refused: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)

    def vendor_of(self, req: httpx.Request) -> Vendor:
        url = str(req.url)
        for v in self.vendors:
            if url.startswith(v.base_url):
                return v
        raise AssertionError(f"no vendor serves {url}")

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        vendor = self.vendor_of(request)
        where = f"{request.method} {urlsplit(str(request.url)).path}"
        self.seen.append(where)
        problem = refusal(vendor, request)
        if problem:
            self.refused.append(f"{vendor.spec}: {where}: {problem}")
            return httpx.Response(400, json={"message": problem}, request=request)
        resp = vendor.answer(request)
        resp.request = request
        return resp


def refusal(vendor: Vendor, request: httpx.Request) -> str:
    """'' when the vendor's spec accepts the request, else the validator's words."""
    if vendor.spec is None:
        return ""
    try:
        openapi(vendor.spec, vendor.base_url).validate_request(as_openapi(request, vendor.base_url))
    except Exception as exc:  # noqa: BLE001 - any refusal is the test's finding
        causes = [str(exc)]
        cur: BaseException | None = exc
        while cur is not None and len(causes) < 4:
            cur = cur.__cause__ or cur.__context__
            if cur is not None:
                causes.append(str(cur)[:300])
        inner = getattr(exc, "schema_errors", None) or []
        causes.extend(str(e.message)[:300] for e in inner[:3])
        return " / ".join(c for c in causes if c)
    return ""
