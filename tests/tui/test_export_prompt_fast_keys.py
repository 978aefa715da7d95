"""The export prompt takes keys typed right after `e` with no pause (a paste, a fast typist,
a slow link delivering a burst): nothing is lost, nothing crashes, the CSV is written."""

from __future__ import annotations

import csv
from pathlib import Path

from tui_helpers import burst, logs_screen, make_app, settle

from tui.screens.export_prompt import ExportPrompt


async def test_keys_typed_right_after_e_reach_the_prompt(demo_db: str, tmp_path: Path) -> None:
    app = make_app(demo_db)
    target = tmp_path / "Sq-Lq?.csv"  # S, L, q and ? are app keys elsewhere
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        logs_screen(app)
        # The path replaces the selected default; all of it queued with `e`, then enter.
        burst(app, ["e", *str(target), "enter"])
        await settle(pilot)
        assert not isinstance(app.screen, ExportPrompt)
        with target.open() as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == 45 and rows[0]["title"] == "Subscription skipped"
        notices = [n.message for n in app._notifications]
        assert f"Exported 45 rows to {target}" in notices


async def test_e_right_after_q_quits_cleanly(demo_db: str) -> None:
    """`q` then `e` in one burst: the prompt is pushed while the app is closing; it must not
    crash looking for its Input (NoMatches) — the console quits with status 0."""
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, ["q", "e", "x"])
        await pilot.pause()
    assert app.return_code == 0
