"""The Flask application: HTTP in and out, everything else in gate/ and this package."""

from __future__ import annotations

import datetime
import json
import logging
import os
import re
import time
import uuid
from pathlib import Path
from typing import Any

import yaml
from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from gate.errors import GateError
from gate.post import (
    PostError,
    PostVerdict,
    canonical_json,
    check_post,
    redact_id,
    redact_pointer,
)
from gate.verdict import verdict_to_dict
from webhook.audit import (
    MAX_FIELD_CHARS,
    MAX_ID_CHARS,
    Decision,
    bounded,
    content_hmac,
    findings_json,
    now_utc,
    open_audit_store,
)
from webhook.auth import AuthError, authorize, verify_signature
from webhook.config import ServerConfig, load_server_config
from webhook.registry import Registry, Serving, Unavailable
from webhook.replay import ReplayGuard, ReplayKey, Replayed

OPENAPI = Path(__file__).with_name("openapi.yaml")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,%d}" % MAX_ID_CHARS)
# A lone surrogate can only come from a \uD800-\uDFFF escape: look for one in the body
# before walking the parsed post for it.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
SIGNATURE_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")
log = logging.getLogger("gate.webhook")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.retry_after = status, code, message, retry_after


class DuplicateKey(Exception):
    """An object names a key twice: JSON readers disagree on which one counts."""


def create_app(config: ServerConfig | None = None) -> Flask:
    """The app for `config`, or for the file named by GATE_CONFIG."""
    if config is None:
        path = os.environ.get("GATE_CONFIG")
        if not path:
            raise SystemExit("gate webhook: set GATE_CONFIG to the configuration file")
        try:
            return create_app(load_server_config(Path(path), os.environ))
        except GateError as error:
            # gunicorn prints this one line and stops, instead of a traceback.
            raise SystemExit(f"gate webhook: configuration error: {error}") from None
    app = Flask("webhook")
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    audit = open_audit_store(config)
    app.extensions["gate"] = {
        "config": config,
        "registry": Registry(
            {name: org.wordlist for name, org in config.orgs.items()},
            reload_seconds=config.reload_seconds,
            reload_wait_seconds=config.reload_wait_seconds,
            on_broken_list=config.on_broken_list,
        ),
        "audit": audit,
        "replay": ReplayGuard(audit, config.audit_key),
        "openapi": yaml.safe_load(OPENAPI.read_text(encoding="utf-8")),
    }
    _routes(app)
    _error_handlers(app)
    return app


def _routes(app: Flask) -> None:
    @app.before_request
    def assign_request_id() -> None:
        given = request.headers.get("X-Request-Id", "")
        g.request_id_generated = not _REQUEST_ID.fullmatch(given)
        g.request_id = uuid.uuid4().hex if g.request_id_generated else given

    @app.after_request
    def echo_request_id(response: Response) -> Response:
        response.headers["X-Request-Id"] = g.get("request_id", "")
        return response

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify({"status": "ok"})

    @app.get("/readyz")
    def readyz() -> tuple[Response, int]:
        orgs = app.extensions["gate"]["registry"].status()
        ready = all(
            state["loaded"] and not state["error"] and state["version"] == state["version_on_disk"]
            for state in orgs.values()
        )
        return jsonify({"ready": ready, "orgs": orgs}), 200 if ready else 503

    @app.get("/v1/openapi.json")
    def openapi() -> Response:
        return jsonify(app.extensions["gate"]["openapi"])

    @app.post("/v1/orgs/<org>/check")
    def check(org: str) -> Response:
        return jsonify(_check(app.extensions["gate"], org))


def _check(state: dict[str, Any], org: str) -> dict[str, Any]:
    config: ServerConfig = state["config"]
    try:
        authorize(request.headers.get("Authorization"), org, config.orgs)
    except AuthError as error:
        raise ApiError(error.status, error.code, error.message) from None
    body = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH
    if request.content_length is not None and len(body) != request.content_length:
        # The client stopped sending early: what arrived may parse, but it is not the post.
        raise ApiError(400, "incomplete_body", "the body is shorter than its Content-Length")
    webhook_id = _webhook_id(state, config, org, body)
    posts = _posts(body, config)
    try:
        serving: Serving = state["registry"].serving(org)
    except Unavailable as error:
        raise ApiError(503, error.code, error.message, retry_after=error.retry_after) from None
    matcher = serving.matcher
    today = datetime.date.today()
    try:
        results = [check_post(matcher, post, today=today, max_depth=config.max_depth) for post in posts]
    except PostError as error:
        raise ApiError(422, "invalid_post", str(error)) from None
    _audit(state, config, serving, org, posts, results, webhook_id)
    decision = "block" if any(result.verdict.decision == "block" for result in results) else "approve"
    policy = matcher.policy
    return {
        "request_id": g.request_id,
        "decision": decision,
        "policy": {"block_message": policy.block_message, "policy_url": policy.policy_url},
        "results": [_result(result, serving.stale_reason) for result in results],
    }


def _webhook_id(state: dict[str, Any], config: ServerConfig, org: str, body: bytes) -> ReplayKey | None:
    """Where the org signs its requests: the verified webhook id's replay key, once no
    completed check has spent it (webhook/replay.py)."""
    secret = config.orgs[org].signing_secret
    if secret is None:
        return None
    try:
        headers = {name: request.headers.get(name, "") for name in SIGNATURE_HEADERS}
        message_id = verify_signature(secret, body, headers, now=time.time())
    except AuthError as error:
        raise ApiError(error.status, error.code, error.message) from None
    guard: ReplayGuard = state["replay"]
    key = guard.key(org, message_id)
    try:
        seen = guard.spent(key)
    except Exception as error:  # noqa: BLE001 - an unreadable log must fail closed
        log.error("request %s: audit log not readable (%s)", _logged_request_id(), type(error).__name__)
        raise ApiError(503, "audit_unavailable", "the audit log cannot be read; nothing was approved") from None
    if seen:
        raise ApiError(401, "replayed", "this webhook-id was seen before")
    return key


def _result(result: PostVerdict, stale_reason: str) -> dict[str, Any]:
    verdict = {"post_id": result.post_id, "content_sha256": result.content_sha256, **verdict_to_dict(result.verdict)}
    if stale_reason:
        verdict["wordlist"] = {**verdict["wordlist"], "stale": True, "reason": stale_reason}
    return verdict


def _posts(body: bytes, config: ServerConfig) -> list[Any]:
    if not request.mimetype == "application/json":
        raise ApiError(415, "unsupported_media_type", "send Content-Type: application/json")
    try:
        payload = json.loads(body, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise ApiError(422, "too_deep", "the JSON is nested too deeply") from None
    except DuplicateKey:
        # Not the key itself: it could be a client's name.
        raise ApiError(422, "duplicate_key", "an object in the JSON has the same key twice") from None
    except ValueError:
        raise ApiError(400, "bad_json", "the body is not valid JSON (UTF-8)") from None
    if _SURROGATE_ESCAPE.search(body) and _has_lone_surrogate(payload):
        raise ApiError(422, "invalid_string", "a string in the JSON has a lone surrogate (\\uD800-\\uDFFF)")
    if not isinstance(payload, dict) or len(payload.keys() & {"post", "posts"}) != 1:
        raise ApiError(422, "invalid_shape", 'send {"post": {...}} or {"posts": [...]}')
    posts = payload["posts"] if "posts" in payload else [payload["post"]]
    if not isinstance(posts, list) or not posts:
        raise ApiError(422, "invalid_shape", '"posts" must be a non-empty list')
    if len(posts) > config.max_posts:
        raise ApiError(422, "too_many_posts", f"at most {config.max_posts} posts per request")
    return posts


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.loads keeps the last of two equal keys, a scheduler may keep the first: the
    gate would then check a text other than the one published."""
    members = dict(pairs)
    if len(members) != len(pairs):
        raise DuplicateKey
    return members


def _has_lone_surrogate(value: object) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack += item.keys()
            stack += item.values()
        elif isinstance(item, list):
            stack += item
    return False


def _audit(
    state: dict[str, Any], config: ServerConfig, serving: Serving, org: str, posts: list[Any],
    results: list[PostVerdict], webhook_id: ReplayKey | None,
) -> None:
    """Write every decision (and the webhook id) before answering; if the log cannot be
    written, nothing is approved (503). Ids and pointers are cut to size before they are
    starred, so that the cut cannot make a name."""
    matcher = serving.matcher
    g.logged_request_id = redact_id(matcher, g.request_id)
    decisions = [
        Decision(
            now_utc(), g.logged_request_id, org, redact_id(matcher, bounded(result.post_id, MAX_ID_CHARS)),
            result.verdict.decision, content_hmac(config.audit_key, canonical_json(post)),
            findings_json([
                {
                    "client_id": item.client_id, "kind": item.kind,
                    "field": redact_pointer(matcher, bounded(item.path, MAX_FIELD_CHARS)),
                }
                for item in result.verdict.findings
            ]),
            result.verdict.version,
        )
        for post, result in zip(posts, results)
    ]
    try:
        state["audit"].record(decisions, spend=webhook_id)
    except Replayed:
        raise ApiError(401, "replayed", "this webhook-id was seen before") from None
    except Exception as error:  # noqa: BLE001 - any failure to log must fail closed
        log.error("request %s: audit log not written (%s)", g.logged_request_id, type(error).__name__)
        raise ApiError(503, "audit_unavailable", "the audit log cannot be written; nothing was approved") from None
    stale = " (stale: the new list is not loaded)" if serving.stale_reason else ""
    for decision in decisions:
        log.info(
            "request %s org %s post %s: %s, wordlist %s%s",
            decision.request_id, org, decision.post_id, decision.decision, decision.wordlist_version, stale,
        )


def _logged_request_id() -> str:
    """The request id for the log: starred once a list could tell whether it names a
    client; before that, only one the server made up itself."""
    if "logged_request_id" in g:
        return str(g.logged_request_id)
    return str(g.request_id) if g.get("request_id_generated") else "-"


def _error_handlers(app: Flask) -> None:
    def error_response(status: int, code: str, message: str) -> tuple[Response, int]:
        return jsonify({"error": {"code": code, "message": message}}), status

    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> tuple[Response, int]:
        response, status = error_response(error.status, error.code, error.message)
        if error.retry_after is not None:
            response.headers["Retry-After"] = str(error.retry_after)
        return response, status

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        code = (error.name or "error").lower().replace(" ", "_")
        return error_response(error.code or 500, code, error.description or code)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[Response, int]:
        # The class only: a message could quote the post.
        log.error("request %s: unexpected %s", _logged_request_id(), type(error).__name__)
        return error_response(500, "internal_error", "unexpected error; nothing was approved")

