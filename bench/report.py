"""BENCHMARKS.md: the machine, the tables, the targets with the measured figure beside each."""

from __future__ import annotations

import datetime
import os
import platform
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NamedTuple

from bench.corpora import Corpus
from bench.engines import ENGINES, GATE
from bench.isolated import Build
from bench.throughput import Throughput
from bench.webhook import CLIENT_PROCESSES, CLIENT_THREADS, Load, ProcessMemory
from bench.worst import WorstCase

PACKAGES = (
    "pyahocorasick",
    "anyascii",
    "phonenumbers",
    "regex",
    "flask",
    "gunicorn",
    "flashtext",
    "ahocorasick-rs",
    "hyperscan",
)
MIB = 1024


class Settings(NamedTuple):
    corpus_bytes: int
    runs: int
    build_seconds: float
    regex_seconds: float
    regex_sample: int
    webhook_seconds: float


class SizeResult(NamedTuple):
    identifiers: int
    throughput: list[Throughput]
    builds: list[Build]
    cold_check_s: float
    webhook: Load  # audit_sync full, the default
    memory: list[ProcessMemory]
    webhook_normal: Load  # audit_sync normal
    cold_check_peak_mib: float


def render(
    results: Sequence[SizeResult], corpora: Sequence[Corpus], bare: Load, settings: Settings, worst: WorstCase
) -> str:
    sections = [
        _header(corpora, settings),
        _targets(results, bare),
        *(_speed(result, corpora) for result in results),
        _builds(results),
        _cold(results),
        _webhook(results, bare, settings),
        _worst(worst, settings),
        EXPLANATION,
    ]
    return "\n\n".join(sections) + "\n"


def machine() -> str:
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [
            line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if line.startswith("model name")
        ]
        model = models[0] if models else model
    return f"{model}, {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"


def package_versions(names: Sequence[str] = PACKAGES) -> str:
    found = []
    for name in names:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} not installed")
    return ", ".join(found)


def _header(corpora: Sequence[Corpus], settings: Settings) -> str:
    sizes = ", ".join(f"{corpus.label} {corpus.megabytes:.1f} MB ({corpus.planted:,} planted)" for corpus in corpora)
    return "\n".join(
        [
            "# Benchmarks",
            "",
            f"Run {datetime.date.today().isoformat()} with `python -m bench` on {machine()}.",
            f"Packages: {package_versions()}.",
            "",
            f"Corpora: {sizes}. Each is generated with a known number of planted client names; the run "
            "stops if an engine finds fewer than were planted, so a fast wrong engine cannot win. "
            "The gate is checked on all four corpora; its peers see text only as written, so they "
            "are checked (and timed) on the two plain prose corpora only: in the Markdown posts most "
            "names are split by emphasis (`**Kim** Lowe`) or sit in link text, and in the JSON batches "
            "accented names are `\\u` escapes. Scan figures are the best of "
            f"{settings.runs} runs (flashtext: 1).",
        ]
    )


def _speed(result: SizeResult, corpora: Sequence[Corpus]) -> str:
    labels = [corpus.label for corpus in corpora]
    lines = [
        f"## Scan speed, {result.identifiers:,} identifiers (MB/s)",
        "",
        "| engine | " + " | ".join(labels) + " |",
        "|---|" + "---:|" * len(labels),
    ]
    for engine in ENGINES:
        rows = [row for row in result.throughput if row.engine == engine]
        cells = [_speed_cell(rows, label) for label in labels]
        lines.append(f"| {engine} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _speed_cell(rows: Sequence[Throughput], label: str) -> str:
    if rows and rows[0].note == "not installed":
        return "not installed"
    for row in rows:
        if row.corpus == label:
            speed = figure(row.megabytes_per_second) if row.megabytes_per_second is not None else ""
            return " ".join(part for part in (speed, f"({row.note})" if row.note else "") if part)
    return "—"


def figure(megabytes_per_second: float) -> str:
    if megabytes_per_second >= 100:
        return f"{megabytes_per_second:,.0f}"
    if megabytes_per_second >= 1:
        return f"{megabytes_per_second:.1f}"
    return f"{megabytes_per_second:.2g}"


def _builds(results: Sequence[SizeResult]) -> str:
    lines = [
        "## Build time and memory (each build in a fresh process)",
        "",
        "| engine | identifiers | build s | peak RSS MiB | growth MiB |",
        "|---|---:|---:|---:|---:|",
    ]
    for engine in ENGINES:
        for result in results:
            build = next(build for build in result.builds if build.engine == engine)
            if build.seconds is None or build.peak_mib is None or build.growth_mib is None:
                lines.append(f"| {engine} | {result.identifiers:,} | {build.note} | | |")
                continue
            lines.append(
                f"| {engine} | {result.identifiers:,} | {build.seconds:.2f} | {build.peak_mib:.0f} | {build.growth_mib:.0f} |"
            )
    return "\n".join(lines)


def _cold(results: Sequence[SizeResult]) -> str:
    lines = [
        "## Cold `gate check` of one 2 KB post",
        "",
        "| identifiers | seconds (median) | peak RSS MiB |",
        "|---:|---:|---:|",
    ]
    lines += [
        f"| {result.identifiers:,} | {result.cold_check_s:.3f} | {result.cold_check_peak_mib:.0f} |"
        for result in results
    ]
    return "\n".join(lines)


def _webhook(results: Sequence[SizeResult], bare: Load, settings: Settings) -> str:
    lines = [
        "## Webhook: one 2 KB post per request",
        "",
        f"gunicorn with `webhook/gunicorn.conf.py` (2 sync workers, preload), {settings.webhook_seconds:.0f} s of load "
        f"from {CLIENT_PROCESSES} client processes × {CLIENT_THREADS} threads (Python `http.client`) on 127.0.0.1, "
        "on the same 2 cores as the server.",
        "",
        "| server | identifiers | requests/s | p50 ms | p99 ms | ÷ bare Flask |",
        "|---|---:|---:|---:|---:|---:|",
        f"| {bare.server} | — | {bare.per_second:,.0f} | {bare.p50_ms:.1f} | {bare.p99_ms:.1f} | 1.00 |",
    ]
    for result in results:
        lines += [
            f"| {load.server} | {result.identifiers:,} | {load.per_second:,.0f} | {load.p50_ms:.1f} | "
            f"{load.p99_ms:.1f} | {load.per_second / bare.per_second:.2f} |"
            for load in (result.webhook, result.webhook_normal)
        ]
    lines += [
        "",
        "Memory of the gate's gunicorn processes after the load (`/proc/PID/smaps_rollup`; shared "
        "is Shared_Clean + Shared_Dirty, private is Private_Clean + Private_Dirty):",
        "",
        "| identifiers | process | Rss MiB | Pss MiB | shared MiB | private MiB |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for result in results:
        lines += [
            f"| {result.identifiers:,} | {row.role} | {row.rss_mib:.0f} | {row.pss_mib:.0f} | {row.shared_mib:.0f} | {row.private_mib:.0f} |"
            for row in result.memory
        ]
    return "\n".join(lines)


def _worst(worst: WorstCase, settings: Settings) -> str:
    lines = [
        "## Hostile input: the worst shapes (`bench/worst.py`)",
        "",
        "Any author can write a post, so no shape of text may make a check grow faster than its "
        "size (issue 11). Each shape is checked at n and 4n repetitions of its unit, end to end "
        "(`check_contents` for a file, `check_post` for a post), with an empty normaliser cache, best "
        f"of {settings.runs} runs; `tests/linear_test.py` fails if 4n takes more than 6 times n. The list: "
        f"the example organisation's plus generated identifiers, {worst.identifiers:,} in all.",
        "",
        "| shape | characters at 4n | s at n | s at 4n | 4n ÷ n | MB/s at 4n |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for timing in sorted(
        worst.timings, key=lambda timing: timing.megabytes_per_second if timing.characters else float("inf")
    ):
        speed = figure(timing.megabytes_per_second) if timing.characters else "—"
        lines.append(
            f"| {timing.shape} | {timing.characters:,} | {timing.seconds:.3f} | {timing.seconds_4n:.3f} | "
            f"{timing.ratio:.1f} | {speed} |"
        )
    lines += [
        "",
        f"A 1 MB worst-case post ({worst.post_characters:,} characters of the slowest shape a post can "
        f"be made of, *{worst.post_shape}*) takes {worst.post_seconds:.2f} s through `check_post`.",
        "",
        "Limits: YAML nested deeper than 32 levels or over 4,000,000 characters is refused, and the "
        "refusal blocks (`gate/extract.py`: `MAX_YAML_DEPTH`, `MAX_YAML_CHARACTERS`); the normaliser's "
        "caches hold at most 50,000 runs and 50,000 characters (`gate/normalize.py`).",
    ]
    return "\n".join(lines)


class Target(NamedTuple):
    text: str
    identifiers: int
    measure: Callable[[SizeResult, Load], tuple[float, str]]  # (figure, as written)
    met: Callable[[float], bool]


def _speed_of(result: SizeResult, engine: str, corpus: str) -> float:
    for row in result.throughput:
        if row.engine == engine and row.corpus == corpus and row.megabytes_per_second:
            return row.megabytes_per_second
    return float("nan")


def _ratio(engine: str) -> Callable[[SizeResult, Load], tuple[float, str]]:
    def measure(result: SizeResult, _: Load) -> tuple[float, str]:
        ratio = _speed_of(result, GATE, "ASCII prose") / _speed_of(result, engine, "ASCII prose")
        return ratio, f"{ratio:.2f}×"

    return measure


def _largest_process(result: SizeResult, _: Load) -> tuple[float, str]:
    """The processes that hold a compiled list: `gate check` and the server's. The compile
    runs in a process of its own, once per change of the list; its peak is shown beside."""
    build = next(build for build in result.builds if build.engine == GATE)
    server = max(row.rss_mib for row in result.memory)
    peak = max(result.cold_check_peak_mib, server)
    return peak, (
        f"{peak:.0f} MiB (`gate check` {result.cold_check_peak_mib:.0f}, largest server process {server:.0f}; "
        f"the compile, apart: {build.peak_mib or 0:.0f})"
    )


TARGETS = (
    Target("gate ≥ 0.6× raw pyahocorasick, ASCII prose", 100_000, _ratio("pyahocorasick"), lambda x: x >= 0.6),
    Target("gate ≥ 5× flashtext, ASCII prose", 100_000, _ratio("flashtext"), lambda x: x >= 5),
    Target(
        "gate ≥ 10 MB/s on accent-heavy prose",
        100_000,
        lambda r, _: (_speed_of(r, GATE, "accent-heavy prose"), f"{_speed_of(r, GATE, 'accent-heavy prose'):.1f} MB/s"),
        lambda x: x >= 10,
    ),
    Target(
        "cold `gate check` ≤ 0.3 s",
        100_000,
        lambda r, _: (r.cold_check_s, f"{r.cold_check_s:.3f} s"),
        lambda x: x <= 0.3,
    ),
    Target(
        "cold `gate check` ≤ 1.5 s",
        1_000_000,
        lambda r, _: (r.cold_check_s, f"{r.cold_check_s:.3f} s"),
        lambda x: x <= 1.5,
    ),
    Target(
        "webhook ≥ 0.8× bare Flask requests/s",
        100_000,
        lambda r, bare: (r.webhook.per_second / bare.per_second, f"{r.webhook.per_second / bare.per_second:.2f}×"),
        lambda x: x >= 0.8,
    ),
    Target(
        "webhook p99 ≤ 20 ms", 100_000, lambda r, _: (r.webhook.p99_ms, f"{r.webhook.p99_ms:.1f} ms"), lambda x: x <= 20
    ),
    Target("≤ 600 MiB per process holding the list", 1_000_000, _largest_process, lambda x: x <= 600),
)


def _targets(results: Sequence[SizeResult], bare: Load) -> str:
    lines = ["## Targets", "", "| target | identifiers | measured | met |", "|---|---:|---|---|"]
    for target in TARGETS:
        result = next((result for result in results if result.identifiers == target.identifiers), None)
        if result is None:
            lines.append(f"| {target.text} | {target.identifiers:,} | not measured (`--sizes` without it) | — |")
            continue
        figure, written = target.measure(result, bare)
        lines.append(
            f"| {target.text} | {target.identifiers:,} | {written} | {'yes' if target.met(figure) else '**no**'} |"
        )
    return "\n".join(lines)


EXPLANATION = """\
## What is measured

- *gate*: `check_contents` end to end, as `gate check PATH` runs it without printing: read the
  files, decode, build the Markdown/JSON views, normalise, match, map positions back, build
  the verdict. Findings are counted once per place.
- *pyahocorasick* (raw): `Automaton.iter` over text lower-cased beforehand (outside the
  timing), with the values lower-cased and nothing else: the ceiling of the gate's engine.
- *flashtext*: `KeywordProcessor.extract_keywords` with the same values.
- *regex (Presidio deny list)*: the values escaped and joined into one alternation,
  `(?:^|(?<=\\W))(v1|v2|…)(?:(?=\\W)|$)`, compiled with the `regex` module and the flags
  `DOTALL | MULTILINE | IGNORECASE`, as Presidio's `PatternRecognizer` builds a deny list.
  Its time grows with the list, so it runs in its own process with a time limit, compiling
  and then scanning prose samples of doubling size; the figure is the largest sample that
  finished, or "did not finish" if even the compile did not.
- *ahocorasick-rs* and *hyperscan* (literal mode), when installed: over text lower-cased
  (and, for hyperscan, UTF-8 encoded) beforehand, overlapping matches counted.
- *build*: in a fresh process per engine, from the values in memory (the gate: from the
  wordlist folder, parsing included); *peak RSS* is the process's VmHWM, *growth* is VmHWM
  less the process's size just before the build.
- *cold check*: median wall time of a whole `gate check` process on one post, the compiled
  wordlist loaded from the user cache (what a pre-commit hook costs per commit).
- *webhook*: the gate's real app (token check, audit log written before each answer) against
  `bench/bare_app.py`, which parses the same body and answers JSON, both under the same
  gunicorn settings. The client runs on the same machine as the server, so absolute figures
  are lower than with `wrk`; the ratio is the figure to watch. It runs twice: with
  `audit_sync = "full"`, the default, where every decision is synced to disk before the
  answer (one fsync per request, which bounds the requests/s on this machine's disk), and
  with `"normal"`, where SQLite syncs the log at checkpoints only (a crash of the server
  loses nothing; a power cut can lose the decisions since the last checkpoint).

What limits the gate against the raw scan: not the automaton, which reads a skeleton of the
text (every character that is not a letter or digit a blank) with each key that begins a
word behind a blank, and so goes back to a word's start in one step where raw
pyahocorasick follows each word's endings through its failure links: on English prose it
reads faster than the raw scan. The difference is the passes that make what it reads
(marking blank lines, one byte translation for case and layout, the split at runs of
spaces, the fold of non-ASCII runs, the skeleton), the search for phone numbers' digits,
and reading and decoding the file. Accented text costs more because every non-ASCII run is
folded through a cache of runs. Markdown and JSON cost more again: each file is also
scanned as rendered (emphasis and links removed, escapes decoded), a second pass of the
matcher over a view built character by character. Against flashtext the gate is bound by
the same work: flashtext walks its trie in Python but does nothing else, the gate pays for
the normalisation, the rendered views and the positions that flashtext does not give.

What limits the webhook: with `audit_sync = "full"` every answer waits for an fsync of the
audit log, which costs more than the check itself on this machine's disk. With "normal",
what is left is Python: each request checks every string and key of the post as written
(and as rendered where it holds markup), hashes the post for the audit log and writes its
row, about 0.44 ms in process against 0.15 ms for bare Flask parsing the same body; under
gunicorn, with the load client on the same two cores, that is about half the requests/s.
What limits memory: the compile of a 1,000,000-identifier
list peaks well over a gigabyte (a million parsed identifiers and their keys before they
are packed), so it runs apart, in a child process of its own (the webhook spawns it), once per change of
the list; the processes that check posts only load the packed result.

Rerun: `python3.11 -m venv .venv-bench && .venv-bench/bin/pip install -q '.[bench]' && .venv-bench/bin/python -m bench`
(`--sizes 1000,100000,1000000` adds the 1M list; hyperscan is measured when `pip install hyperscan`
has put it in the same environment). `python -m bench --quick` is the smoke run the test suite
executes: small corpora, the 1,000 list, one second of webhook load; it writes nothing."""


# Sections that other runs write (`python -m bench real-text`: bench/real_text_report.py),
# kept when the rest is rewritten


def section_of(document: str, heading: str) -> str | None:
    """The section under `heading` (up to the next heading of its level), or None."""
    lines = document.split("\n")
    if heading not in lines:
        return None
    start = lines.index(heading)
    end = next((index for index in range(start + 1, len(lines)) if lines[index].startswith("## ")), len(lines))
    return "\n".join(lines[start:end]).rstrip("\n")


def splice_section(document: str, section: str) -> str:
    """`document` with `section` in place of the one under the same heading, or, if it has
    none, before "## What is measured" (or at its end)."""
    heading = section.split("\n", 1)[0]
    old = section_of(document, heading)
    if old is not None:
        return document.replace(old, section.rstrip("\n"), 1)
    anchor = "\n## What is measured\n"
    if anchor in document:
        return document.replace(anchor, f"\n{section.rstrip()}\n{anchor}", 1)
    return document.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
