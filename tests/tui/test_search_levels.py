"""`/` at the Pages and API calls levels searches every row of the level through the store."""

from __future__ import annotations

from pathlib import Path

from tui_fixture import FIXED_NOW, build_store
from tui_helpers import logs_screen, make_app, settle

from core.store import CallRow, open_store
from tui.widgets.status_line import StatusLine


async def many_rows_db(tmp_path: Path) -> tuple[str, dict[str, int]]:
    """The fixture store plus 30 more pages in the first step and 25 more calls of its first
    entity, so a match lies beyond the first page of each level."""
    path = str(tmp_path / "many.db")
    ids = await build_store(path)
    store = await open_store(path, create=False)
    try:
        run, step = ids["first_run"], ids["first_step"]
        for page in range(4, 34):
            cursor = "zz-needle-cursor" if page == 30 else f"c{page}"
            await store.add_instance(
                step, run, page=page, method="GET", cursor=cursor,
                url=f"https://api.hubapi.com/crm/v3/objects/companies?page={page}",
                started_at=FIXED_NOW - 7000 + page,
            )  # fmt: skip
        entity = (await store.list_entities(step, limit=1)).items[0].id
        await store.insert_calls(
            CallRow(
                run_id=run,
                step_id=step,
                instance_id=ids["first_instance"],
                entity_id=entity,
                method="PATCH",
                url=f"https://erp.example.com/api/companies/{n}",
                started_at=FIXED_NOW - 6000 + n,
                attempt=n,
                status_code=503 if n == 24 else 200,
                error="needle: upstream timed out" if n == 24 else "",
            )  # fmt: skip
            for n in range(25)
        )
    finally:
        await store.close()
    return path, ids


def pager(screen) -> str:  # noqa: ANN001
    return screen.query_one("#pager", StatusLine).plain


async def test_search_pages_and_calls_reaches_rows_beyond_the_page(tmp_path: Path) -> None:
    db, ids = await many_rows_db(tmp_path)
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = logs_screen(app)
        await pilot.press("v")
        await settle(pilot)
        screen.table.move_cursor(row=screen.table.keys.index(str(ids["first_run"])))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # the first step: 33 pages, two pages of 20
        await settle(pilot)
        assert screen.level.kind == "instances"
        assert pager(screen).startswith("1–20 of 33 · page 1/2")
        assert "page=30" not in " ".join(
            r[2].plain for r in map(screen.table.get_row_at, range(20))
        )
        await pilot.press("slash", *"needle", "enter")
        await settle(pilot)
        assert screen.table.row_count == 1
        assert screen.table.get_row_at(0)[1].plain == "30"  # page 30, on the second page
        assert "1 match" in pager(screen) and "of 1 ·" in pager(screen)
        await pilot.press("escape")
        await settle(pilot)
        assert pager(screen).startswith("1–20 of 33")
        await pilot.press("enter", "enter")  # page 1 > its first entity > API calls
        await settle(pilot)
        assert screen.level.kind == "calls"
        assert pager(screen).startswith("1–20 of 26 · page 1/2")
        await pilot.press("slash", *"NEEDLE", "enter")  # case does not matter
        await settle(pilot)
        assert screen.table.row_count == 1
        assert screen.table.get_row_at(0)[3].plain == "503"
        assert "1 match" in pager(screen)
        await pilot.press("escape", "slash", *"503", "enter")  # the status code
        await settle(pilot)
        assert screen.table.row_count == 1 and "1 match" in pager(screen)
        await pilot.press("escape", "slash", *"%", "enter")  # a LIKE wildcard is literal
        await settle(pilot)
        assert screen.table.row_count == 0 and "0 match" in pager(screen)
