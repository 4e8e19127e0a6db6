"""`python -m bench.load URL BODY_FILE SECONDS THREADS`: POST the body over and over from
THREADS connections for SECONDS; prints each request's latency (ms) as JSON.

A bounded client on 127.0.0.1 (wrk is not installed everywhere); the harness runs a few of
these processes at once so that one interpreter's lock does not set the pace.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import threading
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path


def hammer(
    url: str, body: bytes, headers: dict[str, str], deadline: float, latencies: list[float], failures: list[int]
) -> None:
    """One connection's requests until `deadline` (gunicorn's sync workers close each
    connection after the answer, so http.client reconnects for the next request)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        connection.request("POST", parts.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        latencies.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            failures.append(response.status)
    connection.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("url")
    parser.add_argument("body", type=Path)
    parser.add_argument("seconds", type=float)
    parser.add_argument("threads", type=int)
    args = parser.parse_args(argv)
    body = args.body.read_bytes()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {os.environ['BENCH_TOKEN']}"}
    latencies: list[float] = []
    failures: list[int] = []
    deadline = time.perf_counter() + args.seconds
    threads = [
        threading.Thread(target=hammer, args=(args.url, body, headers, deadline, latencies, failures))
        for _ in range(args.threads)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"latencies_ms": latencies, "failures": failures}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
