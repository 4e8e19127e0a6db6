"""What a pre-commit hook pays per commit: a whole `gate check` process on one post."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cold_check_seconds(wordlist: Path, post: Path, cache: Path, runs: int) -> float:
    """Median wall time of a whole `gate check` process on one post, cache warm."""
    gate = Path(sys.executable).parent / "gate"
    command = [str(gate)] if gate.exists() else [sys.executable, "-m", "gate"]
    command += ["check", "--wordlist", str(wordlist), str(post)]
    env = {**os.environ, "GATE_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    subprocess.run(command, env=env, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 1:
            raise SystemExit(
                f"gate check did not block a post naming a client: {done.stdout.decode()}{done.stderr.decode()}"
            )
    return statistics.median(times)


# Runs `gate check` and reports the process's peak resident memory on its last stderr line.
_PEAK = """
import sys
from gate.cli import main
code = main(sys.argv[1:])
with open("/proc/self/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
sys.stderr.write(f"VmHWM {peak}\\n")
sys.exit(code)
"""


def cold_check_peak_mib(wordlist: Path, post: Path, cache: Path) -> float:
    """Peak RSS of a whole `gate check` process on one post, cache warm."""
    command = [sys.executable, "-c", _PEAK, "check", "--wordlist", str(wordlist), str(post)]
    env = {**os.environ, "GATE_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    if done.returncode != 1 or not last.startswith("VmHWM "):
        raise SystemExit(f"gate check did not block a post naming a client: {done.stdout}{done.stderr}")
    return int(last.split()[1]) / 1024
