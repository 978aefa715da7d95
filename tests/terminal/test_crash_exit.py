"""A console that crashes never exits 0 (issue 10, item 11): an unhandled exception in a key
handler ends the real console, in a real terminal, with a non-zero exit status."""

from __future__ import annotations

import sys
from pathlib import Path

from termkit import private_env

# The real console, with one fault injected: `p` (pause) raises, like the empty-grid crash did.
FAULTY = (
    "import sys\n"
    "import tui.screens.live_loader as m\n"
    "def boom(self): raise AttributeError(\"'NoneType' object has no attribute 'value'\")\n"
    "m.LiveLoader.action_pause = boom\n"
    "from core.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_a_crash_in_the_console_exits_non_zero(tmux, small_store: Path, tmp_path) -> None:
    term = tmux(80, 24)
    term.start([sys.executable, "-c", FAULTY, "--db", str(small_store)], private_env(tmp_path))
    term.wait_for(lambda s: "Total logs" in s, 15, "the log view")
    term.keys("p")
    _seconds, status = term.wait_exit(10)
    assert status == 1


def test_empty_search_typed_as_fast_as_a_paste(tmux, small_store: Path, tmp_path) -> None:
    """The issue's keys, sent at once: `/` then text holding `q` (it must go into the search
    box, not quit), Enter on no match, then paging on the empty grid. Nothing crashes."""
    term = tmux(80, 24)
    term.start([sys.executable, "-m", "core.cli", "--db", str(small_store)], private_env(tmp_path))
    term.wait_for(lambda s: "Total logs" in s, 15, "the log view")
    term.keys("/", *"zzqqxnomatch", "Enter", "PageDown", "PageUp", "n", "b", "PageDown")
    term.wait_for(lambda s: "No rows here match" in s, 10, "the empty search result")
    term.keys("v", "/", *"zzqqxnomatch", "Enter", "PageDown", "PageUp")
    term.wait_for(lambda s: "Runs" in s and "No rows here match" in s, 10, "empty Runs")
    assert term.status() is None  # still running
    term.keys("q")
    _seconds, status = term.wait_exit(10)
    assert status == 0
