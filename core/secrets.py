"""Secrets: `env:NAME` references, or values kept in a secrets file, never in the store.

The file is `secrets.toml` in the platformdirs config directory (SYNCDECK_CONFIG_DIR overrides
it), written with mode 0600; a file that others can read is refused with the chmod that fixes
it. A connector's config holds `secret:<connector>.<key>` for a stored value and `env:NAME` for
an environment variable; the console shows "from env:NAME" or "stored", never the value.
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
from pathlib import Path

import platformdirs

from .errors import UserError

ENV_PREFIX = "env:"
SECRET_PREFIX = "secret:"
FILE_NAME = "secrets.toml"


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


def read_secrets(path: Path | None = None) -> dict[str, str]:
    p = path or secrets_path()
    if not p.exists():
        return {}
    _check_mode(p)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f"Cannot read the secrets file {p}: {exc}.", "Fix or remove it.") from None
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def _write(p: Path, data: dict[str, str]) -> None:
    p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = p.with_name(p.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        text = "# syncdeck secrets: keep this file mode 0600.\n" + "".join(
            f"{json.dumps(k)} = {json.dumps(v)}\n" for k, v in sorted(data.items())
        )
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
    os.replace(tmp, p)


def store_secret(key: str, value: str, path: Path | None = None) -> str:
    """Keep `value` in the secrets file under `key`; returns the reference to put in config."""
    p = path or secrets_path()
    data = read_secrets(p)
    data[key] = value
    _write(p, data)
    return SECRET_PREFIX + key


def forget_secret(key: str, path: Path | None = None) -> None:
    p = path or secrets_path()
    data = read_secrets(p)
    if data.pop(key, None) is not None:
        _write(p, data)


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
