"""Bad configuration is refused when it is read, in words naming the key, never with a traceback;
and what the validator accepts the engine can run (the same transform models serve both)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.config import config_from_dict, parse_config
from core.errors import UserError
from core.mapping.transforms import chain

HEAD = """
[connectors.a]
base_url = "http://127.0.0.1:9"
[connectors.b]
base_url = "http://127.0.0.1:9"
[services.s]
source = "a"
destination = "b"
[[services.s.streams]]
name = "x"
pull = { path = "/x" }
push = { create = "POST /y" }
[services.s.streams.fields]
"""


def field(transforms: str) -> str:
    return HEAD + f'f = {{ from = "a", transforms = [{transforms}] }}\n'


@pytest.mark.parametrize(
    ("transforms", "words"),
    [
        ("{ cast = 5 }", "cast"),
        ('{ cast = "date" }', "cast"),
        ('{ replace = "x" }', "replace"),
        ('{ replace = { new = "y" } }', "old"),
        ('{ replace = { old = "" } }', "old"),
        ('{ split = "" }', "sep"),
        ('{ split = { sep = "" } }', "sep"),
        ('{ split = { sep = ",", index = "a" } }', "index"),
        ('{ split = { sep = ",", bogus = 1 } }', "bogus"),
        ("{ date = 5 }", "date"),
        ("{ date = { tz = 5 } }", "tz"),
        ('{ date = { tz = "Mars/Olympus" } }', "Mars/Olympus"),
        ('{ date = { assume_tz = "Nowhere" } }', "Nowhere"),
        ("{ join = 5 }", "join"),
        ("{ join = { sep = [1] } }", "sep"),
        ("5", "transform"),
        ("{ trim = 1, lower = 2 }", "one-key"),
        ('"nope"', "nope"),
    ],
)
def test_bad_transform_arguments_are_refused_in_words(transforms: str, words: str) -> None:
    with pytest.raises(UserError) as info:
        parse_config(field(transforms))
    text = str(info.value)
    assert "services.s.streams[0].fields.f.transforms" in text and words in text, text


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://", "host"),
        ("https://", "host"),
        ("http://exa mple.com", "space"),
        ("http://example.com/a b", "space"),
        ("http://example.com:99999", "port"),
        ("http://example.com:abc", "port"),
        ("http://[::1", "not a valid URL"),
        ("http://exa\\u0007mple.com", "control"),
        ("ftp://example.com", "http://"),
    ],
)
def test_bad_base_urls_are_refused(url: str, words: str) -> None:
    text = f'[connectors.a]\nbase_url = "{url}"\n'
    with pytest.raises(UserError) as info:
        parse_config(text)
    assert "connectors.a.base_url" in str(info.value) and words in str(info.value), info.value


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ('{ "X A" = "b" }', "header name"),
        ('{ X-A = "é" }', "ASCII"),
        ('{ X-A = "a\\u0007" }', "ASCII"),
    ],
)
def test_headers_httpx_cannot_send_are_refused(headers: str, words: str) -> None:
    text = f'[connectors.a]\nbase_url = "http://x.example"\nheaders = {headers}\n'
    with pytest.raises(UserError, match=words):
        parse_config(text)


def test_bad_token_url_is_refused() -> None:
    text = (
        '[connectors.a]\nbase_url = "http://x.example"\n[connectors.a.auth]\n'
        'type = "oauth2_client_credentials"\ntoken_url = "https://"\nclient_id = "c"\n'
        'client_secret = "env:S"\n'
    )
    with pytest.raises(UserError, match="token_url"):
        parse_config(text)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('source = "a"', 'source = "a"\ncooldown_minutes = ' + '9' * 20, "cooldown_minutes"),
        ('name = "x"', 'name = "x"\nkey = ""', "key"),
        ('base_url = "http://127.0.0.1:9"\n[connectors.b]', 'base_url = "http://127.0.0.1:9"\n'
         "timeout = inf\n[connectors.b]", "timeout"),
        ('base_url = "http://127.0.0.1:9"\n[connectors.b]', 'base_url = "http://127.0.0.1:9"\n'
         "retry = { backoff_max = nan }\n[connectors.b]", "backoff_max"),
        ('base_url = "http://127.0.0.1:9"\n[connectors.b]', 'base_url = "http://127.0.0.1:9"\n'
         "rate_limit = { requests_per_second = 1e-300 }\n[connectors.b]", "requests_per_second"),
    ],
)  # fmt: skip
def test_numbers_that_would_overflow_or_hang_are_refused(old: str, new: str, key: str) -> None:
    assert old in HEAD
    with pytest.raises(UserError, match=key):
        parse_config(HEAD.replace(old, new, 1))


@pytest.mark.parametrize("depth", [50_000, 2_000])
def test_deeply_nested_arrays_are_one_clear_error(depth: int) -> None:
    text = "a = " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(UserError, match="nested"):
        parse_config(text)


def test_good_transform_options_still_load_and_run() -> None:
    cfg = parse_config(
        field('{ split = { sep = ";", index = 1 } }, "trim", { cast = "int" }').replace(
            "f = {", 'g = { from = "d", transforms = [{ date = { format = "%Y" } }] }\nf = {'
        )
    )
    spec = cfg.services["s"].streams[0].fields
    assert chain(spec["f"].transforms)("a; 42 ;c") == 42  # type: ignore[misc]
    assert chain(spec["g"].transforms)("2026-11-30T10:00:00") == "2026"  # type: ignore[misc]


# ---- properties ------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(allow_nan=True),
    st.text(max_size=8),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
names = st.sampled_from(
    ["trim", "lower", "int", "float", "bool", "string", "date", "replace", "split", "join",
     "concat", "default", "cast", "nope"]
)  # fmt: skip
option_keys = st.sampled_from(
    ["sep", "index", "strip", "old", "new", "to", "format", "input", "tz", "assume_tz", "x"]
)
options = st.one_of(values, st.dictionaries(option_keys, values, max_size=3))
transforms = st.lists(st.one_of(names, st.dictionaries(names, options, min_size=1, max_size=2)))


def _service(field_spec: object) -> dict:
    return {
        "connectors": {"a": {"base_url": "http://127.0.0.1:9"}},
        "services": {
            "s": {
                "source": "a",
                "destination": "a",
                "streams": [{"name": "x", "pull": {"path": "/x"}, "fields": {"f": field_spec}}],
            }
        },
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=transforms, record_value=values)
def test_any_transform_list_is_valid_and_runs_or_is_a_clear_error(specs, record_value) -> None:
    try:
        cfg = config_from_dict(_service({"from": "a", "transforms": specs}))
    except UserError as exc:
        assert "services.s.streams[0].fields.f" in str(exc)
        return
    fn = chain(cfg.services["s"].streams[0].fields["f"].transforms)
    if fn is not None:  # accepted: the engine compiles it, and a value fails only as TransformError
        from core.mapping.transforms import TransformError

        try:
            fn(record_value)
        except TransformError:
            pass


@settings(max_examples=200, deadline=None)
@given(data=st.dictionaries(st.text(max_size=10), values, max_size=4))
def test_any_document_is_a_config_or_a_clear_error(data) -> None:
    try:
        config_from_dict(data)
    except UserError:
        pass


@settings(max_examples=200, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(
            [*'[]{}="., \n#abc123-_', "base_url", "http://", "connectors", "services", "type"]
        ),
        max_size=40,
    ).map("".join)
)
def test_any_toml_ish_text_is_a_config_or_a_clear_error(text: str) -> None:
    try:
        parse_config(text)
    except UserError:
        pass
