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
from gate.matcher import Matcher
from gate.post import (
    PostError,
    PostVerdict,
    canonical_json,
    check_post,
    redact_id,
    redact_pointer,
)
from gate.verdict import verdict_to_dict
from webhook.audit import AuditLog, Decision, content_hmac, now_utc
from webhook.auth import AuthError, authorize, verify_signature
from webhook.config import ServerConfig, load_server_config
from webhook.registry import Registry

OPENAPI = Path(__file__).with_name("openapi.yaml")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
SIGNATURE_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")
log = logging.getLogger("gate.webhook")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def create_app(config: ServerConfig | None = None) -> Flask:
    """The app for `config`, or for the file named by GATE_CONFIG."""
    if config is None:
        path = os.environ.get("GATE_CONFIG")
        if not path:
            raise SystemExit("gate webhook: set GATE_CONFIG to the configuration file")
        try:
            config = load_server_config(Path(path), os.environ)
        except GateError as error:
            # gunicorn prints this one line and stops, instead of a traceback.
            raise SystemExit(f"gate webhook: configuration error: {error}") from None
    app = Flask("webhook")
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.extensions["gate"] = {
        "config": config,
        "registry": Registry(
            {name: org.wordlist for name, org in config.orgs.items()},
            reload_seconds=config.reload_seconds,
        ),
        "audit": AuditLog(config.audit_db, sync=config.audit_sync),
        "openapi": yaml.safe_load(OPENAPI.read_text(encoding="utf-8")),
    }
    _routes(app)
    _error_handlers(app)
    return app


def _routes(app: Flask) -> None:
    @app.before_request
    def assign_request_id() -> None:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex

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
        ready = all(state["loaded"] and not state["error"] for state in orgs.values())
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
    secret = config.orgs[org].signing_secret
    if secret is not None:
        try:
            headers = {name: request.headers.get(name, "") for name in SIGNATURE_HEADERS}
            message_id = verify_signature(secret, body, headers, now=time.time())
        except AuthError as error:
            raise ApiError(error.status, error.code, error.message) from None
        if not state["audit"].first_sighting(org, message_id):
            raise ApiError(401, "replayed", "this webhook-id was seen before")
    posts = _posts(body, config)
    matcher = state["registry"].matcher(org)
    if matcher is None:
        raise ApiError(503, "wordlist_unavailable", f"the wordlist of {org} is not loaded")
    today = datetime.date.today()
    try:
        results = [check_post(matcher, post, today=today, max_depth=config.max_depth) for post in posts]
    except PostError as error:
        raise ApiError(422, "invalid_post", str(error)) from None
    _audit(state, config, matcher, org, posts, results)
    decision = "block" if any(result.verdict.decision == "block" for result in results) else "approve"
    log.info("request %s org %s: %s, %d posts", g.request_id, org, decision, len(results))
    policy = matcher.policy
    return {
        "request_id": g.request_id,
        "decision": decision,
        "policy": {"block_message": policy.block_message, "policy_url": policy.policy_url},
        "results": [
            {"post_id": result.post_id, "content_sha256": result.content_sha256, **verdict_to_dict(result.verdict)}
            for result in results
        ],
    }


def _posts(body: bytes, config: ServerConfig) -> list[Any]:
    if not request.mimetype == "application/json":
        raise ApiError(415, "unsupported_media_type", "send Content-Type: application/json")
    try:
        payload = json.loads(body)
    except RecursionError:
        raise ApiError(422, "too_deep", "the JSON is nested too deeply") from None
    except ValueError:
        raise ApiError(400, "bad_json", "the body is not valid JSON (UTF-8)") from None
    if not isinstance(payload, dict) or len(payload.keys() & {"post", "posts"}) != 1:
        raise ApiError(422, "invalid_shape", 'send {"post": {...}} or {"posts": [...]}')
    posts = payload["posts"] if "posts" in payload else [payload["post"]]
    if not isinstance(posts, list) or not posts:
        raise ApiError(422, "invalid_shape", '"posts" must be a non-empty list')
    if len(posts) > config.max_posts:
        raise ApiError(422, "too_many_posts", f"at most {config.max_posts} posts per request")
    return posts


def _audit(
    state: dict[str, Any], config: ServerConfig, matcher: Matcher, org: str, posts: list[Any],
    results: list[PostVerdict],
) -> None:
    """Write every decision before answering; if the log cannot be written, nothing is
    approved (503)."""
    decisions = [
        Decision(
            now_utc(), g.request_id, org, redact_id(matcher, result.post_id), result.verdict.decision,
            content_hmac(config.audit_key, canonical_json(post)),
            json.dumps([
                {"client_id": item.client_id, "kind": item.kind, "field": redact_pointer(matcher, item.path)}
                for item in result.verdict.findings
            ]),
            result.verdict.version,
        )
        for post, result in zip(posts, results)
    ]
    try:
        state["audit"].record(decisions)
    except Exception as error:  # noqa: BLE001 - any failure to log must fail closed
        log.error("request %s: audit log not written (%s)", g.request_id, type(error).__name__)
        raise ApiError(503, "audit_unavailable", "the audit log cannot be written; nothing was approved") from None


def _error_handlers(app: Flask) -> None:
    def error_response(status: int, code: str, message: str) -> tuple[Response, int]:
        return jsonify({"error": {"code": code, "message": message}}), status

    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> tuple[Response, int]:
        return error_response(error.status, error.code, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        code = (error.name or "error").lower().replace(" ", "_")
        return error_response(error.code or 500, code, error.description or code)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[Response, int]:
        # The class only: a message could quote the post.
        log.error("request %s: unexpected %s", g.get("request_id", "-"), type(error).__name__)
        return error_response(500, "internal_error", "unexpected error; nothing was approved")

