"""What the operator asked for (`syncdeck serve` flags), checked before anything listens."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path

from core.errors import UserError

DEFAULT_PORT = 8765
DEFAULT_SESSIONS = 4
DEFAULT_IDLE = 15 * 60.0


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    db: str | None = None
    allow_write: bool = False
    token_file: Path | None = None
    password_file: Path | None = None
    trusted_header: str | None = None  # e.g. X-Forwarded-User, set by an SSO reverse proxy
    trusted_proxy: str = "127.0.0.1"  # the only peer whose trusted_header is believed
    no_auth: bool = False
    max_sessions: int = DEFAULT_SESSIONS
    idle_timeout: float = DEFAULT_IDLE
    public_url: str | None = None  # https://syncdeck.example.com behind a TLS proxy

    @property
    def auth_mode(self) -> str:
        if self.trusted_header:
            return "proxy"
        if self.password_file:
            return "password"
        if self.token_file:
            return "token"
        return "none"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(
                ipaddress.ip_address(a[4][0]).is_loopback for a in socket.getaddrinfo(host, 0)
            )
        except OSError:
            return False


def check(options: ServeOptions) -> None:
    """Refuse what would be unsafe or cannot work, in the operator's words (exit 2)."""
    chosen = [m for m in (options.token_file, options.password_file, options.trusted_header) if m]
    if len(chosen) > 1:
        raise UserError(
            "Choose one way to sign in: --token-file, --password-file or --trusted-header.",
            "See `syncdeck serve --help`.",
        )
    if options.no_auth and chosen:
        raise UserError("--no-auth cannot be combined with a sign-in option.", "Drop one of them.")
    if not chosen and not options.no_auth:
        raise UserError(
            "syncdeck serve needs a way to sign in.",
            "Pass --token-file FILE (a shared token), --password-file FILE (from `syncdeck serve "
            "--hash-password`), --trusted-header X-Forwarded-User behind an SSO proxy, "
            "or --no-auth on 127.0.0.1 only.",
        )
    if options.no_auth and not is_loopback(options.host):
        raise UserError(
            f"Refusing to serve {options.host} without sign-in: anyone who reaches it would see "
            "your syncs.",
            "Bind to 127.0.0.1, or add --token-file / --password-file / --trusted-header.",
        )
    for flag, path in (("--token-file", options.token_file),
                       ("--password-file", options.password_file)):  # fmt: skip
        if path is not None and not path.is_file():
            raise UserError(f"{flag} {path}: no such file.", f"Create it, then retry {flag}.")
    if not 1 <= options.max_sessions <= 1000:
        raise UserError("--max-sessions must be between 1 and 1000.", "Pick a smaller number.")
    if options.idle_timeout < 2:
        raise UserError("--idle-timeout must be at least 2 seconds.", "Use e.g. 15m.")
    if options.public_url and not options.public_url.startswith(("http://", "https://")):
        raise UserError(
            f"--public-url {options.public_url}: not an http(s) URL.",
            "Give the address users type, e.g. https://syncdeck.example.com.",
        )
