"""The live demo's tests share the terminal tests' tmux/pty kit."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "terminal"))

from termkit import tmux  # noqa: E402, F401  (a fixture)
