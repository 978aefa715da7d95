"""Every connector and service the demo history writes holds a valid config per core/config.py:
read back the way `syncdeck config export` and the Mappings screen read it."""

from __future__ import annotations

import tomllib
from pathlib import Path

from core import admin_mapping
from core.config import SECRET_FIELDS, ConnectorConfig, ServiceConfig, parse_config
from core.config_io import current, export_text
from core.connectors.presets import PRESETS
from core.demo import seed_history
from core.store import open_store

NOW = 1_750_000_000.0


async def test_every_stored_demo_config_validates(tmp_path: Path) -> None:
    store = await open_store(tmp_path / "demo.db")
    try:
        await seed_history(store, scale=0.05, seed=7, now=NOW)
        connectors = await store.list_connectors()
        services = await store.list_services()
        assert len(connectors) == 8 and len(services) == 6
        for c in connectors:
            cfg = ConnectorConfig.model_validate(await store.connector_config(c.name))
            assert cfg.base_url.startswith("http")
            secrets = {k: v for k, v in cfg.auth.model_dump().items() if k in SECRET_FIELDS}
            if cfg.preset:
                secret = {c.key for c in PRESETS[cfg.preset].credentials if c.secret}
                secrets |= {k: v for k, v in cfg.credentials.items() if k in secret}
            for key, value in secrets.items():
                assert value.startswith("env:"), f"{c.name}.{key} is not an env: reference"
        for s in services:
            cfg = ServiceConfig.model_validate(await store.service_config(s.name))
            assert (cfg.source, cfg.destination) == (s.source, s.destination)
            for stream in cfg.streams:
                assert stream.push is not None and stream.fields, f"{s.name}.{stream.name}"
                assert any(f.required for f in stream.fields.values())
            # the Mappings screen: every stream's field grid opens
            for stream in cfg.streams:
                view = await admin_mapping.mapping_view(store, s.name, stream.name)
                assert view.stream == stream.name and len(view.rows) == len(stream.fields)
            for name in cfg.lookups:  # lookups used by fields are declared (validated above)
                assert name in {f.lookup for st in cfg.streams for f in st.fields.values()}
        # `syncdeck config export`: the whole store validates, exports, and re-imports
        whole = await current(store)
        assert set(whole.services) == {s.name for s in services}
        text = await export_text(store)
        again = parse_config(text, "export")
        assert set(again.connectors) == {c.name for c in connectors}
        exported = tomllib.loads(text)
        plans = exported["services"]["chargebee-to-connectwise"]["lookups"]["plans"]
        assert plans["silver"] == "Managed Services - Silver" and "bronze" not in plans
        assert 'client_secret = "env:XERO_CLIENT_SECRET"' in text
    finally:
        await store.close()


def test_a_demo_connector_to_a_preset_api_uses_the_preset() -> None:
    """Xero and QuickBooks Online have presets: the demo's connectors to them use them (the
    refresh-token auth, the envelopes and SyncToken defaults), as every other vendor's do."""
    import re

    from core.demo.catalogue import CONNECTORS

    def host(url: str) -> str:
        return url.split("/")[2]

    patterns = {  # the preset's host; a {setting} in it matches any name
        name: re.compile(re.sub(r"\\\{\w+\\\}", "[^/.]+", re.escape(host(p.base_url))) + "$")
        for name, p in PRESETS.items()  # ConnectWise's host is all the user's: left out
        if p.base_url.startswith("https://") and not re.fullmatch(r"\{\w+\}", host(p.base_url))
    }
    checked = 0
    for c in CONNECTORS:
        for name, pattern in patterns.items():
            if pattern.match(host(c.config["base_url"])):
                assert c.config.get("preset") == name == c.preset, c.name
                checked += 1
    assert checked >= 6  # HubSpot, Shopify, Autotask, Chargebee, Xero, QuickBooks
