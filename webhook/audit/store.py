"""What an audit store keeps and does: one row per decision (row.py makes them), and the
three things the webhook and `gate audit export` ask of it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol

from webhook.replay import ReplayKey

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
