"""Console settings: one TOML file, read once at start.

Where: `--config PATH`, else $SYNCDECK_CONFIG, else `config.toml` in the platformdirs user
config folder (~/.config/syncdeck/ on Linux). A missing default file means defaults; a file
named by flag or variable must exist. Example:

    [console]
    theme = "textual-dark"      # any Textual theme; an unknown name lists them
    read_only = true            # the console refuses every action that writes
    mouse = false               # same as --no-mouse
    refresh_seconds = 5         # live refresh of the log view

    [console.keys]              # binding id = key(s); `?` in the console shows ids
    "logs.pause" = "space"
    "app.quit" = "q,ctrl+q"

Other top-level tables are left for other parts of syncdeck; unknown keys inside
[console] are an error naming the file and the key.
"""

from __future__ import annotations

import argparse
import os
import tomllib
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import UserError

CONFIG_ENV = "SYNCDECK_CONFIG"
FILE_NAME = "config.toml"


class ConsoleSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    theme: str | None = None
    read_only: bool = False
    mouse: bool = True
    refresh_seconds: float = Field(default=5.0, ge=1.0, le=3600.0)
    keys: dict[str, str] = Field(default_factory=dict)


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    source: str = ""  # the file read, "" for defaults


def add_settings_flag(parser: argparse.ArgumentParser, *, sub: bool) -> None:
    """--config PATH on the commands that open the console (`syncdeck`, `syncdeck demo`).
    (`syncdeck run --config` is another thing: a sync configuration to import.)"""
    parser.add_argument(
        "--config",
        metavar="PATH",
        default=argparse.SUPPRESS if sub else None,
        help=f"console settings file (default: ${CONFIG_ENV}, else {FILE_NAME} in the user "
        "config folder)",
    )


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir("syncdeck", appauthor=False)) / FILE_NAME


def config_path(
    explicit: str | os.PathLike[str] | None = None, environ: dict[str, str] | None = None
) -> tuple[Path, bool]:
    """(path, must exist): the flag, then the variable, then the default file."""
    env = os.environ if environ is None else environ
    if explicit:
        return Path(explicit).expanduser(), True
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV]).expanduser(), True
    return default_config_path(), False


def load_settings(
    explicit: str | os.PathLike[str] | None = None, environ: dict[str, str] | None = None
) -> Settings:
    path, required = config_path(explicit, environ)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if required:
            raise UserError(f"No settings file at {path}.",
                            f"Check --config or ${CONFIG_ENV}.") from None  # fmt: skip
        return Settings()
    except OSError as exc:
        raise UserError(f"Cannot read {path}: {exc.strerror}.", "Check its permissions.") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f"{path}: not valid TOML: {exc}.", "Fix it and retry.") from None
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise UserError(
            f"{path}: {where}: {err['msg']}.",
            "See the README's 'Settings' section for what [console] accepts.",
        ) from None
    settings.source = str(path)
    return settings
