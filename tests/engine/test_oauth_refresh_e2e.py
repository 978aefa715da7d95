"""OAuth2 with rotating refresh tokens against a real token endpoint and API on 127.0.0.1: the
rotated refresh token goes to the secrets file and the config holds its secret: reference (the
value never reaches the store); a refused refresh token stops the run with the "Expired OAuth
token" troubleshooting, whose fix is to reconnect."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from core.config import parse_config
from core.config_io import apply
from core.engine.runner import run_service
from core.models import RunStatus
from core.sandbox import serve
from core.secrets import read_secrets
from core.store import open_store
from core.troubleshooting import lookup

from .vendor_app import VendorState, make_people, vendor_app


class Identity:
    """A token endpoint that rotates: each refresh token works once."""

    def __init__(self) -> None:
        self.valid = {"rt-1"}
        self.access: set[str] = set()
        self.n = itertools.count(2)
        self.grants: list[dict[str, str]] = []
        self.delay = 0.0  # seconds each token answer takes
        self.before: Callable[[str], None] | None = None  # runs as a refresh token arrives

    async def token(self, request: Request) -> JSONResponse:
        form = dict(p.split("=", 1) for p in (await request.body()).decode().split("&") if "=" in p)
        self.grants.append(form)
        rt = form.get("refresh_token", "")
        if self.before is not None:
            self.before(rt)
        if self.delay:
            await asyncio.sleep(self.delay)
        if form.get("grant_type") != "refresh_token" or rt not in self.valid:
            return JSONResponse({"error": "invalid_grant"}, 400)
        self.valid.discard(rt)
        n = next(self.n)
        self.valid.add(f"rt-{n}")
        self.access.add(f"at-{n}")
        return JSONResponse({"access_token": f"at-{n}", "expires_in": 1800,
                             "token_type": "Bearer", "refresh_token": f"rt-{n}"})  # fmt: skip

    async def contacts(self, request: Request) -> JSONResponse:
        auth = request.headers.get("authorization", "")
        if auth.removeprefix("Bearer ") not in self.access:
            return JSONResponse({"Title": "Unauthorized", "Detail": "TokenExpired"}, 401)
        body = await request.json()
        return JSONResponse({"Contacts": [{**body["Contacts"][0], "ContactID": "c-1"}]})

    async def organisation(self, request: Request) -> JSONResponse:
        auth = request.headers.get("authorization", "")
        if auth.removeprefix("Bearer ") not in self.access:
            return JSONResponse({"Title": "Unauthorized", "Detail": "TokenExpired"}, 401)
        return JSONResponse({"Organisations": [{"Name": "Demo Ltd"}]})

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/connect/token", self.token, methods=["POST"]),
            Route("/api.xro/2.0/Organisation", self.organisation),
            Route("/api.xro/2.0/Contacts", self.contacts, methods=["PUT", "POST"]),
        ])  # fmt: skip


TOML = """
[connectors.src]
base_url = "{src}"
[connectors.xero]
base_url = "{idp}/api.xro/2.0"
[connectors.xero.auth]
type = "oauth2_refresh_token"
token_url = "{idp}/connect/token"
client_id = "env:XERO_CLIENT_ID"
client_secret = "env:XERO_CLIENT_SECRET"
refresh_token = "env:XERO_REFRESH_TOKEN"
[services.svc]
source = "src"
destination = "xero"
cooldown_minutes = 0
[[services.svc.streams]]
name = "people"
pull = {{ path = "/src/people", data_selector = "list[*].person" }}
[services.svc.streams.push]
create = "PUT /Contacts"
update = "POST /Contacts"
id_path = "Contacts.0.ContactID"
body = {{ wrap = "Contacts", as_list = true }}
[services.svc.streams.fields]
Name = {{ from = "name" }}
"""
ENV = {"XERO_CLIENT_ID": "cid", "XERO_CLIENT_SECRET": "csecret", "XERO_REFRESH_TOKEN": "rt-1"}


@pytest.fixture
def servers(tmp_path, monkeypatch):
    monkeypatch.setenv("SYNCDECK_CONFIG_DIR", str(tmp_path / "conf"))
    idp = Identity()
    state = VendorState(people=make_people(2))
    with serve(idp.app()) as a, serve(vendor_app(state)) as b:
        yield idp, state, a.url, b.url


def _stored_text(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


async def test_rotated_refresh_token_is_kept_as_a_secret_reference(tmp_path, servers):
    idp, state, idp_url, src_url = servers
    text = TOML.format(src=src_url, idp=idp_url)
    db = tmp_path / "s.db"
    store = await open_store(db)
    try:
        await apply(store, parse_config(text, "t.toml"), text)
        r1 = await run_service(store, "svc", environ=ENV)
        assert (r1.status, r1.created) == (RunStatus.SUCCESS, 2), r1.message
        assert idp.grants[0]["refresh_token"] == "rt-1"
        assert read_secrets()["xero.refresh_token"] == "rt-2"
        cfg = await store.connector_config("xero")
        assert cfg["auth"]["refresh_token"] == "secret:xero.refresh_token"
        # the second run refreshes with the rotated token (rt-1 no longer works)
        state.people[0]["person"]["name"] = "Renamed"
        r2 = await run_service(store, "svc", environ=ENV)
        assert r2.status == RunStatus.SUCCESS, r2.message
        assert [g["refresh_token"] for g in idp.grants] == ["rt-1", "rt-2"]
        assert read_secrets()["xero.refresh_token"] == "rt-3"
    finally:
        await store.close()
    stored = _stored_text(db)
    for value in (b"rt-1", b"rt-2", b"rt-3", b"at-2", b"csecret"):
        assert value not in stored


async def test_a_refused_refresh_token_is_expired_oauth_with_reconnect(tmp_path, servers):
    idp, state, idp_url, src_url = servers
    idp.valid.clear()  # revoked
    text = TOML.format(src=src_url, idp=idp_url)
    store = await open_store(tmp_path / "s.db")
    try:
        await apply(store, parse_config(text, "t.toml"), text)
        r = await run_service(store, "svc", environ=ENV)
        assert r.status == RunStatus.FAILED
        assert r.message.startswith("Expired OAuth token") and "Reconnect" in r.message
        logs = (await store.list_logs(run_id=r.run_id)).items
        codes = {e.code for e in logs}
        assert "oauth_expired" in codes
        trouble = lookup("oauth_expired")
        assert trouble is not None and "Reconnect" in trouble.actions[0]
        assert state.store == {}  # nothing written
    finally:
        await store.close()


async def test_connection_test_keeps_the_rotated_token_too(tmp_path, servers):
    from core.actions import check_connection

    idp, state, idp_url, src_url = servers
    text = TOML.format(src=src_url, idp=idp_url)
    store = await open_store(tmp_path / "s.db")
    try:
        await apply(store, parse_config(text, "t.toml"), text)
        await check_connection(store, "xero", environ=ENV)  # rotates rt-1 -> rt-2
        cfg = await store.connector_config("xero")
        assert cfg["auth"]["refresh_token"] == "secret:xero.refresh_token"
        r = await run_service(store, "svc", environ=ENV)  # rt-1 is dead: rt-2 must be used
        assert r.status == RunStatus.SUCCESS, r.message
        assert [g["refresh_token"] for g in idp.grants] == ["rt-1", "rt-2"]
    finally:
        await store.close()
