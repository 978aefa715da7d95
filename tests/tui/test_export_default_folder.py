"""Export writes into the data folder's exports/ by default, never the current directory (it
left a CSV in a git checkout), and the prompt says where."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tui_helpers import logs_screen, make_app, settle

from tui.screens.export_prompt import ExportPrompt


async def test_default_export_goes_to_the_data_folder(
    demo_db: str, data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    monkeypatch.chdir(checkout)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        logs_screen(app)
        await pilot.press("e")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, ExportPrompt)
        exports = data_home / "syncdeck" / "exports"
        assert prompt.default.startswith(str(exports))
        said = " ".join(str(label.render()) for label in prompt.query(".hint"))
        assert str(exports) in said or "syncdeck/exports" in said, said
        await pilot.press("enter")
        await settle(pilot)
    assert list(checkout.iterdir()) == []  # nothing in the current directory
    written = list(exports.glob("syncdeck-logs-*.csv"))
    assert len(written) == 1
    with written[0].open() as handle:
        assert len(list(csv.DictReader(handle))) == 45
    assert any(str(written[0]) in str(n.message) for n in app._notifications)


async def test_a_name_alone_also_goes_to_the_exports_folder(
    demo_db: str, data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press(*"night.csv", "enter")
        await settle(pilot)
    assert (data_home / "syncdeck" / "exports" / "night.csv").exists()
    assert not (tmp_path / "night.csv").exists()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_prompt_hint_is_shown_whole(
    demo_db: str, data_home: Path, size: tuple[int, int]
) -> None:
    """The hint naming the folder wraps inside the box instead of being cut mid-word
    ('...a name alone goes there t')."""
    app = make_app(demo_db)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        logs_screen(app)
        await pilot.press("e")
        await settle(pilot)
        prompt = app.screen
        assert isinstance(prompt, ExportPrompt)
        hint = prompt.query(".hint").first()
        drawn = " ".join(
            "".join(seg.text for seg in line).strip()
            for line in hint.render_lines(hint.region.reset_offset)
        )
        assert drawn.endswith("a name alone goes there too."), drawn
        box = prompt.query_one("#export-box").content_region
        assert hint.region.right <= box.right, (hint.region, box)  # drawn inside, not clipped
