"""The TOML configuration: connectors and services, validated by pydantic.

The vocabulary follows dlt's rest_api source (client, auth, paginator, data_selector). Every model
forbids unknown keys; `load_config` turns any problem into one UserError that names the file, the
key path and the fix. Secrets are `env:NAME` references, resolved at run time only (`resolve`).
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .config_http import http_headers, http_url
from .config_oauth import OAuth2RefreshTokenAuth
from .config_push import Push, parse_endpoint  # noqa: F401 - parse_endpoint is re-exported
from .errors import UserError

ENV_PREFIX = "env:"
SECRET_PREFIX = "secret:"  # secret:<connector>.<key>: a value in the 0600 secrets file
REFS = (ENV_PREFIX, SECRET_PREFIX)


class _Model(BaseModel):
    # No nan or inf anywhere: a timeout or a wait of inf hangs a run for ever.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)


# ---- auth -------------------------------------------------------------------------------------


class NoAuth(_Model):
    type: Literal["none"] = "none"


class BearerAuth(_Model):
    type: Literal["bearer"]
    token: str


class ApiKeyAuth(_Model):
    type: Literal["api_key"]
    name: str = "X-API-Key"
    api_key: str
    location: Literal["header", "query"] = "header"


class BasicAuth(_Model):
    type: Literal["http_basic"]
    username: str
    password: str = ""


class OAuth2ClientCredentialsAuth(_Model):
    type: Literal["oauth2_client_credentials"]
    token_url: str
    client_id: str
    client_secret: str
    scopes: list[str] = Field(default_factory=list)
    client_auth: Literal["body", "basic"] = "body"
    refresh_margin: float = Field(default=60.0, ge=0, le=86400)

    @field_validator("token_url")
    @classmethod
    def _url(cls, v: str) -> str:
        return v if v.startswith(REFS) else http_url(v)


AuthConfig = Annotated[
    NoAuth
    | BearerAuth
    | ApiKeyAuth
    | BasicAuth
    | OAuth2ClientCredentialsAuth
    | OAuth2RefreshTokenAuth,
    Field(discriminator="type"),
]
AUTH_TYPES = (
    "none", "bearer", "api_key", "http_basic", "oauth2_client_credentials", "oauth2_refresh_token",
)  # fmt: skip
SECRET_FIELDS = {"token", "api_key", "password", "client_secret", "refresh_token"}


class RateLimit(_Model):
    requests_per_second: float | None = Field(default=None, ge=0.001, le=100_000)
    concurrency: int = Field(default=4, ge=1, le=64)
    burst: int | None = Field(default=None, ge=1, le=100_000)


class RetryConfig(_Model):
    attempts: int = Field(default=5, ge=1, le=20)
    backoff_base: float = Field(default=0.5, ge=0, le=3600)
    backoff_max: float = Field(default=30.0, ge=0, le=3600)
    retry_after_max: float = Field(default=120.0, ge=0, le=3600)


class ConnectorConfig(_Model):
    base_url: str = ""
    preset: str | None = None
    auth: AuthConfig = Field(default_factory=NoAuth)
    headers: dict[str, str] = Field(default_factory=dict)
    rate_limit: RateLimit = Field(default_factory=RateLimit)
    retry: RetryConfig = Field(default_factory=RetryConfig)
    timeout: float = Field(default=30.0, gt=0, le=3600)
    credentials: dict[str, str] = Field(default_factory=dict)  # what a preset reads
    # other hosts that may receive this connector's credentials ("api2.example.com", or with
    # ":port"); any other host a next link or redirect points to gets none
    allowed_hosts: list[str] = Field(default_factory=list)

    @field_validator("headers")
    @classmethod
    def _headers(cls, v: dict[str, str]) -> dict[str, str]:
        return http_headers(v)

    @field_validator("base_url")
    @classmethod
    def _url(cls, v: str) -> str:
        if v and not re.match(r"^https?://", v):
            raise ValueError("base_url must start with http:// or https://")
        return http_url(v).rstrip("/") if v else v

    @field_validator("allowed_hosts")
    @classmethod
    def _hosts(cls, v: list[str]) -> list[str]:
        for host in v:
            if not re.match(r"^[A-Za-z0-9.-]+(:\d{1,5})?$", host):
                raise ValueError(
                    f"allowed_hosts entry {host!r} is not a host name: write it as "
                    '"api.example.com" or "api.example.com:8443" (no scheme, no path)'
                )
        return [h.lower() for h in v]

    @model_validator(mode="after")
    def _needs_base(self) -> ConnectorConfig:
        if not self.base_url and not self.preset:
            raise ValueError("a connector needs base_url (or a preset that sets it)")
        return self

    @model_validator(mode="after")
    def _preset(self) -> ConnectorConfig:
        from .connectors.presets import check_connector

        return check_connector(self)


# ---- paginators -------------------------------------------------------------------------------


class _Paginator(_Model):
    max_pages: int = Field(default=10_000, ge=1, le=100_000_000)
    stop_on_empty: bool = True
    has_more_path: str | None = None


class SinglePage(_Paginator):
    type: Literal["single_page"]


class PageNumber(_Paginator):
    type: Literal["page_number"]
    page_param: str = "page"
    base_page: int = 1
    total_path: str | None = None  # total number of pages in the body


class Offset(_Paginator):
    type: Literal["offset"]
    limit: int = Field(ge=1)
    offset_param: str = "offset"
    limit_param: str = "limit"
    total_path: str | None = None  # total number of records in the body


class Cursor(_Paginator):
    type: Literal["cursor"]
    cursor_path: str  # where the next token is in the body
    cursor_param: str = "cursor"


class JsonLink(_Paginator):
    type: Literal["json_link"]
    next_url_path: str


class HeaderLink(_Paginator):
    type: Literal["header_link"]
    rel: str = "next"


PaginatorConfig = Annotated[
    SinglePage | PageNumber | Offset | Cursor | JsonLink | HeaderLink, Field(discriminator="type")
]
PAGINATOR_TYPES = ("single_page", "page_number", "offset", "cursor", "json_link", "header_link")


# ---- streams ----------------------------------------------------------------------------------


class Pull(_Model):
    path: str
    method: Literal["GET", "POST"] = "GET"
    params: dict[str, Any] = Field(default_factory=dict)
    json_body: dict[str, Any] | None = Field(default=None, alias="json")
    headers: dict[str, str] = Field(default_factory=dict)
    data_selector: str | None = None
    paginator: PaginatorConfig = Field(default_factory=lambda: SinglePage(type="single_page"))

    @field_validator("headers")
    @classmethod
    def _headers(cls, v: dict[str, str]) -> dict[str, str]:
        return http_headers(v)

    @field_validator("data_selector")
    @classmethod
    def _selector(cls, v: str | None) -> str | None:
        from .mapping.selectors import compile_expression, is_expression

        if v and is_expression(v):
            compile_expression(v)
        return v


TransformSpec = str | dict[str, Any]


class FieldSpec(_Model):
    from_: str | list[str] | None = Field(default=None, alias="from")
    value: Any = None  # a constant instead of `from`
    transforms: list[TransformSpec] = Field(default_factory=list)
    lookup: str | None = None
    default: Any = None
    required: bool = False
    # the destination id that another stream of this service gave the value (its external id):
    # "agreementId" = { from = "invoice.subscription_id", id_of = "agreements" }
    id_of: str | None = None
    id_type: Literal["string", "integer"] = "string"

    @field_validator("transforms")
    @classmethod
    def _known(cls, v: list[TransformSpec]) -> list[TransformSpec]:
        from .mapping.transforms import check_spec

        for spec in v:
            check_spec(spec)
        return v


class Incremental(_Model):
    cursor_path: str
    start_param: str
    initial_value: str | None = None


class StreamConfig(_Model):
    name: str = Field(min_length=1)
    key: str = Field(default="id", min_length=1)
    pull: Pull
    push: Push | None = None
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    incremental: Incremental | None = None


class ServiceConfig(_Model):
    source: str
    destination: str
    schedule: str | None = None
    cooldown_minutes: int = Field(default=60, ge=0, le=525_600)  # a year at most
    enabled: bool = True
    capture_payloads: bool = False
    payload_max_bytes: int = Field(default=4096, ge=64, le=1_048_576)
    streams: list[StreamConfig] = Field(min_length=1)
    lookups: dict[str, dict[str, str]] = Field(default_factory=dict)
    # which source records the service takes, checked before mapping (core/mapping/filters.py)
    filters: list[str] = Field(default_factory=list)

    @field_validator("filters")
    @classmethod
    def _filters(cls, v: list[str]) -> list[str]:
        from .mapping.filters import parse_filters

        parse_filters(v)  # a ValueError names the filter and the accepted forms
        return [" ".join(f.split()) for f in v]

    @field_validator("schedule")
    @classmethod
    def _cron(cls, v: str | None) -> str | None:
        from .engine.cron import check_cron

        return check_cron(v)

    @model_validator(mode="after")
    def _consistent(self) -> ServiceConfig:
        seen: set[str] = set()
        for s in self.streams:
            if s.name in seen:
                raise ValueError(f"two streams are named '{s.name}'; stream names must differ")
            seen.add(s.name)
            for dest, f in s.fields.items():
                if f.id_of and f.id_of not in seen | {x.name for x in self.streams}:
                    raise ValueError(f"{s.name}.{dest}: id_of '{f.id_of}' is not a stream here")
                if f.lookup and f.lookup not in self.lookups:
                    raise ValueError(
                        f"field {dest} of stream {s.name} uses lookup '{f.lookup}', which is not "
                        f"declared; add a [services.<name>.lookups.{f.lookup}] table"
                    )
        return self


class SyncConfig(_Model):
    connectors: dict[str, ConnectorConfig] = Field(default_factory=dict)
    services: dict[str, ServiceConfig] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _references(self) -> SyncConfig:
        for name, svc in self.services.items():
            for role in ("source", "destination"):
                ref = getattr(svc, role)
                if ref not in self.connectors:
                    known = ", ".join(sorted(self.connectors)) or "none"
                    raise ValueError(
                        f"service {name} names {role} '{ref}', which is not a connector "
                        f"(known: {known})"
                    )
        return self

    @model_validator(mode="after")
    def _presets(self) -> SyncConfig:
        from .connectors.presets import expand_streams

        return expand_streams(self)


# ---- loading, errors, secrets -----------------------------------------------------------------


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in PAGINATOR_TYPES or part in AUTH_TYPES:
            continue  # pydantic's discriminator tag, not a key the user wrote
        else:
            out += ("." if out else "") + str(part)
    return out


def _fix(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return "Remove the key or check its spelling."
    if kind == "missing":
        return "Add the key."
    if kind == "union_tag_invalid":
        return f"Use one of: {err['ctx']['expected_tags']}."
    if kind == "union_tag_not_found":
        return 'Add type = "..." naming which kind it is.'
    return "Correct the value."


def validation_error(exc: ValidationError, source: str) -> UserError:
    err = exc.errors()[0]
    where = _loc(err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "unknown key"
    elif err["type"] == "missing":
        msg = "required key is missing"
    elif err["type"] == "union_tag_invalid":
        msg = f"unknown type '{err['ctx']['tag']}'"
    elif err["type"] == "union_tag_not_found":
        msg = "type is missing"
    more = len(exc.errors()) - 1
    extra = f" ({more} more problem{'s' if more > 1 else ''} after this one)" if more else ""
    return UserError(f"{source}: {where or 'top level'}: {msg}{extra}.", _fix(err))


def _too_deep(source: str) -> UserError:
    return UserError(
        f"{source}: arrays or tables are nested too deeply to be a configuration.",
        "A syncdeck config nests a few levels at most; check the file is the right one.",
    )


def parse_config(text: str, source: str = "config") -> SyncConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(
            f"{source}: not valid TOML: {exc}.", "Fix the syntax at that line and column."
        ) from None
    except RecursionError:
        raise _too_deep(source) from None
    return config_from_dict(data, source)


def config_from_dict(data: dict[str, Any], source: str = "config") -> SyncConfig:
    try:
        return SyncConfig.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, source) from None
    except RecursionError:
        raise _too_deep(source) from None


def load_config(path: str | os.PathLike[str]) -> tuple[SyncConfig, str]:
    """Read and validate a TOML file. Returns the model and the raw text."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"No config file at {p}.", "Check the path.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Cannot read {p}: {exc}.", "Check the file and its permissions.") from None
    return parse_config(text, str(p)), text


def env_refs(cfg: SyncConfig) -> list[tuple[str, str]]:
    """(key path, variable name) of every `env:NAME` value in the connectors."""
    out: list[tuple[str, str]] = []
    for cname, conn in cfg.connectors.items():
        for key, value in conn.auth.model_dump().items():
            if isinstance(value, str) and value.startswith(ENV_PREFIX):
                out.append((f"connectors.{cname}.auth.{key}", value[len(ENV_PREFIX) :]))
        for key, value in conn.headers.items():
            if value.startswith(ENV_PREFIX):
                out.append((f"connectors.{cname}.headers.{key}", value[len(ENV_PREFIX) :]))
        for key, value in conn.credentials.items():
            if value.startswith(ENV_PREFIX):
                out.append((f"connectors.{cname}.credentials.{key}", value[len(ENV_PREFIX) :]))
    return out


def check_secrets(cfg: SyncConfig, source: str, environ: dict[str, str] | None = None) -> None:
    """Secrets must be env: references, and the variables must be set."""
    env = os.environ if environ is None else environ
    for cname, conn in cfg.connectors.items():
        for key, value in conn.auth.model_dump().items():
            if key in SECRET_FIELDS and value and not str(value).startswith(REFS):
                var = f"{cname.upper()}_{key.upper()}"
                raise UserError(
                    f"{source}: connectors.{cname}.auth.{key}: a secret written in the file.",
                    f'Write {key} = "env:{var}" and export {var}; secrets are never stored.',
                )
    for where, var in env_refs(cfg):
        if not env.get(var):
            raise UserError(
                f"{source}: {where}: the environment variable {var} is not set.",
                f"Export {var} (for example `export {var}=...`) and try again.",
            )


def resolve(value: str, where: str = "", environ: dict[str, str] | None = None) -> str:
    """`env:NAME` -> the variable's value (run time only); anything else unchanged."""
    if value.startswith(SECRET_PREFIX):  # a value kept in the secrets file (core/secrets.py)
        from .secrets import lookup

        return lookup(value, where)
    if not value.startswith(ENV_PREFIX):
        return value
    env = os.environ if environ is None else environ
    var = value[len(ENV_PREFIX) :]
    got = env.get(var)
    if not got:
        raise UserError(
            f"{where or 'config'}: the environment variable {var} is not set.",
            f"Export {var} (for example `export {var}=...`) and try again.",
        )
    return got


def connector_dict(conn: ConnectorConfig) -> dict[str, Any]:
    """What the store keeps for a connector (env: references, never values)."""
    return conn.model_dump(mode="json", by_alias=True, exclude_none=True)


def service_dict(svc: ServiceConfig) -> dict[str, Any]:
    return svc.model_dump(mode="json", by_alias=True, exclude_none=True)
