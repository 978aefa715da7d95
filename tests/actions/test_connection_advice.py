"""A failed connection test gives advice that fits the cause: a refused connection is not told
to "verify each credential"; DNS, refused, TLS, timeout, 401 and 403 each have their own."""

from __future__ import annotations

import json
import socket

import pytest
from ops_helpers import config_text, make_store, sandbox

from core.cli import main
from core.sandbox import Faults

BEARER = 'auth = { type = "bearer", token = "env:CRM_TOKEN" }'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def probe(tmp_path, capsys, text: str) -> dict:  # noqa: ANN001
    db = make_store(tmp_path, text, {"CRM_TOKEN": "x"})
    assert main(["connectors", "test", "crm", "--db", str(db), "--json"]) == 1
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("cause", "url", "words"),
    [
        ("refused", "http://127.0.0.1:{port}", "port and scheme"),
        ("dns", "http://no-such-host.invalid", "host name"),
        ("tls", "https://127.0.0.1:{crm_port}", "certificate"),
    ],
)
def test_network_causes_get_their_own_advice(tmp_path, capsys, cause, url, words) -> None:  # noqa: ANN001
    with sandbox(1) as sb:
        crm_port = sb.crm_url.rsplit(":", 1)[1]
        base = url.format(port=free_port(), crm_port=crm_port)
        doc = probe(tmp_path, capsys, config_text(sb).replace(sb.crm_url, base, 1))
    assert doc["ok"] is False
    assert words in doc["hint"], (cause, doc)
    assert "credential" not in doc["hint"], (cause, doc)


def test_timeout_advice(tmp_path, capsys) -> None:  # noqa: ANN001
    with sandbox(1, Faults(latency_ms=1500)) as sb:
        text = config_text(sb).replace(f'base_url = "{sb.crm_url}"',
                                       f'base_url = "{sb.crm_url}"\ntimeout = 0.3', 1)  # fmt: skip
        doc = probe(tmp_path, capsys, text)
    assert "timed out" in doc["reason"]
    assert "timeout" in doc["hint"] and "credential" not in doc["hint"]


@pytest.mark.parametrize(("status", "words"), [(401, "credentials"), (403, "security level")])
def test_auth_statuses_get_their_own_advice(tmp_path, capsys, monkeypatch, status, words) -> None:  # noqa: ANN001
    monkeypatch.setenv("CRM_TOKEN", "x")
    faults = Faults(token="right") if status == 401 else Faults(fail_next=[403])
    with sandbox(1, faults) as sb:
        doc = probe(tmp_path, capsys, config_text(sb, crm_auth=BEARER))
    assert f"HTTP {status}" in doc["reason"] and words in doc["hint"], doc
