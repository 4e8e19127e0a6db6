"""Officers for the console's tests: two, one seeing both organisations and one only the
other; their configuration, their session key, and signing in through a test client."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.support.app import ENVIRON, write_config
from webhook import create_app
from webhook.config import load_server_config
from webhook.officers import officer_table

PASSWORD = "correct horse battery staple"
SESSION_KEY = "console-session-key-0123456789abcdef"
CONSOLE_ENVIRON = {**ENVIRON, "GATE_SESSION_KEY": SESSION_KEY}
OFFICERS = officer_table("alice", ["example", "other"], PASSWORD) + officer_table("bob", ["other"], PASSWORD)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def write_console_config(folder: Path, *, officers: str = OFFICERS, server: str = "") -> Path:
    path = write_config(folder, extra=server)
    path.write_text(path.read_text() + "\n" + officers)
    return path


def console_app(folder: Path, **options: Any) -> Flask:
    return create_app(load_server_config(write_console_config(folder, **options), CONSOLE_ENVIRON))


def csrf(client: FlaskClient, page: str = "/console/login") -> str:
    """The CSRF token of the form on `page`."""
    response = client.get(page)
    found = _CSRF.search(response.get_data(as_text=True))
    assert found, f"no form on {page} ({response.status_code})"
    return found.group(1)


def sign_in(client: FlaskClient, name: str = "alice", password: str = PASSWORD) -> Any:
    return client.post("/console/login", data={"name": name, "password": password, "csrf_token": csrf(client)})
