"""`python -m bench.soak [--seconds 60] [--clients 8]`: the webhook under load while its
wordlist is rewritten every second, some of the rewrites broken, some written in place.

A real gunicorn (webhook/gunicorn.conf.py, 2 workers) on 127.0.0.1. Clients post without
pause: a third of the posts name a planted client (each must be blocked), the rest name no
one (each must be approved). Counted: failed requests (no answer or not 200), wrong
decisions, audit rows against answers, and whether any planted name reached the server's
log or audit database. Exit 0 only when all of those are zero and the counts agree.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.data import FILLER, generate_identifiers
from tests.support.server import (
    Server,
    call,
    gunicorn_command,
    readyz,
    running,
    wait_for,
    write_config,
)

TOKEN = "soak-token"
HEADER = "client_id,kind,value\n"
PLANTED = 20
REWRITE_SECONDS = 1.0


@dataclass
class Figures:
    seconds: float
    clients: int
    requests: int = 0
    failed: int = 0
    wrong: int = 0
    blocked: int = 0
    approved: int = 0
    audit_rows: int = 0
    rewrites: dict[str, int] = field(default_factory=lambda: {"good": 0, "in place": 0, "broken": 0})
    leaked: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        answered = self.blocked + self.approved
        return not (self.failed or self.wrong or self.leaked) and self.audit_rows == answered == self.requests


class Wordlist:
    """clients.csv of the soak: the planted clients in every good version, at the end of
    the file, so that a list read half-written would miss them."""

    def __init__(self, directory: Path, rows: list[tuple[str, str, str]]) -> None:
        self.path = directory / "clients.csv"
        names = [row for row in rows if row[1] == "name"]
        self.planted = names[:PLANTED]
        self.others = [row for row in rows if row not in self.planted]
        directory.mkdir(parents=True)
        self.path.write_text(self.good(random.Random(0)), encoding="utf-8")

    def good(self, rng: random.Random) -> str:
        others = rng.sample(self.others, k=len(self.others) * 3 // 4)
        return HEADER + "".join(f"{c},{k},{v}\n" for c, k, v in [*others, *self.planted])

    def broken(self, rng: random.Random) -> str:
        lines = self.good(rng).splitlines(keepends=True)
        lines.insert(rng.randrange(1, len(lines)), "X-1,nmae,Broken Row\n")
        return "".join(lines)

    def replace(self, text: str) -> None:
        """As a careful tool does: a new file, renamed over the old one."""
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, self.path)

    def write_in_place(self, text: str) -> None:
        """As a careless editor or `cp` does: truncate, then write in pieces."""
        with self.path.open("w", encoding="utf-8") as handle:
            step = len(text) // 3 + 1
            for start in range(0, len(text), step):
                handle.write(text[start : start + step])
                handle.flush()
                time.sleep(0.02)


def rewrite(wordlist: Wordlist, figures: Figures, stop: threading.Event) -> None:
    rng = random.Random(1)
    turn = 0
    while not stop.wait(REWRITE_SECONDS):
        if turn % 3 == 0:
            wordlist.replace(wordlist.good(rng))
            figures.rewrites["good"] += 1
        elif turn % 3 == 1:
            wordlist.replace(wordlist.broken(rng))
            figures.rewrites["broken"] += 1
        else:
            wordlist.write_in_place(wordlist.good(rng))
            figures.rewrites["in place"] += 1
        turn += 1
    wordlist.replace(wordlist.good(rng))


def post(wordlist: Wordlist, rng: random.Random, n: int) -> tuple[str, dict[str, object]]:
    """The expected decision and a post of about 1 KB."""
    words = " ".join(rng.choice(FILLER) for _ in range(150))
    if n % 3:
        return "approve", {"id": f"p{n}", "text": f"{words.capitalize()}."}
    first, _, rest = rng.choice(wordlist.planted)[2].partition(" ")  # Chinese names have no space
    return "block", {"id": f"p{n}", "text": f"{words.capitalize()}. Thanks to **{first}**{' ' if rest else ''}{rest}!"}


def client(
    server: Server, wordlist: Wordlist, figures: Figures, seed: int, deadline: float, lock: threading.Lock
) -> None:
    try:
        _post_until(server, wordlist, figures, seed, deadline, lock)
    except Exception:
        with lock:  # a client that breaks is a failure of the run, not a quiet thread
            figures.failed += 1
        raise


def _post_until(
    server: Server, wordlist: Wordlist, figures: Figures, seed: int, deadline: float, lock: threading.Lock
) -> None:
    rng = random.Random(seed)
    n = seed * 1_000_000
    while time.monotonic() < deadline:
        expected, body = post(wordlist, rng, n)
        n += 1
        started = time.perf_counter()
        try:
            status, answer = call(server.url, {"post": body}, token=TOKEN, org="org", timeout=30)
        except OSError:
            status, answer = 0, None
        elapsed = time.perf_counter() - started
        with lock:
            figures.requests += 1
            figures.latencies.append(elapsed)
            if status != 200:
                figures.failed += 1
            elif answer["decision"] != expected:
                figures.wrong += 1
            elif expected == "block":
                figures.blocked += 1
            else:
                figures.approved += 1


def soak(seconds: float, clients: int, folder: Path) -> Figures:
    wordlist = Wordlist(folder / "org", generate_identifiers(2000, seed=3))
    # A third of the rewrites are broken: the last good list answers for them (every
    # verdict then says it is stale), or the run would count their refusals as failures.
    write_config(folder, org="org", wordlist="org", token=TOKEN, reload_seconds=0.2, on_broken_list="last_good")
    figures = Figures(seconds, clients)
    with running(gunicorn_command(), folder) as server:
        stop, lock = threading.Event(), threading.Lock()
        deadline = time.monotonic() + seconds
        threads = [threading.Thread(target=rewrite, args=(wordlist, figures, stop))]
        threads += [
            threading.Thread(target=client, args=(server, wordlist, figures, seed, deadline, lock))
            for seed in range(1, clients + 1)
        ]
        for thread in threads:
            thread.start()
        for thread in threads[1:]:
            thread.join()
        stop.set()
        threads[0].join()
        wait_for(lambda: all(readyz(server.url)[0] == 200 for _ in range(4)), seconds=30)
    with sqlite3.connect(folder / "audit.sqlite3") as connection:
        figures.audit_rows = connection.execute("SELECT count(*) FROM decisions").fetchone()[0]
    stored = b"".join(path.read_bytes() for path in [server.log, *folder.glob("audit.sqlite3*")])
    figures.leaked = [value for _, _, value in wordlist.planted if value.encode() in stored]
    return figures


def render(figures: Figures) -> str:
    latencies = sorted(figures.latencies) or [0.0]
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    rewrites = ", ".join(f"{count} {kind}" for kind, count in figures.rewrites.items())
    return "\n".join(
        [
            "| seconds | clients | requests | failed | wrong decisions | blocked | approved | audit rows | "
            "wordlist rewrites | planted names in log or audit | p50 ms | p99 ms |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
            f"| {figures.seconds:g} | {figures.clients} | {figures.requests} | {figures.failed} | {figures.wrong} | "
            f"{figures.blocked} | {figures.approved} | {figures.audit_rows} | {rewrites} | {len(figures.leaked)} | "
            f"{statistics.median(latencies) * 1000:.1f} | {p99 * 1000:.1f} |",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the clients post (default 60)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gate-soak-") as folder:
        figures = soak(args.seconds, args.clients, Path(folder))
    print(render(figures))
    print("ok" if figures.ok else "FAILED")
    return 0 if figures.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
