"""The headless commands against a PostgreSQL store (the CLI's other tests use SQLite)."""

from __future__ import annotations

import asyncio

from history_kit import build_history

from core.cli import main
from core.store import open_store


def _seed(url: str, tmp_path) -> None:
    async def go() -> None:
        async with await open_store(url) as st:
            await build_history(st, tmp_path)

    asyncio.run(go())


def test_read_commands_work_on_postgres(pg_location: str, tmp_path, capsys) -> None:
    _seed(pg_location, tmp_path)
    capsys.readouterr()
    for args in (["runs"], ["runs", "--failed"], ["logs", "--search", "not mapped"],
                 ["search", "C-4700"], ["stats"], ["steps", "46"], ["entities", "1"]):  # fmt: skip
        assert main([*args, "--db", pg_location]) == 0, args
        out = capsys.readouterr()
        assert out.err == "" and out.out.strip(), args


def test_db_info_names_the_database_not_a_file(pg_location: str, tmp_path, capsys) -> None:
    _seed(pg_location, tmp_path)
    with_password = pg_location.replace("postgres@", "postgres:hunter2@")
    assert main(["db", "info", "--db", with_password]) == 0
    out = capsys.readouterr().out
    assert "postgresql://postgres@127.0.0.1:" in out and "hunter2" not in out
    assert "server version" in out and "rows runs" in out and "wal" not in out
