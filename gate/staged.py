"""The content staged in git: what a commit will contain, not the working tree."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

from gate.errors import GateError
from gate.files import Content, decode_content


def _git(*arguments: str) -> bytes:
    try:
        done = subprocess.run(["git", *arguments], capture_output=True, check=False)
    except FileNotFoundError:
        raise GateError("git is not installed") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise GateError(f"git {arguments[0]}: {message[-1] if message else 'failed'}")
    return done.stdout


def staged_contents() -> Iterator[Content]:
    """Each file added, copied, modified or renamed in the index, as staged."""
    names = _git("diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR")
    for name in names.decode("utf-8", errors="surrogateescape").split("\0"):
        if name:
            yield decode_content(name, _git("show", f":{name}"))


def hooks_directory() -> str:
    return _git("rev-parse", "--git-path", "hooks").decode().strip()
