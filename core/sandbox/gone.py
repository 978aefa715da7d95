"""A client that hangs up before its request body arrived (a run cancelled, a timeout) is not
an error for a sandbox: no 'Exception in ASGI application' traceback in the demo's log; the
answer (499, as nginx says it) goes nowhere. Every sandbox app passes QUIET_WHEN_GONE as its
Starlette exception_handlers."""

from __future__ import annotations

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response


async def _client_gone(request: Request, exc: Exception) -> Response:
    return Response(status_code=499)


QUIET_WHEN_GONE = {ClientDisconnect: _client_gone}
