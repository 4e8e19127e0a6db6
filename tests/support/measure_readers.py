"""How long the readers take: seconds of OCR per screenshot at the sizes people post, and
files a second for each kind the readers read without OCR. Not a test (times are not
asserted); run it on the machine to be measured:

    PYTHONPATH=. .venv-test/bin/python -m tests.support.measure_readers
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable

from PIL import Image

from gate.content import decode_content
from tests.support import documents
from tests.support.documents import screenshot

MESSAGE = [
    "Hi! Just wanted to say",
    "Thank you so much! — Kim Lowe",
    "The sessions changed everything for me",
    "and my family. See you on Tuesday.",
]
# (what, width, font size, lines): the text at the size a phone or a desktop shows it
SCREENSHOTS = [
    ("a cropped message, 600 px wide", 600, 16, MESSAGE),
    ("a phone at 1x, 750 × ~1330", 750, 17, MESSAGE * 6),
    ("a phone at 3x, 1170 × ~2530", 1170, 48, MESSAGE * 5),
    ("a desktop e-mail, 1920 × ~1080", 1920, 18, MESSAGE * 6 + [""] * 8),
]
FILES: list[tuple[str, Callable[[], bytes]]] = [
    ("PNG metadata", lambda: documents.png_text("tEXt", "Comment", "Kim Lowe")),
    ("JPEG metadata (EXIF + XMP)", lambda: documents.image(xmp=documents.xmp("subject", "Kim Lowe"))),
    ("PDF, 3 pages", lambda: documents.pdf(page_three="Kim Lowe")),
    ("DOCX", lambda: documents.docx_file("comment", "Kim Lowe")),
    ("XLSX", lambda: documents.xlsx_file("cell", "Kim Lowe")),
    ("ODT", lambda: documents.odt_file("body", "Kim Lowe")),
]


def seconds_each(data: bytes, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        decode_content("f", data)
        times.append(time.perf_counter() - started)
    return times


def measure_ocr(runs: int = 5) -> None:
    print("| screenshot | pixels | bytes (PNG) | OCR seconds, median of", runs, "|")
    print("|---|---|---|---|")
    for what, width, font_size, lines in SCREENSHOTS:
        data = screenshot(lines, width=width, font_size=font_size)
        size = Image.open(io.BytesIO(data)).size
        median = statistics.median(seconds_each(data, runs))
        print(f"| {what} | {size[0]} × {size[1]} | {len(data):,} | {median:.2f} |")


def measure_files(seconds: float = 2.0) -> None:
    """Files a second, OCR left out (as where Tesseract is not installed)."""
    sys.modules["pytesseract"] = None  # type: ignore[assignment]
    print("| file | bytes | files/s |")
    print("|---|---|---|")
    for what, make in FILES:
        data = make()
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            decode_content("f", data)
            count += 1
        print(f"| {what} | {len(data):,} | {count / (time.perf_counter() - started):,.0f} |")


if __name__ == "__main__":
    measure_ocr()
    measure_files()
