"""A source CRM API in the style of json-server v1: GET /customers?_page=&_per_page=.

The envelope is {first, prev, next, last, pages, items, data}; a page past the end is clamped
to the last page, as json-server does. Some generated records lack fields or carry a plan no
lookup maps, so mappings have something to skip. `/broken/html` and `/broken/nodata` answer
with HTML and with JSON lacking `data`.
"""

from __future__ import annotations

import math
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .faults import Faults
from .gone import QUIET_WHEN_GONE

PLANS = ("gold", "silver", "gold", "silver", "bronze")


def make_customers(n: int, *, messy: bool = True) -> list[dict[str, Any]]:
    """n customers with ids 1..n. With `messy`, every 10th lacks an email and every 5th has
    the plan 'bronze' (no mapping in the example's lookup)."""
    out = []
    for i in range(1, n + 1):
        rec: dict[str, Any] = {
            "id": i,
            "company": {"name": f"  Company {i:05d} "},
            "email": f"Contact{i}@Example.com",
            "plan": PLANS[(i - 1) % 4] if not messy else PLANS[(i - 1) % 5],
            "updated_at": "2026-01-01T00:00:00Z",
        }
        if messy and i % 10 == 0:
            del rec["email"]
        out.append(rec)
    return out


class CrmState:
    def __init__(self, customers: list[dict[str, Any]], faults: Faults | None = None) -> None:
        self.customers = customers
        self.faults = faults or Faults()
        self.requests: list[str] = []

    def update(self, customer_id: int, **changes: Any) -> None:
        for c in self.customers:
            if c["id"] == customer_id:
                c.update(changes)
                return
        raise KeyError(customer_id)


def _page(items: list[Any], page: int, per_page: int) -> dict[str, Any]:
    total = len(items)
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)  # json-server clamps
    data = items[(page - 1) * per_page : page * per_page]
    return {
        "first": 1,
        "prev": page - 1 if page > 1 else None,
        "next": page + 1 if page < pages else None,
        "last": pages,
        "pages": pages,
        "items": total,
        "data": data,
    }


def crm_app(state: CrmState) -> Starlette:
    async def customers(request: Request) -> Response:
        state.requests.append(str(request.url))
        fault = await state.faults.check(request)
        if fault is not None:
            return fault
        q = request.query_params
        try:
            page = int(q.get("_page", "1"))
            per_page = int(q.get("_per_page", "10"))
        except ValueError:
            return JSONResponse({"error": "bad paging"}, status_code=400)
        items = state.customers
        since = q.get("updated_since")
        if since:
            items = [c for c in items if str(c.get("updated_at", "")) > since]
        if "_page" not in q:
            return JSONResponse(items)
        return JSONResponse(_page(items, page, max(per_page, 1)))

    async def html(request: Request) -> Response:
        return PlainTextResponse("<html><body>Maintenance</body></html>", media_type="text/html")

    async def nodata(request: Request) -> Response:
        return JSONResponse({"results": [], "pages": 1})

    return Starlette(
        routes=[
            Route("/customers", customers),
            Route("/broken/html", html),
            Route("/broken/nodata", nodata),
        ],
        exception_handlers=QUIET_WHEN_GONE,  # a client gone mid-body: no traceback
    )
