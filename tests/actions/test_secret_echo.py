"""A token endpoint or API that echoes the credentials back must not get them into the store,
the CLI's output or its logs: in no encoding (raw, URL-encoded with %20 or +, JSON-escaped,
base64 of basic auth)."""

from __future__ import annotations

import base64
import json
import sqlite3
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from ops_helpers import make_store
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from core.cli import main
from core.sandbox import Served

SECRET = 's3cr"t v/al+ü&x=1'
CLIENT_ID = "cid-4711"


def encodings(secret: str) -> list[str]:
    """Every form a secret was seen leaking in."""
    return [
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        quote(secret, safe="").lower(),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        base64.b64encode(f"{CLIENT_ID}:{secret}".encode()).decode(),
    ]


def leaked(text: str) -> list[str]:
    return [form for form in encodings(SECRET) if form in text]


def _echo_app(mode: str) -> Starlette:
    async def token(request: Request) -> Response:
        form = (await request.body()).decode()
        auth = request.headers.get("authorization", "")
        if mode == "form400":
            return PlainTextResponse(f"invalid_client: {form} {auth}", status_code=400)
        if mode == "json400":
            got = dict(request.query_params)
            from urllib.parse import parse_qsl

            got.update(parse_qsl(form))
            return JSONResponse({"error": "invalid_client", "received": got, "auth": auth}, 401)
        return JSONResponse({"no_token_here": form, "auth": auth})  # 200 without a token

    async def things(request: Request) -> Response:
        return JSONResponse({"error": "no token"}, 401)

    return Starlette(routes=[Route("/token", token, methods=["POST"]), Route("/things", things)])


def _config(url: str, client_auth: str) -> str:
    return f"""
[connectors.api]
base_url = "{url}"

[connectors.api.auth]
type = "oauth2_client_credentials"
token_url = "{url}/token"
client_id = "{CLIENT_ID}"
client_secret = "env:API_SECRET"
client_auth = "{client_auth}"
"""


def _everything(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("mode", "client_auth"),
    [("form400", "body"), ("json400", "body"), ("ok_no_token", "body"), ("form400", "basic")],
)
def test_echoed_client_secret_never_stored_or_printed(
    tmp_path, capsys, monkeypatch, mode, client_auth
) -> None:
    monkeypatch.setenv("API_SECRET", SECRET)
    with Served(_echo_app(mode)) as served:
        db = make_store(tmp_path, _config(served.url, client_auth), {"API_SECRET": SECRET})
        for args in (["connectors", "test", "api"], ["connectors", "test", "api", "--json"]):
            assert main([*args, "--db", str(db)]) == 1
            out = capsys.readouterr()
            assert "test is not successful" in out.err or '"ok": false' in out.out
            assert leaked(out.out + out.err) == []
    assert leaked(_everything(db)) == []
    for args in (["logs", "--json"], ["logs", "--search", "client"], ["stats", "--json"]):
        assert main([*args, "--db", str(db)]) == 0
        out = capsys.readouterr()
        assert leaked(out.out + out.err) == []
