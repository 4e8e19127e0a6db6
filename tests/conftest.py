from __future__ import annotations

import glob
import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
    require(
        ("Tesseract (apt-get install tesseract-ocr)", shutil.which("tesseract")),
        ("pytesseract (the [ocr] extra)", importlib.util.find_spec("pytesseract")),
    )
    engine = gate.adapters.tesseract.tesseract()
    assert engine is not None
    return engine


CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# Headless, and as root without the sandbox; nothing fetched in the background (the
# machine's closed network refuses it), a new profile each time.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1200,900",
)


@pytest.fixture
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The system's Chromium driven by Selenium through the system's ChromeDriver: skipped
    where either is missing, but failed under CI, which installs them (.ci/system-packages)."""
    require(
        ("Chromium (apt-get install chromium)", os.access(CHROMIUM, os.X_OK)),
        ("ChromeDriver (apt-get install chromium-driver)", os.access(CHROMEDRIVER, os.X_OK)),
        ("Selenium (the [test] extra)", importlib.util.find_spec("selenium")),
    )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def require(*tools: tuple[str, object]) -> None:
    """Skip unless every tool is present (each a description and what finds it); under
    CI (CI=true), which installs them all, fail instead."""
    missing = [what for what, present in tools if not present]
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"CI must have {' and '.join(missing)}")
    if missing:
        pytest.skip(f"needs {' and '.join(missing)}")


@pytest.fixture(scope="session")
def postgres() -> Iterator[Any]:
    """A real PostgreSQL server for this test process (tests/support/postgres.py): skipped
    where the server or psycopg is missing, but failed under CI, which installs both.
    Shared: a test that stops it takes `own_postgres`."""
    yield from _postgres()


@pytest.fixture
def own_postgres() -> Iterator[Any]:
    """A PostgreSQL server of the test's own, to stop and start."""
    yield from _postgres()


def _postgres() -> Iterator[Any]:
    require(
        ("PostgreSQL (apt-get install postgresql)", glob.glob("/usr/lib/postgresql/*/bin/initdb")),
        ("psycopg (the [postgres] extra)", importlib.util.find_spec("psycopg")),
    )
    from tests.support.postgres import postgres_server

    with postgres_server() as server:
        yield server
