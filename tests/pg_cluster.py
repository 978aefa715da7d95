"""A throwaway PostgreSQL cluster on a free loopback port, for tests and benchmarks.

initdb + pg_ctl in a temp dir (as the `postgres` user when running as root: initdb refuses
root), trust auth on 127.0.0.1 only, fsync off (the data is thrown away). Databases are made
from a migrated template (`CREATE DATABASE ... TEMPLATE`), which is much faster than migrating
each one.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BINARIES = ("initdb", "pg_ctl")
PASSWORD_ROLE = "syncdeck_pw"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(cmd: list[str], user: str | None) -> list[str]:
    if user is None:
        return cmd
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", user, "--", *cmd]
    return ["su", user, "-s", "/bin/sh", "-c", " ".join(cmd)]


def _scratch() -> str | None:
    """Memory (/dev/shm) when it has room: the cluster is thrown away, and a loaded disk made
    every CREATE DATABASE and the final clean-up slow. Else the usual temp folder."""
    try:
        st = os.statvfs("/dev/shm")
    except OSError:
        return None
    return "/dev/shm" if st.f_bavail * st.f_frsize > 2 * 1024**3 else None


def missing_binaries() -> list[str]:
    return [b for b in PG_BINARIES if shutil.which(b) is None]


class Cluster:
    """`with Cluster() as pg:` starts it; `pg.url(dbname)` is a URL for a database in it."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.user = "postgres" if os.geteuid() == 0 else None
        self.dir = Path(tempfile.mkdtemp(prefix="syncdeck-pg-", dir=_scratch()))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.superuser = "postgres"
        self._seq = 0

    def url(self, dbname: str = "postgres", user: str | None = None) -> str:
        return f"postgresql://{user or self.superuser}@127.0.0.1:{self.port}/{dbname}"

    def _run(self, cmd: list[str]) -> None:
        done = subprocess.run(
            _as_owner(cmd, self.user), capture_output=True, text=True, timeout=60, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed ({done.returncode}): {done.stderr[-2000:]}")

    def start(self) -> Cluster:
        if self.user is not None:
            shutil.chown(self.dir, self.user)
        self._run([
            "initdb", "-D", str(self.data), "-U", self.superuser, "-A", "trust", "-E", "UTF8",
            "--locale=C", "--no-sync",
        ])  # fmt: skip
        # One role must give a password (the wrong-password test); everyone else is trusted.
        hba = self.data / "pg_hba.conf"
        hba.write_text(f"host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        opts = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories="
            f"{self.dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200 -c shared_buffers=128MB"
        )
        self._run(["pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", opts, "-w", "start"])
        return self

    def stop(self) -> None:
        try:
            self._run(["pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop"])
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
        # In the background: deleting a few hundred MB of database files took 10-14 s on a
        # loaded disk, all of it added to the session's end.
        subprocess.Popen(["rm", "-rf", str(self.dir)], start_new_session=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def next_name(self, prefix: str = "t") -> str:
        self._seq += 1
        return f"{prefix}_{os.getpid()}_{self._seq}"

    async def create_database(self, name: str, template: str | None = None) -> str:
        import asyncpg

        conn = await asyncpg.connect(self.url())
        try:
            tpl = f" TEMPLATE {template}" if template else ""
            await conn.execute(f'CREATE DATABASE "{name}"{tpl}')
        finally:
            await conn.close()
        return self.url(name)

    async def drop_database(self, name: str) -> None:
        import asyncpg

        conn = await asyncpg.connect(self.url())
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()
