"""A real PostgreSQL server for the tests, from the system's packages: `initdb` in a
temporary folder and `pg_ctl` to start and stop it, run as an unprivileged user (PostgreSQL
refuses root, and CI runs as root: there the server runs as `nobody`), listening on
127.0.0.1 only with trust authentication. Each test gets a database of its own."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.support.server import free_port

UNPRIVILEGED = "nobody"


def postgres_bin() -> Path | None:
    """The newest installed server's programs (Debian keeps them out of PATH)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(Path(path).parts[4]))
    return Path(found[-1]).parent if found else None


@dataclass
class PostgresServer:
    bin: Path
    folder: Path
    port: int
    durable: bool = False  # fsync on, as in production (the benchmarks); off for the tests

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://gate@127.0.0.1:{self.port}/{database}"

    def pg_ctl(self, *arguments: str) -> None:
        command = [
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.folder / "data"),
            "-l",
            str(self.folder / "log"),
            *arguments,
        ]
        subprocess.run(command, check=True, capture_output=True, preexec_fn=_as_unprivileged(), timeout=60)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        options += "" if self.durable else " -c fsync=off"
        self.pg_ctl("-w", "-o", options, "start")

    def stop(self) -> None:
        self.pg_ctl("-w", "-m", "fast", "stop")

    def new_database(self) -> str:
        """A new empty database's URL."""
        name = f"gate_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}".encode())
        return self.url(name)


@contextlib.contextmanager
def postgres_server(*, durable: bool = False) -> Iterator[PostgresServer]:
    programs = postgres_bin()
    if programs is None:
        raise RuntimeError("PostgreSQL's server is not installed (apt-get install postgresql)")
    # In /tmp, which `nobody` can reach (not a $TMPDIR of root's), with a short path (a
    # socket's path is at most 107 bytes).
    folder = Path(tempfile.mkdtemp(prefix="gate-pg-", dir="/tmp"))
    if os.geteuid() == 0:
        account = pwd.getpwnam(UNPRIVILEGED)
        os.chown(folder, account.pw_uid, account.pw_gid)
    server = PostgresServer(programs, folder, free_port(), durable)
    try:
        done = subprocess.run(
            [str(programs / "initdb"), "-D", str(folder / "data"), "-U", "gate", "--auth=trust", "-E", "UTF8"],
            check=False,
            capture_output=True,
            text=True,
            preexec_fn=_as_unprivileged(),
            timeout=120,
        )
        if done.returncode:
            raise RuntimeError(f"initdb failed: {done.stderr.strip()}")
        server.start()
        try:
            yield server
        finally:
            with contextlib.suppress(subprocess.CalledProcessError):
                server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _as_unprivileged() -> Callable[[], None] | None:
    """Where the tests run as root, what makes a child `nobody` before it runs."""
    if os.geteuid() != 0:
        return None
    account = pwd.getpwnam(UNPRIVILEGED)

    def drop() -> None:
        os.setgid(account.pw_gid)
        os.setgroups([])
        os.setuid(account.pw_uid)

    return drop
