"""The whole path, reading → normalising → matching → reporting, on arbitrary bytes and
on text made of wordlist values, markup and disguises: it never raises, and every finding
lies inside the file and points at text in which the gate finds the client it names."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gate.check import check_contents, check_text
from gate.cli.check import read_paths
from gate.extract import content_views
from gate.report import format_github, format_json, format_sarif, format_text
from tests.support.wordlists import TODAY, compile_rows

MATCHER = compile_rows(
    "A,name,Kim Lowe,\nB,name,André Dufresne,\nC,handle,@kim_lowe,\nD,email,kim.lowe@example.org,\n"
    "E,phone,+1 555 014 7788,\nF,id,AB-7731,\nG,name,Zoë Ångström,\n",
    allow="Lowe Street\n",
)
FRAGMENTS = [
    "Kim",
    "Lowe",
    "Kim Lowe",
    "KIM LOWE",
    "Lowe, Kim",
    "K. Lowe",
    "#KimLowe",
    "Lowe's",
    "André",
    "Andre",
    "Dufresne",
    "Zoë",
    "Zoe",
    "Ångström",
    "Angstrom",
    "@kim_lowe",
    "kim.lowe@example.org",
    "(555) 014-7788",
    "+1 555 014 7788",
    "5550147788",
    "AB-7731",
    "ab 7731",
    "AB7731",
    "Lowe Street",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    ". ",
    ", ",
    "**",
    "_",
    "<b>",
    "</b>",
    "<p>",
    "<!--",
    "-->",
    '<img alt="',
    '">',
    "&#105;",
    "&eacute;",
    "&nbsp;",
    "&amp;",
    "%20",
    "[",
    "](",
    ")",
    "`",
    "---\n",
    "{",
    "}",
    '"',
    "\\u00e9",
    "\\n",
    ":",
    "- ",
    "'",
    "\u200b",
    "\u00ad",
    "\u0430",
    "\u2028",
    "\ufeff",
    "\x00",
    "ﬁ",
    "İ",
    "ß",
    "Ⅻ",
    "①",
]
SUFFIXES = [".md", ".mdx", ".html", ".svg", ".json", ".yaml", ".csv", ".txt", ""]
LINE_BREAK = re.compile(r"\r\n|\r|\n")
fragment = st.sampled_from(FRAGMENTS)
texts = st.lists(st.one_of(fragment, fragment, fragment, st.text(max_size=3)), max_size=40).map("".join)


def lines_of(text: str) -> list[str]:
    return LINE_BREAK.split(text)


def span(text: str, line: int, column: int, end_line: int, end_column: int) -> str:
    lines = lines_of(text)
    assert 1 <= line <= end_line <= len(lines)
    assert 1 <= column <= len(lines[line - 1]) and 1 <= end_column <= len(lines[end_line - 1])
    starts = [0]
    for match in LINE_BREAK.finditer(text):
        starts.append(match.end())
    start, end = starts[line - 1] + column - 1, starts[end_line - 1] + end_column
    assert start < end
    return text[start:end]


def run(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"post{suffix}"
        path.write_bytes(data)
        contents = list(read_paths([str(path)], None))
        verdict = check_contents(MATCHER, contents, today=TODAY)
        for render in (format_text, format_json, format_sarif, format_github):
            render(verdict, MATCHER.policy)
    text = contents[0].text
    if text is None:
        assert not verdict.findings and [item.path for item in verdict.not_scanned] == [str(path)]
        return
    event(f"findings: {min(len(verdict.findings), 3)}")
    for finding in verdict.findings:
        excerpt = span(text, finding.line, finding.column, finding.end_line, finding.end_column)
        views, _ = content_views(str(path), excerpt)
        again, _ = check_text(MATCHER, excerpt, path="excerpt", today=TODAY, views=views)
        assert finding.client_id in {item.client_id for item in again}, (excerpt, finding)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, suffix=st.sampled_from(SUFFIXES), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_text_of_values_markup_and_disguises(text: str, suffix: str, encoding: str) -> None:
    run(text.encode(encoding, errors="surrogatepass"), suffix)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes(data: bytes, suffix: str) -> None:
    run(data, suffix)
