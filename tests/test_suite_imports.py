"""The README's `python -m pytest` collects the whole suite at once, where every conftest.py is
imported under the one module name `conftest`: `from conftest import X` in a test then reads
whichever conftest.py came last (tests/admin/conftest.py) and collection stops with an
ImportError. Shared helpers live in a plain module (tests/history_kit.py) or a fixture."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
_IMPORT = re.compile(r"^\s*(from\s+conftest\s+import|import\s+conftest\b)", re.MULTILINE)


def test_no_test_module_imports_a_conftest_by_name() -> None:
    offenders = [
        str(path.relative_to(TESTS))
        for path in sorted(TESTS.rglob("*.py"))
        if path.name != "conftest.py" and _IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], f"import a plain helper module or use a fixture instead: {offenders}"
