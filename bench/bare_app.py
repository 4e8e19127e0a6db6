"""The webhook's baseline: a bare Flask app that parses the same body and answers JSON.

Served by gunicorn with the webhook's own settings, it shows what Flask and gunicorn cost
by themselves: `gunicorn -c webhook/gunicorn.conf.py 'bench.bare_app:create_app()'`.
"""

from __future__ import annotations

import json

from flask import Flask, Response, jsonify, request


def create_app() -> Flask:
    app = Flask("bare")

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify({"status": "ok"})

    @app.post("/v1/orgs/<org>/check")
    def check(org: str) -> Response:
        payload = json.loads(request.get_data())
        return jsonify({"org": org, "decision": "approve", "posts": len(payload.get("posts", [payload.get("post")]))})

    return app
