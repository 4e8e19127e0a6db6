"""`gate check --server URL --org ORG`: files checked by the organisation's webhook, so the
client list never leaves the server. Any failure to get a complete answer exits 2."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from typing import Any

from gate.errors import GateError
from gate.extract import content_format
from gate.files import Content
from gate.verdict import Finding, NotScanned, Suppression, Verdict, build_verdict
from gate.wordlist import Policy

MAX_BATCH_POSTS = 100
MAX_BATCH_BYTES = 512 * 1024
TIMEOUT_SECONDS = 30


def remote_check(
    server: str, org: str, token: str, contents: Iterable[Content], *, block_unscanned: bool = False
) -> tuple[Verdict, Policy]:
    """The verdict the server gives on the files, in the shape of a local check's."""
    url = f"{server.rstrip('/')}/v1/orgs/{urllib.parse.quote(org, safe='')}/check"
    findings: list[Finding] = []
    suppressed: list[Suppression] = []
    not_scanned: list[NotScanned] = []
    wordlist = (org, "")
    policy = Policy()
    guidance = ("", "")
    order: dict[str, int] = {}
    for batch in _batches(contents, not_scanned, order):
        answer = _post(url, token, {"posts": batch})
        policy = Policy(**answer.get("policy", {}))
        for result in answer["results"]:
            path = result["post_id"]
            wordlist = (result["wordlist"]["org"], result["wordlist"]["version"])
            guidance = (result.get("guidance", ""), result.get("policy_url", ""))
            findings += [Finding(**{**item, "path": path}) for item in result["findings"]]
            suppressed += [Suppression(**{**item, "path": path}) for item in result["suppressed"]]
            not_scanned += [NotScanned(path, item["reason"]) for item in result["not_scanned"]]
    not_scanned.sort(key=lambda item: order.get(item.path, 0))  # file order, as a local check
    verdict = build_verdict(
        *wordlist, findings, suppressed, not_scanned, block_unscanned=block_unscanned,
        guidance=guidance[0], policy_url=guidance[1],
    )
    return verdict, policy


def _batches(
    contents: Iterable[Content], not_scanned: list[NotScanned], order: dict[str, int]
) -> Iterator[list[dict[str, str]]]:
    batch: list[dict[str, str]] = []
    size = 0
    for content in contents:
        order.setdefault(content.path, len(order))
        if content.problem:
            not_scanned.append(NotScanned(content.path, content.problem))
        if content.text is None:
            continue
        post = {"id": content.path, "text": content.text, "format": content_format(content.path)}
        post_size = len(json.dumps(post).encode())
        if batch and (len(batch) == MAX_BATCH_POSTS or size + post_size > MAX_BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(post)
        size += post_size
    if batch:
        yield batch


def _post(url: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise GateError(f"{url}: the server answered {error.code} ({_error_message(error)})") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        raise GateError(f"{url}: cannot reach the server ({reason}); nothing was checked") from None
    except ValueError:
        raise GateError(f"{url}: the server's answer is not JSON") from None
    if not isinstance(answer, dict) or len(answer.get("results", [])) != len(body["posts"]):
        raise GateError(f"{url}: the server's answer is incomplete")
    return answer


def _error_message(error: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(error.read())["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return error.reason or "error"
