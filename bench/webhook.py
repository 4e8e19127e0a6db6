"""The webhook under a real gunicorn against a bare Flask app under the same settings:
requests/s and latency for one 2 KB post, and the memory of the preloaded workers."""

from __future__ import annotations

import json
import os
import secrets
import statistics
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import NamedTuple

from tests.support.server import AUDIT_KEY, ROOT, Server, gunicorn_command, running, write_config

ENV = {"GATE_AUDIT_KEY": AUDIT_KEY}
BARE_APP = "bench.bare_app:create_app()"
ORG = "bench"
CLIENT_PROCESSES, CLIENT_THREADS = 2, 2  # four requests in flight for two sync workers


class Load(NamedTuple):
    server: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


class ProcessMemory(NamedTuple):
    role: str
    rss_mib: float
    pss_mib: float
    shared_mib: float
    private_mib: float


def post_body(name: str) -> bytes:
    """A 2 KB post in the webhook's shape, naming one client (so the gate must block it)."""
    sentence = "The community garden group met on Saturday for the open day and the morning session. "
    text = (sentence * 30)[:1800] + f" Thanks to {name} for the mural."
    post = {"id": "post-1", "text": text, "media": [{"alt_text": "Volunteers planting beans by the shed"}]}
    return json.dumps({"post": post}).encode()


def answer(server: Server, body: bytes, token: str) -> dict[str, object]:
    request = urllib.request.Request(
        f"{server.url}/v1/orgs/{ORG}/check",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        result: dict[str, object] = json.loads(response.read())
        return result


def load(server: Server, label: str, body: bytes, token: str, *, seconds: float, folder: Path) -> Load:
    """Requests/s and latency percentiles from a few client processes at once."""
    body_file = folder / "body.json"
    body_file.write_bytes(body)
    for _ in range(20):  # warm both workers
        answer(server, body, token)
    url = f"{server.url}/v1/orgs/{ORG}/check"
    command = [sys.executable, "-m", "bench.load", url, str(body_file), str(seconds), str(CLIENT_THREADS)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_TOKEN": token}
    clients = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE) for _ in range(CLIENT_PROCESSES)]
    results = [json.loads(client.communicate()[0]) for client in clients]
    failures = [status for result in results for status in result["failures"]]
    if failures:
        raise SystemExit(f"{label}: {len(failures)} requests failed (status {failures[0]})")
    latencies = [latency for result in results for latency in result["latencies_ms"]]
    percentiles = statistics.quantiles(latencies, n=100)
    return Load(label, len(latencies), seconds, percentiles[49], percentiles[98])


def worker_memory(master: int) -> list[ProcessMemory]:
    """Rss, Pss, shared and private memory of gunicorn's master and each worker."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    pids = [("master", master)] + [(f"worker {number}", int(pid)) for number, pid in enumerate(children, 1)]
    return [_memory(role, pid) for role, pid in pids]


def _memory(role: str, pid: int) -> ProcessMemory:
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])

    def mib(*names: str) -> float:
        return sum(fields[name] for name in names) / 1024

    return ProcessMemory(
        role, mib("Rss"), mib("Pss"), mib("Shared_Clean", "Shared_Dirty"), mib("Private_Clean", "Private_Dirty")
    )


def measure_bare(name: str, *, seconds: float, folder: Path) -> Load:
    token = secrets.token_urlsafe(16)
    with running(gunicorn_command(app=BARE_APP), folder, env=ENV) as server:
        return load(server, "bare Flask", post_body(name), token, seconds=seconds, folder=folder)


def measure_gate(
    wordlist: Path,
    name: str,
    *,
    seconds: float,
    folder: Path,
    audit_sync: str = "full",
    audit_db: str = "audit.sqlite3",
) -> tuple[Load, list[ProcessMemory]]:
    """The webhook with `wordlist`; it must block the post, which names a client."""
    token = secrets.token_urlsafe(16)
    body = post_body(name)
    write_config(folder, org=ORG, wordlist=wordlist, token=token, audit_sync=audit_sync, audit_db=audit_db)
    with running(gunicorn_command(), folder, env=ENV) as server:
        decision = answer(server, body, token).get("decision")
        if decision != "block":
            raise SystemExit(f"the webhook answered {decision!r} to a post naming a client")
        label = f"gate webhook, audit_sync {audit_sync}"
        result = load(server, label, body, token, seconds=seconds, folder=folder)
        return result, worker_memory(server.process.pid)
