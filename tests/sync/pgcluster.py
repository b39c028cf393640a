"""Start a throwaway PostgreSQL server (Debian's binaries) for tests and benchmarks.

initdb into a fresh temp dir owned by an unprivileged user (postgres refuses to run as root;
we use `runuser -u nobody` when root), `pg_ctl start` on a free loopback port, durability off
(it is thrown away), stopped with `-m immediate` and deleted after.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


def pg_bin() -> Path | None:
    for pattern in ("/usr/lib/postgresql/*/bin",):
        for d in sorted(glob.glob(pattern), reverse=True):
            if Path(d, "initdb").exists() and Path(d, "pg_ctl").exists():
                return Path(d)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgCluster:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="quizapp-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "nobody")
            os.chmod(self.root, 0o700)
            self.prefix = ["runuser", "-u", "nobody", "--"]

    def run(self, *argv: str) -> None:
        subprocess.run(
            [*self.prefix, *argv], check=True, capture_output=True, cwd=self.root, timeout=120
        )

    def start(self) -> None:
        self.run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "quizapp",
            "--no-sync", "-E", "UTF8",
        )  # fmt: skip
        opts = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self.run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", opts, "-w", "-t", "60",
            "-l", str(self.root / "log"), "start",
        )  # fmt: skip

    def stop(self) -> None:
        try:
            self.run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def dsn(self, dbname: str = "postgres") -> str:
        return f"postgresql://quizapp@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.dsn(name)
