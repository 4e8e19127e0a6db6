from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

import gate.adapters.tesseract
from gate.readers import Recognise


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test compiles into its own cache folder, never the user's."""
    folder = tmp_path_factory.mktemp("cache") / "gate"
    monkeypatch.setenv("GATE_CACHE_DIR", str(folder))
    monkeypatch.delenv("GATE_WORDLIST", raising=False)
    return folder


@pytest.fixture
def tesseract() -> Recognise:
    """Tesseract, for tests that read the text in images: skipped where Tesseract or
    pytesseract is missing, but failed under CI (CI=true), which installs both
    (.ci/system-packages)."""
    missing = [
        what
        for what, present in (
            ("Tesseract (apt-get install tesseract-ocr)", shutil.which("tesseract")),
            ("pytesseract (the [ocr] extra)", importlib.util.find_spec("pytesseract")),
        )
        if not present
    ]
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"CI must have {' and '.join(missing)}")
    if missing:
        pytest.skip(f"needs {' and '.join(missing)}")
    engine = gate.adapters.tesseract.tesseract()
    assert engine is not None
    return engine
