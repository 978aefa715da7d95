"""Secrets: `env:NAME` references, or values kept in a secrets file, never in the store.

The file is `secrets.toml` in the platformdirs config directory (SYNCDECK_CONFIG_DIR overrides
it), written with mode 0600; a file that others can read is refused with the chmod that fixes
it. A connector's config holds `secret:<connector>.<key>` for a stored value and `env:NAME` for
an environment variable; the console shows "from env:NAME" or "stored", never the value.

A rotated refresh token (store_rotation) also leaves a forwarding entry in the file's [rotated]
table: the SHA-256 of the token rotated away -> the key now holding its successor. Whatever
still names the old token (the env: variable of an imported file, the value typed in a form
whose test rotated it) is led to the current one by `successor`, and `store_secret` never puts
a rotated-away token back. Every change to the file is made under an exclusive lock (fcntl) on
`secrets.toml.lock`, so processes sharing the file do not lose each other's writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path

import platformdirs

from .errors import UserError

ENV_PREFIX = "env:"
SECRET_PREFIX = "secret:"
FILE_NAME = "secrets.toml"
ROTATED = "rotated"  # the file's table of forwarding entries
ROTATED_KEPT = 500  # forwarding entries kept (the oldest go first)

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system: no lock between processes
    fcntl = None  # type: ignore[assignment]


def config_dir() -> Path:
    override = os.environ.get("SYNCDECK_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir("syncdeck", appauthor=False))


def secrets_path() -> Path:
    return config_dir() / FILE_NAME


def is_reference(value: object) -> bool:
    return isinstance(value, str) and value.startswith((ENV_PREFIX, SECRET_PREFIX))


def describe(value: object) -> str:
    """How a secret field is shown: 'from env:NAME', 'stored' or 'not set'. Never the value."""
    if not value:
        return "not set"
    text = str(value)
    if text.startswith(ENV_PREFIX):
        return f"from {text}"
    if text.startswith(SECRET_PREFIX):
        return "stored"
    return "stored"


def _check_mode(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise UserError(
            f"The secrets file {path} can be read by others (mode {mode:04o}); it is refused.",
            f"Run: chmod 600 {path}",
        )


def _load(p: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(key -> value, fingerprint -> key of the successor) from the file."""
    if not p.exists():
        return {}, {}
    _check_mode(p)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f"Cannot read the secrets file {p}: {exc}.", "Fix or remove it.") from None
    table = data.get(ROTATED)
    rotated = {str(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}, rotated


def read_secrets(path: Path | None = None) -> dict[str, str]:
    return _load(path or secrets_path())[0]


def _write(p: Path, data: dict[str, str], rotated: dict[str, str] | None = None) -> None:
    p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = p.with_name(p.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        text = "# syncdeck secrets: keep this file mode 0600.\n" + "".join(
            f"{json.dumps(k)} = {json.dumps(v)}\n" for k, v in sorted(data.items())
        )
        if rotated:
            text += f"\n[{ROTATED}]  # refresh tokens rotated away -> the key of their successor\n"
            text += "".join(f"{json.dumps(k)} = {json.dumps(v)}\n" for k, v in rotated.items())
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
    os.replace(tmp, p)


@contextlib.contextmanager
def _locked(p: Path) -> Iterator[None]:
    """An exclusive lock for one read-modify-write of the file (held for milliseconds)."""
    p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(p.with_name(p.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def store_secret(key: str, value: str, path: Path | None = None) -> str:
    """Keep `value` in the secrets file under `key`; returns the reference to put in config.
    A refresh token already rotated away from `key` does not replace its successor."""
    p = path or secrets_path()
    with _locked(p):
        data, rotated = _load(p)
        if not (rotated.get(fingerprint(value)) == key and data.get(key)):
            data[key] = value
            _write(p, data, rotated)
    return SECRET_PREFIX + key


def store_rotation(key: str, old: str, new: str, path: Path | None = None) -> str:
    """A refresh token was rotated: `new` is kept under `key`, and `old` (wherever a config
    still names it) now leads to it. Returns the reference to put in config."""
    p = path or secrets_path()
    with _locked(p):
        data, rotated = _load(p)
        data[key] = new
        rotated.pop(fingerprint(new), None)  # a token handed out again is current, not old
        rotated.pop(fingerprint(old), None)
        rotated[fingerprint(old)] = key  # newest last
        while len(rotated) > ROTATED_KEPT:
            rotated.pop(next(iter(rotated)))
        _write(p, data, rotated)
    return SECRET_PREFIX + key


def successor(value: str, path: Path | None = None) -> str | None:
    """The current token when `value` is a refresh token rotated away, else None."""
    data, rotated = _load(path or secrets_path())
    key = rotated.get(fingerprint(value))
    new = data.get(key) if key else None
    return new if new and new != value else None


def forget_secret(key: str, path: Path | None = None) -> None:
    p = path or secrets_path()
    with _locked(p):
        data, rotated = _load(p)
        kept = {fp: k for fp, k in rotated.items() if k != key}
        if data.pop(key, None) is not None or kept != rotated:
            _write(p, data, kept)


def lookup(ref: str, where: str = "") -> str:
    """`secret:KEY` -> the stored value (run time only)."""
    key = ref[len(SECRET_PREFIX) :]
    got = read_secrets().get(key)
    if not got:
        raise UserError(
            f"{where or 'config'}: the secret {key} is not in {secrets_path()}.",
            "Reconnect the connector in the console (R) to enter it again.",
        )
    return got


def keep(connector: str, key: str, typed: str) -> str:
    """What to put in the config for a secret field the user typed: an env: reference stays as
    it is; anything else goes to the secrets file and becomes a secret: reference."""
    typed = typed.strip()
    if typed.startswith(ENV_PREFIX):
        if len(typed) == len(ENV_PREFIX):
            raise UserError(f"{key}: 'env:' needs a variable name.", "For example env:CRM_TOKEN.")
        return typed
    return store_secret(f"{connector}.{key}", typed)
