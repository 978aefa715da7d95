"""Who may open the console: a shared token, a password file, or a trusted proxy header;
and the signed-in sessions (a random id in an HttpOnly, SameSite=Strict cookie)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import UserError

COOKIE = "syncdeck_session"
SESSION_SECONDS = 12 * 3600.0
MIN_TOKEN = 16
_SCRYPT = (2**14, 8, 1)  # n, r, p: ~16 MiB, tens of ms per check


def hash_password(password: str) -> str:
    """`scrypt$n$r$p$salt$hash` (base64), the form a password file holds after `user:`."""
    n, r, p = _SCRYPT
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p)
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def _verify_hash(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r),
                             p=int(p))  # fmt: skip
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


def read_token(path: Path) -> str:
    token = next((ln.strip() for ln in path.read_text().splitlines() if ln.strip()), "")
    if len(token) < MIN_TOKEN:
        raise UserError(
            f"The token in {path} is shorter than {MIN_TOKEN} characters.",
            "Make a long random one: `python3 -c 'import secrets; print(secrets.token_urlsafe())'"
            f" > {path}`.",
        )
    return token


def read_passwords(path: Path) -> dict[str, str]:
    users: dict[str, str] = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, stored = line.partition(":")
        if not sep or not user or not stored.startswith("scrypt$"):
            raise UserError(
                f"{path} line {number} is not `user:scrypt$...`.",
                "Make each line with `syncdeck serve --hash-password USER`.",
            )
        users[user] = stored
    if not users:
        raise UserError(f"{path} holds no user.", "Add one with `syncdeck serve --hash-password`.")
    return users


@dataclass
class Checker:
    """Checks what the login form sent. `mode` is token, password, proxy or none."""

    mode: str
    token: str = ""
    users: dict[str, str] = field(default_factory=dict)

    def verify(self, user: str, secret: str) -> str | None:
        """The signed-in user's name, or None."""
        if self.mode == "token":
            ok = hmac.compare_digest(secret.encode(), self.token.encode())
            return "token" if ok else None
        if self.mode == "password":
            stored = self.users.get(user)
            if stored is None:
                _verify_hash(secret, next(iter(self.users.values())))  # same time either way
                return None
            return user if _verify_hash(secret, stored) else None
        return None


@dataclass
class Sessions:
    """Signed-in browser sessions, in memory (a restart signs everyone out)."""

    lifetime: float = SESSION_SECONDS
    _live: dict[str, tuple[str, float]] = field(default_factory=dict)

    def open(self, user: str) -> str:
        sid = secrets.token_urlsafe(32)
        self._live[sid] = (user, time.monotonic() + self.lifetime)
        return sid

    def user(self, sid: str | None) -> str | None:
        if not sid or sid not in self._live:
            return None
        user, expires = self._live[sid]
        if time.monotonic() > expires:
            del self._live[sid]
            return None
        return user

    def close(self, sid: str | None) -> None:
        self._live.pop(sid or "", None)


@dataclass
class Throttle:
    """Failed sign-ins per client address: after `limit` in `window` seconds, refuse (429)."""

    limit: int = 5
    window: float = 60.0
    _fails: dict[str, list[float]] = field(default_factory=dict)

    def blocked(self, peer: str) -> bool:
        now = time.monotonic()
        recent = [t for t in self._fails.get(peer, []) if now - t < self.window]
        self._fails[peer] = recent
        return len(recent) >= self.limit

    def failed(self, peer: str) -> None:
        self._fails.setdefault(peer, []).append(time.monotonic())
