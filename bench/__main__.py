"""`python -m bench [--quick]`: the gate against raw pyahocorasick (and flashtext), one run.

Writes BENCHMARKS.md (not with --quick, which is the smoke run the tests execute).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import ahocorasick

from bench.data import generate_identifiers, generate_prose, write_wordlist
from gate.cache import load_matcher
from gate.check import check_contents
from gate.cli import read_paths

ROOT = Path(__file__).resolve().parent.parent
TODAY = datetime.date(2026, 1, 1)


def best_of(runs: int, work: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def raw_automaton(values: Sequence[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for index, value in enumerate(values):
        automaton.add_word(value.lower(), index)
    automaton.make_automaton()
    return automaton


def flashtext_processor(values: Sequence[str]) -> Any:
    try:
        from flashtext import KeywordProcessor
    except ImportError:
        return None
    processor = KeywordProcessor()
    for value in values:
        processor.add_keyword(value)
    return processor


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
        if done.returncode not in (0, 1):
            raise SystemExit(f"gate check failed: {done.stderr.decode()}")
    return statistics.median(times)


def measure(identifiers: int, corpus_bytes: int, runs: int, folder: Path) -> dict[str, object]:
    rows = generate_identifiers(identifiers)
    wordlist = folder / f"wl-{identifiers}"
    write_wordlist(wordlist, rows)
    names = [value for _, kind, value in rows if kind == "name"]
    planted = names[: min(1000, len(names))]
    results: dict[str, object] = {"identifiers": identifiers}

    compile_time, matcher = best_of(1, lambda: load_matcher(wordlist, cache_directory=None))
    results["compile_s"] = compile_time
    for label, accents in (("ascii", False), ("accents", True)):
        text, count = generate_prose(corpus_bytes, planted, accents=accents)
        corpus = folder / f"corpus-{label}.txt"
        corpus.write_text(text, encoding="utf-8")
        megabytes = len(text.encode()) / 1e6
        seconds, verdict = best_of(
            runs, lambda: check_contents(matcher, read_paths([str(corpus)], None), today=TODAY)  # type: ignore[arg-type]
        )
        found = len(verdict.findings)  # type: ignore[attr-defined]
        if found < count:
            raise SystemExit(f"gate found {found} of {count} planted identifiers ({label})")
        results[f"gate_{label}_mbs"] = megabytes / seconds
        results[f"planted_{label}"] = count
        results[f"found_{label}"] = found
        if label == "ascii":
            automaton = raw_automaton([value for _, _, value in rows])
            lowered = text.lower()
            raw_seconds, raw_found = best_of(runs, lambda: sum(1 for _ in automaton.iter(lowered)))
            results["raw_mbs"] = megabytes / raw_seconds
            results["raw_found"] = raw_found
            processor = flashtext_processor([value for _, _, value in rows])
            if processor is not None:
                flash_seconds, _ = best_of(1, lambda: processor.extract_keywords(text))
                results["flashtext_mbs"] = megabytes / flash_seconds
    post = folder / "post.md"
    post.write_text((f"A short post about {planted[0]} and the garden. " * 40)[:2048], encoding="utf-8")
    results["cold_check_s"] = cold_check_seconds(wordlist, post, folder / "cache", runs=5 if runs > 1 else 2)
    return results


def package_versions() -> str:
    names = ("pyahocorasick", "anyascii", "phonenumbers", "flashtext")
    found = []
    for name in names:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            continue
    return ", ".join(found)


def render(results: list[dict[str, object]], corpus_bytes: int) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Run {datetime.date.today().isoformat()} with `python -m bench` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; {package_versions()}.",
        f"Corpora of {corpus_bytes / 1e6:.0f} MB of generated prose with 1,000 planted client "
        "names; the harness stops if the gate finds fewer than were planted.",
        "",
        "| identifiers | compile s | gate ASCII MB/s | raw pyahocorasick MB/s | gate/raw | "
        "flashtext MB/s | gate accented MB/s | cold `gate check` of a 2 KB post, s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [_row(row) for row in results]
    lines += [
        "",
        "- *gate*: `check_contents` end to end — read the file, decode, normalise, match, map "
        "positions back, build the verdict.",
        "- *raw pyahocorasick*: `Automaton.iter` over text lower-cased beforehand, with the "
        "values lower-cased and nothing else: the ceiling of the gate's engine.",
        "- *flashtext*: `KeywordProcessor.extract_keywords` with the same values.",
        "- *cold check*: median wall time of a whole `gate check` process on one post, the "
        "compiled wordlist loaded from the user cache (what a pre-commit hook costs per commit).",
        "",
        "What limits the gate against the raw scan: the automaton scan itself runs at the raw "
        "speed (the gate's keys include name variants and id separators, with the same scan "
        "cost per byte); the difference is the normalisation passes over the text (marking "
        "blank lines, one byte translation for case and layout, the search for runs of "
        "spaces, the fold of non-ASCII runs) and reading and decoding the file. Accented "
        "text costs more because every non-ASCII run is folded through a cache of runs.",
        "",
        "Rerun: `python3.11 -m venv .venv-bench && .venv-bench/bin/pip install -q '.[bench]' && "
        ".venv-bench/bin/python -m bench`.",
    ]
    return "\n".join(lines) + "\n"


def _row(row: dict[str, object]) -> str:
    gate, raw = float(row["gate_ascii_mbs"]), float(row["raw_mbs"])  # type: ignore[arg-type]
    flash = row.get("flashtext_mbs")
    flash_text = f"{float(flash):.1f}" if flash else "n/a"  # type: ignore[arg-type]
    return (
        f"| {row['identifiers']:,} | {float(row['compile_s']):.2f} | {gate:.1f} | {raw:.1f} | "  # type: ignore[arg-type]
        f"{gate / raw:.2f} | {flash_text} | {float(row['gate_accents_mbs']):.1f} | "  # type: ignore[arg-type]
        f"{float(row['cold_check_s']):.3f} |"  # type: ignore[arg-type]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="a small smoke run; writes nothing")
    parser.add_argument("--sizes", default="1000,100000", help="identifier counts, comma-separated")
    args = parser.parse_args(argv)
    sizes = [1000] if args.quick else [int(size) for size in args.sizes.split(",")]
    corpus_bytes = 200_000 if args.quick else 20_000_000
    runs = 1 if args.quick else 3
    with tempfile.TemporaryDirectory() as folder:
        results = [measure(size, corpus_bytes, runs, Path(folder)) for size in sizes]
    report = render(results, corpus_bytes)
    print(report)
    if not args.quick:
        (ROOT / "BENCHMARKS.md").write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
