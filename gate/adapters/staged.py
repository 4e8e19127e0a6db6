"""The content staged in git: what a commit will contain, not the working tree."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

from gate.content import Content, decode_content
from gate.errors import GateError
from gate.readers import OcrClock
from gate.readers.limits import DEFAULT_LIMITS, Limits

SUBMODULE_MODE = "160000"


def _git(*arguments: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *arguments], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise GateError("git is not installed") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise GateError(f"git {arguments[0]}: {message[-1] if message else 'failed'}")
    return done.stdout


def staged_blobs() -> list[tuple[str, str, str]]:
    """(path, mode, object id) of every entry a commit would add or change: added,
    copied, modified, renamed, and changed in type (a symbolic link replaced by a file)."""
    raw = _git("diff", "--cached", "--raw", "-z", "--no-renames", "--no-abbrev", "--diff-filter=d")
    fields = raw.split(b"\0")[:-1]  # each field ends in NUL
    blobs = []
    for meta, name in zip(fields[0::2], fields[1::2], strict=True):
        _, mode, _, object_id, _ = meta.decode("ascii").split(" ")
        blobs.append((name.decode("utf-8", errors="surrogateescape"), mode, object_id))
    return blobs


def staged_contents(
    *, limits: Limits = DEFAULT_LIMITS, ocr: OcrClock | None = None, send_up_to: int = 0
) -> Iterator[Content]:
    """Each staged blob as it will be committed; a symbolic link is checked as the path it
    points to, which is what the commit holds. One git process reads them all. `limits`,
    `ocr`, `send_up_to`: as decode_content's."""
    blobs = staged_blobs()
    wanted = [object_id for _, mode, object_id in blobs if mode != SUBMODULE_MODE]
    contents = _read_objects(wanted)
    for name, mode, object_id in blobs:
        if mode == SUBMODULE_MODE:
            yield Content(name, None, "a submodule (another repository): check it there")
        else:
            yield decode_content(name, contents[object_id], limits=limits, ocr=ocr, send_up_to=send_up_to)


def _read_objects(object_ids: list[str]) -> dict[str, bytes]:
    if not object_ids:
        return {}
    output = _git("cat-file", "--batch", stdin="".join(f"{item}\n" for item in object_ids).encode())
    objects: dict[str, bytes] = {}
    position = 0
    for object_id in object_ids:
        header_end = output.index(b"\n", position)
        header = output[position:header_end].decode("ascii").split(" ")
        if len(header) != 3:
            raise GateError(f"git cat-file: cannot read staged object {object_id}")
        size = int(header[2])
        objects[object_id] = output[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1  # the object, then a line feed
    return objects


def hooks_directory() -> str:
    return _git("rev-parse", "--git-path", "hooks").decode().strip()
