from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test compiles into its own cache folder, never the user's."""
    folder = tmp_path_factory.mktemp("cache") / "gate"
    monkeypatch.setenv("GATE_CACHE_DIR", str(folder))
    monkeypatch.delenv("GATE_WORDLIST", raising=False)
    return folder
