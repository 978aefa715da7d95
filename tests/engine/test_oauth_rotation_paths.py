"""A refresh token rotated anywhere (a test of an unsaved connector in the form, `config import
--test`, a run, a worker next door) is the one the connector uses next, whatever reference its
config holds: the env: variable or the value the user typed still names the revoked token, and
must lead to its successor. Two workers refreshing at once: one rotation wins, the other uses
the winner's token. Against the rotating token endpoint of test_oauth_refresh_e2e (each refresh
token works once) on 127.0.0.1."""

from __future__ import annotations

import asyncio

import pytest

from core.actions import check_connection
from core.config import parse_config
from core.config_io import apply, import_file
from core.connector_check import check_file_connectors, save_connector
from core.engine.runner import run_service
from core.models import RunStatus
from core.sandbox import serve
from core.secrets import read_secrets
from core.store import open_store

from .test_oauth_refresh_e2e import ENV, TOML, Identity
from .vendor_app import VendorState, make_people, vendor_app

# the same world with the Xero preset (its test GET /Organisation needs a valid access token)
_AUTH = TOML[TOML.index("[connectors.xero.auth]") : TOML.index("[services.svc]")]
PRESET_TOML = TOML.replace(
    _AUTH,
    """preset = "xero"
[connectors.xero.credentials]
tenant_id = "tenant-1"
client_id = "env:XERO_CLIENT_ID"
client_secret = "env:XERO_CLIENT_SECRET"
refresh_token = "env:XERO_REFRESH_TOKEN"
token_url = "{idp}/connect/token"
""",
)


@pytest.fixture
def servers(tmp_path, monkeypatch):
    monkeypatch.setenv("SYNCDECK_CONFIG_DIR", str(tmp_path / "conf"))
    idp = Identity()
    state = VendorState(people=make_people(2))
    with serve(idp.app()) as a, serve(vendor_app(state)) as b:
        yield idp, state, a.url, b.url


def _used(idp: Identity) -> list[str]:
    return [g.get("refresh_token", "") for g in idp.grants]


def _form(idp_url: str, name: str, refresh_token: str) -> dict[str, str]:
    """The console's connector form for a Xero connector (the preset; its token endpoint is the
    loopback one)."""
    return {
        "name": name,
        "preset": "xero",
        "base_url": f"{idp_url}/api.xro/2.0",
        "cred.tenant_id": "tenant-1",
        "cred.client_id": "cid",
        "cred.client_secret": "env:XERO_CLIENT_SECRET",
        "cred.refresh_token": refresh_token,
        "cred.token_url": f"{idp_url}/connect/token",
    }


@pytest.mark.parametrize("typed", ["rt-1", "env:XERO_REFRESH_TOKEN"])
async def test_form_test_of_a_new_connector_then_its_next_use(tmp_path, servers, typed):
    idp, _, idp_url, _ = servers
    store = await open_store(tmp_path / "s.db")
    try:
        # saving tests the unsaved connector first: rt-1 is rotated to rt-2 at the vendor
        await save_connector(store, _form(idp_url, "xero2", typed), environ=ENV)
        assert _used(idp) == ["rt-1"]
        check = await check_connection(store, "xero2", environ=ENV)
        assert check.ok, check.reason
        assert _used(idp) == ["rt-1", "rt-2"]
    finally:
        await store.close()
    assert "rt-" not in (tmp_path / "s.db").read_bytes().decode("latin-1")


async def test_form_edit_retyping_the_token_keeps_the_rotated_one(tmp_path, servers):
    idp, _, idp_url, src_url = servers
    text = TOML.format(src=src_url, idp=idp_url)
    store = await open_store(tmp_path / "s.db")
    try:
        await apply(store, parse_config(text, "t.toml"), text)
        await save_connector(store, _form(idp_url, "xero", "rt-1"), editing="xero", environ=ENV)
        assert _used(idp) == ["rt-1"]  # the test before the save rotated rt-1 -> rt-2
        r = await run_service(store, "svc", environ=ENV)
        assert r.status == RunStatus.SUCCESS, r.message
        assert _used(idp) == ["rt-1", "rt-2"]
    finally:
        await store.close()


async def test_config_import_test_then_run(tmp_path, servers):
    idp, _, idp_url, src_url = servers
    path = tmp_path / "sync.toml"
    path.write_text(PRESET_TOML.format(src=src_url, idp=idp_url))
    checks = await check_file_connectors(str(path), environ=ENV)  # rotates rt-1 -> rt-2
    assert all(c.ok for c in checks), [c.reason for c in checks]
    store = await open_store(tmp_path / "s.db")
    try:
        await import_file(store, path, ENV)  # the file still says env:XERO_REFRESH_TOKEN
        r = await run_service(store, "svc", environ=ENV)
        assert r.status == RunStatus.SUCCESS, r.message
        assert _used(idp) == ["rt-1", "rt-2"]
    finally:
        await store.close()


async def test_reimporting_the_file_after_a_rotation(tmp_path, servers):
    idp, state, idp_url, src_url = servers
    text = TOML.format(src=src_url, idp=idp_url)
    store = await open_store(tmp_path / "s.db")
    try:
        await apply(store, parse_config(text, "t.toml"), text)
        assert (await run_service(store, "svc", environ=ENV)).status == RunStatus.SUCCESS
        await apply(store, parse_config(text, "t.toml"), text)  # the TOML in git, again
        state.people[0]["person"]["name"] = "Renamed"
        r = await run_service(store, "svc", environ=ENV)
        assert r.status == RunStatus.SUCCESS, r.message
        assert _used(idp) == ["rt-1", "rt-2"]
    finally:
        await store.close()


async def test_two_workers_refreshing_at_once_both_succeed(tmp_path, servers):
    idp, _, idp_url, src_url = servers
    idp.delay = 0.3  # both refreshes are in flight together
    text = PRESET_TOML.format(src=src_url, idp=idp_url)
    store = await open_store(tmp_path / "s.db")
    try:
        await apply(store, parse_config(text, "t.toml"), text)
        a, b = await asyncio.gather(
            check_connection(store, "xero", environ=ENV),
            check_connection(store, "xero", environ=ENV),
        )
        assert a.ok and b.ok, (a.reason, b.reason)
        assert sorted(_used(idp)) == ["rt-1", "rt-2"]  # one rotation each, in turn
        assert read_secrets()["xero.refresh_token"] == "rt-3"
    finally:
        await store.close()


async def test_the_loser_of_a_refresh_race_uses_the_winners_token(tmp_path, servers):
    """Another host (sharing the secrets file) rotated rt-1 while our refresh with rt-1 was on
    the wire: the vendor refuses ours; we re-read the stored token and refresh with it."""
    from core.secrets import store_rotation

    idp, _, idp_url, src_url = servers
    text = PRESET_TOML.format(src=src_url, idp=idp_url)

    def other_host_wins(rt: str) -> None:
        if rt == "rt-1" and "rt-2" not in idp.valid:
            idp.valid.discard("rt-1")
            idp.valid.add(f"rt-{next(idp.n)}")
            store_rotation("xero.refresh_token", "rt-1", "rt-2")

    idp.before = other_host_wins
    store = await open_store(tmp_path / "s.db")
    try:
        await apply(store, parse_config(text, "t.toml"), text)
        check = await check_connection(store, "xero", environ=ENV)
        assert check.ok, check.reason
        assert _used(idp) == ["rt-1", "rt-2"]
    finally:
        await store.close()
