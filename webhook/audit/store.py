"""What an audit store keeps and does: one row per decision, never the post's text nor a
matched value, and the three things the webhook and `gate audit export` ask of it."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol

from webhook.replay import ReplayKey

# One 1 MB request once wrote a 3.2 MB audit row: thousands of findings, each naming a long
# pointer. A row proves what was decided and why, not every place: it lists this many
# findings and counts the rest, and bounds what the sender chose the length of.
MAX_FINDINGS_PER_ROW = 50
MAX_FIELD_CHARS = 200  # a JSON pointer; a post nests at most max_depth levels, of any key length
MAX_ID_CHARS = 128  # a post id or request id: enough for a UUID, a URL slug or a database key
COLUMNS = ("time", "request_id", "org", "post_id", "decision", "content_hmac", "findings", "wordlist_version")


class Decision(NamedTuple):
    time: str
    request_id: str
    org: str
    post_id: str
    decision: str
    content_hmac: str
    findings: str  # JSON list of {"client_id", "kind", "field"}
    wordlist_version: str


class AuditStore(Protocol):
    def record(self, decisions: Sequence[Decision], *, spend: ReplayKey | None = None) -> None:
        """All of a request's decisions, or none (the store's error propagates). With
        `spend`, the replay key is spent in the same transaction: if another request spent
        it first, Replayed, and nothing of this one is written."""

    def seen(self, key: ReplayKey) -> bool:
        """True if a completed check spent `key` within the replay window, in any worker."""

    def export(self, org: str, since: str = "") -> list[dict[str, Any]]:
        """The organisation's decisions from `since` (an ISO date or time), oldest first,
        each a dict of COLUMNS with its findings parsed."""


def bounded(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, the cut marked."""
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
