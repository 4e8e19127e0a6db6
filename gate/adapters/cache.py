"""Compiled wordlists, built once and kept in a private per-user folder.

A cold `gate check` of one post would otherwise parse and compile the whole list on every
commit. The cache is keyed by the digest of the wordlist's files and the versions of the
gate, Python and pyahocorasick, written atomically, and read only from a folder that
belongs to this user and that no one else can write (a pickle runs code when loaded).
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import hmac
import importlib.util
import os
import pickle
import secrets
import stat
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from gate import __version__
from gate.adapters.files import read_wordlist_files
from gate.lint import ListReport, list_report
from gate.matcher import Matcher, build_matcher
from gate.normalize import Normalizer
from gate.wordlist import ignored_columns, parse_wordlist, wordlist_version
from gate.written import COMMON_WORDS_FILE, read_words

try:
    import fcntl
except ImportError:  # not on Windows: the cache is then written without a lock
    fcntl = None  # type: ignore[assignment]

# The shape of the pickled Matcher: a cache written by a gate whose Matcher had other
# fields would unpickle without error and fail in the middle of a check.
# 10: a table of surnames, looked up after a title (gate/matcher.py);
# 9: the common surnames, the word lists in one record (gate/written.py);
# 8: the titles before a surname (gate/titles.py); 7: the common and prose words;
# 6: the given names; 5: an HMAC of the user's key before the pickle.
LAYOUT = 10
# The modules whose code decides what a compiled list holds (how values normalise, which
# keys stand for them). Their files' sizes and times are part of the cache's name, so a
# changed or reinstalled gate never scans with keys an earlier one made.
COMPILER_MODULES = (
    "normalize",
    "matcher",
    "wordlist",
    "phones",
    "packed",
    "precision",
    "spellings",
    "written",
    "names",
    "titles",
    "spoken",
    "kinds",
)
# Read into a compiled list (gate/precision.py, gate/written.py, gate/names.py).
COMPILER_DATA = (
    "given-names.txt",
    "common-words.txt",
    "prose-words.txt",
    "common-surnames.txt",
    "nicknames.txt",
)
LIBRARIES = ("ahocorasick", "regex", "anyascii", "phonenumbers")
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
    name = _cache_name(directory, files)
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
    return _load(cache_directory, _cache_name(directory, read_wordlist_files(directory)))


def wordlist_org(directory: Path) -> str:
    """An organisation is named by its wordlist folder; reports carry that name."""
    return directory.resolve().name


def read_list_report(directory: Path, today: datetime.date) -> ListReport:
    """The list in `directory` read, validated and linted as of `today`: what `gate
    wordlist check` prints and the console's list page shows (GateError, naming file and
    line, if it does not parse)."""
    normalizer = Normalizer()
    files = read_wordlist_files(directory)
    wordlist = parse_wordlist(wordlist_org(directory), str(directory), files, normalizer)
    ignored = ignored_columns(files["clients.csv"] or b"")
    return list_report(wordlist, normalizer, read_words(COMMON_WORDS_FILE), today, ignored)


def _compile(directory: Path, files: dict[str, bytes | None]) -> Matcher:
    normalizer = Normalizer()
    with _collector_paused():
        return build_matcher(parse_wordlist(wordlist_org(directory), str(directory), files, normalizer), normalizer)


@contextlib.contextmanager
def _compiling(directory: Path, name: str) -> Iterator[None]:
    """An exclusive lock on this version's compilation, where the cache folder allows one."""
    handle = -1
    with contextlib.suppress(OSError):
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = _open_folder(directory)
    if folder is not None:
        try:
            handle = os.open(f".{name}.lock", os.O_CREAT | os.O_RDWR | _NO_FOLLOW, 0o600, dir_fd=folder)
        except OSError:
            handle = -1
        finally:
            os.close(folder)
    if handle < 0 or fcntl is None:
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


def _cache_name(directory: Path, files: Mapping[str, bytes | None]) -> str:
    # The libraries' file sizes and times stand for their versions: importlib.metadata
    # would cost more start-up time than the whole scan of a post. The organisation is in
    # the name: two organisations with the same files must not share a compiled list.
    digest = hashlib.sha256(repr((wordlist_org(directory), _library_stamp())).encode()).hexdigest()[:12]
    return (
        f"{wordlist_version(files).removeprefix('sha256:')}-{digest}-gate{__version__}.{LAYOUT}.{CODE_STAMP}"
        f"-py{sys.version_info[0]}{sys.version_info[1]}.pickle"
    )


def _library_stamp() -> list[tuple[int, int]]:
    """The size and time of each of LIBRARIES' files: an upgrade of pyahocorasick or of a
    library that decides how values normalise must not reuse keys an earlier one made."""
    stamps = []
    for module in LIBRARIES:
        spec = importlib.util.find_spec(module)
        status = os.stat(spec.origin) if spec is not None and spec.origin else None
        stamps.append((status.st_size, status.st_mtime_ns) if status else (0, 0))
    return stamps


def code_stamp(package: Path) -> str:
    """The sizes and times of the compiler modules' files, and of the data they compile
    into a list, in `package`."""
    names = [*(f"{module}.py" for module in COMPILER_MODULES), *COMPILER_DATA]
    stamps = (os.stat(package / name) for name in names)
    digest = hashlib.sha256(repr([(item.st_size, item.st_mtime_ns) for item in stamps]).encode())
    return digest.hexdigest()[:12]


# Taken once, when this process imports the gate: a gate upgraded on disk under a running
# server must not take the new code's lists for its own.
CODE_STAMP = code_stamp(Path(__file__).parents[1])


def _private_status(status: os.stat_result) -> bool:
    if not hasattr(os, "getuid"):
        return True
    return status.st_uid == os.getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


# A pickle runs code when it is loaded. Checking a path and then opening it leaves a gap in
# which a writable parent lets another user swap the file, so: the folder and each file are
# opened without following links and checked through the descriptor, and what is read is
# unpickled only if it carries the HMAC of this user's key, which no one else can read.
KEY_FILE = ".key"
KEY_BYTES = 32
TAG_BYTES = hashlib.sha256().digest_size
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _open_folder(directory: Path) -> int | None:
    """A descriptor of the cache folder if it is this user's and private, else None."""
    try:
        folder = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NO_FOLLOW)
    except OSError:
        return None
    if stat.S_ISDIR(os.fstat(folder).st_mode) and _private_status(os.fstat(folder)):
        return folder
    os.close(folder)
    return None


def _read_private(folder: int, name: str, *, secret: bool = False) -> bytes | None:
    """A regular file of this user's that no one else can write (nor read, if `secret`),
    read through one descriptor opened without following a link; None otherwise."""
    try:
        handle = os.open(name, os.O_RDONLY | _NO_FOLLOW | getattr(os, "O_NONBLOCK", 0), dir_fd=folder)
    except OSError:
        return None
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(handle)
        if not (stat.S_ISREG(status.st_mode) and _private_status(status)):
            return None
        if secret and status.st_mode & 0o077:
            return None
        return stream.read()


def _key(folder: int) -> bytes | None:
    """This user's cache key, made on first use (0600, published atomically)."""
    key = _read_private(folder, KEY_FILE, secret=True)
    if key is not None:
        return key if len(key) == KEY_BYTES else None
    temporary = f".key-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o600, dir_fd=folder)
        with os.fdopen(handle, "wb") as stream:
            stream.write(secrets.token_bytes(KEY_BYTES))
        with contextlib.suppress(FileExistsError):  # another process was first: use its key
            os.link(temporary, KEY_FILE, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
        os.unlink(temporary, dir_fd=folder)
    except OSError:
        return None
    key = _read_private(folder, KEY_FILE, secret=True)
    return key if key is not None and len(key) == KEY_BYTES else None


def _load(directory: Path, name: str) -> Matcher | None:
    folder = _open_folder(directory)
    if folder is None:
        return None
    try:
        key, data = _key(folder), _read_private(folder, name)
    finally:
        os.close(folder)
    if key is None or data is None or len(data) < TAG_BYTES:
        return None
    tag, body = data[:TAG_BYTES], data[TAG_BYTES:]
    if not hmac.compare_digest(tag, hmac.new(key, body, hashlib.sha256).digest()):
        return None  # not written by this user's gate: never unpickled
    try:
        matcher = pickle.loads(body)
    except Exception:  # noqa: BLE001 - any damage to a cache file means: rebuild it
        return None
    return matcher if isinstance(matcher, Matcher) else None


def _store(directory: Path, name: str, matcher: Matcher) -> None:
    """Write atomically; a cache that cannot be written only costs time, so it is skipped."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return
    folder = _open_folder(directory)
    if folder is None:
        return
    try:
        key = _key(folder)
        if key is None:
            return
        body = pickle.dumps(matcher, protocol=pickle.HIGHEST_PROTOCOL)
        temporary = f".tmp-{os.getpid()}-{secrets.token_hex(4)}.pickle"
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o600, dir_fd=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(hmac.new(key, body, hashlib.sha256).digest())
                stream.write(body)
            os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            os.unlink(temporary, dir_fd=folder)
            raise
        _prune(directory)
    except OSError:
        return
    finally:
        os.close(folder)


def _prune(directory: Path) -> None:
    """Keep the KEEP_CACHED newest compiled lists: a server whose list changes all day
    would otherwise fill its disk with old versions (a million identifiers: 130 MiB each)."""
    cached = sorted(
        (path for path in directory.glob("*.pickle") if not path.name.startswith(".")),
        key=lambda path: path.stat().st_mtime_ns,
        reverse=True,
    )
    for path in cached[KEEP_CACHED:]:
        for stale in (path, directory / f".{path.name}.lock"):
            with contextlib.suppress(OSError):
                stale.unlink()  # a process that has it open keeps reading it
