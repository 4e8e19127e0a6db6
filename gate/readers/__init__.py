"""Readers of what a file holds besides text: an image's caption and keywords, a PDF's
pages, a Word file's comments. Each takes the file's bytes (never a path) and gives its
parts, each with where it is in the file; what a reader cannot read is not approved.

The kind of a file is told by its first bytes, never by its name (`detect.py`); each kind
has one reader module, imported only when a file of that kind is read: the libraries they
use are the `[documents]` extra. The text in an image's pixels is read (`ocr.py`) by the
OCR engine the caller hands in with the check's OcrClock (Tesseract, through the `[ocr]`
extra: gate/adapters/tesseract.py); the readers run no program.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple, Protocol

from gate.readers.detect import FILE_KINDS, detect, zip_inside
from gate.readers.limits import Limits

if TYPE_CHECKING:
    from PIL import Image

EXTRA = "pip install 'client-confidentiality-gate[documents]'"
OPTIONAL_LIBRARIES = frozenset({"PIL", "pypdf", "defusedxml"})  # the [documents] extra's imports
_DISTRIBUTIONS = {"PIL": "Pillow"}  # an import's name, where its package's differs
MAX_DEPTH = 2  # a file, a document inside it, and an image inside that: no deeper


class Part(NamedTuple):
    """A text found inside a file, and where: `page 3`, `exif:Artist`,
    `word/document.xml paragraph 12`."""

    location: str
    text: str


class Unread(Exception):
    """A file of a kind the gate reads that it could not read, or refused past a limit.
    The message says what it is, and what to do; never what the file holds."""

    def __init__(self, what: str, advice: str) -> None:
        super().__init__(f"{what}: not read, so not approved; {advice}")
        self.what, self.advice = what, advice


def beyond_pillow(what: str, pixels: int) -> Unread:
    """`what`, past the `pixels` Pillow decodes (its own limit, below the policy's: the
    policy cannot raise it)."""
    return Unread(f"{what} of over the {pixels:,} pixels Pillow reads, whatever policy.toml says", "make it smaller")


class Reading(NamedTuple):
    """What the readers made of a file: its parts, and why it was not read, or not all of
    it (`blocks`: a kind the gate reads, so what is unread is not approved; the text in an
    image left unread for want of Tesseract is reported, not blocking)."""

    parts: tuple[Part, ...] = ()
    problem: str = ""
    blocks: bool = False


class Recognise(Protocol):
    """An OCR engine: the text in `image` (grey, upright, dark on light), within `seconds`;
    past them OcrTimeout, and OcrFailed where the engine could not read it. The core is
    handed one (gate/adapters/tesseract.py runs Tesseract); it runs no program itself."""

    def __call__(self, image: Image.Image, seconds: float) -> str: ...


class OcrTimeout(Exception):
    """The engine did not read the image within its seconds (and was stopped)."""


class OcrFailed(Exception):
    """The engine could not read the image; `status`: its exit status."""

    def __init__(self, status: int) -> None:
        super().__init__(f"status {status}")
        self.status = status


@dataclass
class OcrClock:
    """The seconds of OCR a check or a request may still spend, shared by all its files;
    `setting` says where they come from, for the reason of a block past them. `engine`:
    what reads the text in images; None where none is installed (the images' pixels are
    then noted as not read)."""

    seconds: float
    setting: str
    engine: Recognise | None = None

    @classmethod
    def of(cls, limits: Limits, engine: Recognise | None = None) -> OcrClock:
        seconds = limits.ocr_seconds_per_request
        return cls(seconds, f"the {seconds:g} s of policy.toml's [limits] ocr_seconds_per_request", engine)


@dataclass
class Budget:
    """What a file may still unpack to (members and bytes) and spend on OCR, shared by the
    readers of the documents and images inside it; `notes`: what was left unread without
    blocking (the text in images, where Tesseract is not installed)."""

    limits: Limits
    members: int
    bytes: int
    ocr: OcrClock
    texts: int = 0
    depth: int = 0
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, limits: Limits, ocr: OcrClock | None = None) -> Budget:
        return cls(
            limits, limits.archive_members, limits.archive_bytes, ocr or OcrClock.of(limits), limits.texts_per_file
        )

    def spend_texts(self, count: int) -> None:
        """`count` more texts read; past the policy's texts_per_file, Unread."""
        self.texts -= count
        if self.texts < 0:
            raise self.too_many_texts()

    def too_many_texts(self) -> Unread:
        return Unread(
            f"a file of over the {self.limits.texts_per_file:,} texts of policy.toml's [limits] texts_per_file",
            "ask the compliance officer, or split it",
        )

    def note(self, reason: str) -> None:
        if reason not in self.notes:
            self.notes.append(reason)


Reader = Callable[[bytes, str, Budget], list[Part]]


def read_file(data: bytes, limits: Limits, ocr: OcrClock | None = None) -> Reading | None:
    """The parts of a file of a kind with a reader; None for anything else (text, or a
    binary kind the gate does not read). `ocr`: the check's or request's seconds of OCR,
    else the file's own."""
    kind = detect(data)
    glued = zip_inside(data) and b"\0" in data  # an archive behind a PDF, or behind junk
    if not kind and not glued:
        return None
    budget = Budget.of(limits, ocr)
    try:
        with warnings.catch_warnings():
            # Pillow and pypdf warn of what they repair; whatever they cannot read raises.
            warnings.simplefilter("ignore")
            parts = read_kind(kind or "zip", data, budget)
            if kind not in ("", "zip") and glued:
                parts += _also_an_archive(data, budget)
            if len(parts) > limits.texts_per_file:  # a PDF's or an image's: XML's are counted as read
                raise budget.too_many_texts()
        return Reading(tuple(unique_places(parts)), "; ".join(budget.notes))
    except NoReader as error:
        return Reading(problem=str(error))
    except Unread as error:
        return Reading(problem=str(error), blocks=True)


def _also_an_archive(data: bytes, budget: Budget) -> list[Part]:
    """The parts of the Office or OpenDocument file glued behind a file of another kind
    (it opens in both programs), under `archive`; nothing where it is no such file."""
    try:
        return [Part(f"archive {part.location}", part.text) for part in read_kind("zip", data, budget)]
    except NoReader:
        return []


class NoReader(Exception):
    """A ZIP archive that is neither an Office nor an OpenDocument file."""


def read_kind(kind: str, data: bytes, budget: Budget) -> list[Part]:
    """`data`, of `kind`, by its reader; the reader's library missing is Unread."""
    reader: Reader = reader_module(FILE_KINDS[kind].reader, FILE_KINDS[kind].name).read
    return reader(data, kind, budget)


def reader_module(name: str, what: str) -> ModuleType:
    """gate.readers.`name`, which reads `what`; its library missing is Unread."""
    try:
        return importlib.import_module(f"gate.readers.{name}")
    except ModuleNotFoundError as error:
        library = (error.name or "").partition(".")[0]
        if library not in OPTIONAL_LIBRARIES:
            raise  # the gate's own import, broken: a bug, not a missing extra
        raise Unread(
            f"{what}, and {_DISTRIBUTIONS.get(library, library)} (which reads it) is not installed", EXTRA
        ) from None


def read_inside(data: bytes, location: str, budget: Budget) -> list[Part]:
    """A document or image inside another (a photograph in a Word file): its parts, each
    located under `location`; nothing for a member of no kind the gate reads."""
    kind = detect(data)
    if not kind:
        return []
    if budget.depth >= MAX_DEPTH:
        raise Unread(f"{FILE_KINDS[kind].name} inside a document inside another", "save the innermost file on its own")
    budget.depth += 1
    try:
        parts = read_kind(kind, data, budget)
    except NoReader:
        budget.note(f"{location}: an archive inside, not a document: not read")
        return []
    except Unread as error:  # said of the file inside: where it is, first
        raise Unread(f"{location}: {error.what}", error.advice) from None
    finally:
        budget.depth -= 1
    return [Part(f"{location} {part.location}", part.text) for part in parts]


def keyed_parts(prefix: str, items: Iterable[tuple[str, str]], known: Collection[str]) -> Iterator[Part]:
    """Parts of a file's key-value metadata (PNG text chunks, a PDF's information, form
    fields). A key is free text a client's name can be written in ("Kim Lowe: client since
    2021"), and a location is printed in every report: a key among `known` (the format's
    own names) is the location as written; any other is numbered, and read as a part too."""
    for number, (key, value) in enumerate(items, start=1):
        if key in known:
            yield Part(f"{prefix}:{key}", value)
        else:
            yield Part(f"{prefix} {number} key", key)
            yield Part(f"{prefix} {number}", value)


def unique_places(parts: Sequence[Part]) -> list[Part]:
    """The parts with texts, each location once: a second of the same name gets ` (2)`."""
    seen: dict[str, int] = {}
    unique = []
    for part in parts:
        if not part.text.strip():
            continue
        count = seen[part.location] = seen.get(part.location, 0) + 1
        unique.append(part if count == 1 else Part(f"{part.location} ({count})", part.text))
    return unique
