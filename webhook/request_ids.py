"""Each request's id: the sender's X-Request-Id where it is well formed, else one made up;
echoed in every answer, and starred in the log and the audit log where it could name a
client."""

from __future__ import annotations

import re
import uuid

from flask import Response, g, request

from gate.matcher import Matcher
from gate.post import redact_id
from webhook.audit import MAX_ID_CHARS

_REQUEST_ID = re.compile(rf"[A-Za-z0-9._-]{{1,{MAX_ID_CHARS}}}")


def assign_request_id() -> None:
    """Before each request."""
    given = request.headers.get("X-Request-Id", "")
    g.request_id_generated = not _REQUEST_ID.fullmatch(given)
    g.request_id = uuid.uuid4().hex if g.request_id_generated else given


def echo_request_id(response: Response) -> Response:
    """After each request."""
    response.headers["X-Request-Id"] = g.get("request_id", "")
    return response


def star_request_id(matcher: Matcher) -> str:
    """The request id as the log and the audit log keep it from now on: starred if the
    list finds a client in it."""
    g.logged_request_id = redact_id(matcher, g.request_id)
    return str(g.logged_request_id)


def logged_request_id() -> str:
    """The request id for the log: starred once a list could tell whether it names a
    client; before that, only one the server made up itself."""
    if "logged_request_id" in g:
        return str(g.logged_request_id)
    return str(g.request_id) if g.get("request_id_generated") else "-"
