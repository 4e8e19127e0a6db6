"""The README's console steps, run as written (but for the install, which the test's own
environment stands in for, a password given on standard input rather than typed twice, and
a free port): the server starts with the example organisation and the officer signs in."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from tests.support import HANG_SECONDS
from tests.support.console import PASSWORD
from tests.support.server import free_port

ROOT = Path(__file__).resolve().parent.parent
INSTALL = "python3.11 -m venv .venv && .venv/bin/pip install -q '.[server]'"
OFFICER = ".venv/bin/gate officer new --name alice --org example"
SERVE = ".venv/bin/gate serve --config gate.toml"


def readme_steps() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The compliance officer's console", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None
    return block.group(1).splitlines()


def test_the_readme_steps_start_a_console_an_officer_signs_in_to(tmp_path: Path) -> None:
    steps = readme_steps()
    assert steps[0] == INSTALL and steps[-1] == SERVE and sum(OFFICER in step for step in steps) == 1
    port = free_port()
    script = "\n".join([*steps[1:-1], f"{SERVE} --bind 127.0.0.1:{port}"]).replace(
        OFFICER, f"{OFFICER} --password-stdin"
    )
    (tmp_path / "wordlists").mkdir()
    shutil.copytree(ROOT / "wordlists" / "example", tmp_path / "wordlists" / "example")
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    for name, real in (("python", sys.executable), ("gate", str(Path(sys.executable).with_name("gate")))):
        (venv / name).write_text(f'#!/bin/sh\nexec "{real}" "$@"\n')
        (venv / name).chmod(0o755)
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GATE_")}
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        ["bash", "-euc", script],
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**environment, "PYTHONPATH": str(ROOT)},
        start_new_session=True,
    )
    assert process.stdin is not None
    process.stdin.write(f"{PASSWORD}\n".encode())
    process.stdin.close()
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, process, tmp_path / "server.log")
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        form = browser.open(f"{url}/console/").read().decode()  # redirected to the sign-in form
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token is not None
        data = urllib.parse.urlencode({"name": "alice", "password": PASSWORD, "csrf_token": token.group(1)})
        with browser.open(f"{url}/console/login", data=data.encode()) as page:
            assert page.url == f"{url}/console/"
            assert "<h1>Overview of example</h1>" in page.read().decode()
        assert "token_sha256 = [" in (tmp_path / "gate.toml").read_text()
        assert PASSWORD not in (tmp_path / "gate.toml").read_text()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + HANG_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                return
        except OSError:
            if process.poll() is not None:
                raise AssertionError("the server stopped: " + log.read_text(errors="replace")) from None
            time.sleep(0.2)
    raise AssertionError("the server did not start: " + log.read_text(errors="replace"))
