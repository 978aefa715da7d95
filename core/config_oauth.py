"""The TOML of OAuth2 with a refresh token (its own file: config.py holds the other auths)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class OAuth2RefreshTokenAuth(BaseModel):
    """OAuth2 authorization-code apps (Xero, QuickBooks Online): access tokens from a refresh
    token; the token endpoint may rotate the refresh token, and the new one is kept in the
    secrets file (the config then holds its secret: reference, never the value)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    type: Literal["oauth2_refresh_token"]
    token_url: str
    client_id: str
    client_secret: str
    refresh_token: str
    scopes: list[str] = Field(default_factory=list)
    client_auth: Literal["body", "basic"] = "basic"
    refresh_margin: float = Field(default=60.0, ge=0)

    @field_validator("token_url")
    @classmethod
    def _url(cls, v: str) -> str:
        from .config import REFS
        from .config_http import http_url

        return v if v.startswith(REFS) else http_url(v)
