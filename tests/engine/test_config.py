"""The TOML: the issue's example loads as written; bad input names the file, the key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import PageNumber, check_secrets, load_config, parse_config
from core.config_io import to_toml
from core.errors import UserError

EXAMPLE = Path(__file__).parents[2] / "examples" / "customers.toml"

BASE = """
[connectors.a]
base_url = "http://x"
[services.s]
source = "a"
destination = "a"
[[services.s.streams]]
name = "x"
"""


def test_issue_example_loads_as_written():
    cfg, text = load_config(EXAMPLE)
    assert 'auth = { type = "bearer", token = "env:CRM_TOKEN" }' in text
    crm = cfg.connectors["crm"]
    assert crm.auth.type == "bearer" and crm.auth.token == "env:CRM_TOKEN"
    assert crm.rate_limit.requests_per_second == 20 and crm.rate_limit.concurrency == 4
    svc = cfg.services["customers"]
    assert svc.schedule == "*/15 * * * *" and svc.cooldown_minutes == 60
    s = svc.streams[0]
    assert isinstance(s.pull.paginator, PageNumber) and s.pull.paginator.total_path == "pages"
    assert s.push.update == "PATCH /accounts/{id}" and s.fields["email"].required
    assert s.fields["name"].from_ == "company.name"
    assert svc.lookups["plans"] == {"gold": "premium", "silver": "standard"}


def test_export_round_trips():
    cfg, _ = load_config(EXAMPLE)
    assert parse_config(to_toml(cfg), "exported") == cfg


@pytest.mark.parametrize(
    ("text", "where", "fix"),
    [
        ("x = ", "not valid TOML", "syntax"),
        (
            '[connectors.a]\nbase_url = "http://x"\nbase_ulr = "y"',
            "connectors.a.base_ulr: unknown key",
            "spelling",
        ),
        (
            BASE + 'pull = { path = "/", paginator = { type = "offset" } }',
            "services.s.streams[0].pull.paginator.limit: required key is missing",
            "Add the key",
        ),
        (
            BASE + 'pull = { path = "/", paginator = { type = "pages" } }',
            "services.s.streams[0].pull.paginator: unknown type 'pages'",
            "page_number",
        ),
        (
            BASE.replace('destination = "a"', 'destination = "erp"') + 'pull = { path = "/" }',
            "names destination 'erp', which is not a connector",
            "Correct",
        ),
        (
            BASE + 'pull = { path = "/" }\nfields = { a = { from = "b", lookup = "plans" } }',
            "uses lookup 'plans', which is not declared",
            "Correct",
        ),
        (
            BASE + 'pull = { path = "/" }\npush = { create = "SEND /x" }',
            "is not 'METHOD /path'",
            "Correct",
        ),
        (
            BASE + 'pull = { path = "/" }\nfields = { a = { from = "b", transforms = ["shout"] } }',
            "unknown transform 'shout'",
            "Correct",
        ),
    ],
)
def test_bad_input_names_file_key_and_fix(text, where, fix):
    with pytest.raises(UserError) as err:
        parse_config(text, "sync.toml")
    assert err.value.message.startswith("sync.toml: ")
    assert where in err.value.message
    assert fix in err.value.hint


def test_unset_env_variable_is_named():
    cfg, _ = load_config(EXAMPLE)
    with pytest.raises(UserError) as err:
        check_secrets(cfg, "customers.toml", {})
    assert "connectors.crm.auth.token" in err.value.message and "CRM_TOKEN" in err.value.message
    check_secrets(cfg, "customers.toml", {"CRM_TOKEN": "x"})  # set: fine


def test_literal_secret_is_refused():
    cfg = parse_config(
        '[connectors.a]\nbase_url = "http://x"\nauth = { type = "bearer", token = "abc" }'
    )
    with pytest.raises(UserError) as err:
        check_secrets(cfg, "f.toml", {})
    assert "env:A_TOKEN" in err.value.hint


def test_missing_file():
    with pytest.raises(UserError) as err:
        load_config("/nonexistent/sync.toml")
    assert "No config file" in err.value.message
