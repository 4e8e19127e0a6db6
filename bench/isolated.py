"""One engine's build in a fresh process, so that its memory is its own.

The parent runs `python -m bench.isolated ENGINE WORDLIST [--sample-up-to BYTES]`; the child
prints one JSON line per stage. With --sample-up-to it then scans prose samples of doubling
size with a known number of planted names, one line each: an engine too slow for the
corpus is stopped at the time limit and judged by the last sample that finished.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from bench.data import generate_prose, planted_names, read_wordlist
from bench.engines import GATE, MODULES, PEERS, build_gate

ROOT = Path(__file__).resolve().parent.parent
ENOUGH_SECONDS = 1.0  # a sample scanned for this long gives a steady figure


class Build(NamedTuple):
    engine: str
    seconds: float | None
    peak_mib: float | None
    growth_mib: float | None  # above the process's size before the build
    note: str = ""


class Sample(NamedTuple):
    size: int  # bytes
    seconds: float
    found: int
    planted: int


def measure_in_child(
    engine: str, wordlist: Path, *, time_limit: float, sample_up_to: int = 0
) -> tuple[Build, Sample | None]:
    """The build's time and memory, and the largest sample scanned, within `time_limit`."""
    command = [sys.executable, "-m", "bench.isolated", engine, str(wordlist), "--sample-up-to", str(sample_up_to)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryFile() as output:
        try:
            done = subprocess.run(
                command, env=env, stdout=output, stderr=subprocess.PIPE, timeout=time_limit, check=False
            )
            if done.returncode != 0:
                raise SystemExit(f"{engine}: the build failed: {done.stderr.decode()}")
            note = ""
        except subprocess.TimeoutExpired:
            note = f"did not finish in {time_limit:.0f} s"
        output.seek(0)
        stages = [json.loads(line) for line in output.read().decode().splitlines()]
    built = [stage for stage in stages if "build_s" in stage]
    if not built:
        return Build(engine, None, None, None, note), None
    build = Build(
        engine,
        built[0]["build_s"],
        built[0]["peak_kib"] / 1024,
        (built[0]["peak_kib"] - built[0]["baseline_kib"]) / 1024,
    )
    samples = [
        Sample(stage["size"], stage["scan_s"], stage["found"], stage["planted"])
        for stage in stages
        if "scan_s" in stage
    ]
    return build, samples[-1] if samples else None


def _status_kib(field: str) -> int:
    """VmRSS (now) or VmHWM (the peak) of this process, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise SystemExit(f"no {field} in /proc/self/status")


def _emit(stage: dict[str, Any]) -> None:
    print(json.dumps(stage), flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.isolated")
    parser.add_argument("engine", choices=[GATE, *PEERS])
    parser.add_argument("wordlist", type=Path)
    parser.add_argument("--sample-up-to", type=int, default=0, help="scan samples up to this many bytes")
    args = parser.parse_args(argv)
    rows = read_wordlist(args.wordlist)
    values = [value for _, _, value in rows]
    importlib.import_module(MODULES[args.engine])  # its import is not the build
    baseline = _status_kib("VmRSS")
    start = time.perf_counter()
    if args.engine == GATE:
        build_gate(args.wordlist)
        _emit({"build_s": time.perf_counter() - start, "baseline_kib": baseline, "peak_kib": _status_kib("VmHWM")})
        return 0
    scanner = PEERS[args.engine](values)
    _emit({"build_s": time.perf_counter() - start, "baseline_kib": baseline, "peak_kib": _status_kib("VmHWM")})
    size, names = 4096, planted_names(rows)
    while size <= args.sample_up_to:
        text, planted = generate_prose(size, names[: max(1, size // 4000)])
        work = scanner(text)
        start = time.perf_counter()
        found = work()
        seconds = time.perf_counter() - start
        _emit({"size": len(text.encode()), "scan_s": seconds, "found": found, "planted": planted})
        if seconds >= ENOUGH_SECONDS:
            break
        size *= 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
