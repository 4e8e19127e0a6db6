"""The deployment files in deploy/, each checked by the tool that reads it, from the
system's packages: systemd's units by `systemd-analyze verify`, the nginx site by
`nginx -t`; and the site run for real in front of a real gunicorn, terminating TLS."""

from __future__ import annotations

import os
import shlex
import shutil
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require
from tests.support import HANG_SECONDS
from tests.support.app import TOKEN
from tests.support.console import SESSION_KEY, write_console_config
from tests.support.server import free_port, gunicorn_command, running
from webhook.commands import build_parser

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = ("gate.service", "gate-purge.service", "gate-purge.timer")
SHIPPED_GATE = "/opt/gate/venv/bin/gate"
# Debian puts nginx in /usr/sbin, which a user's PATH may not hold.
NGINX = shutil.which("nginx") or next((path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None)
CERTIFICATE = ("/etc/ssl/certs/gate.example.org.pem", "/etc/ssl/private/gate.example.org.key")


def unit_commands(text: str) -> list[list[str]]:
    return [shlex.split(line.split("=", 1)[1]) for line in text.splitlines() if line.startswith("ExecStart=")]


def test_the_systemd_units_verify_without_a_warning(tmp_path: Path) -> None:
    require(("systemd-analyze (apt-get install systemd)", shutil.which("systemd-analyze")))
    gate = Path(sys.executable).with_name("gate")
    for name in UNITS:
        # The one change: the gate where this test's environment has it (verify looks for it).
        (tmp_path / name).write_text((DEPLOY / name).read_text().replace(SHIPPED_GATE, str(gate)))
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(f"./{name}" for name in UNITS)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "")


def test_the_units_commands_are_the_gates() -> None:
    """What the units run parses as `gate serve` and `gate audit purge` do."""
    commands = [command for name in UNITS[:2] for command in unit_commands((DEPLOY / name).read_text())]
    assert [command[0] for command in commands] == [SHIPPED_GATE, SHIPPED_GATE]
    serve, purge = (build_parser().parse_args(command[1:]) for command in commands)
    assert (serve.command, serve.config, serve.bind, serve.workers) == (
        "serve",
        "/etc/gate/gate.toml",
        "127.0.0.1:8080",
        2,
    )
    assert (purge.command, purge.audit_command, purge.config) == ("audit", "purge", "/etc/gate/gate.toml")


def certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "gate.pem", folder / "gate.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=gate.example.org",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def nginx_conf(folder: Path, site: str) -> Path:
    """A main configuration of nginx that includes `site`, everything it writes in `folder`."""
    (folder / "site.conf").write_text(site)
    temp = "\n".join(
        f"    {kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root root;\n" if os.geteuid() == 0 else ""  # the folder is root's alone
    conf = folder / "nginx.conf"
    conf.write_text(
        f"{user}pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\ndaemon off;\nevents {{}}\n"
        f"http {{\n    access_log off;\n{temp}\n    include {folder}/site.conf;\n}}\n"
    )
    return conf


def shipped_site(cert: Path, key: Path) -> str:
    site = (DEPLOY / "nginx-gate.conf").read_text()
    assert all(path in site for path in CERTIFICATE)
    return site.replace(CERTIFICATE[0], str(cert)).replace(CERTIFICATE[1], str(key))


def test_the_nginx_site_passes_nginx_t(tmp_path: Path) -> None:
    require(("nginx (apt-get install nginx)", NGINX), ("openssl", shutil.which("openssl")))
    conf = nginx_conf(tmp_path, shipped_site(*certificate(tmp_path)))
    done = subprocess.run(
        [str(NGINX), "-t", "-c", str(conf), "-e", "stderr"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr and "test is successful" in done.stderr
    assert "[warn]" not in done.stderr.replace('the "user" directive makes sense only', "")


@pytest.fixture
def behind_nginx(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The gate (with the console, believing one proxy) behind the shipped site, on free
    ports of 127.0.0.1: (the https URL, the http URL)."""
    require(("nginx (apt-get install nginx)", NGINX), ("openssl", shutil.which("openssl")))
    # The gate would take 4 MiB: the limit met below is the site's own.
    write_console_config(tmp_path, server="forwarded_proxies = 1\nmax_body_bytes = 4194304")
    edge = tmp_path / "nginx"
    edge.mkdir()
    tls, plain, upstream = free_port(), free_port(), free_port()
    site = (
        shipped_site(*certificate(edge))
        .replace("listen [::]:80;\n", "")
        .replace("listen [::]:443 ssl;\n", "")
        .replace("listen 80;", f"listen 127.0.0.1:{plain};")
        .replace("listen 443 ssl;", f"listen 127.0.0.1:{tls} ssl;")
        .replace("proxy_pass http://127.0.0.1:8080;", f"proxy_pass http://127.0.0.1:{upstream};")
    )
    conf = nginx_conf(edge, site)
    with running(gunicorn_command(), tmp_path, port=upstream, env={"GATE_SESSION_KEY": SESSION_KEY}):
        proxy = subprocess.Popen([str(NGINX), "-c", str(conf), "-e", "stderr"], stderr=subprocess.PIPE)
        try:
            wait_for_port(tls, proxy)
            yield f"https://127.0.0.1:{tls}", f"http://127.0.0.1:{plain}"
        finally:
            proxy.terminate()
            proxy.wait(timeout=30)


def wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + HANG_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"nginx stopped: {process.stderr.read() if process.stderr else b''!r}")
        try:
            with urllib.request.urlopen(f"https://127.0.0.1:{port}/healthz", context=UNVERIFIED, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("nginx did not start")


UNVERIFIED = ssl.create_default_context()
UNVERIFIED.check_hostname = False
UNVERIFIED.verify_mode = ssl.CERT_NONE  # the test's own certificate, made a moment ago


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_behind_the_site_the_gate_answers_over_tls_with_secure_cookies(behind_nginx: tuple[str, str]) -> None:
    https, http = behind_nginx
    with urllib.request.urlopen(f"{https}/console/login", context=UNVERIFIED) as page:
        cookie = page.headers["Set-Cookie"]
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= {part.strip() for part in cookie.split(";")}
    body = b'{"post": {"id": "p1", "text": "Thanks to Kim Lowe"}}'
    request = urllib.request.Request(
        f"{https}/v1/orgs/example/check",
        data=body,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, context=UNVERIFIED) as answer:
        assert b'"decision":"block"' in answer.read().replace(b" ", b"")
    # A body over the gate's limit is refused by nginx, which never passes it on.
    too_large = urllib.request.Request(
        f"{https}/v1/orgs/example/check", data=b" " * (1024 * 1024 + 1), headers={"Content-Type": "application/json"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(too_large, context=UNVERIFIED)
    assert refused.value.code == 413
    assert b"<center>nginx" in refused.value.read()  # nginx's page: the gate never saw the body
    # Plain HTTP is sent to HTTPS.
    with pytest.raises(urllib.error.HTTPError) as moved:
        urllib.request.build_opener(NoRedirect).open(f"{http}/console/login")
    assert moved.value.code == 301
    assert moved.value.headers["Location"].startswith("https://")
