"""Files decoded as the command line decodes them, with an OCR engine handed in: by
default one that reads no text (fast, and the same with or without Tesseract); the tests
of the text in images hand in Tesseract itself (the `tesseract` fixture)."""

from __future__ import annotations

from PIL import Image

from gate.content import Content, decode_content
from gate.readers import OcrClock, Recognise
from gate.readers.limits import DEFAULT_LIMITS, Limits


def no_text(image: Image.Image, seconds: float) -> str:
    """An OCR engine that finds no text in any image."""
    return ""


def decoded(
    path: str,
    data: bytes,
    *,
    limits: Limits = DEFAULT_LIMITS,
    ocr: OcrClock | None = None,
    engine: Recognise | None = no_text,
) -> Content:
    return decode_content(path, data, limits=limits, ocr=ocr or OcrClock.of(limits, engine))
