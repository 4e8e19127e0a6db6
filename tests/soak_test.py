"""The soak, short: concurrent clients while the wordlist is rewritten (well, in place and
broken) every second. `python -m bench.soak` runs the long one (RELIABILITY.md)."""

from __future__ import annotations

from pathlib import Path

from bench.soak import render, soak


def test_a_short_soak_loses_nothing_and_lets_nothing_through(tmp_path: Path) -> None:
    figures = soak(5, 4, tmp_path)
    assert figures.requests > 50
    assert (figures.failed, figures.wrong, figures.leaked) == (0, 0, [])
    assert figures.audit_rows == figures.blocked + figures.approved == figures.requests
    assert figures.blocked > 0 and figures.approved > 0
    assert min(figures.rewrites.values()) >= 1
    assert figures.ok and "| 5 | 4 |" in render(figures)
