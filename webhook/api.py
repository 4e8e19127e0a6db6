"""POST /v1/orgs/<org>/check: a scheduler's posts checked against the organisation's list,
every decision recorded, then answered. Each step is a function; a step that cannot go on
raises ApiError, and nothing but a completed check answers `approve`."""

from __future__ import annotations

import datetime
import logging
import time
from typing import IO, Any

from flask import Blueprint, Response, g, jsonify, request

from gate.adapters.tesseract import tesseract
from gate.post import MediaError, PostError, PostVerdict, check_post
from gate.readers import OcrClock
from gate.readers.limits import Limits
from gate.verdict import decide_all, verdict_to_dict
from webhook.audit import decision_row
from webhook.auth import authorize, verify_signature
from webhook.body import read_posts, read_within, too_large
from webhook.config import MAX_OCR_SECONDS_PER_REQUEST
from webhook.errors import ApiError
from webhook.registry import Serving
from webhook.replay import Replayed, ReplayKey, replayed
from webhook.request_ids import logged_request_id, star_request_id
from webhook.state import state

SIGNATURE_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")
log = logging.getLogger("gate.webhook")
blueprint = Blueprint("check", __name__)


@blueprint.post("/v1/orgs/<org>/check")
def check(org: str) -> Response:
    config = state().config
    authorize(request.headers.get("Authorization"), org, config.orgs)
    body = read_body(config.max_body_bytes)
    message_id = verified_message_id(org, body)
    spend = unspent_replay_key(org, message_id)
    posts = read_posts(body, mimetype=request.mimetype, max_posts=config.max_posts)
    serving = state().registry.serving(org)
    results = check_posts(serving, posts)
    record(org, serving, posts, results, spend)
    return jsonify(answer(serving, results))


def read_body(max_bytes: int) -> bytes:
    """The whole body, announced by Content-Length or sent in chunks: 413 past `max_bytes`,
    400 if shorter than announced. Nothing cut short is checked."""
    if request.content_length is None:
        return read_within(streamed_body(), max_bytes)
    if request.content_length > max_bytes:
        raise too_large(max_bytes)
    body = request.get_data(cache=True)
    if len(body) != request.content_length:
        # The client stopped sending early: what arrived may parse, but it is not the post.
        raise ApiError(400, "incomplete_body", "the body is shorter than its Content-Length")
    return body


def streamed_body() -> IO[bytes]:
    """The body sent without Content-Length. Werkzeug's stream would end at the limit without
    a word (a 3 MB chunked body was checked as its first megabyte), so the server's own is
    read where the server ends it (gunicorn, de-chunking); from any other, Werkzeug's empty
    stream rather than one without end."""
    return request.input_stream if request.environ.get("wsgi.input_terminated") else request.stream


def verified_message_id(org: str, body: bytes) -> str | None:
    """Where the org signs its requests, the webhook id of a valid signature over the raw
    body (else 401); None where it does not sign."""
    secret = state().config.orgs[org].signing_secret
    if secret is None:
        return None
    headers = {name: request.headers.get(name, "") for name in SIGNATURE_HEADERS}
    return verify_signature(secret, body, headers, now=time.time())


def unspent_replay_key(org: str, message_id: str | None) -> ReplayKey | None:
    """The webhook id's replay key, once no completed check has spent it (webhook/replay.py);
    None for a request without one."""
    if message_id is None:
        return None
    guard = state().replay
    key = guard.key(org, message_id)
    try:
        spent = guard.spent(key)
    except Exception as error:  # noqa: BLE001 - an unreadable log must fail closed
        log.error("request %s: audit log not readable (%s)", logged_request_id(), type(error).__name__)
        raise ApiError(503, "audit_unavailable", "the audit log cannot be read; nothing was approved") from None
    if spent:
        raise replayed()
    return key


def check_posts(serving: Serving, posts: list[Any]) -> list[PostVerdict]:
    """Each post checked; the images of all of them share the request's seconds of OCR."""
    today, max_depth = datetime.date.today(), state().config.max_depth
    ocr = request_ocr(serving.matcher.policy.limits)
    try:
        return [check_post(serving.matcher, post, today=today, max_depth=max_depth, ocr=ocr) for post in posts]
    except MediaError as error:
        raise ApiError(422, "invalid_media", str(error)) from None
    except PostError as error:
        raise ApiError(422, "invalid_post", str(error)) from None


def request_ocr(limits: Limits) -> OcrClock:
    """The organisation's seconds of OCR a request, but never more than the server allows:
    past them a request blocks with its reason, before gunicorn would kill the worker."""
    if limits.ocr_seconds_per_request <= MAX_OCR_SECONDS_PER_REQUEST:
        return OcrClock.of(limits, tesseract())
    return OcrClock(
        MAX_OCR_SECONDS_PER_REQUEST,
        f"the {MAX_OCR_SECONDS_PER_REQUEST:g} s of OCR the server allows a request",
        tesseract(),
    )


def record(
    org: str,
    serving: Serving,
    posts: list[Any],
    results: list[PostVerdict],
    spend: ReplayKey | None,
    *,
    source: str = "webhook",
) -> None:
    """Write every decision, spending the webhook id, before answering; if the audit log
    cannot be written, nothing is approved (503). `source`: who asked (the console's draft
    check records its decision here too)."""
    request_id, audit_key = star_request_id(serving.matcher), state().config.audit_key
    decisions = [
        decision_row(serving.matcher, post, result, org=org, request_id=request_id, audit_key=audit_key, source=source)
        for post, result in zip(posts, results, strict=True)
    ]
    try:
        state().audit.record(decisions, spend=spend)
    except Replayed:
        raise replayed() from None
    except Exception as error:  # noqa: BLE001 - any failure to log must fail closed
        log.error("request %s: audit log not written (%s)", request_id, type(error).__name__)
        raise ApiError(503, "audit_unavailable", "the audit log cannot be written; nothing was approved") from None
    stale = " (stale: the new list is not loaded)" if serving.stale_reason else ""
    for decision in decisions:
        log.info(
            "request %s org %s post %s: %s, wordlist %s%s%s",
            decision.request_id,
            org,
            decision.post_id,
            decision.decision,
            decision.wordlist_version,
            stale,
            "" if source == "webhook" else f", checked in the {source}",
        )


def answer(serving: Serving, results: list[PostVerdict]) -> dict[str, Any]:
    decision = decide_all(result.verdict for result in results)
    policy = serving.matcher.policy
    return {
        "request_id": g.request_id,
        "decision": decision,
        "policy": {"block_message": policy.block_message, "policy_url": policy.policy_url},
        "results": [verdict_json(result, serving.stale_reason) for result in results],
    }


def verdict_json(result: PostVerdict, stale_reason: str) -> dict[str, Any]:
    """One post's verdict as the answer carries it; a stale list says so, and why."""
    verdict = {"post_id": result.post_id, "content_sha256": result.content_sha256, **verdict_to_dict(result.verdict)}
    if stale_reason:
        verdict["wordlist"] = {**verdict["wordlist"], "stale": True, "reason": stale_reason}
    return verdict
