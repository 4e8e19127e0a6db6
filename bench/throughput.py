"""Scan speed of every engine on every corpus it is checked on, in one process, with the
count check that keeps a fast wrong engine from winning."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple, TypeVar

from bench.corpora import Corpus
from bench.data import read_wordlist
from bench.engines import (
    DENY_LIST_REGEX,
    GATE,
    PEERS,
    build_gate,
    gate_findings,
    installed,
)
from bench.isolated import Sample

Result = TypeVar("Result")


class Throughput(NamedTuple):
    engine: str
    corpus: str
    megabytes_per_second: float | None
    found: int = 0
    planted: int = 0
    note: str = ""


def best_of(runs: int, work: Callable[[], Result]) -> tuple[float, Result]:
    """The fastest of `runs` timings, and the work's result."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - start)
    return min(timings), result


def best_of_interleaved(runs: int, works: Sequence[Callable[[], object]]) -> list[float]:
    """The fastest of `runs` timings of each work, the works taking turns: on a machine
    that other work shares, a slow minute then weighs on all of them alike, and their
    ratio holds where their speeds do not."""
    timings: list[list[float]] = [[] for _ in works]
    for _ in range(runs):
        for work, times in zip(works, timings, strict=True):
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
    return [min(times) for times in timings]


def check_count(engine: str, corpus: str, found: int, planted: int) -> None:
    """Stop the run if an engine misses planted identifiers: its speed would mean nothing."""
    if found < planted:
        raise SystemExit(f"{engine} found {found} of {planted} planted identifiers in the {corpus}")


def measure_throughput(
    wordlist: Path, corpora: Sequence[Corpus], runs: int, regex_sample: Sample | None, regex_note: str
) -> list[Throughput]:
    results = _gate(wordlist, corpora, runs)
    values = [value for _, _, value in read_wordlist(wordlist)]
    for engine, build in PEERS.items():
        if engine == DENY_LIST_REGEX:
            results.append(_from_sample(regex_sample, regex_note))
        elif not installed(engine):
            results.append(Throughput(engine, "", None, note="not installed"))
        else:
            scanner = build(values)
            for corpus in corpora:
                if corpus.markup:
                    continue
                seconds, found = best_of(1 if engine == "flashtext" else runs, scanner(corpus.text))
                check_count(engine, corpus.label, found, corpus.planted)
                results.append(Throughput(engine, corpus.label, corpus.megabytes / seconds, found, corpus.planted))
    return results


def _gate(wordlist: Path, corpora: Sequence[Corpus], runs: int) -> list[Throughput]:
    matcher = build_gate(wordlist)
    results = []
    for corpus in corpora:
        seconds, found = best_of(runs, functools.partial(gate_findings, matcher, corpus.path))
        check_count(GATE, corpus.label, found, corpus.planted)
        results.append(Throughput(GATE, corpus.label, corpus.megabytes / seconds, found, corpus.planted))
    return results


def _from_sample(sample: Sample | None, note: str) -> Throughput:
    """The deny-list regex, judged by the largest prose sample it scanned in its time limit."""
    if sample is None:
        return Throughput(DENY_LIST_REGEX, "ASCII prose", None, note=note or "no sample finished")
    check_count(DENY_LIST_REGEX, f"{sample.size:,}-byte prose sample", sample.found, sample.planted)
    note = f"on a {sample.size / 1000:,.0f} KB sample" + (f"; {note}" if note else "")
    return Throughput(
        DENY_LIST_REGEX, "ASCII prose", sample.size / 1e6 / sample.seconds, sample.found, sample.planted, note
    )
