"""`syncdeck --help` and every subcommand's help are complete and agree with the README."""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

import pytest
from termkit import ROOT, SYNCDECK, base_env, private_env

from core.cli import build_parser
from core.settings import Settings
from tui.app import SyncdeckApp
from tui.console_settings import apply_settings

README = (ROOT / "README.md").read_text()


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple]:
    """(path, parser, help) of every subcommand, nested ones too."""
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                out.append(((*prefix, name), sub, helps.get(name)))
                out.extend(_commands(sub, (*prefix, name)))
    return out


COMMANDS = _commands(build_parser())


def test_the_two_commands_on_top_are_the_readme_s_first_instructions() -> None:
    top = README.split("## ", 1)[0]
    assert "`python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/syncdeck demo`" in top
    assert (
        "`python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && "
        ".venv/bin/python -m pytest`" in top
    )


@pytest.mark.parametrize("path", [c[0] for c in COMMANDS], ids=" ".join)
def test_every_subcommand_has_help_and_is_in_the_readme(path) -> None:
    _, parser, help_ = next(c for c in COMMANDS if c[0] == path)
    assert help_ and help_.strip(), f"syncdeck {' '.join(path)} has no help line"
    assert parser.format_help().strip()
    top = path[0]
    assert re.search(rf"`syncdeck {re.escape(top)}\b", README), f"README lacks syncdeck {top}"


def test_every_command_in_the_readme_exists() -> None:
    known = {c[0][0] for c in COMMANDS}
    used = set(re.findall(r"`syncdeck ([a-z][a-z-]*)", README))
    for block in re.findall(r"```\n(.*?)```", README, re.S):  # the examples' code blocks
        used |= set(re.findall(r"^syncdeck ([a-z][a-z-]*)", block, re.M))
    assert used - known == set()


def test_global_flags_in_help_and_readme() -> None:
    text = build_parser().format_help()
    for flag in ("--db", "--read-only", "--no-mouse", "--config"):
        assert flag in text and f"`{flag}" in README
    for var in ("SYNCDECK_DB", "SYNCDECK_CONFIG"):
        assert var in README


def test_help_runs_in_a_real_process(tmp_path: Path) -> None:
    for args in (["--help"], ["demo", "--help"], ["worker", "--help"]):
        out = subprocess.run([*SYNCDECK, *args], cwd=ROOT, env=base_env(private_env(tmp_path)),
                             capture_output=True, text=True, timeout=30)  # fmt: skip
        assert out.returncode == 0 and out.stdout.startswith("usage: syncdeck")


def test_readme_settings_example_is_accepted(tmp_path: Path) -> None:
    import tomllib

    block = re.search(r"```toml\n(\[console\].*?)```", README, re.S)
    assert block, "the README shows a settings example"
    settings = Settings.model_validate(tomllib.loads(block.group(1)))
    settings.source = "README"
    apply_settings(SyncdeckApp(str(tmp_path / "x.db")), settings)  # raises on a bad id/theme
    assert settings.console.keys


def test_systemd_unit_in_the_readme_runs_the_worker() -> None:
    unit = re.search(r"```ini\n(.*?)```", README, re.S)
    assert unit and "ExecStart=" in unit.group(1)
    assert re.search(r"ExecStart=\S+/syncdeck worker", unit.group(1))
