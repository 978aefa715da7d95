"""A Xero Accounting API sandbox for the demo: the identity server's token endpoint and the
Contacts endpoints under /api.xro/2.0, answering as Xero does.

- POST /connect/token: refresh tokens rotated at every refresh (core/sandbox/oauth.py).
- Every API call needs the bearer token and the organisation's `xero-tenant-id` (else 401 /
  403 in Xero's words), counts against 60 calls a minute (429 with Retry-After and
  X-Rate-Limit-Problem: minute), and answers the X-MinLimit-Remaining / X-DayLimit-Remaining
  headers.
- GET /Contacts[?where=AccountNumber=="..."][&page=N]: {"Contacts": [...]} (100 a page).
- PUT /Contacts creates and POST /Contacts creates or updates (by ContactID), many contacts a
  call in the {"Contacts": [...]} envelope; POST /Contacts/{ContactID} updates one. A contact
  Xero refuses (no name, a name or account number already used, an invalid email) fails the
  whole call with HTTP 400 ValidationException, or with ?summarizeErrors=false only itself
  (HTTP 200, the item with StatusAttributeString "ERROR" and its ValidationErrors).
- Idempotency-Key: a write sent again with the same key gets the first answer, done once.
"""

from __future__ import annotations

import re
import time
import uuid
from collections import deque
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .faults import Faults
from .gone import QUIET_WHEN_GONE
from .oauth import TokenIssuer

TENANT_ID = "3f6c1a9e-5b2d-4e8f-9a7c-1d2e3f4a5b6c"
PER_MINUTE = 60
PAGE_SIZE = 100
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_WHERE = re.compile(r'^\s*(AccountNumber|Name|EmailAddress)\s*==\s*"([^"]*)"\s*$')
KEPT = (
    "Name",
    "EmailAddress",
    "AccountNumber",
    "FirstName",
    "LastName",
    "Phones",
    "Addresses",
    "IsCustomer",
    "IsSupplier",
    "TaxNumber",
    "ContactStatus",
)


def _date() -> str:
    return f"/Date({int(time.time() * 1000)}+0000)/"


class XeroState:
    CLIENT_ID = "demo-xero-app"

    def __init__(self, faults: Faults | None = None, client_id: str = CLIENT_ID) -> None:
        self.faults = faults or Faults()
        self.issuer = TokenIssuer(client_id)
        self.contacts: dict[str, dict[str, Any]] = {}
        self.calls: deque[float] = deque()
        self.replies: dict[str, tuple[int, dict[str, Any]]] = {}  # Idempotency-Key -> answer
        self.creates = 0
        self.updates = 0

    def problems(self, item: dict[str, Any], cid: str | None) -> list[str]:
        out = []
        name = str(item.get("Name", "")).strip()
        if not name and cid is None:
            out.append("A contact name must be specified.")
        if len(name) > 255:
            out.append("The contact name must be 255 characters or less.")
        for other in self.contacts.values():
            if other["ContactID"] == cid or other["ContactStatus"] != "ACTIVE":
                continue
            if name and other["Name"].lower() == name.lower():
                out.append(
                    f"The contact name {name} is already assigned to another contact. "
                    "The contact name must be unique across all active contacts."
                )
            number = item.get("AccountNumber")
            if number and other.get("AccountNumber") == number:
                out.append(
                    "The Account Number already exists. Please enter a different Account Number."
                )
        email = item.get("EmailAddress")
        if email and (not _EMAIL.match(str(email)) or str(email).startswith("reject")):
            out.append("Email address must be valid.")
        if cid is not None and cid not in self.contacts:
            out.append(f"The contact with ContactID {cid} could not be found.")
        return out

    def save(self, item: dict[str, Any], cid: str | None) -> dict[str, Any]:
        fields = {k: item[k] for k in KEPT if k in item}
        if cid is None:
            cid = str(uuid.uuid4())
            self.contacts[cid] = {
                "ContactID": cid,
                "ContactStatus": "ACTIVE",
                "Phones": [],
                "Addresses": [],
                "IsSupplier": False,
                "IsCustomer": False,
            }
            self.creates += 1
        else:
            self.updates += 1
        rec = self.contacts[cid]
        rec.update(fields)
        rec["UpdatedDateUTC"] = _date()
        rec["HasValidationErrors"] = False
        return dict(rec)


def _envelope(key: str, items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "Id": str(uuid.uuid4()),
        "Status": "OK",
        "ProviderName": "syncdeck demo",
        "DateTimeUTC": _date(),
        **extra,
        key: items,
    }


def xero_app(state: XeroState) -> Starlette:
    def limits(headers: dict[str, str] | None = None) -> dict[str, str]:
        left = max(0, PER_MINUTE - len(state.calls))
        return {
            "X-MinLimit-Remaining": str(left),
            "X-DayLimit-Remaining": "4999",
            "X-AppMinLimit-Remaining": "9999",
            **(headers or {}),
        }

    async def guard(request: Request) -> Response | None:
        fault = await state.faults.check(request)
        if fault is not None:
            return fault
        if not state.issuer.authorised(request):
            return JSONResponse(
                {
                    "Type": None,
                    "Title": "Unauthorized",
                    "Status": 401,
                    "Detail": "AuthenticationUnsuccessful",
                },
                401,
            )
        if request.headers.get("xero-tenant-id") != TENANT_ID:
            return JSONResponse(
                {
                    "Type": None,
                    "Title": "Forbidden",
                    "Status": 403,
                    "Detail": "AuthenticationUnsuccessful",
                },
                403,
            )
        now = time.monotonic()
        while state.calls and state.calls[0] < now - 60:
            state.calls.popleft()
        if len(state.calls) >= PER_MINUTE:
            wait = str(int(61 - (now - state.calls[0])))
            return Response(
                "", 429, headers=limits({"Retry-After": wait, "X-Rate-Limit-Problem": "minute"})
            )
        state.calls.append(now)
        return None

    def answer(body: dict[str, Any], status: int = 200) -> Response:
        return JSONResponse(body, status, headers=limits())

    async def organisation(request: Request) -> Response:
        refused = await guard(request)
        if refused is not None:
            return refused
        org = {
            "OrganisationID": TENANT_ID,
            "Name": "Acme Outdoor Ltd (demo)",
            "BaseCurrency": "GBP",
            "CountryCode": "GB",
            "OrganisationType": "COMPANY",
        }
        return answer(_envelope("Organisations", [org]))

    def listing(request: Request) -> Response:
        found = [c for c in state.contacts.values() if c["ContactStatus"] == "ACTIVE"]
        where = request.query_params.get("where")
        if where:
            m = _WHERE.match(where)
            if m is None:
                return answer(
                    {
                        "ErrorNumber": 16,
                        "Type": "QueryParseException",
                        "Message": f"The where clause is not supported: {where}",
                    },
                    400,
                )
            found = [c for c in found if str(c.get(m.group(1), "")) == m.group(2)]
        page = request.query_params.get("page")
        if page is None:
            return answer(_envelope("Contacts", found))
        size = int(request.query_params.get("pageSize") or PAGE_SIZE)
        n = max(int(page), 1)
        count = (len(found) + size - 1) // size
        info = {"page": n, "pageSize": size, "pageCount": count, "itemCount": len(found)}
        return answer(_envelope("Contacts", found[(n - 1) * size : n * size], pagination=info))

    async def write(request: Request) -> Response:
        key = request.headers.get("idempotency-key")
        if key and key in state.replies:
            status, body = state.replies[key]
            return answer(body, status)
        try:
            body = await request.json()
        except ValueError:
            return answer(
                {
                    "ErrorNumber": 14,
                    "Type": "PostDataInvalidException",
                    "Message": "The request body is not valid JSON.",
                },
                400,
            )
        items = body.get("Contacts") if isinstance(body, dict) else None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            return answer(
                {
                    "ErrorNumber": 14,
                    "Type": "PostDataInvalidException",
                    "Message": "Contacts must be an array of contacts.",
                },
                400,
            )
        one = request.path_params.get("ContactID")
        checked = []
        for item in items:
            cid = one or (item.get("ContactID") if request.method == "POST" else None)
            checked.append((item, cid, state.problems(item, cid)))
        summarize = request.query_params.get("summarizeErrors", "true").lower() != "false"
        if summarize and any(p for _, _, p in checked):
            elements = [
                {**i, "ValidationErrors": [{"Message": m} for m in p]} for i, _, p in checked
            ]
            status, out = (
                400,
                {
                    "ErrorNumber": 10,
                    "Type": "ValidationException",
                    "Message": "A validation exception occurred",
                    "Elements": elements,
                },
            )
        else:
            results = []
            for item, cid, problems in checked:
                if problems:
                    results.append(
                        {
                            **item,
                            "StatusAttributeString": "ERROR",
                            "HasValidationErrors": True,
                            "ValidationErrors": [{"Message": m} for m in problems],
                        }
                    )
                else:
                    results.append({**state.save(item, cid), "StatusAttributeString": "OK"})
            status, out = 200, _envelope("Contacts", results)
        if key:
            state.replies[key] = (status, out)
        return answer(out, status)

    async def contacts(request: Request) -> Response:
        refused = await guard(request)
        if refused is not None:
            return refused
        return listing(request) if request.method == "GET" else await write(request)

    async def contact(request: Request) -> Response:
        refused = await guard(request)
        if refused is not None:
            return refused
        cid = request.path_params["ContactID"]
        if cid not in state.contacts:
            return answer(
                {
                    "Title": "Not Found",
                    "Status": 404,
                    "Detail": "The resource you're looking for cannot be found",
                },
                404,
            )
        if request.method == "GET":
            return answer(_envelope("Contacts", [state.contacts[cid]]))
        return await write(request)

    api = "/api.xro/2.0"
    return Starlette(
        routes=[
            Route("/connect/token", state.issuer.token, methods=["POST"]),
            Route(f"{api}/Organisation", organisation),
            Route(f"{api}/Contacts", contacts, methods=["GET", "PUT", "POST"]),
            Route(f"{api}/Contacts/{{ContactID}}", contact, methods=["GET", "POST"]),
        ],
        exception_handlers=QUIET_WHEN_GONE,  # a client gone mid-body: no traceback
    )
