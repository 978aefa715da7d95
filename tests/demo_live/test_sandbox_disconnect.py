"""A client that goes away mid-request (a run cancelled, a timeout) is no error for the demo's
APIs: nothing is logged (no traceback in demo-live.log), and the server keeps answering."""

from __future__ import annotations

import logging
import socket
import time

import httpx
import pytest

from core.sandbox import (
    CrmState,
    ErpState,
    QboState,
    XeroState,
    crm_app,
    erp_app,
    make_customers,
    qbo_app,
    serve,
    xero_app,
)  # fmt: skip


class Grab(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _hang_up_mid_body(url: str, request: bytes) -> None:
    """Send the headers and part of the body, then close the connection."""
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(request)
        time.sleep(0.2)


HALF_POSTS = {
    "erp": b"POST /accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b'Content-Length: 500\r\n\r\n{"email": ',
    "erp-patch": b"PATCH /accounts/acc_1 HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{",
}


@pytest.mark.parametrize("kind", list(HALF_POSTS))
def test_a_client_gone_mid_body_logs_nothing(kind: str) -> None:
    grab = Grab()
    loggers = [logging.getLogger(n) for n in ("uvicorn.error", "uvicorn", "starlette")]
    erp = ErpState()
    erp.accounts["acc_1"] = {"id": "acc_1"}
    try:
        with serve(erp_app(erp)) as served:
            for lg in loggers:  # after uvicorn's logging config, which resets its handlers
                lg.addHandler(grab)
            _hang_up_mid_body(served.url, HALF_POSTS[kind])
            time.sleep(0.3)  # the server reads on and sees the disconnect
            assert httpx.get(served.url + "/accounts", timeout=5).status_code == 200
    finally:
        for lg in loggers:
            lg.removeHandler(grab)
    errors = [r.getMessage() for r in grab.records if r.levelno >= logging.WARNING]
    assert errors == []
    assert erp.creates == 0 and erp.updates == 0


def _token_post(client_id: str, secret: str) -> bytes:
    import base64

    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return (
        f"POST {{path}} HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {basic}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 300\r\n\r\n"
        "grant_type=refresh_"
    ).encode()


@pytest.mark.parametrize("kind", ["xero", "quickbooks"])
def test_an_oauth_sandbox_gone_mid_token_request_logs_nothing(kind: str) -> None:
    """The same for the Xero and QuickBooks sandboxes' token endpoints (they read a form)."""
    state = XeroState() if kind == "xero" else QboState()
    app = xero_app(state) if kind == "xero" else qbo_app(state)  # type: ignore[arg-type]
    path = "/connect/token" if kind == "xero" else "/oauth2/v1/tokens/bearer"
    request = _token_post(state.issuer.client_id, state.issuer.client_secret)
    grab = Grab()
    with serve(app) as served:
        logging.getLogger("uvicorn.error").addHandler(grab)
        try:
            _hang_up_mid_body(served.url, request.replace(b"{path}", path.encode()))
            time.sleep(0.3)
        finally:
            logging.getLogger("uvicorn.error").removeHandler(grab)
    assert [r.getMessage() for r in grab.records if r.levelno >= logging.WARNING] == []


def test_the_crm_answers_a_client_that_left() -> None:
    grab = Grab()
    try:
        with serve(crm_app(CrmState(make_customers(5)))) as served:
            logging.getLogger("uvicorn.error").addHandler(grab)
            _hang_up_mid_body(served.url, b"GET /customers HTTP/1.1\r\nHost: x\r\n\r\n")
            time.sleep(0.2)
    finally:
        logging.getLogger("uvicorn.error").removeHandler(grab)
    assert [r.getMessage() for r in grab.records if r.levelno >= logging.WARNING] == []
