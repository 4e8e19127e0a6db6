"""Compiled wordlists, built once and kept in a private per-user folder.

A cold `gate check` of one post would otherwise parse and compile the whole list on every
commit. The cache is keyed by the digest of the wordlist's files and the versions of the
gate, Python and pyahocorasick, written atomically, and read only from a folder that
belongs to this user and that no one else can write (a pickle runs code when loaded).
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import ahocorasick

from gate import __version__
from gate.files import read_wordlist_files
from gate.matcher import Matcher, build_matcher
from gate.normalize import Normalizer
from gate.wordlist import parse_wordlist, wordlist_version

# The shape of the pickled Matcher: a cache written by a gate whose Matcher had other
# fields would unpickle without error and fail in the middle of a check.
LAYOUT = 4
# The modules whose code decides what a compiled list holds (how values normalise, which
# keys stand for them). Their files' sizes and times are part of the cache's name, so a
# changed or reinstalled gate never scans with keys an earlier one made.
COMPILER_MODULES = ("normalize", "matcher", "wordlist", "phones", "packed")
KEEP_CACHED = 16  # compiled lists kept in the cache folder, newest first
CACHE_FOLDER = "client-confidentiality-gate"


def user_cache_directory(environ: Mapping[str, str]) -> Path:
    """$GATE_CACHE_DIR, else the user's cache folder (XDG)."""
    if environ.get("GATE_CACHE_DIR"):
        return Path(environ["GATE_CACHE_DIR"])
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / CACHE_FOLDER


def load_matcher(directory: Path, *, cache_directory: Path | None) -> Matcher:
    """The compiled wordlist of `directory`, from the cache when it holds this version.

    Processes that find it missing at once (pre-commit's parallel batches, the webhook's
    workers) compile it once: the others wait for the first and load what it stored.
    """
    files = read_wordlist_files(directory)
    name = _cache_name(wordlist_version(files))
    if cache_directory is None:
        return _compile(directory, files)
    cached = _load(cache_directory, name)
    if cached is not None:
        return cached
    with _compiling(cache_directory, name):
        cached = _load(cache_directory, name)
        if cached is not None:
            return cached
        matcher = _compile(directory, files)
        _store(cache_directory, name, matcher)
    return matcher


def cached_matcher(directory: Path, cache_directory: Path) -> Matcher | None:
    """The compiled wordlist of `directory` if the cache holds this version, else None."""
    return _load(cache_directory, _cache_name(wordlist_version(read_wordlist_files(directory))))


def _compile(directory: Path, files: dict[str, bytes | None]) -> Matcher:
    normalizer = Normalizer()
    org = directory.resolve().name
    with _collector_paused():
        return build_matcher(parse_wordlist(org, str(directory), files, normalizer), normalizer)


@contextlib.contextmanager
def _compiling(directory: Path, name: str) -> Iterator[None]:
    """An exclusive lock on this version's compilation, where the cache folder allows one."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = os.open(directory / f".{name}.lock", os.O_CREAT | os.O_RDWR, 0o600) if _private(directory) else -1
    except OSError:
        handle = -1
    if handle < 0 or not hasattr(fcntl, "flock"):
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Compiling a list makes millions of objects and no reference cycles; the cyclic
    collector would walk them all again and again (15 of 40 s at 1,000,000 identifiers)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cache_name(wordlist_digest: str) -> str:
    # The extension module's size and time stand for its version: importlib.metadata
    # would cost more start-up time than the whole scan of a post.
    extension = os.stat(ahocorasick.__file__)
    runtime = f"py{sys.version_info[0]}{sys.version_info[1]}-aho{extension.st_size:x}{extension.st_mtime_ns:x}"
    return f"{wordlist_digest.removeprefix('sha256:')}-gate{__version__}.{LAYOUT}.{_CODE_STAMP}-{runtime}.pickle"


def code_stamp(package: Path) -> str:
    """The sizes and times of the compiler modules' files in `package`."""
    stamps = (os.stat(package / f"{module}.py") for module in COMPILER_MODULES)
    digest = hashlib.sha256(repr([(item.st_size, item.st_mtime_ns) for item in stamps]).encode())
    return digest.hexdigest()[:12]


# Taken once, when this process imports the gate: a gate upgraded on disk under a running
# server must not take the new code's lists for its own.
_CODE_STAMP = code_stamp(Path(__file__).parent)


def _private(path: Path) -> bool:
    """Owned by this user and writable by no one else."""
    try:
        status = path.lstat()
    except OSError:
        return False
    if not hasattr(os, "getuid"):
        return True
    return status.st_uid == os.getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _load(directory: Path, name: str) -> Matcher | None:
    path = directory / name
    if not (_private(directory) and _private(path)):
        return None
    try:
        with path.open("rb") as handle:
            matcher = pickle.load(handle)
    except Exception:  # noqa: BLE001 - any damage to a cache file means: rebuild it
        return None
    return matcher if isinstance(matcher, Matcher) else None


def _store(directory: Path, name: str, matcher: Matcher) -> None:
    """Write atomically; a cache that cannot be written only costs time, so it is skipped."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(directory):
            return
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(matcher, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, directory / name)
        except BaseException:
            os.unlink(temporary)
            raise
        _prune(directory)
    except OSError:
        return


def _prune(directory: Path) -> None:
    """Keep the KEEP_CACHED newest compiled lists: a server whose list changes all day
    would otherwise fill its disk with old versions (a million identifiers: 130 MiB each)."""
    cached = sorted(
        (path for path in directory.glob("*.pickle") if not path.name.startswith(".")),
        key=lambda path: path.stat().st_mtime_ns, reverse=True,
    )
    for path in cached[KEEP_CACHED:]:
        for stale in (path, directory / f".{path.name}.lock"):
            with contextlib.suppress(OSError):
                stale.unlink()  # a process that has it open keeps reading it
