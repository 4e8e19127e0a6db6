"""The check's body read as the scheduler wrote it: JSON (UTF-8) with no key twice and no
lone surrogate, holding one post or a list of them."""

from __future__ import annotations

import json
import re
from typing import IO, Any

from gate.post import PostError, unique_keys
from webhook.errors import ApiError

# In text decoded as UTF-8, a lone surrogate can only come from a \uD800-\uDFFF escape:
# look for one before walking the parsed post for it.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
CHUNK_BYTES = 65_536
SHAPES = (
    'send {"post": {...}} or {"posts": [...]} and nothing beside, or one post: an object with an "id" '
    "and no member named post or posts"
)


def read_within(stream: IO[bytes], max_bytes: int) -> bytes:
    """A stream read to its end, or refused (413) once it runs past `max_bytes`: one byte
    past, not at, the limit, so a body of exactly `max_bytes` is whole."""
    body = bytearray()
    while chunk := stream.read(min(CHUNK_BYTES, max_bytes + 1 - len(body))):
        body += chunk
        if len(body) > max_bytes:
            raise too_large(max_bytes)
    return bytes(body)


def too_large(max_bytes: int) -> ApiError:
    return ApiError(413, "request_entity_too_large", f"the body is over {max_bytes} bytes (server.max_body_bytes)")


def read_posts(body: bytes, *, mimetype: str, max_posts: int) -> list[Any]:
    """The posts of `{"post": {...}}`, `{"posts": [...]}`, or of a post sent as it is (an
    object with an `id` and neither of those members: a scheduler's own item), not yet
    checked for shape."""
    if mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "send Content-Type: application/json")
    text = _utf8(body)
    try:
        payload = json.loads(text, object_pairs_hook=unique_keys)
    except PostError as error:  # a repeated key; the message does not name it
        raise ApiError(422, "duplicate_key", str(error)) from None
    except RecursionError:
        raise ApiError(422, "too_deep", "the JSON is nested too deeply") from None
    except ValueError:
        raise _bad_json() from None
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(payload):
        raise ApiError(422, "invalid_string", "a string in the JSON has a lone surrogate (\\uD800-\\uDFFF)")
    if not isinstance(payload, dict):
        raise ApiError(422, "invalid_shape", SHAPES)
    envelope = payload.keys() & {"post", "posts"}
    if not envelope and "id" in payload:
        return [payload]  # a post as the scheduler has it
    if len(envelope) != 1 or len(payload) != 1:
        # Another member beside the envelope would go unchecked: a scheduler's item that
        # has a member named post or posts is sent in {"post": ...}.
        raise ApiError(422, "invalid_shape", SHAPES)
    posts = payload["posts"] if "posts" in payload else [payload["post"]]
    if not isinstance(posts, list) or not posts:
        raise ApiError(422, "invalid_shape", '"posts" must be a non-empty list')
    if len(posts) > max_posts:
        raise ApiError(422, "too_many_posts", f"at most {max_posts} posts per request")
    return posts


def _utf8(body: bytes) -> str:
    """The body as UTF-8 text, a byte order mark allowed (RFC 8259). json.loads would also
    read UTF-16 and UTF-32, and a surrogate encoded rather than escaped."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _bad_json() from None


def _bad_json() -> ApiError:
    return ApiError(400, "bad_json", "the body is not valid JSON (UTF-8)")


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
