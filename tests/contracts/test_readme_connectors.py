"""The README's connector TOML is a valid configuration (what a user copies must load)."""

from __future__ import annotations

import re
from pathlib import Path

from core.config import parse_config

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_connector_block_is_valid():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Connectors: presets") :]
    block = re.search(r"```toml\n(.*?)```", section, re.S)
    assert block is not None
    cfg = parse_config(block.group(1), "README.md")
    assert {c.preset for c in cfg.connectors.values()} == {
        "hubspot", "connectwise", "autotask", "chargebee", "shopify", "xero", "quickbooks",
    }  # fmt: skip
