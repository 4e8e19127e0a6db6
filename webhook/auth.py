"""Bearer tokens per organisation, and Standard Webhooks signatures."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from gate.signatures import signature
from webhook.config import OrgConfig
from webhook.errors import ApiError

TOLERANCE_SECONDS = 300  # how far a signature's timestamp may be from now, either way
MAX_TIMESTAMP_DIGITS = 20  # Unix seconds have 10 digits until the year 2286


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authorize(header: str | None, org: str, orgs: Mapping[str, OrgConfig]) -> None:
    """The bearer token must be one of `org`'s; a token of another org is refused."""
    scheme, _, token = (header or "").strip().partition(" ")
    # RFC 6750 via RFC 7235: the scheme's name is case-insensitive ("bearer", "BEARER").
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "send Authorization: Bearer <token>")
    digest = token_hash(token.strip())
    owner = None
    for config in orgs.values():
        # Every hash is compared, in constant time, whatever matched before.
        for known in config.token_hashes:
            if hmac.compare_digest(digest, known):
                owner = config.name
    if owner is None:
        raise ApiError(401, "unauthorized", "unknown token")
    if org not in orgs:
        raise ApiError(404, "not_found", "no such organisation")
    if owner != org:
        raise ApiError(403, "forbidden", "this token is not for this organisation")


def verify_signature(secret: bytes, body: bytes, headers: Mapping[str, str], *, now: float) -> str:
    """Check a Standard Webhooks signature over the raw body; returns the message id."""
    message_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not (message_id and timestamp and signatures):
        raise ApiError(401, "signature_required", "send webhook-id, webhook-timestamp and webhook-signature")
    seconds = unix_seconds(timestamp)
    if seconds is None or abs(now - seconds) > TOLERANCE_SECONDS:
        raise ApiError(
            401, "stale_signature", f"webhook-timestamp is more than {TOLERANCE_SECONDS // 60} minutes from now"
        )
    expected = signature(secret, message_id, timestamp, body)
    valid = False
    for given in signatures.split():
        version, _, value = given.partition(",")
        # Bytes: compare_digest refuses a str that is not ASCII (TypeError, a 500).
        if version == "v1" and hmac.compare_digest(value.encode(), expected.encode()):
            valid = True
    if not valid:
        raise ApiError(401, "bad_signature", "webhook-signature does not match")
    return message_id


def unix_seconds(timestamp: str) -> int | None:
    """The seconds a timestamp of ASCII digits says; None if it is not one, or if it has more
    than MAX_TIMESTAMP_DIGITS after its leading zeros (far from any clock, and int() refuses
    over 4300 digits: a 500)."""
    # isdigit() alone lets "²" and "١" through, which int() then refuses or reads.
    if not (timestamp.isascii() and timestamp.isdigit()):
        return None
    digits = timestamp.lstrip("0") or "0"
    return int(digits) if len(digits) <= MAX_TIMESTAMP_DIGITS else None
