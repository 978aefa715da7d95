"""`syncdeck serve` refuses unsafe or impossible setups with one line and exit 2."""

from __future__ import annotations

import socket

import pytest

from core.cli import main
from web.auth import Checker, hash_password, read_passwords


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def test_public_bind_without_sign_in_is_refused(seeded_db, capsys) -> None:
    code, err = run(capsys, "serve", "--db", str(seeded_db.path), "--host", "0.0.0.0", "--no-auth")
    assert code == 2
    assert "Refusing to serve 0.0.0.0 without sign-in" in err
    assert "Traceback" not in err


def test_no_sign_in_method_names_the_choices(seeded_db, capsys) -> None:
    code, err = run(capsys, "serve", "--db", str(seeded_db.path))
    assert code == 2
    assert "--token-file" in err and "--trusted-header" in err


def test_bad_token_files_and_two_methods(seeded_db, tmp_path, capsys) -> None:
    db = str(seeded_db.path)
    code, err = run(capsys, "serve", "--db", db, "--token-file", str(tmp_path / "missing"))
    assert (code, "no such file" in err) == (2, True)
    short = tmp_path / "short"
    short.write_text("abc\n")
    code, err = run(capsys, "serve", "--db", db, "--token-file", str(short))
    assert (code, "shorter than 16" in err) == (2, True)
    code, err = run(capsys, "serve", "--db", db, "--token-file", str(short), "--no-auth")
    assert code == 2


def test_a_missing_store_fails_before_listening(tmp_path, capsys) -> None:
    code, err = run(capsys, "serve", "--db", str(tmp_path / "none.db"), "--no-auth")
    assert code == 2
    assert "No store at" in err


def test_a_taken_port_is_one_line(seeded_db, capsys) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        code, err = run(capsys, "serve", "--db", str(seeded_db.path), "--no-auth", "--port", port)
    assert code == 2
    assert "Cannot listen on 127.0.0.1:" in err and "Pick another --port" in err


def test_password_file_lines_verify_and_wrong_ones_do_not(tmp_path) -> None:
    path = tmp_path / "users"
    path.write_text(f"# operators\nana:{hash_password('correct horse battery')}\n")
    checker = Checker("password", users=read_passwords(path))
    assert checker.verify("ana", "correct horse battery") == "ana"
    assert checker.verify("ana", "wrong horse battery") is None
    assert checker.verify("bob", "correct horse battery") is None


def test_hash_password_reads_stdin(monkeypatch, capsys) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    code = main(["serve", "--hash-password", "ana"])
    out = capsys.readouterr().out.strip()
    assert code == 0 and out.startswith("ana:scrypt$")
