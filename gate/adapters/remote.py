"""`gate check --server URL --org ORG`: files checked by the organisation's webhook, so the
client list never leaves the server. Any failure to get a complete answer exits 2.

The token goes only where it was sent: over https://, or http:// to this machine; never
through a redirect; and nothing but the server's own complete verdict is an approve."""

from __future__ import annotations

import base64
import dataclasses
import functools
import http.client
import ipaddress
import itertools
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from gate.content import STDIN_NAME, Content
from gate.errors import GateError
from gate.extract import content_format
from gate.report import printable
from gate.signatures import sign
from gate.verdict import (
    DECISIONS,
    PATH_LOCATION,
    Encoding,
    Finding,
    NotScanned,
    Suppression,
    Verdict,
    VerdictError,
    build_verdict,
    decide_all,
    json_object,
    optional_field,
    required_field,
    verdict_from_dict,
)
from gate.wordlist import Policy

MAX_BATCH_POSTS = 100
PATH_FIELD = "path"  # the post's field that carries a file's path; its pointer is /path
READINGS_FIELD = "readings"  # other readings of a file's bytes (a detected encoding's alternatives)
PARTS_FIELD = "parts"  # texts inside a file (an image's caption, a PDF's pages), keyed by their location
MAX_BATCH_BYTES = 512 * 1024
# An image or a document goes as its bytes (a media item's `data`), for the server to read
# with its organisation's limits and its OCR: up to the size whose base64, with its path,
# fits the server's default max_body_bytes (1 MiB). A larger one, where a photograph often
# is, is read here and its texts sent (`parts`): sent whole, it would be refused (413).
SEND_FILES_UP_TO = 3 * 2**20 // 4 - 16 * 1024
TIMEOUT_SECONDS = 30  # each connect and read
# The whole answer: a server that trickles it a byte at a time never trips the timeout
# of each read, and would hold the commit (or the CI job) for hours.
DEADLINE_SECONDS = 300
# A batch is at most MAX_BATCH_BYTES of text; a verdict on it is far smaller. A larger
# answer is not a verdict, and reading it whole could exhaust memory.
MAX_ANSWER_BYTES = 64 * 2**20
LOOPBACK_NAMES = ("localhost",)


class Answer(NamedTuple):
    """One batch's answer: the server's decision, its policy, and each post's verdict with
    the post's path in place of the field names."""

    decision: str
    policy: Policy
    verdicts: list[Verdict]


def remote_check(
    server: str,
    org: str,
    token: str,
    contents: Iterable[Content],
    *,
    block_unscanned: bool = False,
    signing_secret: bytes | None = None,
) -> tuple[Verdict, Policy]:
    """The verdict the server gives on the files, in the shape of a local check's.

    `signing_secret`: the key bytes of the organisation's Standard Webhooks secret
    (gate.signatures.parse_secret); each request is then signed.
    """
    url = check_url(server, org)
    opener = _opener(urllib.parse.urlsplit(url).scheme)
    findings: list[Finding] = []
    suppressed: list[Suppression] = []
    local = _LocalNotes()
    last = Verdict("approve", org, "", (), (), ())
    policy = Policy()
    server_blocks = False
    send = functools.partial(_post, opener, url, token, secret=signing_secret)
    for answer in itertools.chain.from_iterable(_answers(url, send, batch) for batch in _batches(contents, local)):
        policy, server_blocks = answer.policy, server_blocks or answer.decision == "block"
        for last in answer.verdicts:
            findings += _once(last.findings)
            suppressed += _once(last.suppressed)
            local.not_scanned += last.not_scanned
    local.not_scanned.sort(key=lambda item: local.order.get(item.path, 0))  # file order, as a local check
    verdict = build_verdict(
        last.org,
        last.version,
        findings,
        suppressed,
        local.not_scanned,
        block_unscanned=block_unscanned,
        guidance=last.guidance,
        policy_url=last.policy_url,
        encodings=local.encodings,
    )
    return (dataclasses.replace(verdict, decision="block") if server_blocks else verdict), policy


def check_url(server: str, org: str) -> str:
    """The check endpoint under `server`, or a GateError before anything is sent: the token
    travels only over https://, or over http:// to this machine."""
    parts = urllib.parse.urlsplit(server)
    try:
        host, _ = parts.hostname, parts.port
    except ValueError:
        raise GateError("the server URL has an invalid port") from None
    if parts.scheme not in ("https", "http"):
        raise GateError("the server URL must begin https:// (or http:// to this machine)")
    if not host:
        raise GateError("the server URL names no host")
    if parts.username is not None or parts.password is not None:
        raise GateError("the server URL must not hold a user name or password: the token comes from GATE_TOKEN")
    if parts.scheme == "http" and not _is_loopback(host):
        raise GateError("http:// only to this machine (127.0.0.1, ::1, localhost): use https://")
    path = f"{parts.path.rstrip('/')}/v1/orgs/{urllib.parse.quote(org, safe='')}/check"
    # Rebuilt from the parts checked, so the request goes where the check said it may.
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _opener(scheme: str) -> urllib.request.OpenerDirector:
    """No redirect handler, so a 3xx is an HTTPError and never followed; and no proxy for
    http://, which may carry the token only to this machine."""
    opener = urllib.request.OpenerDirector()
    handlers: list[urllib.request.BaseHandler] = [
        urllib.request.ProxyHandler({} if scheme == "http" else None),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ]
    for handler in handlers:
        opener.add_handler(handler)
    return opener


@dataclass
class _LocalNotes:
    """What the files read here say, whatever the server answers: each file's place in
    the order given, what could not be read, and the encodings detected."""

    order: dict[str, int] = field(default_factory=dict)
    not_scanned: list[NotScanned] = field(default_factory=list)
    encodings: list[Encoding] = field(default_factory=list)


def _batches(contents: Iterable[Content], local: _LocalNotes) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    size = 0
    for content in contents:
        local.order.setdefault(content.path, len(local.order))
        if content.problem:
            local.not_scanned.append(NotScanned(content.path, content.problem, content.blocks))
        if content.encoding:
            local.encodings.append(Encoding(content.path, content.encoding))
        post = _file_post(content) if content.data else _text_post(content)
        post_size = len(json.dumps(post).encode())
        if batch and (len(batch) == MAX_BATCH_POSTS or size + post_size > MAX_BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(post)
        size += post_size
    if batch:
        yield batch


def _text_post(content: Content) -> dict[str, Any]:
    """A file's text, and the texts read inside it here. The path goes as a field of its
    own, checked like the text: a file the gate cannot read still has a name. (Standard
    input has none.) Other readings of a file's bytes are one character a byte, like its
    text: their places are its."""
    post: dict[str, Any] = {"id": content.path, "text": content.text or "", "format": content_format(content.path)}
    if content.path != STDIN_NAME:
        post[PATH_FIELD] = content.path
    if content.readings:
        post[READINGS_FIELD] = [reading.text for reading in content.readings]
    if content.parts:
        post[PARTS_FIELD] = {part.location: part.text for part in content.parts}
    return post


def _file_post(content: Content) -> dict[str, Any]:
    """An image or a document as its bytes, for the server to read; its name, as the
    file's `filename`, is checked there as a path."""
    media: dict[str, str] = {"data": base64.b64encode(content.data).decode("ascii")}
    if content.path != STDIN_NAME:
        media["filename"] = content.path
    return {"id": content.path, "text": "", "media": [media]}


class _TooManyPosts(GateError):
    """The server takes fewer posts a request than were sent (its `max_posts`)."""


def _answers(url: str, send: Callable[[dict[str, Any]], object], batch: list[dict[str, Any]]) -> Iterator[Answer]:
    """The answers to `batch`, in order: sent whole, or in halves, and so on, where the
    server's `max_posts` is below MAX_BATCH_POSTS."""
    try:
        yield _read_answer(url, send({"posts": batch}), batch)
    except _TooManyPosts:
        if len(batch) == 1:
            raise GateError(f"{url}: the server refuses even one post a request (too_many_posts)") from None
        middle = len(batch) // 2
        yield from _answers(url, send, batch[:middle])
        yield from _answers(url, send, batch[middle:])


def _post(
    opener: urllib.request.OpenerDirector, url: str, token: str, body: dict[str, Any], *, secret: bytes | None
) -> object:
    data = json.dumps(body).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", **_signed(secret, data)}
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            answer = _read_by(response, deadline, url)
    except urllib.error.HTTPError as error:
        with error:
            if 300 <= error.code < 400:
                raise GateError(f"{url}: the server answered {error.code}, a redirect, which is not followed") from None
            code, message = _error_of(error, token)
            failure = _TooManyPosts if (error.code, code) == (422, "too_many_posts") else GateError
            raise failure(f"{url}: the server answered {error.code} ({message})") from None
    except (OSError, http.client.HTTPException) as error:
        reason = _without_token(str(getattr(error, "reason", error)), token)
        raise GateError(f"{url}: cannot reach the server ({reason}); nothing was checked") from None
    if len(answer) > MAX_ANSWER_BYTES:
        raise GateError(f"{url}: the server's answer is over {MAX_ANSWER_BYTES // 2**20} MiB; nothing was approved")
    try:
        return json.loads(answer)
    except (ValueError, RecursionError):
        raise GateError(f"{url}: the server's answer is not JSON") from None


def _read_by(response: http.client.HTTPResponse, deadline: float, url: str) -> bytes:
    """The answer, up to MAX_ANSWER_BYTES + 1 bytes, read before `deadline` or refused."""
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_ANSWER_BYTES:
        if time.monotonic() > deadline:
            raise GateError(f"{url}: the server took over {DEADLINE_SECONDS} s to answer; nothing was approved")
        chunk = response.read1(min(2**16, MAX_ANSWER_BYTES + 1 - size))  # at most one read of the socket
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _signed(secret: bytes | None, body: bytes) -> dict[str, str]:
    """Standard Webhooks headers, a new webhook-id each request (the server refuses replays)."""
    if secret is None:
        return {}
    message_id, timestamp = "msg_" + secrets.token_hex(12), int(time.time())
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
    }


def _read_answer(url: str, answer: object, batch: Sequence[dict[str, Any]]) -> Answer:
    try:
        return _answer_from_dict(answer, [post["id"] for post in batch])
    except VerdictError as error:
        raise GateError(f"{url}: the server's answer is not a verdict: {error}") from None


def _answer_from_dict(data: object, post_ids: Sequence[str]) -> Answer:
    """The answer to one batch, cross-checked: one result per post sent, in order, and no
    approve, per post or overall, of what the server says blocks."""
    record = json_object(data, "")
    decision = required_field(record, "", "decision", str)
    if decision not in DECISIONS:
        raise VerdictError("decision", 'must be "approve" or "block"')
    results = required_field(record, "", "results", list)
    if len(results) != len(post_ids):
        raise VerdictError("results", f"must hold one result for each of the {len(post_ids)} posts sent")
    verdicts = [
        _result_from_dict(result, f"results[{index}]", post_id)
        for index, (result, post_id) in enumerate(zip(results, post_ids, strict=True))
    ]
    if decision == "approve" and decide_all(verdicts) == "block":
        raise VerdictError("decision", "is approve, but a result blocks")
    return Answer(decision, _policy_from_dict(optional_field(record, "", "policy", dict, {})), verdicts)


def _result_from_dict(data: object, where: str, post_id: str) -> Verdict:
    result = json_object(data, where)
    if required_field(result, where, "post_id", str) != post_id:
        raise VerdictError(f"{where}.post_id", "does not match the post sent")
    try:
        verdict = verdict_from_dict(result)
    except VerdictError as error:
        raise error.within(where) from None
    return dataclasses.replace(
        verdict,
        findings=tuple(_in_file(item, post_id) for item in verdict.findings),
        suppressed=tuple(_in_file(item, post_id) for item in verdict.suppressed),
        not_scanned=tuple(dataclasses.replace(item, path=post_id) for item in verdict.not_scanned),
    )


Placed = TypeVar("Placed", Finding, Suppression)


def _once(items: Sequence[Placed]) -> list[Placed]:
    """Each item once: a reading of a file finds what its text finds, at the same place."""
    return list(dict.fromkeys(items))


def _in_file(item: Placed, post_id: str) -> Placed:
    """A post's finding as the file's: the post's id is the file's path, a finding in the
    path field is one in the file's path, and one in a part is at the part's location."""
    location = item.location
    if item.path == "/" + PATH_FIELD:
        location = PATH_LOCATION
    elif item.path.startswith(f"/{PARTS_FIELD}/"):
        location = item.path.removeprefix(f"/{PARTS_FIELD}/").replace("~1", "/").replace("~0", "~")
    return dataclasses.replace(item, path=post_id, location=location)


def _policy_from_dict(record: dict[str, Any]) -> Policy:
    def text(name: str) -> str:
        return optional_field(record, "policy", name, str, "")

    return Policy(text("display_name"), text("block_message"), text("policy_url"), text("guidance"))


def _error_of(error: urllib.error.HTTPError, token: str) -> tuple[str, str]:
    """The error's code and the server's own words, unless they echo the token (a report
    may end up in a CI log)."""
    try:
        detail = json.loads(error.read())["error"]
        code, message = str(detail.get("code", "")), str(detail["message"])
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError, http.client.HTTPException):
        code, message = "", str(error.reason) or "error"
    return code, _without_token(message, token)


def _without_token(message: str, token: str) -> str:
    """The message, unless it holds the token in any case (a report may end up in a CI log)."""
    if token and token.casefold() in message.casefold():
        return "a message that repeats the token, not shown"
    return printable(message)
