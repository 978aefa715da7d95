"""Presets for real APIs: `preset = "hubspot"` plus `credentials = { ... }` fills in a
connector's base URL, auth, rate limit and rate-limit headers, and the paging, record selector
and default parameters of the streams that pull from it. Anything the user writes wins.

Hooks: config.py calls `check_connector` (and `expand_streams` for a whole file); auth.py calls
`preset_auth`; the client asks `headroom_parser` how to read the rate-limit headers.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from .. import (
    oauth2,  # noqa: F401 - registers the oauth2_client_credentials auth builder
    oauth2_refresh,  # noqa: F401 - registers the oauth2_refresh_token auth builder
)
from ..auth import Auth
from . import autotask, chargebee, connectwise, hubspot, json_server, quickbooks, shopify, xero
from .base import Preset, generic_headroom

if TYPE_CHECKING:
    from ...config import ConnectorConfig, SyncConfig

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        hubspot.PRESET, shopify.PRESET, connectwise.PRESET, autotask.PRESET, chargebee.PRESET,
        xero.PRESET, quickbooks.PRESET, json_server.V1, json_server.V017,
    )
}  # fmt: skip
ENV = "env:"
_HOST_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]*$")  # a setting that goes into a host name


def known() -> str:
    return ", ".join(sorted(PRESETS))


def get(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown preset '{name}' (known: {known()})") from None


def check_connector(cfg: ConnectorConfig) -> ConnectorConfig:
    """Validate a connector's preset and credentials and fill in the preset's connector-level
    defaults. Raises ValueError with the fix in words (config.py turns it into a UserError)."""
    if cfg.preset is None:
        if cfg.credentials:
            raise ValueError(
                'credentials are read by a preset only; set preset = "..." '
                f"({known()}) or use auth = {{ ... }}"
            )
        return cfg
    p = get(cfg.preset)
    allowed = {c.key: c for c in p.credentials}
    for key in cfg.credentials:
        if key not in allowed:
            names = ", ".join(allowed) or "none"
            raise ValueError(f"the {p.name} preset has no credential '{key}' (it reads: {names})")
    has_base = "base_url" in cfg.model_fields_set and bool(cfg.base_url)
    uses_auth = "auth" in cfg.model_fields_set and cfg.auth.type != "none"
    for c in p.needed(has_base):
        if uses_auth and c.secret:
            continue
        if not cfg.credentials.get(c.key):
            example = f'"env:{p.name.upper()}_{c.key.upper()}"' if c.secret else '"..."'
            raise ValueError(
                f"the {p.name} preset needs credentials.{c.key} ({c.help}); "
                f"add credentials = {{ {c.key} = {example} }}"
            )
    for key, value in cfg.credentials.items():
        if key.endswith("_url") and not value.startswith((ENV, "secret:")):
            from ...config_http import http_url

            try:
                http_url(value)
            except ValueError as exc:
                raise ValueError(f"credentials.{key}: {exc}") from None
        if allowed[key].secret and not value.startswith((ENV, "secret:")):
            var = f"{p.name.upper()}_{key.upper()}"
            raise ValueError(
                f"credentials.{key} is a secret written in the file; write "
                f'{key} = "env:{var}" and export {var} (secrets are never stored)'
            )
    if not has_base:
        fields = [f for _, f, _, _ in string.Formatter().parse(p.base_url) if f]
        for f in fields:
            if cfg.credentials.get(f, "").startswith(ENV):
                raise ValueError(f"credentials.{f} is part of the URL and must be plain text")
            if cfg.credentials.get(f) and not _HOST_PART.match(cfg.credentials[f]):
                raise ValueError(
                    f"credentials.{f} is part of the URL's host name: use letters, digits, "
                    f"dots and dashes only (got {cfg.credentials.get(f, '')!r})"
                )
        cfg.base_url = p.base_url.format(**{f: cfg.credentials.get(f, "") for f in fields})
    if "rate_limit" not in cfg.model_fields_set and p.requests_per_second:
        cfg.rate_limit = type(cfg.rate_limit)(
            requests_per_second=p.requests_per_second, concurrency=p.concurrency
        )
    for k, v in p.headers.items():
        cfg.headers.setdefault(k, v)
    return cfg


def expand_streams(cfg: SyncConfig) -> SyncConfig:
    """Give the streams of services whose source has a preset that preset's paging, record
    selector, method, body and default parameters, wherever the user wrote none."""
    from ...config import PaginatorConfig

    adapter: TypeAdapter[Any] = TypeAdapter(PaginatorConfig)
    for svc in cfg.services.values():
        dst = cfg.connectors.get(svc.destination)
        if dst is not None and dst.preset is not None:
            for stream in svc.streams:
                if stream.push is not None:
                    stream.push = push_for(get(dst.preset), stream.push)
        src = cfg.connectors.get(svc.source)
        if src is None or src.preset is None:
            continue
        p = get(src.preset)
        for stream in svc.streams:
            pull = stream.pull
            given = pull.model_fields_set
            if "paginator" not in given:
                pull.paginator = adapter.validate_python(dict(p.paginator))
            if "data_selector" not in given:
                pull.data_selector = p.selector_for(pull.path)
            if "method" not in given and p.method != pull.method:
                pull.method = p.method  # type: ignore[assignment]
            if "json_body" not in given and p.json_body is not None and pull.method == "POST":
                pull.json_body = dict(p.json_body)
            for k, v in p.params.items():
                if k not in pull.params:
                    pull.params[k] = v
    return cfg


def push_for(p: Preset, push: Any) -> Any:
    """The stream's push with the destination preset's defaults for the keys it does not set,
    checked again as a whole; a batch over the API's limit is refused in words."""
    if push.batch is not None and p.batch_limit and push.batch.size > p.batch_limit:
        raise ValueError(
            f"batch.size {push.batch.size} is over what the {p.title} API takes in one call "
            f"({p.batch_limit}); set batch.size to {p.batch_limit} or less"
        )
    if p.push_defaults is None:
        return push
    given = push.model_fields_set
    if "body" in given or "batch" in given:
        given = given | {"encoding"}  # an envelope or a batch is JSON: keep it
    extra = {k: v for k, v in p.push_defaults(push.create, push.update).items() if k not in given}
    if not extra:
        return push
    data = push.model_dump(exclude_unset=True, by_alias=True) | extra
    return type(push).model_validate(data)


def preset_auth(name: str, cfg: ConnectorConfig, environ: dict[str, str] | None = None) -> Auth:
    """The preset's auth with the credentials' env: references resolved (run time only)."""
    from ...config import resolve

    p = get(cfg.preset or "")
    creds = {
        c.key: resolve(cfg.credentials.get(c.key, ""), f"connectors.{name}.credentials.{c.key}",
                       environ) if cfg.credentials.get(c.key) else ""
        for c in p.credentials
    }  # fmt: skip
    creds["__connector"] = name  # an OAuth refresh token is kept under the connector's name
    return p.auth(creds)


def headroom_parser(cfg: ConnectorConfig) -> Callable[[Mapping[str, str]], float | None]:
    if cfg.preset and cfg.preset in PRESETS:
        return PRESETS[cfg.preset].headroom
    return generic_headroom


def test_path(cfg: ConnectorConfig) -> str | None:
    if cfg.preset and cfg.preset in PRESETS:
        return PRESETS[cfg.preset].test_path
    return None


__all__ = [
    "PRESETS", "Preset", "check_connector", "expand_streams", "generic_headroom", "get",
    "headroom_parser", "preset_auth", "test_path",
]  # fmt: skip
