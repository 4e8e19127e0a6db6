"""The project's code is linted and formatted as .pre-commit-config.yaml does it, with the
ruff that the test extra installs and the hooks pin."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def ruff(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *arguments], cwd=ROOT, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("command", [("check",), ("format", "--check")], ids=["lint", "format"])
def test_the_code_passes_ruff(command: tuple[str, ...]) -> None:
    done = ruff(*command)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_pre_commit_hooks_pin_the_ruff_the_tests_run() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    pins = {
        dependency
        for repository in config["repos"]
        for hook in repository["hooks"]
        for dependency in hook.get("additional_dependencies", [])
    }
    assert pins == {f"ruff=={importlib.metadata.version('ruff')}"}
