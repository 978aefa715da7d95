"""A QuickBooks Online Accounting API sandbox for the demo: Intuit's token endpoint and the
Customer endpoints of one company (realm) under /v3/company/{realmId}, answering as QBO does.

- POST /oauth2/v1/tokens/bearer: refresh tokens rotated at every refresh (core/sandbox/oauth.py).
- Every API call needs the bearer token (else 401, Intuit's AuthenticationFailed fault) and the
  realm the app was authorised for (else 403, ApplicationAuthorizationFailed).
- POST /customer creates: {"Customer": {..., "Id", "SyncToken": "0", "MetaData"}, "time"}.
  DisplayName must be given and unique (6240 Duplicate Name Exists Error); an email address
  must be valid.
- GET /customer/{id} reads it; POST /customer?operation=update needs Id and the current
  SyncToken (optimistic concurrency: a stale one is 400 Stale Object Error, code 5010); with
  "sparse": true only the fields sent change. Each update increments the SyncToken.
- `conflict_rate` (or `conflict_next`, a count): the share of reads after which someone else
  saves the customer in QuickBooks (its SyncToken moves on), so an update sent with the token
  just read is stale.
- A write with ?requestid= sent again gets the first answer and is not done twice (Intuit's
  idempotency). Answers carry an `intuit_tid` header, as Intuit's do.
"""

from __future__ import annotations

import random
import re
import secrets
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .faults import Faults
from .gone import QUIET_WHEN_GONE
from .oauth import TokenIssuer

REALM_ID = "9130351234567890"
AUTH_FAILED = "message=AuthenticationFailed; errorCode=003200; statusCode=401"
MISSING = "Required param missing, need to supply the required value for the API"
STALE = (
    "Stale Object Error : You and another user were working on the same thing. The other user "
    "finished before you did, so your work was not saved."
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
KEPT = (
    "DisplayName",
    "GivenName",
    "FamilyName",
    "CompanyName",
    "PrimaryEmailAddr",
    "PrimaryPhone",
    "BillAddr",
    "Notes",
    "Active",
    "Taxable",
)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S-00:00", time.gmtime())


def fault(code: str, message: str, detail: str, kind: str = "ValidationFault") -> dict[str, Any]:
    return {
        "Fault": {
            "Error": [{"Message": message, "Detail": detail, "code": code, "element": ""}],
            "type": kind,
        },
        "time": _now(),
    }


class QboState:
    CLIENT_ID = "demo-qbo-app"

    def __init__(
        self,
        faults: Faults | None = None,
        *,
        client_id: str = CLIENT_ID,
        conflict_rate: float = 0.0,
        seed: int = 5,
    ) -> None:
        self.faults = faults or Faults()
        self.issuer = TokenIssuer(client_id, lifetime=3600, intuit=True)
        self.customers: dict[str, dict[str, Any]] = {}
        self.conflict_rate = conflict_rate
        self.conflict_next = 0  # the next N reads are followed by someone else's save
        self.rng = random.Random(seed)
        self.next_id = 1
        self.replies: dict[str, tuple[dict[str, Any], int]] = {}  # requestid -> first answer
        self.lose_answers = 0  # the next N writes are done, but their answers are lost (502)
        self.creates = 0
        self.updates = 0
        self.stale = 0

    def problem(self, body: dict[str, Any], cid: str | None) -> dict[str, Any] | None:
        name = str(body.get("DisplayName", "")).strip()
        if cid is None and not name:
            return fault(
                "2020",
                "Required param missing, need to supply the required value for the API",
                "Required parameter DisplayName is missing in the request",
            )
        for other in self.customers.values():
            if name and other["Id"] != cid and other.get("DisplayName", "").lower() == name.lower():
                return fault(
                    "6240",
                    "Duplicate Name Exists Error",
                    "The name supplied already exists. : Another customer, vendor or "
                    f"employee is already using this name ({name}). Please use a "
                    "different name.",
                )
        email = (body.get("PrimaryEmailAddr") or {}).get("Address")
        if email and (not _EMAIL.match(str(email)) or str(email).startswith("reject")):
            return fault(
                "6000",
                "A business validation error has occurred while processing your request",
                f"Business Validation Error: Invalid Email Address format ({email}).",
            )
        return None

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        cid = str(self.next_id)
        self.next_id += 1
        stamp = _now()
        rec = {k: body[k] for k in KEPT if k in body}
        rec.update(
            Id=cid,
            SyncToken="0",
            Active=True,
            domain="QBO",
            sparse=False,
            MetaData={"CreateTime": stamp, "LastUpdatedTime": stamp},
        )
        self.customers[cid] = rec
        self.creates += 1
        return rec

    def update(self, body: dict[str, Any], cur: dict[str, Any]) -> dict[str, Any]:
        if not body.get("sparse"):  # a full update: fields not sent are cleared
            for k in KEPT:
                cur.pop(k, None)
        cur.update({k: body[k] for k in KEPT if k in body})
        cur["SyncToken"] = str(int(cur["SyncToken"]) + 1)
        cur["MetaData"]["LastUpdatedTime"] = _now()
        self.updates += 1
        return cur


def qbo_app(state: QboState) -> Starlette:
    def answer(body: dict[str, Any], status: int = 200) -> Response:
        return JSONResponse(body, status, headers={"intuit_tid": secrets.token_hex(16)})

    async def guard(request: Request) -> Response | None:
        fault_ = await state.faults.check(request)
        if fault_ is not None:
            return fault_
        if not state.issuer.authorised(request):
            return answer(
                {
                    "fault": {
                        "error": [
                            {
                                "message": AUTH_FAILED,
                                "detail": "Token expired or invalid",
                                "code": "3200",
                            }
                        ],
                        "type": "AUTHENTICATION",
                    },
                    "time": _now(),
                },
                401,
            )
        if request.path_params.get("realm") != REALM_ID:
            return answer(
                fault(
                    "003100",
                    "ApplicationAuthorizationFailed",
                    "The app is not authorised for this company",
                    "AUTHORIZATION",
                ),
                403,
            )
        return None

    async def preferences(request: Request) -> Response:
        refused = await guard(request)
        if refused is not None:
            return refused
        prefs = {"Id": "1", "SyncToken": "0", "CurrencyPrefs": {"HomeCurrency": {"value": "GBP"}}}
        return answer({"Preferences": prefs, "time": _now()})

    async def read(request: Request) -> Response:
        refused = await guard(request)
        if refused is not None:
            return refused
        cur = state.customers.get(request.path_params["id"])
        if cur is None:
            return answer(
                fault("610", "Object Not Found", "Another user has deleted this transaction."), 400
            )
        out = answer({"Customer": dict(cur), "time": _now()})
        if state.conflict_next > 0 or (
            state.conflict_rate and state.rng.random() < state.conflict_rate
        ):
            state.conflict_next = max(0, state.conflict_next - 1)
            cur["SyncToken"] = str(int(cur["SyncToken"]) + 1)  # someone saved it meanwhile
        return out

    async def write(request: Request) -> Response:
        refused = await guard(request)
        if refused is not None:
            return refused
        rid = request.query_params.get("requestid")
        if rid and rid in state.replies:  # sent again: the first answer, done once
            return answer(*state.replies[rid])
        body, status = await _write(request)
        if rid:
            state.replies[rid] = (body, status)
        if state.lose_answers > 0:  # done here; the answer never reaches the client
            state.lose_answers -= 1
            return JSONResponse({"error": "bad gateway"}, 502)
        return answer(body, status)

    async def _write(request: Request) -> tuple[dict[str, Any], int]:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return fault("2010", "Request has invalid or unsupported property",
                         "The request body is not a JSON object"), 400  # fmt: skip
        if request.query_params.get("operation") != "update":
            problem = state.problem(body, None)
            if problem is not None:
                return problem, 400
            return {"Customer": state.create(body), "time": _now()}, 200
        cur = state.customers.get(str(body.get("Id", "")))
        if cur is None or "SyncToken" not in body:
            return fault("2020", MISSING, "Id and SyncToken are required for an update"), 400
        if str(body["SyncToken"]) != cur["SyncToken"]:
            state.stale += 1
            return fault("5010", "Stale Object Error", STALE), 400
        problem = state.problem(body, cur["Id"])
        if problem is not None:
            return problem, 400
        return {"Customer": state.update(body, cur), "time": _now()}, 200

    base = "/v3/company/{realm}"
    return Starlette(
        routes=[
            Route("/oauth2/v1/tokens/bearer", state.issuer.token, methods=["POST"]),
            Route(f"{base}/preferences", preferences),
            Route(f"{base}/customer", write, methods=["POST"]),
            Route(f"{base}/customer/{{id}}", read),
        ],
        exception_handlers=QUIET_WHEN_GONE,  # a client gone mid-body: no traceback
    )
