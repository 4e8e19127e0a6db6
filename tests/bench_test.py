"""The benchmark harness runs (a smoke run), so that it cannot rot between full runs."""

from __future__ import annotations

import pytest

from bench.__main__ import main
from bench.data import (
    generate_identifiers,
    generate_markdown_posts,
    generate_post_batches,
    planted_names,
)
from bench.engines import ENGINES, build_pyahocorasick
from bench.throughput import check_count


def test_quick_benchmark_runs_and_checks_its_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--quick"]) == 0
    report = capsys.readouterr().out
    assert report.startswith("# Benchmarks\n")
    assert "## Scan speed, 1,000 identifiers (MB/s)" in report
    for engine in ENGINES:
        assert f"| {engine} | 1,000 |" in report  # its build, in a process of its own
    assert "| gate webhook, audit_sync full | 1,000 |" in report
    assert "| gate webhook, audit_sync normal | 1,000 |" in report
    assert "| bare Flask | — |" in report
    assert "| 1,000 | worker 2 |" in report


def test_an_engine_that_misses_planted_identifiers_stops_the_run() -> None:
    check_count("flashtext", "ASCII prose", 700, 700)
    with pytest.raises(SystemExit, match="^flashtext found 699 of 700 planted identifiers in the ASCII prose$"):
        check_count("flashtext", "ASCII prose", 699, 700)


def test_markup_corpora_hide_names_from_a_plain_scan() -> None:
    rows = generate_identifiers(1000)
    names = planted_names(rows)
    scan = build_pyahocorasick([value for _, _, value in rows])
    for texts, planted in (generate_markdown_posts(200_000, names), generate_post_batches(200_000, names)):
        found = scan("".join(texts))()
        assert planted == len(names)
        assert found < planted  # so the peers, which would fail the count, are not timed on them
