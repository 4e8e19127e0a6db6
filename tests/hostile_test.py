"""Hostile files and wordlists: each has a documented outcome, a clear message, exit code
0, 1 or 2, and never a traceback (RELIABILITY.md lists them)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gate.adapters import files
from gate.adapters.files import read_content
from gate.cli import main
from gate.content import Content
from tests.support import HANG_SECONDS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "wordlists" / "example")


def gate(*arguments: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GATE_CACHE_DIR": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "gate", *arguments],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
        check=False,
    )


def make(name: str, content: bytes) -> Callable[[Path], str]:
    def create(folder: Path) -> str:
        (folder / name).write_bytes(content)
        return name

    return create


def symlink_loop(folder: Path) -> str:
    (folder / "loop.md").symlink_to(folder / "loop.md")
    return "loop.md"


def directory(folder: Path) -> str:
    (folder / "posts.md").mkdir()
    (folder / "posts.md" / "a.md").write_text("Kim Lowe")
    return "posts.md"


HOSTILE_FILES = [
    # (case, how to make it, exit code, a line the output must hold)
    ("empty", make("empty.md", b""), 0, "approve: 0 findings, 0 suppressed, 0 not scanned"),
    ("only a BOM", make("bom.md", b"\xef\xbb\xbf"), 0, "approve: 0 findings"),
    # A renderer shows what a text file holds around a NUL byte: it is read, not set aside.
    ("NUL bytes in a text file", make("nul.md", b"Kim\0Lowe"), 1, "nul.md:1:1: EX-001 name"),
    ("a NUL byte after a name", make("nul.html", b"<p>Thanks to Kim Lowe!</p>\0"), 1, "nul.html:1:14: EX-001 name"),
    (  # a PNG by its first bytes that is not one: the gate reads images, so it is not approved
        "NUL bytes in an image",
        make("logo.png", b"\x89PNG\r\n\x1a\n\0\0Kim Lowe"),
        1,
        "logo.png: not scanned — a PNG image that cannot be read (UnidentifiedImageError): not read, so not "
        "approved; save it again",
    ),
    (
        "invalid UTF-8",
        make("latin1.md", "André Dufresne and Kim Lowe".encode("latin-1")),
        1,
        "latin1.md:1:1: EX-003 name",
    ),
    ("UTF-16 without BOM", make("utf16.md", "Kim Lowe".encode("utf-16-le")), 1, "utf16.md:1:1: EX-001 name"),
    (
        "UTF-16-BE without BOM",
        make("utf16.txt", "Thanks Kim Lowe".encode("utf-16-be")),
        1,
        "utf16.txt:1:8: EX-001 name",
    ),
    ("mixed line endings", make("mixed.md", b"a\r\nb\rKim\nLowe\r\n"), 1, "mixed.md:3:1: EX-001 name"),
    (
        "JSON nested 100,000 deep",
        make("deep.json", b"[" * 100_000 + b'"Kim Lowe"' + b"]" * 100_000),
        1,
        "deep.json: not scanned — JSON nested too deeply to parse; its strings were read",
    ),
    (
        "YAML alias bomb",
        make(
            "bomb.yaml",
            b"a: &a [Kim Lowe, x]\n"
            + b"".join(b"%c: &%c [*%c, *%c, *%c]\n" % (98 + n, 98 + n, 97 + n, 97 + n, 97 + n) for n in range(20)),
        ),
        1,
        "bomb.yaml:1:8: EX-001 name",
    ),
    (
        "YAML nested 10,000 deep",
        make("deep.yaml", b"[" * 10_000 + b"]" * 10_000),
        1,
        "deep.yaml: not scanned — YAML nested deeper than 32 levels: not read, so not approved; flatten it",
    ),
    (
        "HTML of 100,000 unterminated tags",
        make("tags.html", b"<a b c d " * 100_000 + b">Kim <b>Lowe</b>"),
        1,
        "tags.html:1:900002: EX-001 name",
    ),
    (
        "JSON-LD openings without a close",
        make("ld.html", b"<script type=application/ld+json>" * 50_000),
        0,
        "approve: 0 findings",
    ),
    (
        "300 KB of digits apart by spaces",
        make("digits.txt", b"5 " * 150_000 + b"(555) 014-7788"),
        1,
        "digits.txt:1:300002: EX-001 phone",
    ),
    (
        "CSV cell of 50 MB",
        # Words, not single letters: a spaced-out letter is read as a disguise, at half a
        # megabyte a second (bench/worst.py, "text: letters spaced out").
        make("big.csv", b'a,b\n"' + b"open day " * 5_555_556 + b'Kim Lowe",1\n'),
        1,
        f"big.csv:2:{9 * 5_555_556 + 2}: EX-001 name",
    ),
    ("symlink loop", symlink_loop, 2, "gate: error: loop.md: cannot read (Too many levels of symbolic links)"),
    ("deleted before reading", lambda folder: "gone.md", 2, "gate: error: gone.md: no such file or directory"),
    ("directory named like a file", directory, 1, "posts.md/a.md:1:1: EX-001 name"),
]


@pytest.mark.parametrize(("case", "create", "code", "expected"), HOSTILE_FILES, ids=[case[0] for case in HOSTILE_FILES])
def test_hostile_files(
    case: str, create: Callable[[Path], str], code: int, expected: str, tmp_path: Path, private_cache: Path
) -> None:
    name = create(tmp_path)
    done = gate("check", "--wordlist", EXAMPLE, name, cwd=tmp_path, cache=private_cache)
    assert done.returncode == code, done.stdout + done.stderr
    assert any(line.startswith(expected) for line in (done.stdout + done.stderr).splitlines()), (
        done.stdout + done.stderr
    )
    assert "Traceback" not in done.stderr


def test_a_100_mb_single_line_file(tmp_path: Path, private_cache: Path) -> None:
    (tmp_path / "line.txt").write_bytes(b"open day " * 11_000_000 + b"Kim Lowe")
    done = gate("check", "--wordlist", EXAMPLE, "line.txt", cwd=tmp_path, cache=private_cache)
    assert done.returncode == 1
    assert done.stdout.startswith("line.txt:1:99000001: EX-001 name")


HEADER = "client_id,kind,value,consent_until\n"
HOSTILE_WORDLISTS = [
    ("BOM and CRLF", ("\ufeff" + HEADER + "A,name,Kim Lowe,\r\n").encode(), 0, "ok: sha256:"),
    (
        "quoted fields with commas and newlines",
        (HEADER + 'A,other,"Lowe, Kim\nand family",\nA,name,Kim Lowe,\n').encode(),
        0,
        "ok: sha256:",
    ),
    (
        "missing column",
        b"client_id,value\nA,Kim Lowe\n",
        2,
        "gate: error: wl/clients.csv:1: missing column 'kind' in header",
    ),
    ("unknown kind", (HEADER + "A,nmae,Kim Lowe,\n").encode(), 2, "gate: error: wl/clients.csv:2:2: unknown kind ("),
    ("client id with spaces and Unicode", (HEADER + "Client Ünïcode 7,name,Kim Lowe,\n").encode(), 0, "ok: sha256:"),
    (
        "same value under two clients",
        (HEADER + "A,name,Kim Lowe,\nB,name,Kim Lowe,\n").encode(),
        0,
        "warning: wl/clients.csv:3: B name: same value as line 2 of client A",
    ),
    ("consent date in the past", (HEADER + "A,name,Kim Lowe,2001-01-01\n").encode(), 0, "ok: sha256:"),
    (
        "consent date in a bad format",
        (HEADER + "A,name,Kim Lowe,1/1/2030\n").encode(),
        2,
        "gate: error: wl/clients.csv:2:4: consent_until is not a date (expected YYYY-MM-DD)",
    ),
]


@pytest.mark.parametrize(
    ("case", "clients", "code", "expected"), HOSTILE_WORDLISTS, ids=[case[0] for case in HOSTILE_WORDLISTS]
)
def test_hostile_wordlists(
    case: str, clients: bytes, code: int, expected: str, tmp_path: Path, private_cache: Path
) -> None:
    (tmp_path / "wl").mkdir()
    (tmp_path / "wl" / "clients.csv").write_bytes(clients)
    done = gate("wordlist", "check", "wl", cwd=tmp_path, cache=private_cache)
    assert done.returncode == code, done.stdout + done.stderr
    assert any(line.startswith(expected) for line in (done.stdout + done.stderr).splitlines()), (
        done.stdout + done.stderr
    )
    assert "Traceback" not in done.stderr
    (tmp_path / "post.md").write_text("Kim Lowe")
    checked = gate("check", "--wordlist", "wl", "post.md", cwd=tmp_path, cache=private_cache)
    assert checked.returncode == (2 if code == 2 else 1)  # never scanned with a half-loaded list


def test_a_million_row_wordlist_loads(tmp_path: Path, private_cache: Path) -> None:
    (tmp_path / "wl").mkdir()
    rows = "".join(f"C{n},id,CASE-{n:07d},\n" for n in range(1_000_000))
    (tmp_path / "wl" / "clients.csv").write_text(HEADER + rows)
    (tmp_path / "post.md").write_text("About case-0999999 and CASE 0000007.")
    done = gate("check", "--wordlist", "wl", "post.md", cwd=tmp_path, cache=private_cache)
    assert done.returncode == 1, done.stderr
    assert [line.split(": ")[1] for line in done.stdout.splitlines()[:2]] == [
        "C999999 id — a client's case number or file reference",
        "C7 id — a client's case number or file reference",
    ]


def test_a_file_without_read_permission_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("Kim Lowe")
    secret.chmod(0)
    if os.access(secret, os.R_OK):  # root reads anything: refuse the way the kernel would
        real_open = open

        def refuse(path: object, *arguments: object, **options: object) -> object:
            if str(path) == str(secret):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *arguments, **options)  # type: ignore[call-overload]

        monkeypatch.setattr(files, "open", refuse, raising=False)
    assert main(["check", "--wordlist", EXAMPLE, str(secret)]) == 2
    assert capsys.readouterr().err == f"gate: error: {secret}: cannot read (Permission denied)\n"


def test_a_file_deleted_between_listing_and_reading_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.md").write_text("Open day")
    (posts / "b.md").write_text("Kim Lowe")

    def read_then_delete(path: str, **options: Any) -> Content:
        content = read_content(path, **options)
        (posts / "b.md").unlink(missing_ok=True)  # gone once a.md has been read
        return content

    monkeypatch.setattr("gate.cli.check.read_content", read_then_delete)
    assert main(["check", "--wordlist", EXAMPLE, str(posts)]) == 2
    assert capsys.readouterr().err == f"gate: error: {posts / 'b.md'}: no such file\n"
