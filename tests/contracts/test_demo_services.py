"""Every demo service (core/demo/configs.py), run end to end twice (creates, then updates)
through the real engine, with each request checked against the vendor's OpenAPI document: a
request the spec refuses fails the test, and each stream's writes must have been sent."""

from __future__ import annotations

import warnings

import pytest

from core.config import config_from_dict
from core.config_io import apply
from core.demo.catalogue import SERVICES
from core.demo.configs import CONNECTOR_CONFIGS
from core.engine.runner import run_service
from core.store import open_store

from .contract_kit import SpecTransport
from .vendors import World, vendors

ENV = {
    var: "x-" + var.lower()
    for var in (
        "CW_PUBLIC_KEY", "CW_PRIVATE_KEY", "CW_CLIENT_ID", "AUTOTASK_USERNAME", "AUTOTASK_SECRET",
        "AUTOTASK_INTEGRATION_CODE", "HUBSPOT_PRIVATE_APP_TOKEN", "SHOPIFY_ACCESS_TOKEN",
        "XERO_CLIENT_ID", "XERO_CLIENT_SECRET", "CHARGEBEE_API_KEY", "QBO_ACCESS_TOKEN",
        "QBO_CLIENT_ID", "QBO_CLIENT_SECRET", "QBO_REFRESH_TOKEN", "XERO_REFRESH_TOKEN",
    )
}  # fmt: skip


def _bases() -> dict[str, str]:
    cfg = config_from_dict({"connectors": CONNECTOR_CONFIGS})
    return {name: c.base_url for name, c in cfg.connectors.items()}


@pytest.mark.parametrize("svc", SERVICES, ids=[s.name for s in SERVICES])
async def test_demo_service_requests_are_valid_per_the_vendor_spec(tmp_path, svc):
    warnings.filterwarnings("ignore", "Unsupported scheme type")
    config = dict(svc.config)
    config.update(enabled=True, schedule=None, cooldown_minutes=0)
    cfg = config_from_dict(
        {
            "connectors": {n: CONNECTOR_CONFIGS[n] for n in (svc.source, svc.destination)},
            "services": {svc.name: config},
        }
    )
    store = await open_store(tmp_path / "s.db")
    world = World()
    transport = SpecTransport(vendors(world, _bases()))
    try:
        await apply(store, cfg, "")
        first = await run_service(store, svc.name, environ=ENV, transport=transport)
        world.version = 2
        second = await run_service(store, svc.name, environ=ENV, transport=transport)
    finally:
        await store.close()
    assert transport.refused == [], "\n".join(transport.refused)
    streams = cfg.services[svc.name].streams
    assert (first.created, first.failed) == (len(streams), 0), first.message
    assert (second.updated, second.failed) == (len(streams), 0), second.message
