"""Reading what is checked and the wordlist directory: the core's only file access."""

from __future__ import annotations

import codecs
import os
import posixpath
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, NamedTuple

from gate.errors import GateError
from gate.extract import content_format
from gate.wordlist import WORDLIST_FILES

TEXT_SUFFIXES = (".txt", ".text", ".csv", ".tsv", ".mdx")  # text, though no view reads them
STDIN = "-"
STDIN_NAME = "<stdin>"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its BOM starts with UTF-16-LE's
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class Content(NamedTuple):
    """A checked file's text (None when it cannot be read as text) and what went wrong."""

    path: str
    text: str | None
    problem: str = ""


def decode_content(path: str, data: bytes) -> Content:
    """UTF-8 with or without BOM, UTF-16/32 with BOM; NUL bytes mean a binary file.

    Bytes that do not decode are reported, and the rest of the text is still checked
    with them replaced: a name beside a stray Latin-1 byte is still a name.
    """
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "")
    if not encoding and b"\0" in data:
        return _decode_with_nul_bytes(path, data)
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as error:
        return Content(
            path,
            data.decode(encoding or "utf-8", errors="replace"),
            f"undecodable bytes from offset {error.start} (not {encoding or 'UTF-8'} text); "
            "the rest was checked",
        )
    if "\0" in text:
        return Content(path, None, "binary file (contains NUL characters)")
    return Content(path, text.removeprefix("\ufeff"))


def _decode_with_nul_bytes(path: str, data: bytes) -> Content:
    """UTF-16 without a byte-order mark, or a text file (by its name) with stray NUL bytes,
    is read as text: a browser or a Markdown renderer shows what it holds. Anything else
    with NUL bytes is binary."""
    order = _utf16_order(data)
    if order:
        text = data.decode(order, errors="replace").removeprefix("\ufeff")
        return Content(path, text, f"UTF-16 without a byte-order mark: read as {order.upper()}")
    if content_format(path) != "text" or posixpath.splitext(path.lower())[1] in TEXT_SUFFIXES:
        text = data.decode("utf-8", errors="replace")  # a NUL normalises to a blank
        return Content(path, text, "NUL bytes in a text file: read as text with them as blanks")
    return Content(path, None, "binary file (contains NUL bytes)")


def _utf16_order(data: bytes) -> str:
    """"utf-16-le" or "utf-16-be" when one byte of nearly every pair is NUL, as in ASCII
    text written as UTF-16, else ""."""
    if len(data) < 4 or len(data) % 2:
        return ""
    pairs = len(data) // 2
    odd, even = data[1::2].count(0), data[0::2].count(0)
    if odd >= 0.9 * pairs and even < 0.1 * pairs:
        return "utf-16-le"
    if even >= 0.9 * pairs and odd < 0.1 * pairs:
        return "utf-16-be"
    return ""


def read_content(path: str, *, stdin: BinaryIO | None = None) -> Content:
    if path == STDIN:
        if stdin is None:
            raise GateError("standard input is not available")
        return decode_content(STDIN_NAME, stdin.read())
    try:
        data = read_regular_file(path)
    except FileNotFoundError:
        raise GateError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise GateError(f"{path}: is a directory") from None
    except NotRegularFile as error:
        return Content(path, None, str(error))
    except OSError as error:
        raise GateError(f"{path}: cannot read ({error.strerror or error})") from None
    return decode_content(path, data)


class NotRegularFile(OSError):
    """A FIFO, device or socket: reading one could wait forever (a FIFO) or never end
    (/dev/zero), so it is never read."""


def read_regular_file(path: str | Path) -> bytes:
    """The bytes of a regular file (after symbolic links); anything else raises
    NotRegularFile before a byte is read."""
    # O_NONBLOCK: opening a FIFO with no writer would otherwise wait for one.
    with open(path, "rb", opener=_open_nonblocking) as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFile(f"not a regular file ({_file_type(mode)}): not read")
        return handle.read()


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _file_type(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "not a file"


def expand_paths(paths: Sequence[str]) -> Iterator[str]:
    """Files named, and the files under folders named (hidden folders skipped), in order."""
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            yield from _walk(path)
        elif path == STDIN or os.path.lexists(path):
            yield path
        else:
            raise GateError(f"{path}: no such file or directory")


def _walk(top: str) -> Iterator[str]:
    def fail(error: OSError) -> None:
        raise GateError(f"{error.filename}: cannot read folder ({error.strerror})")

    for folder, subfolders, names in os.walk(top, onerror=fail):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            yield os.path.join(folder, name)


def read_wordlist_files(directory: Path) -> dict[str, bytes | None]:
    """The raw bytes of each file of a wordlist directory (None where optional and absent)."""
    if not directory.is_dir():
        raise GateError(f"{directory}: wordlist directory not found")
    files: dict[str, bytes | None] = {}
    for name in WORDLIST_FILES:
        try:
            files[name] = read_regular_file(directory / name)
        except FileNotFoundError:
            files[name] = None
        except NotRegularFile as error:
            raise GateError(f"{directory / name}: {error}") from None
        except OSError as error:
            raise GateError(f"{directory / name}: cannot read ({error.strerror or error})") from None
    return files
