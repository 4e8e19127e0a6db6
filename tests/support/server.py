"""A real gunicorn serving the webhook on 127.0.0.1, for the tests, the soak and the
benchmarks: started from a configuration folder, ready when /healthz answers, stopped cleanly."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support import HANG_SECONDS
from tests.support.wordlists import CANARY
from webhook.auth import token_hash

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "webhook" / "gunicorn.conf.py"
GATE_APP = "webhook:create_app()"
AUDIT_KEY = "bench-audit-key-0123456789"  # the server refuses keys under 16 bytes
TOKEN = "e2e-token"


@dataclass(frozen=True)
class Server:
    url: str
    folder: Path
    process: subprocess.Popen[bytes]
    log: Path

    def workers(self) -> list[int]:
        """The pids of the master's live worker processes: not its other children, such as
        the resource tracker that multiprocessing starts with a wordlist's compile process."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split() if _runs_gunicorn(pid)]


def _runs_gunicorn(pid: str) -> bool:
    try:
        return b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # it ended meanwhile
        return False


def write_config(folder: Path, *, org: str, wordlist: Path | str, token: str, **server: str | float) -> Path:
    """folder/gate.toml, which `launch` serves: one organisation with one token, the audit
    log in the folder, and any other [server] settings given."""
    settings = {"audit_db": "audit.sqlite3", **server}
    lines = ["[server]", *(f"{key} = {json.dumps(value)}" for key, value in settings.items()), ""]
    lines += [f"[orgs.{org}]", f"wordlist = {json.dumps(str(wordlist))}", f'token_sha256 = ["{token_hash(token)}"]']
    path = folder / "gate.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_example_config(folder: Path, **server: str | float) -> Path:
    """The example organisation with the canary client, served with TOKEN, reloading
    every 0.2 s unless `server` says otherwise."""
    wordlist = folder / "example"
    shutil.copytree(ROOT / "wordlists" / "example", wordlist)
    with (wordlist / "clients.csv").open("a") as clients:
        clients.write(f"EX-099,name,{CANARY},\n")
    return write_config(folder, org="example", wordlist="example", token=TOKEN, **{"reload_seconds": 0.2, **server})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def gunicorn_command(*options: str, app: str = GATE_APP) -> list[str]:
    """The production command line (webhook/gunicorn.conf.py), with options after it."""
    return [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), *options, app]


def launch(
    command: Sequence[str],
    folder: Path,
    *,
    port: int | None = None,
    workers: int = 2,
    env: dict[str, str] | None = None,
    log_name: str = "server.log",
    preexec: Callable[[], None] | None = None,
) -> Server:
    """Start `command` in `folder` (GATE_CONFIG is folder/gate.toml) and wait until it answers."""
    port = port or free_port()
    log = folder / log_name
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GATE_AUDIT_KEY": AUDIT_KEY,
        "GATE_CONFIG": str(folder / "gate.toml"),
        "GATE_BIND": f"127.0.0.1:{port}",
        "GATE_WORKERS": str(workers),
        **(env or {}),
    }
    with log.open("wb") as output:
        process = subprocess.Popen(
            list(command), cwd=folder, env=environment, stdout=output, stderr=subprocess.STDOUT, preexec_fn=preexec
        )
    server = Server(f"http://127.0.0.1:{port}", folder, process, log)
    deadline = time.monotonic() + HANG_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=1):
                return server
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("the server stopped: " + log.read_text(errors="replace")) from None
            time.sleep(0.1)
    stop(server)
    raise RuntimeError("the server did not start: " + log.read_text(errors="replace"))


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@contextmanager
def running(command: Sequence[str], folder: Path, **options: Any) -> Iterator[Server]:
    server = launch(command, folder, **options)
    try:
        yield server
    finally:
        stop(server)


def call(
    url: str,
    body: object,
    *,
    token: str,
    org: str = "example",
    timeout: float = 10.0,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    """POST a check (`body` as JSON, or bytes as they are); the status and the JSON answer
    (also for 4xx and 5xx)."""
    request = urllib.request.Request(
        f"{url}/v1/orgs/{org}/check",
        data=body if isinstance(body, bytes) else json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def readyz(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def wait_for(predicate: Callable[[], bool], seconds: float = HANG_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.1)
