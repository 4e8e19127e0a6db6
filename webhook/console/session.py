"""Who is signed in to the console, and what guards it: the session cookie, the forms'
CSRF tokens, the sign-in's rate limit (counted in the audit store, so that every worker
and host sees the same count), and a record of every sign-in and page seen.

A session is Flask's signed cookie, under the key that `server.session_key_env` names: it
holds the officer's name, when they signed in, a fingerprint of their password's hash and
the CSRF token; never an organisation (those come from the configuration on each request,
so an officer removed from it is out at once) and nothing of a draft. A cookie cannot be
taken back, so each request also asks the audit store when the officer last signed out:
signing out ends every session of theirs, on every host, and so does a new password.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Request, abort, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface

from webhook.audit import ConsoleEvent
from webhook.config import Officer
from webhook.state import state

SESSION_HOURS = 8  # a sign-in lasts a working day, then the officer signs in again
# Sign-in failures counted over this window: past any limit, sign-in is refused until the
# window has moved on. A name is counted whether or not it is an officer's (so that the
# refusals do not tell which names are), as a keyed hash of what was typed. One address
# guessing one name is stopped soonest; the higher limits stop guesses spread over
# addresses, or over names.
LIMIT_WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_NAME_AND_ADDRESS = 5
MAX_FAILURES_PER_NAME = 20
MAX_FAILURES_PER_ADDRESS = 20
COOKIE_NAME = "gate_console"

View = TypeVar("View", bound=Callable[..., Any])


class ConsoleSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, `Secure` whenever the request came over TLS (directly, or
    through a proxy that `server.forwarded_proxies` trusts)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(request.is_secure) or super().get_cookie_secure(app)


def configure_sessions(app: Flask, session_key: bytes | None) -> None:
    app.secret_key = session_key
    app.session_interface = ConsoleSessionInterface()
    app.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_PATH="/console",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=datetime.timedelta(hours=SESSION_HOURS),
    )


def csrf_token() -> str:
    """This session's token, for a form's hidden `csrf_token` field."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def check_csrf(form_request: Request) -> None:
    """A form posted from anywhere but one of the console's own pages is refused (400)."""
    sent = form_request.form.get("csrf_token", "")
    known = session.get("csrf", "")
    if not sent or not known or not hmac.compare_digest(str(sent), str(known)):
        abort(400, "the form has expired or did not come from the console: reload the page and send it again")


def current_officer() -> Officer | None:
    name, since = session.get("officer"), session.get("since", 0)
    if not isinstance(name, str) or not isinstance(since, (int, float)):
        return None
    if time.time() - since > SESSION_HOURS * 3600:
        return None
    officer = state().config.officers.get(name)
    if officer is None or session.get("key") != password_key(officer):
        return None
    try:
        signed_out = state().audit.last_sign_out(officer.name)
    except Exception:  # noqa: BLE001 - who is signed in cannot be told: no one is
        abort(503, "the audit log cannot be read: no one can be signed in until it can")
    return None if signed_out >= _iso(since) else officer


def password_key(officer: Officer) -> str:
    """A fingerprint of the officer's password hash: a new password ends old sessions."""
    return hashlib.sha256(officer.password_hash.encode()).hexdigest()[:32]


def start_session(officer: Officer) -> None:
    """A new session for `officer`: nothing of the one before it is kept (its CSRF token
    included, so that a token learnt before sign-in is worth nothing after it)."""
    session.clear()
    session.permanent = True
    session.update(officer=officer.name, since=time.time(), key=password_key(officer), csrf=secrets.token_urlsafe(32))


def attempt_of(name: str) -> str:
    """The keyed hash of a name typed at sign-in (what the rate limit counts by)."""
    typed = name.strip().lower().encode()
    return hmac.new(state().config.audit_key, b"sign-in:" + typed, hashlib.sha256).hexdigest()[:32]


def too_many_failures(attempt: str) -> bool:
    """True if too many sign-ins failed lately, this one counted: as this name, from this
    address, or both. (Each attempt is kept as failed before its password is checked, so
    that attempts made at once cannot all pass a count taken before any of them.)"""
    since = _iso(time.time() - LIMIT_WINDOW_SECONDS)
    failures = state().audit.failed_sign_ins(attempt, address(), since)
    return (
        failures.by_both > MAX_FAILURES_PER_NAME_AND_ADDRESS
        or failures.by_name > MAX_FAILURES_PER_NAME
        or failures.by_address > MAX_FAILURES_PER_ADDRESS
    )


def record_event(event: str, officer: str = "", org: str = "", attempt: str = "") -> int:
    """Keep `event` in the audit store, and its number; if it cannot be kept, the request
    is refused (503): nothing is seen in the console that the audit log does not show."""
    try:
        return state().audit.record_event(
            ConsoleEvent(_iso(time.time()), officer, org, event, request.path, address(), attempt)
        )
    except Exception:  # noqa: BLE001 - any failure to record must fail closed
        abort(503, "the audit log cannot be written: nothing is shown until it can")


def change_event(number: int, event: str) -> None:
    try:
        state().audit.change_event(number, event)
    except Exception:  # noqa: BLE001
        abort(503, "the audit log cannot be written: nothing is shown until it can")


def address() -> str:
    return request.remote_addr or ""


def officer_page(view: View) -> View:
    """A page for a signed-in officer, about one of their organisations (`?org=`, else
    their first): else the sign-in page, or 403. The view is recorded before it is made."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        officer = current_officer()
        if officer is None:
            session.clear()
            return redirect(url_for("console.login"))
        org = request.args.get("org") or officer.orgs[0]
        if org not in officer.orgs:
            abort(403, "this organisation is not one of yours")
        if request.method == "POST":
            check_csrf(request)
        record_event("view", officer.name, org)
        g.officer, g.org = officer, org
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


def _iso(seconds: float) -> str:
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).isoformat(timespec="milliseconds")
