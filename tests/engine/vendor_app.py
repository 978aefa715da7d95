"""A loopback API that behaves as the vendors' write endpoints do, for end-to-end push tests.

- GET  /src/people                       the source: {"list": [{"person": {...}}]} (Chargebee)
- PUT  /xero/Contacts                    {"Contacts": [...]}: many per call, an array of Phones,
                                         per-item ValidationErrors (Xero, summarizeErrors=false)
- POST /cw/companies, GET/PATCH /cw/companies/{id}   PATCH takes a JSON Patch array (ConnectWise)
- POST /cb/customers, POST /cb/customers/{id}        form-encoded bodies only (Chargebee)
- POST /qbo/customer[?operation=update], GET /qbo/customer/{id}   Id + SyncToken (QuickBooks)
- GET/PUT /etag/items/{id}, POST /etag/items          If-Match or 412
- POST /hs/batch/create, /hs/batch/update            {"inputs": [...]} at most 100 (HubSpot)
- POST /at/Products -> {"itemId": N}; PATCH /at/Products with the id in the body (Autotask)
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import jsonpatch
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@dataclass
class VendorState:
    people: list[dict[str, Any]] = field(default_factory=list)
    store: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> record
    calls: list[tuple[str, str]] = field(default_factory=list)
    bodies: list[Any] = field(default_factory=list)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    conflicts: dict[str, int] = field(default_factory=dict)  # id -> the next N writes conflict
    reverse_batches: bool = False  # answer batch results in another order than sent
    drop_last_result: bool = False  # a batch answer that omits one result
    reject: set[str] = field(default_factory=set)  # names ConnectWise answers 400 for

    def new_id(self) -> str:
        return str(next(self.ids))


def make_people(n: int) -> list[dict[str, Any]]:
    return [
        {"person": {"id": f"p{i}", "name": f"Person {i}", "email": f"p{i}@example.com",
                    "phone": f"+44 20 7946 {i:04d}", "city": "Leeds",
                    "updated_at": f"2026-01-01T00:00:{i:02d}Z"}}
        for i in range(1, n + 1)
    ]  # fmt: skip


def vendor_app(state: VendorState) -> Starlette:
    def log(request: Request, body: Any = None) -> None:
        state.calls.append((request.method, request.url.path))
        state.bodies.append(body)

    async def people(request: Request) -> Response:
        log(request)
        since = request.query_params.get("since", "")
        rows = [p for p in state.people if p["person"]["updated_at"] > since]
        return JSONResponse({"list": rows})

    async def xero_contacts(request: Request) -> Response:
        body = await request.json()
        log(request, body)
        if not isinstance(body, dict) or not isinstance(body.get("Contacts"), list):
            return JSONResponse({"Message": "Contacts must be an array"}, 400)
        out = []
        for c in body["Contacts"]:
            if not isinstance(c.get("Phones", []), list):
                return JSONResponse({"Message": "Phones must be an array"}, 400)
            if not c.get("Name"):
                out.append({**c, "HasValidationErrors": True,
                            "ValidationErrors": [{"Message": "Name is required"}]})  # fmt: skip
                continue
            cid = c.get("ContactID") or state.new_id()
            state.store[cid] = {**c, "ContactID": cid}
            out.append(state.store[cid])
        if state.reverse_batches:
            out.reverse()
        return JSONResponse({"Contacts": out})

    async def cw_create(request: Request) -> Response:
        body = await request.json()
        log(request, body)
        if body.get("name") in state.reject:
            return JSONResponse({"code": "InvalidObject", "message": "name is not allowed"}, 400)
        cid = state.new_id()
        state.store[cid] = {**body, "id": int(cid)}
        return JSONResponse(state.store[cid], 201)

    async def cw_one(request: Request) -> Response:
        cid = request.path_params["id"]
        if request.method == "GET":
            log(request)
            if cid not in state.store:
                return JSONResponse({"code": "NotFound"}, 404)
            return JSONResponse(state.store[cid])
        body = await request.json()
        log(request, body)
        if not isinstance(body, list):
            return JSONResponse({"code": "InvalidObject", "message": "a patch array"}, 400)
        try:
            state.store[cid] = jsonpatch.apply_patch(state.store[cid], body)
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as exc:
            return JSONResponse({"code": "InvalidObject", "message": str(exc)}, 400)
        return JSONResponse(state.store[cid])

    async def cb_customers(request: Request) -> Response:
        if request.headers.get("content-type") != "application/x-www-form-urlencoded":
            log(request)
            return JSONResponse({"message": "form-encoded only", "api_error_code": "x"}, 415)
        form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        log(request, form)
        cid = request.path_params.get("id") or f"cb_{state.new_id()}"
        state.store[cid] = {**state.store.get(cid, {}), **form, "id": cid}
        return JSONResponse({"customer": state.store[cid]})

    async def qbo_customer(request: Request) -> Response:
        body = await request.json()
        log(request, body)
        if request.query_params.get("operation") == "update":
            cur = state.store.get(str(body.get("Id")))
            if cur is None:
                return JSONResponse({"Fault": {"type": "ValidationFault"}}, 400)
            if state.conflicts.get(cur["Id"]):
                state.conflicts[cur["Id"]] -= 1
                cur["SyncToken"] = str(int(cur["SyncToken"]) + 1)  # someone else saved it
            if body.get("SyncToken") != cur["SyncToken"]:
                return JSONResponse({"Fault": {"Error": [{"Message": "Stale Object Error"}],
                                               "type": "ValidationFault"}}, 409)  # fmt: skip
            cur.update(body)
            cur["SyncToken"] = str(int(cur["SyncToken"]) + 1)
            return JSONResponse({"Customer": cur})
        cid = state.new_id()
        state.store[cid] = {**body, "Id": cid, "SyncToken": "0"}
        return JSONResponse({"Customer": state.store[cid]})

    async def qbo_read(request: Request) -> Response:
        log(request)
        cur = state.store.get(request.path_params["id"])
        return JSONResponse({"Customer": cur}) if cur else JSONResponse({}, 404)

    async def etag_create(request: Request) -> Response:
        body = await request.json()
        log(request, body)
        cid = state.new_id()
        state.store[cid] = {**body, "id": cid, "_v": 1}
        return JSONResponse({"id": cid}, 201)

    async def etag_one(request: Request) -> Response:
        cur = state.store.get(request.path_params["id"])
        if cur is None:
            log(request)
            return JSONResponse({}, 404)
        if request.method == "GET":
            log(request)
            return JSONResponse(cur, headers={"ETag": f'"v{cur["_v"]}"'})
        body = await request.json()
        log(request, body)
        if state.conflicts.get(cur["id"]):
            state.conflicts[cur["id"]] -= 1
            cur["_v"] += 1
        if request.headers.get("if-match") != f'"v{cur["_v"]}"':
            return JSONResponse({"message": "precondition failed"}, 412)
        cur.update(body)
        cur["_v"] += 1
        return JSONResponse(cur)

    async def hs_batch(request: Request) -> Response:
        body = await request.json()
        log(request, body)
        inputs = body.get("inputs") if isinstance(body, dict) else None
        if not isinstance(inputs, list) or len(inputs) > 100:
            return JSONResponse({"status": "error", "message": "1-100 inputs"}, 400)
        results = []
        for item in inputs:
            hid = str(item.get("id") or state.new_id())
            state.store[hid] = {"id": hid, "properties": item.get("properties", {})}
            results.append(state.store[hid])
        if state.reverse_batches:
            results.reverse()
        if state.drop_last_result:
            results = results[:-1]
        return JSONResponse({"status": "COMPLETE", "results": results}, 201)

    async def at_products(request: Request) -> Response:
        body = await request.json()
        log(request, body)
        if request.method == "POST":
            pid = state.new_id()
            state.store[pid] = {**body, "id": int(pid)}
            return JSONResponse({"itemId": int(pid)})
        pid = body.get("id")
        if not isinstance(pid, int) or str(pid) not in state.store:
            return JSONResponse({"errors": ["id must be the integer id of a product"]}, 500)
        state.store[str(pid)].update(body)
        return JSONResponse({"itemId": pid})

    return Starlette(
        routes=[
            Route("/src/people", people),
            Route("/xero/Contacts", xero_contacts, methods=["PUT", "POST"]),
            Route("/cw/companies", cw_create, methods=["POST"]),
            Route("/cw/companies/{id}", cw_one, methods=["GET", "PATCH"]),
            Route("/cb/customers", cb_customers, methods=["POST"]),
            Route("/cb/customers/{id}", cb_customers, methods=["POST"]),
            Route("/qbo/customer", qbo_customer, methods=["POST"]),
            Route("/qbo/customer/{id}", qbo_read, methods=["GET"]),
            Route("/etag/items", etag_create, methods=["POST"]),
            Route("/etag/items/{id}", etag_one, methods=["GET", "PUT"]),
            Route("/hs/batch/create", hs_batch, methods=["POST"]),
            Route("/hs/batch/update", hs_batch, methods=["POST"]),
            Route("/at/Products", at_products, methods=["POST", "PATCH"]),
        ]
    )


def dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True)
