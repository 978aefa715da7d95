"""Each preset's common errors (401/403/404/409/422/429) have troubleshooting in its words."""

from __future__ import annotations

from core.connectors.presets import PRESETS
from core.troubleshooting import lookup
from core.troubleshooting_vendors import vendor_code, vendors


def test_every_real_preset_has_its_six_errors():
    real = {p for p in PRESETS if not p.startswith("json_server")}
    assert set(vendors()) == real
    for preset in real:
        for status in (401, 403, 404, 409, 422, 429):
            trouble = lookup(vendor_code(preset, status, None))
            assert trouble is not None and trouble.actions, (preset, status)


def test_vendor_code_prefers_the_vendor_and_maps_400_to_validation():
    assert vendor_code("xero", 400, "http_500") == "xero_422"
    assert lookup(vendor_code("hubspot", 429, "http_429")).title.startswith("HubSpot")
    assert vendor_code(None, 429, "http_429") == "http_429"
    assert vendor_code("json_server", 404, None) is None
