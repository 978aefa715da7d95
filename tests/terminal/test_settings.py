"""core/settings.py and its use by the console: theme, keys by binding id, read_only, mouse."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from termkit import ROOT, SYNCDECK, base_env, private_env

from core.errors import UserError
from core.settings import CONFIG_ENV, load_settings
from tui.app import SyncdeckApp
from tui.console_settings import apply_settings, binding_ids


def _write(tmp: Path, text: str) -> Path:
    path = tmp / "settings.toml"
    path.write_text(text)
    return path


def test_defaults_when_the_default_file_is_missing(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "nothing-here"))
    s = load_settings(environ={})
    assert s.console.theme is None and s.console.read_only is False and s.console.mouse
    assert s.console.keys == {} and s.source == ""


def test_flag_then_variable_then_default(tmp_path, monkeypatch) -> None:
    a = _write(tmp_path, '[console]\ntheme = "nord"\n')
    b = tmp_path / "b.toml"
    b.write_text("[console]\nread_only = true\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    (tmp_path / "cfg" / "syncdeck").mkdir(parents=True)
    (tmp_path / "cfg" / "syncdeck" / "config.toml").write_text("[console]\nmouse = false\n")
    assert load_settings(a, environ={CONFIG_ENV: str(b)}).console.theme == "nord"
    assert load_settings(None, environ={CONFIG_ENV: str(b)}).console.read_only is True
    assert load_settings(None, environ={}).console.mouse is False


@pytest.mark.parametrize(
    "text, words",
    [
        ("[console]\nthem = 'nord'\n", ["console.them", "Extra inputs"]),
        ("[console\n", ["not valid TOML"]),
        ("[console]\nrefresh_seconds = 0\n", ["console.refresh_seconds"]),
        ("[console.keys]\n'logs.pause' = 5\n", ["console.keys.logs.pause"]),
    ],
)
def test_bad_files_name_the_file_and_the_key(tmp_path, text, words) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(UserError) as err:
        load_settings(path)
    assert str(path) in err.value.message
    for word in words:
        assert word in str(err.value)


def test_a_named_file_must_exist(tmp_path) -> None:
    with pytest.raises(UserError, match="No settings file"):
        load_settings(tmp_path / "missing.toml")


def test_unknown_theme_and_binding_id_are_refused_with_the_choices(tmp_path) -> None:
    app = SyncdeckApp(str(tmp_path / "x.db"))
    with pytest.raises(UserError) as err:
        apply_settings(app, load_settings(_write(tmp_path, "[console]\ntheme = 'nope'\n")))
    assert "textual-dark" in err.value.hint
    with pytest.raises(UserError) as err:
        apply_settings(app, load_settings(_write(tmp_path, "[console.keys]\n'logs.paws' = 'x'\n")))
    assert "logs.paws" in err.value.message and "logs.pause" in err.value.hint


def test_every_documented_screen_binding_has_an_id() -> None:
    ids = binding_ids()
    for wanted in ("app.help", "app.quit", "logs.pause", "logs.refresh", "logs.export",
                   "logs.copy", "logs.search", "logs.back"):  # fmt: skip
        assert wanted in ids


async def test_remapped_key_and_theme_in_the_console(seeded_db, tmp_path) -> None:
    settings = load_settings(_write(tmp_path, """
[console]
theme = "textual-light"
[console.keys]
"logs.pause" = "space"
"""))  # fmt: skip
    app = SyncdeckApp(str(seeded_db.path), interval=3600)
    apply_settings(app, settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light"
        screen = app.screen
        assert screen.paused is False
        await pilot.press("space")
        await pilot.pause()
        assert screen.paused is True
        await pilot.press("p")  # the old key no longer pauses
        await pilot.pause()
        assert screen.paused is True


def _console(args: list[str], tmp: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*SYNCDECK, *args], cwd=ROOT, env=base_env(private_env(tmp, **env)),
        capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_cli_bad_settings_is_one_line_exit_2(tmp_path) -> None:
    bad = _write(tmp_path, "[console]\ntheme = 'nope'\n")
    for args, env in ((["--config", str(bad)], {}), ([], {CONFIG_ENV: str(bad)})):
        out = _console([*args, "--db", str(tmp_path / "x.db")], tmp_path, **env)
        assert out.returncode == 2, out.stderr
        assert out.stderr.count("\n") == 1 and "console.theme" in out.stderr
        assert "Traceback" not in out.stderr
