"""Reading what is checked and the wordlist directory from disk."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from gate.content import STDIN_NAME, Content, decode_content
from gate.errors import GateError
from gate.readers import OcrClock
from gate.readers.limits import DEFAULT_LIMITS, Limits
from gate.wordlist import WORDLIST_FILES

STDIN = "-"


def read_content(
    path: str,
    *,
    stdin: BinaryIO | None = None,
    limits: Limits = DEFAULT_LIMITS,
    ocr: OcrClock | None = None,
    send_up_to: int = 0,
) -> Content:
    """`limits`: the organisation's, for files the readers read (images, documents);
    `ocr`: the seconds of OCR the whole check may still spend; `send_up_to`: as
    decode_content's."""
    if path == STDIN:
        if stdin is None:
            raise GateError("standard input is not available")
        return decode_content(STDIN_NAME, stdin.read(), limits=limits, ocr=ocr, send_up_to=send_up_to)
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
    return decode_content(path, data, limits=limits, ocr=ocr, send_up_to=send_up_to)


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
