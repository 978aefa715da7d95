"""Every screen at 80x24 with NO_COLOR=1 and TERM=linux (16 colours), as on a jump host:
what is on screen is asserted as text; levels and statuses are told apart by words and glyphs,
and the terminal receives no 256-colour or true-colour sequences.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from termkit import SYNCDECK, Tmux, private_env

JUMP_HOST = {"NO_COLOR": "1", "TERM": "linux"}
BADGE = re.compile(r"^ +(i INFO|▲ WARNING|✖ ERROR) ", re.M)
RICH_COLOUR = re.compile(r"\x1b\[[0-9;]*[34]8;[25];")
RUNS_HEADER = r"Status +Run +Service"  # Runs only; column widths follow their content


def _open(tmux, store: Path, tmp: Path) -> Tmux:
    term = tmux(80, 24)
    term.start([*SYNCDECK, "--db", str(store)], private_env(tmp, **JUMP_HOST))
    term.wait_for(lambda s: "Total logs" in s and "page 1/" in s, 20, "the log view")
    return term


def _press(term: Tmux, key: str, until: str, what: str = "") -> str:
    """Press `key`, then wait for `until` (a regular expression) on screen."""
    term.keys(key)
    return term.wait_for(lambda s: re.search(until, s) is not None, 10, what or until)


def _escape(term: Tmux) -> None:
    time.sleep(0.3)  # an escape directly followed by a key reads as alt+key
    term.keys("Escape")
    time.sleep(0.4)


def _essentials(screen: str) -> None:
    lines = screen.rstrip("\n").split("\n")
    assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
    assert lines[-1].rstrip().endswith("^p Cmds")  # the footer's last line, short at 80


def _admin_fits(screen: str, headers: tuple[str, ...]) -> None:
    """An admin table's essential headers on one line, and ? Help, q Quit first in the footer."""
    assert any(all(h in line for h in headers) for line in screen.split("\n")), screen
    assert screen.rstrip("\n").split("\n")[-1].lstrip().startswith("? Help q Quit"), screen


def test_log_view_levels_by_text(tmux, small_store: Path, tmp_path: Path) -> None:
    term = _open(tmux, small_store, tmp_path)
    screen = term.screen()
    _essentials(screen)
    for tile in ("Total logs (30d)", "Errors (30d)", "Warnings (30d)", "Last update"):
        assert tile in screen
    assert "● live 5s" in screen
    assert re.search(r"^ +(i INFO|▲ WARNING|✖ ERROR) ", screen, re.M)
    assert not RICH_COLOUR.search(term.screen(escapes=True))
    for label, badge in (("Info", "i INFO"), ("Warning", "▲ WARNING"), ("Error", "✖ ERROR")):
        term.keys("l")
        screen = term.wait_for(
            lambda s, lb=label, bd=badge: f"Level {lb}" in s and set(BADGE.findall(s)) == {bd},
            10, f"only {badge} rows under Level {label}",
        )  # fmt: skip
    error = screen
    _essentials(error)
    assert "Level All" in _press(term, "l", "Level All")
    help_ = _press(term, "?", "Keys: Log ")  # the view, not "LogsScreen"
    assert re.search(r"\((app|logs)\.\w+\)", help_)  # binding ids, to remap keys
    _escape(term)
    assert "Keys:" not in term.screen()


def test_runs_and_the_drill_down_at_80x24(tmux, live_store: Path, tmp_path: Path) -> None:
    term = _open(tmux, live_store, tmp_path)
    runs = _press(term, "v", RUNS_HEADER)
    _essentials(runs)
    assert re.search(r"(✔ success|◐ partial) +#\d+ +demo-crm-to-er", runs)  # newest first
    shown = set(re.findall(r"^ +(✔ success|◐ partial|✖ failed|▶ running|… queued|⊘ cancelled"
                           r"|↯ interrupted) +#", runs, re.M))  # fmt: skip
    assert len(shown) >= 2, runs  # statuses told apart by a glyph and a word
    assert not RICH_COLOUR.search(term.screen(escapes=True))
    levels = [
        ("Steps", "customers"),
        ("Pages", "/customers"),
        ("Entities", "External id"),
        ("API calls", "/accounts"),
    ]
    for title, content in levels:
        term.keys("enter")
        screen = term.wait_for(lambda s, t=title, c=content: f"\n{t} " in s and c in s, 10, title)
        _essentials(screen)
        assert not RICH_COLOUR.search(term.screen(escapes=True))
        if title == "Entities":
            assert re.search(r"\b(create|skip|update)\b", screen)
            assert re.search(r"\b(success|skipped|failed)\b", screen)
        help_ = _press(term, "?", f"Keys: {title} ", f"help on {title}")
        assert "Drill in" in help_ or "Back" in help_
        _escape(term)
    crumbs = term.screen()
    assert "1:Runs ›" in crumbs
    back = _press(term, "1", RUNS_HEADER, "crumb 1 jumps back to Runs")
    assert "demo-crm-to-er" in back


def test_admin_screens_at_80x24(tmux, live_store: Path, tmp_path: Path) -> None:
    term = _open(tmux, live_store, tmp_path)
    term.keys("C")
    connectors = term.wait_for(lambda s: "› Connectors" in s and "demo-erp" in s and
                               "^p Cmds" in s, 10, "Connectors")  # fmt: skip
    _essentials(connectors)
    for word in ("✔ connected", "✖ error", "demo-crm", "demo-erp"):
        assert word in connectors
    _admin_fits(connectors, ("Name", "Status", "Synced", "Err"))
    _press(term, "?", "Keys: Connectors ")
    _escape(term)
    term.keys("S")
    services = term.wait_for(lambda s: "› Services" in s and "demo-crm-to" in s and
                             "^p Cmds" in s, 10, "Services")  # fmt: skip
    _essentials(services)
    assert re.search(r"(✔ success|◐ partial)", services) and "✖ failed" in services
    _admin_fits(services, ("Service", "On", "Last run", "Next run"))
    _press(term, "?", "Keys: Services ")
    _escape(term)
    row = [ln for ln in services.split("\n") if "demo-crm-to" in ln][0]
    rows = [ln for ln in services.split("\n") if re.match(r"^ {4}\S", ln)][1:]
    for _ in range(rows.index(row)):
        term.keys("j")
        time.sleep(0.1)
    term.keys("m")
    mappings = term.wait_for(lambda s: "› Mappings" in s and "company.name" in s and
                             "^p Cmds" in s, 10, "the mapping grid")  # fmt: skip
    _essentials(mappings)
    _admin_fits(mappings, ("Destination", "Source path", "After transforms"))
    _admin_fits(mappings, ("Source value", "Destination value", "Status"))
    _press(term, "?", "Keys: Mappings ")
    _escape(term)
    assert "Total logs" in _press(term, "L", "Total logs")
