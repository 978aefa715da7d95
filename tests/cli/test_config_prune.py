"""`syncdeck config import FILE --prune`: services the file no longer names are listed, confirmed
(--yes, or y at a terminal) and removed; without confirmation nothing is imported or removed."""

from __future__ import annotations

import io
from pathlib import Path

from core.cli import main

BOTH = """
[connectors.crm]
base_url = "http://127.0.0.1:9"
[services.alpha]
source = "crm"
destination = "crm"
[[services.alpha.streams]]
name = "a"
pull = { path = "/a" }
push = { create = "POST /a" }
[services.beta]
source = "crm"
destination = "crm"
[[services.beta.streams]]
name = "b"
pull = { path = "/b" }
push = { create = "POST /b" }
"""
ONLY_ALPHA = BOTH[: BOTH.index("[services.beta]")].replace('"/a"', '"/a2"')


def _files(tmp_path: Path) -> tuple[str, str, str]:
    both, alpha = tmp_path / "both.toml", tmp_path / "alpha.toml"
    both.write_text(BOTH)
    alpha.write_text(ONLY_ALPHA)
    db = str(tmp_path / "s.db")
    assert main(["config", "import", str(both), "--db", db]) == 0
    return str(alpha), db, str(both)


def _services(capsys, db: str) -> str:
    capsys.readouterr()
    assert main(["config", "export", "--db", db]) == 0
    return capsys.readouterr().out


def test_prune_with_yes_removes_what_the_file_no_longer_names(capsys, tmp_path):
    alpha, db, _ = _files(tmp_path)
    capsys.readouterr()
    assert main(["config", "import", alpha, "--prune", "--yes", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Removed 1 service(s) not in" in out and "beta" in out
    exported = _services(capsys, db)
    assert "[services.alpha]" in exported and "services.beta" not in exported
    assert '"/a2"' in exported


def test_prune_in_a_script_without_yes_changes_nothing(capsys, tmp_path, monkeypatch):
    alpha, db, _ = _files(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    capsys.readouterr()
    assert main(["config", "import", alpha, "--prune", "--db", db]) == 2
    err = capsys.readouterr().err
    assert "would remove 1 service(s)" in err and "beta" in err and "--yes" in err
    assert "Traceback" not in err
    exported = _services(capsys, db)
    assert "services.beta" in exported and '"/a2"' not in exported  # not even imported


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_prune_at_a_terminal_asks_and_a_no_keeps_everything(capsys, tmp_path, monkeypatch):
    alpha, db, _ = _files(tmp_path)
    monkeypatch.setattr("sys.stdin", _Tty("n\n"))
    capsys.readouterr()
    assert main(["config", "import", alpha, "--prune", "--db", db]) == 1
    err = capsys.readouterr().err
    assert "does not name 1 stored service(s): beta" in err and "[y/N]" in err
    assert "services.beta" in _services(capsys, db)
    monkeypatch.setattr("sys.stdin", _Tty("y\n"))
    assert main(["config", "import", alpha, "--prune", "--db", db]) == 0
    assert "services.beta" not in _services(capsys, db)


def test_import_without_prune_keeps_and_says_so(capsys, tmp_path):
    alpha, db, _ = _files(tmp_path)
    capsys.readouterr()
    assert main(["config", "import", alpha, "--db", db]) == 0
    assert "config import --prune removes them" in capsys.readouterr().err
    assert "services.beta" in _services(capsys, db)
