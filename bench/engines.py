"""The engines compared: the gate end to end, and its peers built from the same values.

A peer's builder takes the wordlist's values and returns a scanner; a scanner takes a text,
prepares it (outside the timing: lower-casing, encoding) and returns the timed work, which
counts the matches. Peers see text as written: they cannot see through markup or escapes.
"""

from __future__ import annotations

import datetime
import importlib.util
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import ahocorasick

from gate.adapters.cache import load_matcher
from gate.check import check_contents
from gate.cli.check import read_paths
from gate.matcher import Matcher
from gate.verdict import Verdict

Work = Callable[[], int]
Scanner = Callable[[str], Work]
TODAY = datetime.date(2026, 1, 1)
GATE = "gate"
DENY_LIST_REGEX = "regex (Presidio deny list)"


def build_gate(directory: Path) -> Matcher:
    return load_matcher(directory, cache_directory=None)


def gate_verdict(matcher: Matcher, path: Path, *, reveal: bool = False) -> Verdict:
    """The verdict of `gate check PATH` (a file or a folder), without the printing."""
    return check_contents(matcher, read_paths([str(path)], None), today=TODAY, reveal=reveal)


def gate_findings(matcher: Matcher, path: Path) -> int:
    return len(gate_verdict(matcher, path).findings)


def build_pyahocorasick(values: Sequence[str]) -> Scanner:
    automaton = ahocorasick.Automaton()
    for index, value in enumerate(values):
        automaton.add_word(value.lower(), index)
    automaton.make_automaton()

    def scanner(text: str) -> Work:
        lowered = text.lower()
        return lambda: sum(1 for _ in automaton.iter(lowered))

    return scanner


def build_pyahocorasick_files(values: Sequence[str]) -> Callable[[Sequence[Path]], int]:
    """Raw pyahocorasick over files read as `gate check` reads them: each file's bytes,
    decoded as UTF-8 (undecodable bytes replaced), lower-cased and scanned, all of it
    timed; the matches counted (any substring, not whole words)."""
    automaton = ahocorasick.Automaton()
    for index, value in enumerate(values):
        automaton.add_word(value.lower(), index)
    automaton.make_automaton()

    def scan(paths: Sequence[Path]) -> int:
        found = 0
        for path in paths:
            found += sum(1 for _ in automaton.iter(path.read_bytes().decode("utf-8", errors="replace").lower()))
        return found

    return scan


def build_flashtext(values: Sequence[str]) -> Scanner:
    from flashtext import KeywordProcessor

    processor = KeywordProcessor()
    for value in values:
        processor.add_keyword(value)
    return lambda text: lambda: len(processor.extract_keywords(text))


def deny_list_pattern(values: Sequence[str]) -> str:
    """One alternation with word guards, as Presidio's PatternRecognizer builds a deny list."""
    import regex

    return r"(?:^|(?<=\W))(" + "|".join(regex.escape(value) for value in values) + r")(?:(?=\W)|$)"


def build_deny_list_regex(values: Sequence[str]) -> Scanner:
    import regex

    # Presidio's default flags for a PatternRecognizer.
    compiled = regex.compile(deny_list_pattern(values), flags=regex.DOTALL | regex.MULTILINE | regex.IGNORECASE)
    return lambda text: lambda: sum(1 for _ in compiled.finditer(text))


def build_ahocorasick_rs(values: Sequence[str]) -> Scanner:
    import ahocorasick_rs

    automaton = ahocorasick_rs.AhoCorasick([value.lower() for value in values])

    def scanner(text: str) -> Work:
        lowered = text.lower()
        return lambda: len(automaton.find_matches_as_indexes(lowered, overlapping=True))

    return scanner


def build_hyperscan(values: Sequence[str]) -> Scanner:
    import hyperscan

    database = hyperscan.Database()
    expressions = [value.lower().encode() for value in values]
    database.compile(
        expressions=expressions, ids=list(range(len(expressions))), elements=len(expressions), literal=True
    )

    def scanner(text: str) -> Work:
        encoded = text.lower().encode()

        def work() -> int:
            matches = [0]

            def count(*_: Any) -> None:
                matches[0] += 1

            database.scan(encoded, match_event_handler=count)
            return matches[0]

        return work

    return scanner


PEERS: dict[str, Callable[[Sequence[str]], Scanner]] = {
    "pyahocorasick": build_pyahocorasick,
    "flashtext": build_flashtext,
    DENY_LIST_REGEX: build_deny_list_regex,
    "ahocorasick-rs": build_ahocorasick_rs,
    "hyperscan": build_hyperscan,
}
MODULES = {
    GATE: "gate",
    "pyahocorasick": "ahocorasick",
    "flashtext": "flashtext",
    DENY_LIST_REGEX: "regex",
    "ahocorasick-rs": "ahocorasick_rs",
    "hyperscan": "hyperscan",
}
ENGINES = (GATE, *PEERS)


def installed(engine: str) -> bool:
    return importlib.util.find_spec(MODULES[engine]) is not None
