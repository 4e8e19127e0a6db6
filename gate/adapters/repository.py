"""A content repository as the command line finds it: its root, and its `.gate.toml`
(defaults for the options of `gate check`)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import NamedTuple

from gate.adapters.files import read_regular_file
from gate.errors import GateError
from gate.report import REPORTERS
from gate.settings import reject_unknown_keys

CONFIG_FILE = ".gate.toml"


class RepositoryConfig(NamedTuple):
    wordlist: str | None = None
    format: str | None = None
    fail_on_unscanned: bool | None = None


def read_repository_config(folder: Path) -> RepositoryConfig:
    """`.gate.toml` in `folder` (a content repository's root), if there is one."""
    path = folder / CONFIG_FILE
    try:
        content = read_regular_file(path).decode("utf-8")
    except FileNotFoundError:
        return RepositoryConfig()
    except (OSError, UnicodeDecodeError) as error:  # a FIFO or /dev/zero too: never read
        raise GateError(f"{CONFIG_FILE}: cannot read ({error})") from None
    config = parse_repository_config(CONFIG_FILE, content)
    if config.wordlist is not None:
        config = config._replace(wordlist=str(folder / os.path.expanduser(config.wordlist)))
    return config


def parse_repository_config(path: str, content: str) -> RepositoryConfig:
    """Keys: wordlist (a path; ~ is expanded, relative paths are from the file's folder),
    format, fail_on_unscanned."""
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as error:
        raise GateError(f"{path}: {error}") from None
    reject_unknown_keys(
        data,
        RepositoryConfig._fields,
        lambda key: GateError(f"{path}: unknown key {key!r} (expected one of {', '.join(RepositoryConfig._fields)})"),
    )
    wordlist, format_, fail = data.get("wordlist"), data.get("format"), data.get("fail_on_unscanned")
    if wordlist is not None and not isinstance(wordlist, str):
        raise GateError(f"{path}: wordlist must be a string (a folder's path)")
    if format_ is not None and format_ not in REPORTERS:
        raise GateError(f"{path}: format must be one of {', '.join(sorted(REPORTERS))}")
    if fail is not None and not isinstance(fail, bool):
        raise GateError(f"{path}: fail_on_unscanned must be true or false")
    return RepositoryConfig(wordlist, format_, fail)


def outside_repository(wordlist: Path, folder: Path) -> Path:
    """A wordlist named by a content repository's own .gate.toml, refused if it lies inside
    that repository: any commit could replace it with a decoy that approves everything."""
    root = repository_root(folder.resolve())
    for candidate in (Path(os.path.abspath(wordlist)), wordlist.resolve()):
        if candidate == root or root in candidate.parents:
            raise GateError(
                f"{CONFIG_FILE}: the wordlist it names lies inside the repository being checked, "
                "where a commit can change it; keep it outside, or pass --wordlist or set GATE_WORDLIST"
            )
    return wordlist


def repository_root(folder: Path) -> Path:
    """The work tree `folder` belongs to (the nearest folder holding .git), else `folder`."""
    return next((parent for parent in (folder, *folder.parents) if (parent / ".git").exists()), folder)
