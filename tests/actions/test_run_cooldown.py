"""`syncdeck run` honours the service's cooldown (exit 1, the seeds' words); --force runs."""

from __future__ import annotations

from ops_helpers import config_text, make_store, query, sandbox

from core.actions import COOLDOWN_MESSAGE
from core.cli import main


def test_second_manual_run_is_refused_then_forced(tmp_path, capsys) -> None:
    with sandbox(12) as sb:
        db = make_store(tmp_path, config_text(sb))
        assert main(["run", "customers", "--db", str(db)]) == 0
        capsys.readouterr()
        assert main(["run", "customers", "--db", str(db)]) == 1
        err = capsys.readouterr().err
        assert COOLDOWN_MESSAGE.format(minutes="60 minutes") in err
        assert "--force" in err and "Traceback" not in err
        assert query(db, "SELECT COUNT(*) FROM runs")[0][0] == 1  # nothing started
        assert main(["run", "customers", "--force", "--db", str(db)]) == 0
        assert query(db, "SELECT COUNT(*) FROM runs")[0][0] == 2


def test_no_cooldown_when_zero_and_unknown_service_is_exit_2(tmp_path, capsys) -> None:
    with sandbox(5) as sb:
        db = make_store(tmp_path, config_text(sb, cooldown=0))
        assert main(["run", "customers", "--db", str(db)]) == 0
        assert main(["run", "customers", "--db", str(db)]) == 0
        capsys.readouterr()
        assert main(["run", "nope", "--db", str(db)]) == 2
        assert "No service named 'nope'" in capsys.readouterr().err
