"""`syncdeck config import FILE --test`: the CLI twin of saving a connector in the console; a
connector whose test fails refuses the import with ConnectWise's words unless --force."""

from __future__ import annotations

from ops_helpers import config_text, query, sandbox, write_config

from core.cli import main
from core.connector_check import NOT_ESTABLISHED
from core.sandbox import Faults


def test_import_refused_when_a_connector_test_fails(tmp_path, capsys, monkeypatch) -> None:
    with sandbox(3, Faults(token="good")) as sb:
        auth = 'auth = { type = "bearer", token = "env:CRM_T" }'
        path = write_config(tmp_path, config_text(sb, crm_auth=auth))
        db = tmp_path / "i.db"
        monkeypatch.setenv("CRM_T", "bad")
        assert main(["config", "import", str(path), "--test", "--db", str(db)]) == 1
        err = capsys.readouterr().err
        assert f"crm: {NOT_ESTABLISHED}" in err and "HTTP 401" in err
        assert "Nothing was imported" in err and "bad" not in err.replace("bad input", "")
        assert query(db, "SELECT COUNT(*) FROM connectors")[0][0] == 0
        assert main(["config", "import", str(path), "--test", "--force", "--db", str(db)]) == 0
        assert query(db, "SELECT COUNT(*) FROM connectors")[0][0] == 2
        assert NOT_ESTABLISHED in capsys.readouterr().err  # said, then imported as asked
        monkeypatch.setenv("CRM_T", "good")
        assert main(["config", "import", str(path), "--test", "--db", str(db)]) == 0
        assert NOT_ESTABLISHED not in capsys.readouterr().err
