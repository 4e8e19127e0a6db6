"""Building wordlists and checking text in memory, as the tests need them."""

from __future__ import annotations

import datetime
from pathlib import Path

from gate.check import check_text
from gate.matcher import Matcher, build_matcher
from gate.normalize import Normalizer
from gate.verdict import Finding, Suppression
from gate.wordlist import parse_wordlist

TODAY = datetime.date(2026, 11, 24)
# A client planted in test lists: it must never appear in a log, an audit row or an error.
CANARY = "Zebedee Quartermain"


def compile_rows(rows: str, *, allow: str = "", policy: str = "") -> Matcher:
    """A matcher for `rows` of clients.csv (the header is added)."""
    normalizer = Normalizer()
    files = {
        "clients.csv": ("client_id,kind,value,consent_until\n" + rows).encode(),
        "allow.txt": allow.encode(),
        "policy.toml": policy.encode(),
    }
    return build_matcher(parse_wordlist("test", "wl", files, normalizer), normalizer)


def write_wordlist(directory: Path, rows: str, **files: str) -> Path:
    """A wordlist folder of `rows` of clients.csv (the header is added), and any other of
    its files by keyword (`policy_toml="[limits]…"`)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "clients.csv").write_text("client_id,kind,value,consent_until\n" + rows, encoding="utf-8")
    for name, text in files.items():
        (directory / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return directory


def check(matcher: Matcher, text: str, today: datetime.date = TODAY) -> tuple[list[Finding], list[Suppression]]:
    return check_text(matcher, text, path="post.md", today=today)


def places(matcher: Matcher, text: str) -> list[tuple[str, int, int, int, int]]:
    """(client_id, line, column, end_line, end_column) of each finding."""
    findings, _ = check(matcher, text)
    return [(item.client_id, item.line, item.column, item.end_line, item.end_column) for item in findings]
