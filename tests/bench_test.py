"""The benchmark harness runs (a smoke run), so that it cannot rot between full runs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bench.__main__ import main
from bench.data import (
    census_identifiers,
    generate_identifiers,
    generate_markdown_posts,
    generate_post_batches,
    planted_names,
    read_wordlist,
    write_wordlist,
)
from bench.engines import ENGINES, build_gate, build_pyahocorasick
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


# The census-weighted lists and the real-text corpus: no download, no timing asserted.


def census(count: int, seed: int = 7) -> list[tuple[str, str, str]]:
    pytest.importorskip("faker")  # the bench extra
    return census_identifiers(count, seed)


def test_a_census_weighted_list_is_the_same_for_the_same_seed_and_loads_into_the_gate(tmp_path: Path) -> None:
    rows = census(1000)
    assert rows == census(1000)
    assert rows != census(1000, seed=8)
    assert len({value.lower() for _, _, value in rows}) == len(rows) == 1000
    kinds = Counter(kind for _, kind, _ in rows)
    assert set(kinds) == {"name", "id", "phone", "email", "handle"}
    assert kinds["name"] > sum(kinds.values()) / 2
    write_wordlist(tmp_path / "census", rows)
    assert read_wordlist(tmp_path / "census") == rows
    build_gate(tmp_path / "census")  # every value is one the gate accepts


def test_a_census_weighted_list_has_common_names_often() -> None:
    rows = census(3000)
    from faker.providers.person.en_US import Provider

    last_names = Counter(value.rsplit(" ", 1)[1] for _, kind, value in rows if kind == "name")
    by_weight = sorted(Provider.last_names, key=Provider.last_names.__getitem__)
    common = sum(last_names[name] for name in by_weight[-10:])
    rare = sum(last_names[name] for name in by_weight[:10])
    # Each of the ten most frequent names in the census table is drawn about 50 times as
    # often as each of the ten least frequent: drawn uniformly, the two counts would be alike.
    assert common > 10 * max(rare, 1)
    assert last_names.most_common(1)[0][0] in by_weight[-5:]
