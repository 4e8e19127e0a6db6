"""The server's configuration: the TOML file named by GATE_CONFIG."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gate.errors import GateError
from gate.post import MAX_DEPTH
from gate.settings import reject_unknown_keys
from gate.signatures import parse_secret

# Not in the file: where gunicorn listens and how many workers it forks, unless GATE_BIND
# and GATE_WORKERS (which `gate serve --bind --workers` set) say otherwise.
DEFAULT_BIND = "127.0.0.1:8080"
DEFAULT_WORKERS = 2
# gunicorn kills a sync worker that has not answered within this (gunicorn.conf.py). A
# request's OCR stops well before, whatever an organisation's policy allows, so that the
# request blocks with its reason and a worker is never killed in the middle of a check.
WORKER_TIMEOUT_SECONDS = 120
MAX_OCR_SECONDS_PER_REQUEST = 90.0
SERVER_DEFAULTS: dict[str, Any] = {
    "audit_db": "gate-audit.sqlite3",
    "audit_key_env": "GATE_AUDIT_KEY",
    "audit_sync": "full",
    "max_body_bytes": 1_048_576,
    "max_posts": 100,
    "max_depth": MAX_DEPTH,
    "reload_seconds": 2.0,
    "reload_wait_seconds": 5.0,
    "on_broken_list": "fail",
    "session_key_env": "GATE_SESSION_KEY",
    "forwarded_proxies": 0,  # proxies in front whose X-Forwarded-For and -Proto are believed
    "retention_days": 0,  # `gate audit purge` deletes what is older; 0: nothing is ever purged
}
MAX_FORWARDED_PROXIES = 5
MAX_RETENTION_DAYS = 36_500
AUDIT_SYNC = ("full", "normal")  # SQLite's synchronous setting for the audit log
ON_BROKEN_LIST = ("fail", "last_good")  # a broken new list: refuse (503), or serve the last good one
# The audit key makes content hashes unguessable: a short one can be searched.
MIN_AUDIT_KEY_BYTES = 16
# The console's session cookies are signed with this key: forging one is signing in.
MIN_SESSION_KEY_BYTES = 32
ORG_KEYS = ("wordlist", "token_sha256", "signing_secret_env")
OFFICER_KEYS = ("password_hash", "orgs")
PASSWORD_HASH_PREFIX = "scrypt:"  # the only method `gate officer new` writes
_SHA256 = re.compile(r"[0-9a-f]{64}")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")  # of an organisation or an officer
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")  # an audit_db that is a database's URL, not a file
Fail = Callable[[str, str], GateError]  # (key, reason): the error naming the key


@dataclass(frozen=True)
class OrgConfig:
    name: str
    wordlist: Path
    token_hashes: tuple[str, ...]
    signing_secret: bytes | None = None


@dataclass(frozen=True)
class Officer:
    """A compliance officer who may sign in to the console (webhook/console)."""

    name: str
    password_hash: str  # werkzeug's "scrypt:N:r:p$salt$hash" (webhook/officers.py)
    orgs: tuple[str, ...]


@dataclass(frozen=True)
class ServerConfig:
    """The [server] keys (defaults: SERVER_DEFAULTS) and the organisations."""

    audit_db: Path | str  # a SQLite file, or a database's URL (webhook.audit chooses the store)
    audit_key: bytes
    orgs: Mapping[str, OrgConfig]
    audit_sync: str
    max_body_bytes: int
    max_posts: int
    max_depth: int
    reload_seconds: float
    reload_wait_seconds: float
    on_broken_list: str
    forwarded_proxies: int = 0
    retention_days: int = 0
    officers: Mapping[str, Officer] = field(default_factory=dict)
    session_key: bytes | None = None  # None: no officers, or a reader's configuration
    source: str = field(default="", compare=False)


def load_server_config(path: Path, environ: Mapping[str, str], *, secrets: bool = True) -> ServerConfig:
    """Read and validate the file; secrets come from the environment variables it names.
    Without `secrets` (a reader of the audit log: `gate audit export`), none is read or
    needed: the audit key is empty, and no organisation has a signing secret."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GateError(f"{path}: configuration file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise GateError(f"{path}: cannot read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise GateError(f"{path}: {error}") from None
    return parse_server_config(data, base=path.parent, environ=environ, source=str(path), secrets=secrets)


def parse_server_config(
    data: Mapping[str, Any],
    *,
    base: Path,
    environ: Mapping[str, str],
    source: str = "config",
    secrets: bool = True,
) -> ServerConfig:
    def fail(key: str, reason: str) -> GateError:
        return GateError(f"{source}: {key}: {reason}")

    reject_unknown_keys(
        data,
        ("server", "orgs", "officers"),
        lambda key: fail(key, "unknown section (expected [server], [orgs.NAME] and [officers.NAME])"),
    )
    server = {**SERVER_DEFAULTS, **_table(data, "server", fail)}
    reject_unknown_keys(server, SERVER_DEFAULTS, lambda key: fail(f"server.{key}", "unknown key"))
    for key in ("max_body_bytes", "max_posts", "max_depth"):
        if not isinstance(server[key], int) or isinstance(server[key], bool) or server[key] < 1:
            raise fail(f"server.{key}", "must be a positive integer")
    retention = server["retention_days"]
    if not isinstance(retention, int) or isinstance(retention, bool) or not 0 <= retention <= MAX_RETENTION_DAYS:
        raise fail(
            "server.retention_days", f"must be a whole number of days up to {MAX_RETENTION_DAYS} (0: keep everything)"
        )
    proxies = server["forwarded_proxies"]
    if not isinstance(proxies, int) or isinstance(proxies, bool) or not 0 <= proxies <= MAX_FORWARDED_PROXIES:
        raise fail("server.forwarded_proxies", f"must be a whole number from 0 to {MAX_FORWARDED_PROXIES}")
    for key in ("reload_seconds", "reload_wait_seconds"):
        if not isinstance(server[key], (int, float)) or isinstance(server[key], bool) or server[key] <= 0:
            raise fail(f"server.{key}", "must be a positive number")
    if server["on_broken_list"] not in ON_BROKEN_LIST:
        raise fail("server.on_broken_list", f"must be one of {', '.join(ON_BROKEN_LIST)}")
    for key in ("audit_db", "audit_key_env", "session_key_env"):
        if not isinstance(server[key], str) or not server[key]:
            raise fail(f"server.{key}", "must be a non-empty string")
    if server["audit_sync"] not in AUDIT_SYNC:
        raise fail("server.audit_sync", f"must be one of {', '.join(AUDIT_SYNC)}")
    secret_env = environ if secrets else None
    audit_key = _key(server, "audit_key_env", MIN_AUDIT_KEY_BYTES, environ, fail) if secrets else b""
    orgs = {name: _org(name, table, base, secret_env, fail) for name, table in _table(data, "orgs", fail).items()}
    if not orgs:
        raise fail("orgs", "no organisation configured")
    _refuse_shared_tokens(orgs, fail)
    officers = {name: _officer(name, table, orgs, fail) for name, table in _table(data, "officers", fail).items()}
    # Only a server with officers signs sessions, and it must: an unsigned console is open.
    session_key = (
        _key(server, "session_key_env", MIN_SESSION_KEY_BYTES, environ, fail) if officers and secrets else None
    )
    return ServerConfig(
        audit_db=server["audit_db"] if _URL.match(server["audit_db"]) else base / server["audit_db"],
        audit_key=audit_key,
        audit_sync=server["audit_sync"],
        orgs=orgs,
        max_body_bytes=server["max_body_bytes"],
        max_posts=server["max_posts"],
        max_depth=server["max_depth"],
        reload_seconds=float(server["reload_seconds"]),
        reload_wait_seconds=float(server["reload_wait_seconds"]),
        on_broken_list=server["on_broken_list"],
        forwarded_proxies=proxies,
        retention_days=retention,
        officers=officers,
        session_key=session_key,
        source=source,
    )


def _key(server: Mapping[str, Any], setting: str, minimum: int, environ: Mapping[str, str], fail: Fail) -> bytes:
    """The key in the environment variable that `setting` names: set, and long enough."""
    variable = server[setting]
    key = environ.get(variable, "").encode()
    if not key:
        raise fail(f"server.{setting}", f"environment variable {variable} is not set")
    if len(key) < minimum:
        raise fail(
            f"server.{setting}",
            f"the key in {variable} has {len(key)} bytes, fewer than {minimum}: use a random key of 32 bytes or more",
        )
    return key


def _refuse_shared_tokens(orgs: Mapping[str, OrgConfig], fail: Fail) -> None:
    """A token valid for two organisations would let one act as the other."""
    owners: dict[str, str] = {}
    for name, org in orgs.items():
        for digest in org.token_hashes:
            other = owners.setdefault(digest, name)
            if other != name:
                raise fail(f"orgs.{other}, orgs.{name}", "the two organisations share a token (token_sha256)")


def _table(data: Mapping[str, Any], key: str, fail: Fail) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise fail(key, "must be a table")
    return value


def _org(name: str, table: object, base: Path, environ: Mapping[str, str] | None, fail: Fail) -> OrgConfig:
    """`environ` None: the signing secret is not read (a reader's configuration)."""
    prefix, table = _named_table("orgs", "an organisation's", name, table, ORG_KEYS, fail)
    wordlist = table.get("wordlist")
    if not isinstance(wordlist, str) or not wordlist:
        raise fail(f"{prefix}.wordlist", "must name the wordlist directory")
    hashes = table.get("token_sha256")
    if (
        not isinstance(hashes, list)
        or not 1 <= len(hashes) <= 2
        or not all(isinstance(item, str) and _SHA256.fullmatch(item) for item in hashes)
    ):
        raise fail(f"{prefix}.token_sha256", "must list one or two SHA-256 hex digests (lower case)")
    return OrgConfig(name, base / wordlist, tuple(hashes), _secret(prefix, table, environ, fail))


def table_key(name: str) -> str:
    """`name` as the key of a TOML table: quoted where a dot would make it two keys."""
    return name if "." not in name else json.dumps(name)


def _named_table(
    section: str, whose: str, name: str, table: object, keys: tuple[str, ...], fail: Fail
) -> tuple[str, dict[str, Any]]:
    """`[section.name]`'s prefix for errors and its table, once its name and keys are right."""
    prefix = f"{section}.{name}"
    if not NAME.fullmatch(name):
        raise fail(prefix, f"{whose} name is letters, digits, '.', '_' or '-'")
    if not isinstance(table, dict):
        raise fail(prefix, "must be a table")
    reject_unknown_keys(table, keys, lambda key: fail(f"{prefix}.{key}", f"unknown key (expected {', '.join(keys)})"))
    return prefix, table


def _officer(name: str, table: object, orgs: Mapping[str, OrgConfig], fail: Fail) -> Officer:
    prefix, table = _named_table("officers", "an officer's", name, table, OFFICER_KEYS, fail)
    password_hash = table.get("password_hash")
    if not isinstance(password_hash, str) or not password_hash.startswith(PASSWORD_HASH_PREFIX):
        raise fail(f"{prefix}.password_hash", "must be a hash that `gate officer new` printed")
    officer_orgs = table.get("orgs")
    if not isinstance(officer_orgs, list) or not officer_orgs or not all(isinstance(org, str) for org in officer_orgs):
        raise fail(f"{prefix}.orgs", "must list the organisations the officer may see")
    unknown = [org for org in officer_orgs if org not in orgs]
    if unknown:
        raise fail(f"{prefix}.orgs", f"no organisation {unknown[0]!r} is configured")
    return Officer(name, password_hash, tuple(dict.fromkeys(officer_orgs)))


def _secret(prefix: str, table: Mapping[str, Any], environ: Mapping[str, str] | None, fail: Fail) -> bytes | None:
    variable = table.get("signing_secret_env")
    if variable is None:
        return None
    if not isinstance(variable, str) or not variable:
        raise fail(f"{prefix}.signing_secret_env", "must name an environment variable")
    if environ is None:
        return None
    secret = environ.get(variable, "")
    if not secret:
        raise fail(f"{prefix}.signing_secret_env", f"environment variable {variable} is not set")
    try:
        return parse_secret(secret)
    except ValueError as error:
        raise fail(f"{prefix}.signing_secret_env", f"{variable}: {error}") from None
