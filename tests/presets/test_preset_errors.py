"""Bad preset input is one clear UserError (exit 2) naming the key and the fix."""

from __future__ import annotations

import pytest

from core.config import parse_config
from core.errors import UserError


@pytest.mark.parametrize(
    ("connector", "words"),
    [
        ('preset = "hubspt"', "unknown preset 'hubspt'"),
        ('preset = "hubspot"', "needs credentials.token"),
        ('preset = "shopify"\ncredentials = { access_token = "env:T" }', "credentials.shop"),
        ('preset = "hubspot"\ncredentials = { token = "pat-123" }', "secret written in the file"),
        ('preset = "hubspot"\ncredentials = { token = "env:T", tokn = "x" }', "no credential"),
        ('base_url = "http://a"\ncredentials = { token = "env:T" }', "read by a preset only"),
    ],
)
def test_bad_presets(connector: str, words: str) -> None:
    with pytest.raises(UserError) as err:
        parse_config(f"[connectors.x]\n{connector}\n", "sync.toml")
    assert words in str(err.value)
    assert "sync.toml: connectors.x" in str(err.value)


def test_validate_file_refuses_unknown_preset(tmp_path) -> None:
    from core.config_io import validate_file

    f = tmp_path / "sync.toml"
    f.write_text('[connectors.x]\npreset = "nope"\n')
    with pytest.raises(UserError) as err:
        validate_file(f, {})
    assert err.value.exit_code == 2
    assert "unknown preset 'nope'" in str(err.value)


def test_missing_env_for_preset_credentials() -> None:
    from core.config import check_secrets

    cfg = parse_config('[connectors.x]\npreset = "hubspot"\ncredentials = { token = "env:NOPE" }')
    with pytest.raises(UserError) as err:
        check_secrets(cfg, "sync.toml", {})
    assert "connectors.x.credentials.token" in str(err.value)
