"""A destination ERP API: POST /accounts creates, PATCH /accounts/{id} updates,
GET /accounts?source_id= finds. An email containing 'reject' is refused with 422."""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .faults import Faults
from .gone import QUIET_WHEN_GONE


class ErpState:
    def __init__(self, faults: Faults | None = None) -> None:
        self.accounts: dict[str, dict[str, Any]] = {}
        self.faults = faults or Faults()
        self.creates = 0
        self.updates = 0
        self._next = 1


def erp_app(state: ErpState) -> Starlette:
    async def body(request: Request) -> dict[str, Any] | None:
        try:
            data = json.loads(await request.body() or b"{}")
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    async def accounts(request: Request) -> Response:
        fault = await state.faults.check(request)
        if fault is not None:
            return fault
        if request.method == "GET":
            sid = request.query_params.get("source_id")
            found = [a for a in state.accounts.values() if sid is None or a.get("source_id") == sid]
            return JSONResponse({"data": found})
        data = await body(request)
        if data is None:
            return JSONResponse({"error": "body must be a JSON object"}, status_code=400)
        if "reject" in str(data.get("email", "")):
            return JSONResponse({"error": "email address is not accepted"}, status_code=422)
        acc_id = f"acc_{state._next}"
        state._next += 1
        state.accounts[acc_id] = {"id": acc_id, **data}
        state.creates += 1
        return JSONResponse(state.accounts[acc_id], status_code=201)

    async def account(request: Request) -> Response:
        fault = await state.faults.check(request)
        if fault is not None:
            return fault
        acc_id = request.path_params["id"]
        if acc_id not in state.accounts:
            return JSONResponse({"error": f"no account {acc_id}"}, status_code=404)
        if request.method == "GET":
            return JSONResponse(state.accounts[acc_id])
        data = await body(request)
        if data is None:
            return JSONResponse({"error": "body must be a JSON object"}, status_code=400)
        state.accounts[acc_id].update(data)
        state.updates += 1
        return JSONResponse(state.accounts[acc_id])

    return Starlette(
        routes=[
            Route("/accounts", accounts, methods=["GET", "POST"]),
            Route("/accounts/{id}", account, methods=["GET", "PATCH"]),
        ],
        exception_handlers=QUIET_WHEN_GONE,  # a client gone mid-body: no traceback
    )
