"""BENCHMARKS.md's section on reading files (`python -m bench readers`): files a second for
each kind the readers read, with OCR off and on, what they did not read, and OCR's seconds
per image."""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from collections.abc import Sequence

from bench.readers import KindSpeed, OcrTime
from bench.report import machine, package_versions

READERS_HEADING = "## Reading files"
READERS_PACKAGES = ("pypdf", "Pillow", "pytesseract", "defusedxml", "python-docx", "openpyxl", "python-pptx")
NAMES_SHOWN = 6  # of the files a reason was given for


def render_readers(
    speeds: Sequence[KindSpeed],
    ocr: Sequence[OcrTime] | None,
    *,
    tesseract: str,
    runs: int,
    ocr_runs: int,
    command: str,
    revision: str,
    load: tuple[float, float] | None = None,
) -> str:
    """`load`: the machine's load average (over a minute) as the run began and ended: OCR on
    a busy machine is slower, the more so with Tesseract's threads."""
    engine = f"Tesseract {tesseract}" if tesseract else "Tesseract not installed"
    threads = os.environ.get("OMP_THREAD_LIMIT")
    lines = [
        READERS_HEADING,
        "",
        f"Run {datetime.date.today().isoformat()} with `{command}`, the gate {revision}, on {machine()}"
        + (f", load average {load[0]:.1f} as it began and {load[1]:.1f} as it ended." if load else "."),
        f"Packages: {package_versions(READERS_PACKAGES)}, {engine}"
        + (f" (OMP_THREAD_LIMIT={threads})." if threads else "."),
        "",
        "Each file is read as `gate check FILE` reads it (`read_content`: its bytes, then `decode_content` "
        "with the default limits and the OCR seconds of one check), the texts it holds taken out and nothing "
        "matched (the matcher's speed is in the sections above). *OCR off* is the gate where Tesseract is not "
        "installed (pytesseract finds no program: the text in images is noted as not read, the rest is read), "
        "the best of "
        f"{runs} runs; *OCR on* is one run with Tesseract as installed. The files are real: PNG, GIF, JPEG and "
        "PDF from Debian's documentation packages, the OpenDocument templates LibreOffice ships, each package a "
        "pinned version verified by its sha256 (`bench/real_text.py`), fetched with `apt-get download` and "
        "cached beside the real-text corpus. No Debian package ships a Word, Excel or PowerPoint file, nor a "
        "photograph with EXIF: those are made (`bench/readers_files.py`) with python-docx, openpyxl and "
        "python-pptx from State of the Union addresses, and with Pillow from the packages' PNGs, with EXIF "
        "and XMP captions taken from the same speeches.",
        "",
        *_speeds(speeds),
        "",
        *_sources(speeds),
        "",
        *_unread(speeds),
        "",
        *_ocr(ocr, tesseract, ocr_runs),
        "",
        "Rerun: `python3.11 -m venv .venv-bench && .venv-bench/bin/pip install -q '.[bench]' && "
        ".venv-bench/bin/python -m bench readers`, with Tesseract installed (`apt-get install tesseract-ocr`; "
        "without it OCR is left out, and says so). The first run fetches about 29 MB of archives besides the "
        "real-text corpus's sphinx-doc and speeches, which it shares; `--quick`: one run, BENCHMARKS.md left "
        "as it is; `--no-ocr`: OCR left out; `python -m bench` keeps this section as it is.",
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _speeds(speeds: Sequence[KindSpeed]) -> list[str]:
    lines = [
        "| kind | files | MB | files/s, OCR off | MB/s, OCR off | texts read | characters | not read | "
        "files/s, OCR on | not read, OCR on |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for speed in speeds:
        files, megabytes = len(speed.group.paths), speed.bytes / 1e6
        ocr = _rate(files / speed.ocr_seconds) if speed.ocr_seconds else "—"
        ocr_unread = f"{len(speed.ocr_unread)}" if speed.ocr_seconds else "—"
        lines.append(
            f"| {speed.group.kind} | {files:,} | {megabytes:.2f} | {_rate(files / speed.seconds)} | "
            f"{_rate(megabytes / speed.seconds)} | {speed.parts:,} | {speed.characters:,} | {len(speed.unread)} | "
            f"{ocr} | {ocr_unread} |"
        )
    return lines


def _rate(per_second: float) -> str:
    return (
        f"{per_second:,.0f}" if per_second >= 100 else f"{per_second:.1f}" if per_second >= 1 else f"{per_second:.2g}"
    )


def _sources(speeds: Sequence[KindSpeed]) -> list[str]:
    return ["Where the files come from:", "", *(f"- {speed.group.kind}: {speed.group.source}." for speed in speeds)]


def _unread(speeds: Sequence[KindSpeed]) -> list[str]:
    """The files the readers refused (each blocks a check), by reason."""
    by_reason: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for speed in speeds:
        for name, reason in speed.unread:
            by_reason[(speed.group.kind, reason)].append(name)
        for name, reason in speed.ocr_unread:
            if (name, reason) not in speed.unread:
                by_reason[(f"{speed.group.kind}, OCR on", reason)].append(name)
    if not by_reason:
        return ["The readers read every file."]
    lines = ["Files the readers did not read (each blocks a check):", ""]
    for (kind, reason), names in by_reason.items():
        shown = ", ".join(f"`{name}`" for name in names[:NAMES_SHOWN])
        more = f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else ""
        lines.append(f"- {kind}, {len(names)} file{'s' if len(names) > 1 else ''}: “{reason}”: {shown}{more}.")
    return lines


def _ocr(ocr: Sequence[OcrTime] | None, tesseract: str, runs: int) -> list[str]:
    if ocr is None or not tesseract:
        return [
            "OCR not measured: Tesseract is not installed (`apt-get install tesseract-ocr`, and the `[ocr]` extra)."
        ]
    lines = [
        f"### OCR seconds per image ({tesseract and 'Tesseract ' + tesseract}, median of {runs})",
        "",
        "Screenshots of a real mail (SpamAssassin's easy-ham-2, a reply quoting the mail it answers), drawn "
        "with Pillow's own font at the sizes people post them, then PNGs of Debian's sphinx-doc. The gate "
        "reads an image under 1,200 pixels wide at twice its size, on one thread (`OMP_THREAD_LIMIT=1`, "
        "gate/adapters/tesseract.py). *Threads, one a core*: Tesseract's OpenMP threads as it runs when not "
        "told otherwise; *one thread*: as the gate runs it, taken in turns with the other.",
        "",
        "| image | pixels | KB | seconds, threads one a core | seconds, one thread | characters read | words read |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for time in ocr:
        words = f"{time.words_read:.0%}" if time.words_read is not None else "—"
        blocked = " (blocked in a run)" if time.problem else ""
        lines.append(
            f"| {time.image.label} | {time.width} × {time.height} | {time.bytes / 1000:,.0f} | "
            f"{time.seconds:.2f}{blocked} | {time.one_thread_seconds:.2f} | {time.characters:,} | {words} |"
        )
    return lines
