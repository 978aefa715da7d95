"""Auth strategies: what each request carries. Secrets are resolved here, at run time only.

A strategy adds headers and query params to a request, lists its secret values for the
redactor, and may refresh itself once after a 401 (OAuth2 will; static ones cannot).
"""

from __future__ import annotations

import base64
from typing import Any

from ..config import ApiKeyAuth, BasicAuth, BearerAuth, ConnectorConfig, NoAuth, resolve


class Auth:
    """No auth. Subclasses fill headers/params and name their secrets."""

    def __init__(self) -> None:
        self.headers: dict[str, str] = {}
        self.params: dict[str, str] = {}
        self.secrets: list[str] = []

    async def prepare(self, client: Any = None) -> None:
        """Called before each request; OAuth2 fetches or renews its token here."""

    async def refresh(self, client: Any = None) -> bool:
        """After a 401: try once to get new credentials. True when a retry makes sense."""
        return False


class Bearer(Auth):
    def __init__(self, token: str) -> None:
        super().__init__()
        self.headers["Authorization"] = f"Bearer {token}"
        self.secrets.append(token)


class ApiKey(Auth):
    def __init__(self, name: str, key: str, location: str) -> None:
        super().__init__()
        (self.headers if location == "header" else self.params)[name] = key
        self.secrets.append(key)


def basic_token(username: str, password: str) -> str:
    """The base64 of `username:password` an HTTP basic Authorization header carries."""
    return base64.b64encode(f"{username}:{password}".encode()).decode()


class Basic(Auth):
    def __init__(self, username: str, password: str) -> None:
        super().__init__()
        token = basic_token(username, password)
        self.headers["Authorization"] = f"Basic {token}"
        self.secrets.extend([token, password])


# Another module (OAuth2, presets) registers more builders here: type name -> factory.
BUILDERS: dict[type, Any] = {}


def build_auth(name: str, cfg: ConnectorConfig, environ: dict[str, str] | None = None) -> Auth:
    """The connector's auth with env: references resolved. Raises UserError when unset."""
    a = cfg.auth
    where = f"connectors.{name}.auth"
    from .presets import preset_auth  # also registers the OAuth2 builder

    if cfg.preset and isinstance(a, NoAuth):
        return preset_auth(name, cfg, environ)
    if type(a) in BUILDERS:
        return BUILDERS[type(a)](name, a, environ)
    if isinstance(a, BearerAuth):
        return Bearer(resolve(a.token, f"{where}.token", environ))
    if isinstance(a, ApiKeyAuth):
        return ApiKey(a.name, resolve(a.api_key, f"{where}.api_key", environ), a.location)
    if isinstance(a, BasicAuth):
        return Basic(
            resolve(a.username, f"{where}.username", environ),
            resolve(a.password, f"{where}.password", environ),
        )
    if isinstance(a, NoAuth):
        return Auth()
    raise TypeError(f"no auth builder for {type(a).__name__}")


def static_headers(
    name: str, cfg: ConnectorConfig, environ: dict[str, str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """The connector's headers with env: values resolved, and those values as secrets."""
    out: dict[str, str] = {}
    secrets: list[str] = []
    for key, value in cfg.headers.items():
        resolved = resolve(value, f"connectors.{name}.headers.{key}", environ)
        if resolved != value:
            secrets.append(resolved)
        out[key] = resolved
    return out, secrets
