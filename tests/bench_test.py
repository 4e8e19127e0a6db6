"""The benchmark harness runs (a smoke run), so that it cannot rot between full runs."""

from __future__ import annotations

import pytest

from bench.__main__ import main


def test_quick_benchmark_runs_and_checks_its_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--quick"]) == 0
    report = capsys.readouterr().out
    assert report.startswith("# Benchmarks\n")
    assert "| 1,000 |" in report
