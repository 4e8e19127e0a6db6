"""Standard Webhooks signatures: what a sender computes and a receiver checks.

The signed content is `{webhook-id}.{webhook-timestamp}.{raw body}`, HMAC-SHA256 with the
secret's bytes; the secret is written `whsec_<base64>`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

SECRET_PREFIX = "whsec_"
MIN_SECRET_BYTES = 16  # the specification's secrets are 24 to 64 random bytes


def parse_secret(text: str) -> bytes:
    """The key bytes of a `whsec_<base64>` secret; ValueError if it is not one."""
    try:
        key = base64.b64decode(text.strip().removeprefix(SECRET_PREFIX), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not a whsec_<base64> secret") from None
    if len(key) < MIN_SECRET_BYTES:
        raise ValueError(f"the secret's key has {len(key)} bytes, fewer than {MIN_SECRET_BYTES}")
    return key


def signature(secret: bytes, message_id: str, timestamp: int | str, body: bytes) -> str:
    """The base64 HMAC of one message."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    return base64.b64encode(hmac.new(secret, signed, hashlib.sha256).digest()).decode()


def sign(secret: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    """The webhook-signature header a sender computes."""
    return "v1," + signature(secret, message_id, timestamp, body)
