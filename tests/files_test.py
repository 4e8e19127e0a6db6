"""Reading checked files: encodings, binaries, and paths that cannot be read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gate.errors import GateError
from gate.files import Content, decode_content, expand_paths, read_content

DECODED = [
    (b"Kim Lowe", Content("f", "Kim Lowe")),
    (b"\xef\xbb\xbfKim Lowe", Content("f", "Kim Lowe")),
    ("Kim Lowe".encode("utf-16"), Content("f", "Kim Lowe")),
    ("Kim Lowe".encode("utf-16-be").join([b"\xfe\xff", b""]), Content("f", "Kim Lowe")),
    ("Kim Lowe".encode("utf-32"), Content("f", "Kim Lowe")),
    (b"", Content("f", "")),
    (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Content("f", None, "binary file (contains NUL bytes)")),
    (
        b"Andr\xe9 and Kim Lowe",
        Content(
            "f", "Andr\ufffd and Kim Lowe",
            "undecodable bytes from offset 4 (not UTF-8 text); the rest was checked",
        ),
    ),
]


@pytest.mark.parametrize(("data", "expected"), DECODED)
def test_decode_content(data: bytes, expected: Content) -> None:
    assert decode_content("f", data) == expected


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
        "a.md", "b/1.md", "b/2.md", "c/.draft.md",
    ]


def test_a_symlink_loop_is_an_error_not_a_skip(tmp_path: Path) -> None:
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    assert list(expand_paths([str(loop)])) == [str(loop)]
    with pytest.raises(GateError, match=r"loop.md: cannot read \(Too many levels of symbolic links\)$"):
        read_content(str(loop))
