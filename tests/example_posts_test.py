"""The example posts' reports, byte for byte, in every format: a move or a refactoring
that changes what a person or a tool reads shows up here (update tests/golden/ only for
a change meant to be seen)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gate import __version__
from gate.report import REPORTERS

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).with_name("golden")
POSTS = {"neighbourhood.md": 1, "open-day.md": 0, "success-story.md": 1}


@pytest.mark.parametrize("report_format", sorted(REPORTERS))
@pytest.mark.parametrize("post", sorted(POSTS))
def test_example_post_report_is_unchanged(post: str, report_format: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "gate",
            "check",
            "--no-cache",
            "--today",
            "2026-12-01",
            "--wordlist",
            "wordlists/example",
            "--format",
            report_format,
            f"wordlists/example-posts/{post}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (POSTS[post], "")
    expected = (GOLDEN / f"{post}.{report_format}").read_text(encoding="utf-8")
    assert done.stdout.replace(f'"version": "{__version__}"', '"version": "<gate version>"') == expected


def test_the_readme_shows_what_the_gate_prints() -> None:
    """The README's console example: each line shown is a line of the real report."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ gate check --wordlist wordlists/example wordlists/example-posts/success-story.md\n"
    shown = readme.split(command, 1)[1].split("```", 1)[0].splitlines()
    report = (GOLDEN / "success-story.md.text").read_text(encoding="utf-8").splitlines()
    assert len(shown) >= 3
    assert [line for line in shown if line != "…" and line not in report] == []
