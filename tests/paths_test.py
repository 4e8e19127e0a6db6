"""A file's path is checked as written: a static site publishes it as the page's URL, and
an attachment's name travels with it. Both ways: what names a client, and what does not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gate.check import check_contents
from gate.content import STDIN_NAME, Content
from tests.support.wordlists import TODAY, compile_rows

ROOT = Path(__file__).resolve().parent.parent
ROWS = (
    "A,name,Kim Lowe,\nB,id,AB-7731,\nC,handle,@kimlowe_art,\nD,email,kim.lowe@example.org,\nE,name,André Dufresne,\n"
)
MATCHER = compile_rows(ROWS, allow="Kim Lowe Trust\n")

# (path, (client, column) of each finding in it)
PATHS = [
    ("posts/kim-lowe-story.md", [("A", 7)]),
    ("posts/Kim_Lowe.md", [("A", 7)]),
    ("posts/kim%20lowe.md", [("A", 7)]),
    ("Kim Lowe/photo.jpg", [("A", 1)]),
    ("posts/andre-dufresne.html", [("E", 7)]),
    ("posts/Andr%C3%A9_Dufresne.png", [("E", 7)]),
    ("cases/AB-7731.pdf", [("B", 7)]),
    ("/srv/site/cases/AB-7731/notes.md", [("B", 17)]),
    ("posts/2024-ab7731.md", [("B", 12)]),
    ("posts/kimlowe_art.md", [("C", 7)]),
    ("kim.lowe@example.org.txt", [("D", 1)]),
    # words a file's name runs together: CamelCase, a URL's "+", a "."
    ("posts/KimLowe.md", [("A", 7)]),
    ("stories/2024/KimLoweStory.html", [("A", 14)]),
    ("posts/kim.lowe.md", [("A", 7)]),
    ("search/Kim+Lowe.html", [("A", 8)]),
    # not a client
    ("posts/open-day.md", []),
    ("posts/kimberly-lowell.md", []),
    ("cases/AB-77310.pdf", []),
    ("cases/AB-7731-2.pdf", []),
    ("posts/kim-lowe-trust.md", []),  # allow.txt: suppressed, below
    ("posts/KimLowell.md", []),
    ("posts/kim.lowell.md", []),
    ("posts/KIMLOWE.md", []),  # no word boundary written, none guessed
    (STDIN_NAME, []),
]


@pytest.mark.parametrize(("path", "expected"), PATHS, ids=[path for path, _ in PATHS])
def test_a_path_is_checked_as_written(path: str, expected: list[tuple[str, int]]) -> None:
    verdict = check_contents(MATCHER, [Content(path, "An open day.\n")], today=TODAY)
    assert [(item.client_id, item.column) for item in verdict.findings] == expected
    assert {(item.location, item.line) for item in verdict.findings} <= {("path", 1)}
    assert verdict.decision == ("block" if expected else "approve")


def test_the_path_of_a_file_that_cannot_be_read_is_still_checked() -> None:
    verdict = check_contents(MATCHER, [Content("photos/kim-lowe.jpg", None, "binary file")], today=TODAY)
    assert [(item.client_id, item.location) for item in verdict.findings] == [("A", "path")]
    assert [item.reason for item in verdict.not_scanned] == ["binary file"]


def test_an_allowed_term_in_a_path_is_suppressed_there() -> None:
    verdict = check_contents(MATCHER, [Content("posts/kim-lowe-trust.md", "Open day.")], today=TODAY)
    assert [(item.client_id, item.location, item.reason) for item in verdict.suppressed] == [
        ("A", "path", "allowed by allow.txt line 1")
    ]


def test_the_text_is_checked_before_the_path_and_each_says_where() -> None:
    verdict = check_contents(MATCHER, [Content("kim-lowe.md", "Thanks Kim Lowe")], today=TODAY)
    assert [(item.location, item.line, item.column) for item in verdict.findings] == [("", 1, 8), ("path", 1, 1)]


def test_gate_check_blocks_a_clean_file_whose_name_is_a_client(tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "kim-lowe-story.md").write_text("An open day at the garden.\n")
    (tmp_path / "posts" / "open-day.md").write_text("An open day at the garden.\n")
    done = subprocess.run(
        [sys.executable, "-m", "gate", "check", "--no-cache", "--wordlist", str(ROOT / "wordlists/example"), "posts"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines()[0].startswith("posts/kim-lowe-story.md (path):1:7: EX-001 name — ")
    assert "open-day" not in done.stdout
