"""Tesseract, the OCR engine the readers are handed (gate/readers/ocr.py), run through
pytesseract (the `[ocr]` extra): one process an image, ended at its seconds.

Tesseract's own threads (OpenMP, one a core) made each image slower here, not faster: a
phone's screenshot took 2.6 s with them and 1.1 s with one (BENCHMARKS.md, "OCR seconds per
image"), and a server reads several at once in its workers. So Tesseract runs with one
thread unless OMP_THREAD_LIMIT says otherwise.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from gate.readers import OcrFailed, OcrTimeout, Recognise

if TYPE_CHECKING:
    from PIL import Image  # the [ocr] extra's, as is pytesseract

THREADS = "1"


def tesseract() -> Recognise | None:
    """The engine, or None where pytesseract or the tesseract program is not installed."""
    try:
        import pytesseract
    except ImportError:
        return None
    if not shutil.which(pytesseract.pytesseract.tesseract_cmd):
        return None
    pytesseract.pytesseract.environ = _OneThread()  # the environment pytesseract runs it in
    return _read


class _OneThread(Mapping[str, str]):
    """os.environ as it is at each call, with OMP_THREAD_LIMIT=1 where it is not set: this
    process's own environment is left as it is."""

    def _environment(self) -> dict[str, str]:
        return {"OMP_THREAD_LIMIT": THREADS, **os.environ}

    def __getitem__(self, key: str) -> str:
        return self._environment()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._environment())

    def __len__(self) -> int:
        return len(self._environment())


def _read(image: Image.Image, seconds: float) -> str:
    import pytesseract

    try:
        return str(pytesseract.image_to_string(image, timeout=seconds))
    except pytesseract.TesseractError as error:
        raise OcrFailed(error.status) from None
    except RuntimeError as error:  # pytesseract's timeout, after it killed the process
        if str(error) != "Tesseract process timeout":
            raise
        raise OcrTimeout from None
