"""A decision as the audit log keeps it: never the post's text nor a matched value, the
content as a keyed hash, and what the sender chose the length of cut to size."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

from gate.matcher import Matcher
from gate.post import PostVerdict, canonical_json, redact_id, redact_pointer
from webhook.audit.store import Decision

# One 1 MB request once wrote a 3.2 MB audit row: thousands of findings, each naming a long
# pointer. A row proves what was decided and why, not every place: it lists this many
# findings and counts the rest, and bounds what the sender chose the length of.
MAX_FINDINGS_PER_ROW = 50
MAX_FIELD_CHARS = 200  # a JSON pointer; a post nests at most max_depth levels, of any key length
MAX_ID_CHARS = 128  # a post id or request id: enough for a UUID, a URL slug or a database key


def decision_row(
    matcher: Matcher,
    post: object,
    result: PostVerdict,
    *,
    org: str,
    request_id: str,
    audit_key: bytes,
    source: str = "webhook",
) -> Decision:
    """The row of one post's verdict. Ids and pointers are cut to size before they are
    starred where they name a client, so that the cut cannot make a name."""
    findings = [
        {
            "client_id": item.client_id,
            "kind": item.kind,
            "field": redact_pointer(matcher, bounded(item.path, MAX_FIELD_CHARS)),
        }
        for item in result.verdict.findings
    ]
    return Decision(
        now_utc(),
        request_id,
        org,
        redact_id(matcher, bounded(result.post_id, MAX_ID_CHARS)),
        result.verdict.decision,
        content_hmac(audit_key, canonical_json(post)),
        findings_json(findings),
        result.verdict.version,
        source,
    )


def bounded(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, the cut marked; a NUL written as U+FFFD, since
    PostgreSQL keeps no NUL in text (a post id with one could never be recorded)."""
    text = text.replace("\x00", "\ufffd")
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def findings_json(findings: Sequence[dict[str, str]]) -> str:
    """The findings of a row, the first MAX_FINDINGS_PER_ROW, and how many more there were."""
    listed: list[dict[str, Any]] = list(findings[:MAX_FINDINGS_PER_ROW])
    if len(findings) > MAX_FINDINGS_PER_ROW:
        listed.append({"omitted": len(findings) - MAX_FINDINGS_PER_ROW})
    return json.dumps(listed)


def content_hmac(key: bytes, canonical_post: bytes) -> str:
    """A keyed hash: proves which content was checked without making it guessable."""
    return hmac.new(key, canonical_post, hashlib.sha256).hexdigest()


def now_utc() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")
