"""The Flask app: its state, its pages (one blueprint each), and one way of answering an
error. HTTP in and out; everything else in gate/ and the rest of this package."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Blueprint, Flask, Response, jsonify
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from gate.errors import GateError
from webhook import api, console, health
from webhook.config import ServerConfig, load_server_config
from webhook.errors import ApiError
from webhook.request_ids import assign_request_id, echo_request_id, logged_request_id
from webhook.state import EXTENSION, open_state

# A new page: a module with its blueprint, listed here.
BLUEPRINTS: tuple[Blueprint, ...] = (health.blueprint, api.blueprint, console.blueprint)
log = logging.getLogger("gate.webhook")


def create_app(config: ServerConfig | None = None) -> Flask:
    """The app for `config`, or for the file named by GATE_CONFIG."""
    if config is None:
        return _configured_app()
    app = Flask("webhook")
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    if config.forwarded_proxies:
        # The client's address and scheme as the trusted proxies in front say: the
        # sign-in's limit per address, and the console's cookies `Secure` behind TLS.
        hops = config.forwarded_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    console.configure_sessions(app, config.session_key)
    app.extensions[EXTENSION] = open_state(config)
    app.before_request(assign_request_id)
    app.after_request(echo_request_id)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.register_error_handler(ApiError, api_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected_error)
    return app


def _configured_app() -> Flask:
    path = os.environ.get("GATE_CONFIG")
    if not path:
        raise SystemExit("gate webhook: set GATE_CONFIG to the configuration file")
    try:
        return create_app(load_server_config(Path(path), os.environ))
    except GateError as error:
        # gunicorn prints this one line and stops, instead of a traceback.
        raise SystemExit(f"gate webhook: configuration error: {error}") from None


def error_response(status: int, code: str, message: str) -> tuple[Response, int]:
    return jsonify({"error": {"code": code, "message": message}}), status


def api_error(error: ApiError) -> tuple[Response, int]:
    response, status = error_response(error.status, error.code, error.message)
    if error.retry_after is not None:
        response.headers["Retry-After"] = str(error.retry_after)
    return response, status


def http_error(error: HTTPException) -> tuple[Response, int]:
    code = (error.name or "error").lower().replace(" ", "_")
    return error_response(error.code or 500, code, error.description or code)


def unexpected_error(error: Exception) -> tuple[Response, int]:
    # The class only: a message could quote the post.
    log.error("request %s: unexpected %s", logged_request_id(), type(error).__name__)
    return error_response(500, "internal_error", "unexpected error; nothing was approved")
