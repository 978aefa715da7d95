import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Secrets go to a private directory of the test, never the user's config dir."""
    d = tmp_path / "config"
    monkeypatch.setenv("SYNCDECK_CONFIG_DIR", str(d))
    monkeypatch.delenv("SYNCDECK_READ_ONLY", raising=False)
    yield d
