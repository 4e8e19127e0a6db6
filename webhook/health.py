"""What an operator or a client asks of the server itself: is it up, is every
organisation's list loaded (and which version), and the API's OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from webhook.state import state

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> Response:
    return jsonify({"status": "ok"})


@blueprint.get("/readyz")
def readyz() -> tuple[Response, int]:
    orgs = state().registry.status()
    ready = all(
        org["loaded"] and not org["error"] and org["version"] == org["version_on_disk"] for org in orgs.values()
    )
    return jsonify({"ready": ready, "orgs": orgs}), 200 if ready else 503


@blueprint.get("/v1/openapi.json")
def openapi() -> Response:
    return jsonify(state().openapi)
