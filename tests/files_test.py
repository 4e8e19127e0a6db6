"""Reading checked files: encodings, binaries, and paths that cannot be read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gate.adapters.files import expand_paths, read_content
from gate.content import Content, decode_content
from gate.errors import GateError
from tests.support import HANG_SECONDS

ROOT = Path(__file__).resolve().parent.parent

DECODED = [
    (b"Kim Lowe", Content("f", "Kim Lowe")),
    (b"\xef\xbb\xbfKim Lowe", Content("f", "Kim Lowe")),
    ("Kim Lowe".encode("utf-16"), Content("f", "Kim Lowe")),
    ("Kim Lowe".encode("utf-16-be").join([b"\xfe\xff", b""]), Content("f", "Kim Lowe")),
    ("Kim Lowe".encode("utf-32"), Content("f", "Kim Lowe")),
    (b"", Content("f", "")),
    (b"\0\0\0\x18ftypmp42", Content("f", None, "binary file (contains NUL bytes)")),  # a video: no reader
    # A PNG, whatever its name, is read as an image: one cut short is not approved.
    (
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        Content(
            "f",
            None,
            "a PNG image that cannot be read (OSError): not read, so not approved; save it again",
            blocks=True,
        ),
    ),
]


@pytest.mark.parametrize(("data", "expected"), DECODED)
def test_decode_content(data: bytes, expected: Content) -> None:
    assert decode_content("f", data) == expected


def test_bytes_that_are_not_utf8_are_read_in_the_encoding_detected() -> None:
    """(What encodings are detected and read: tests/encodings_test.py.)"""
    content = decode_content("f", b"Andr\xe9 and Kim Lowe")
    assert (content.text, content.problem, content.encoding) == ("André and Kim Lowe", "", "windows-1250")


def test_missing_paths_and_directories_are_errors(tmp_path: Path) -> None:
    """(A file without read permission: tests/hostile_test.py, also under root.)"""
    with pytest.raises(GateError, match=r"nope.md: no such file or directory$"):
        list(expand_paths([str(tmp_path / "nope.md")]))
    with pytest.raises(GateError, match=r"is a directory$"):
        read_content(str(tmp_path))


def test_folders_are_walked_in_order_skipping_hidden_folders(tmp_path: Path) -> None:
    for name in ["b/2.md", "b/1.md", "a.md", ".git/config", "c/.hidden/x.md", "c/.draft.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [os.path.relpath(path, tmp_path) for path in expand_paths([str(tmp_path)])] == [
        "a.md",
        "b/1.md",
        "b/2.md",
        "c/.draft.md",
    ]


def test_a_symlink_loop_is_an_error_not_a_skip(tmp_path: Path) -> None:
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    assert list(expand_paths([str(loop)])) == [str(loop)]
    with pytest.raises(GateError, match=r"loop.md: cannot read \(Too many levels of symbolic links\)$"):
        read_content(str(loop))


SPECIAL_FILES = ["fifo", "link to /dev/zero", "link to a fifo"]


def special_file(folder: Path, case: str, name: str) -> Path:
    path = folder / name
    if case == "fifo":
        os.mkfifo(path)
    elif case == "link to /dev/zero":
        path.symlink_to("/dev/zero")
    else:
        os.mkfifo(folder / "pipe")
        path.symlink_to(folder / "pipe")
    return path


@pytest.mark.parametrize("case", SPECIAL_FILES)
def test_a_fifo_or_device_in_a_wordlist_is_an_error_not_a_hang(case: str, tmp_path: Path) -> None:
    (tmp_path / "wl").mkdir()
    special_file(tmp_path / "wl", case, "clients.csv")
    (tmp_path / "post.md").write_text("Kim Lowe\n")
    done = subprocess.run(
        [sys.executable, "-m", "gate", "check", "--wordlist", "wl", "post.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    kind = "a device" if case == "link to /dev/zero" else "a FIFO"
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        f"gate: error: wl/clients.csv: not a regular file ({kind}): not read\n",
    )


@pytest.mark.parametrize("case", SPECIAL_FILES)
def test_a_fifo_or_device_among_the_checked_files_is_not_read(case: str, tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    special_file(tmp_path / "posts", case, "post.md")
    done = subprocess.run(
        [sys.executable, "-m", "gate", "check", "--wordlist", str(ROOT / "wordlists" / "example"), "posts"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    kind = "a device" if case == "link to /dev/zero" else "a FIFO"
    lines = [f"posts/post.md: not scanned — not a regular file ({kind}): not read"]
    if case == "link to a fifo":
        lines.insert(0, f"posts/pipe: not scanned — not a regular file ({kind}): not read")
    assert done.stdout.splitlines()[: len(lines)] == lines
    assert done.returncode == 0 and done.stderr == ""


@pytest.mark.parametrize("case", SPECIAL_FILES)
def test_a_repository_config_that_is_a_fifo_or_device_is_an_error_not_a_hang(case: str, tmp_path: Path) -> None:
    special_file(tmp_path, case, ".gate.toml")
    (tmp_path / "post.md").write_text("Kim Lowe\n")
    done = subprocess.run(
        [sys.executable, "-m", "gate", "check", "--wordlist", str(ROOT / "wordlists" / "example"), "post.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=HANG_SECONDS,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    kind = "a device" if case == "link to /dev/zero" else "a FIFO"
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        f"gate: error: .gate.toml: cannot read (not a regular file ({kind}): not read)\n",
    )
