"""Demo history: 30 days of realistic, deterministic syncs for the console, CLI and benchmarks."""

from __future__ import annotations

from .history import seed_history

__all__ = ["seed_history"]
