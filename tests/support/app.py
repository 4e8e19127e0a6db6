"""The webhook app under Flask's test client: two organisations (one with the canary
client, one signing its requests when asked), tokens, and the OpenAPI check."""

from __future__ import annotations

import base64
import json
import shutil
import time
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from flask import Flask
from flask.testing import FlaskClient

from gate.signatures import sign
from tests.support.wordlists import CANARY
from webhook import create_app
from webhook.auth import token_hash
from webhook.config import load_server_config

ROOT = Path(__file__).resolve().parents[2]
TOKEN, OTHER_TOKEN, ROTATED = "token-example-1", "token-other-1", "token-example-2"
SECRET = b"0123456789abcdef0123456789abcdef"
OPENAPI = yaml.safe_load((ROOT / "webhook" / "openapi.yaml").read_text())


def write_config(folder: Path, *, signed: bool = False, extra: str = "") -> Path:
    wordlist = folder / "lists" / "example"
    if not wordlist.exists():
        shutil.copytree(ROOT / "wordlists" / "example", wordlist)
        with (wordlist / "clients.csv").open("a") as clients:
            clients.write(f"EX-099,name,{CANARY},\n")
        shutil.copytree(ROOT / "wordlists" / "example", folder / "lists" / "other")
    secret = 'signing_secret_env = "EXAMPLE_WHSEC"\n' if signed else ""
    path = folder / "gate.toml"
    path.write_text(
        f'[server]\naudit_db = "audit.sqlite3"\naudit_key_env = "GATE_AUDIT_KEY"\n'
        f"{extra or 'max_body_bytes = 20000'}\nmax_posts = 3\n"
        f'[orgs.example]\nwordlist = "lists/example"\n'
        f'token_sha256 = ["{token_hash(TOKEN)}", "{token_hash(ROTATED)}"]\n{secret}\n'
        f'[orgs.other]\nwordlist = "lists/other"\ntoken_sha256 = ["{token_hash(OTHER_TOKEN)}"]\n'
    )
    return path


ENVIRON = {
    "GATE_AUDIT_KEY": "audit-key-0123456789",
    "EXAMPLE_WHSEC": "whsec_" + base64.b64encode(SECRET).decode(),
}


def make_app(folder: Path, **options: Any) -> Flask:
    return create_app(load_server_config(write_config(folder, **options), ENVIRON))


def post(client: FlaskClient, body: object, *, token: str = TOKEN, org: str = "example", **headers: str) -> Any:
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(
        f"/v1/orgs/{org}/check",
        data=data,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers},
    )


def conforms(response: Any, path: str, method: str = "post") -> None:
    """The response's body is valid against the OpenAPI document for its status."""
    spec = OPENAPI["paths"][path][method]["responses"][str(response.status_code)]
    if "$ref" in spec:
        spec = OPENAPI["components"]["responses"][spec["$ref"].rsplit("/", 1)[1]]
    schema = {**spec["content"]["application/json"]["schema"], "components": OPENAPI["components"]}
    jsonschema.Draft202012Validator(schema).validate(response.get_json())


def signed_post(
    client: FlaskClient, body: bytes, *, message_id: str = "msg_1", skew: int = 0, secret: bytes = SECRET
) -> Any:
    timestamp = int(time.time()) + skew
    return post(
        client,
        body,
        **{
            "webhook-id": message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(secret, message_id, timestamp, body),
        },
    )
