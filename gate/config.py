"""`.gate.toml`: a content repository's defaults for the options of `gate check`."""

from __future__ import annotations

import tomllib
from typing import NamedTuple

from gate.errors import GateError
from gate.report import FORMATS

CONFIG_FILE = ".gate.toml"


class RepositoryConfig(NamedTuple):
    wordlist: str | None = None
    format: str | None = None
    fail_on_unscanned: bool | None = None


def parse_repository_config(path: str, content: str) -> RepositoryConfig:
    """Keys: wordlist (a path; ~ is expanded, relative paths are from the file's folder),
    format, fail_on_unscanned."""
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as error:
        raise GateError(f"{path}: {error}") from None
    for key in data:
        if key not in RepositoryConfig._fields:
            raise GateError(f"{path}: unknown key {key!r} (expected one of {', '.join(RepositoryConfig._fields)})")
    wordlist, format_, fail = data.get("wordlist"), data.get("format"), data.get("fail_on_unscanned")
    if wordlist is not None and not isinstance(wordlist, str):
        raise GateError(f"{path}: wordlist must be a string (a folder's path)")
    if format_ is not None and format_ not in FORMATS:
        raise GateError(f"{path}: format must be one of {', '.join(sorted(FORMATS))}")
    if fail is not None and not isinstance(fail, bool):
        raise GateError(f"{path}: fail_on_unscanned must be true or false")
    return RepositoryConfig(wordlist, format_, fail)
