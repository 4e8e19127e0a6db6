"""What an audit store keeps and does: one row per decision (row.py makes them), one per
console event (a sign-in, a page seen), and what the webhook, the console and `gate audit`
ask of them."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, Protocol

from webhook.replay import ReplayKey

COLUMNS = (
    "time",
    "request_id",
    "org",
    "post_id",
    "decision",
    "content_hmac",
    "findings",
    "wordlist_version",
    "source",
)
# Columns added since a table was first made, with what an older row reads: a log written
# before decisions said who asked held only the webhook's.
ADDED_COLUMNS = (
    ("decisions", "source", "TEXT NOT NULL DEFAULT 'webhook'"),
    ("console_events", "attempt", "TEXT NOT NULL DEFAULT ''"),
)
SOURCES = ("webhook", "console")  # who asked: a scheduler, or an officer's draft check
MAX_QUERY_DAYS = 3660  # a summary counts every day it spans: ten years at most


class Decision(NamedTuple):
    time: str
    request_id: str
    org: str
    post_id: str
    decision: str
    content_hmac: str
    findings: str  # JSON list of {"client_id", "kind", "field"}
    wordlist_version: str
    source: str = "webhook"


class AuditQuery(NamedTuple):
    """Which decisions: each field left empty matches every row. The days are the UTC days
    of the decisions' times, both included."""

    since: datetime.date | None = None
    until: datetime.date | None = None
    decision: str = ""
    kind: str = ""  # a decision with at least one finding of this kind
    post_id: str = ""  # as recorded (a post id that names a client is recorded starred)
    source: str = ""  # one of SOURCES

    def bounds(self) -> tuple[str, str]:
        """The ISO times the rows' times lie within: from `since`, before the day after `until`."""
        if self.until is None or self.until == datetime.date.max:
            until = "\uffff"  # after every time
        else:
            until = (self.until + datetime.timedelta(days=1)).isoformat()
        return (self.since.isoformat() if self.since else "", until)

    def problem(self) -> str:
        """What makes the query match nothing by mistake ("" if nothing)."""
        if self.since and self.until and self.since > self.until:
            return "the first day is after the last"
        return ""


EVERY_DECISION = AuditQuery()


class ConsoleEvent(NamedTuple):
    """Something done in the console: never a password, a draft or a filter's value."""

    time: str
    officer: str  # "" where a sign-in named no officer
    org: str  # "" where none was chosen (a sign-in)
    event: str  # one of CONSOLE_EVENTS
    page: str  # the path, without its query
    address: str
    attempt: str = ""  # of a sign-in: a keyed hash of the name typed, whoever's it is


CONSOLE_EVENTS = ("sign_in", "sign_in_failed", "sign_in_refused", "sign_out", "view")


class Counts(NamedTuple):
    """What a summary is made of, counted by the store."""

    days: list[tuple[str, str, int]]  # (day, decision, decisions)
    kinds: list[tuple[str, int]]  # (kind, findings in blocked decisions)
    clients: list[tuple[str, int]]  # (client id, blocked decisions naming it)


class SignInFailures(NamedTuple):
    """Failed sign-ins in a window: as one name typed, from one address, and both."""

    by_name: int
    by_address: int
    by_both: int


class AuditStore(Protocol):
    def record(self, decisions: Sequence[Decision], *, spend: ReplayKey | None = None) -> None:
        """All of a request's decisions, or none (the store's error propagates). With
        `spend`, the replay key is spent in the same transaction: if another request spent
        it first, Replayed, and nothing of this one is written."""

    def seen(self, key: ReplayKey) -> bool:
        """True if a completed check spent `key` within the replay window, in any worker."""

    def export(self, org: str, query: AuditQuery = EVERY_DECISION) -> list[dict[str, Any]]:
        """The organisation's decisions that `query` matches, oldest first, each a dict of
        COLUMNS with its findings parsed."""

    def export_rows(self, org: str, query: AuditQuery = EVERY_DECISION) -> Iterator[dict[str, Any]]:
        """The same rows, read a batch at a time while they are consumed (an export of
        millions of rows), the store busy until the last is read."""

    def page(self, org: str, query: AuditQuery, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """`limit` of the rows `export` gives, newest first, from `offset`; and how many
        rows match in all."""

    def counts(self, org: str, query: AuditQuery) -> Counts:
        """The decisions `query` matches, counted by day and decision, their blocked
        findings by kind, and the clients those name."""

    def record_event(self, event: ConsoleEvent) -> int:
        """Keep `event` (the store's error propagates: an unrecorded view is not shown);
        its number, for `change_event`."""

    def change_event(self, number: int, event: str) -> None:
        """What the event numbered `number` was: a sign-in kept as failed before the
        password was checked becomes `sign_in`, or `sign_in_refused`."""

    def failed_sign_ins(self, attempt: str, address: str, since: str) -> SignInFailures:
        """The failed sign-ins since `since` (an ISO time): as the name whose keyed hash is
        `attempt`, from `address`, and both."""

    def last_sign_out(self, officer: str) -> str:
        """When `officer` last signed out (an ISO time), or ""."""

    def purge(self, before: str) -> tuple[int, int]:
        """Delete the decisions and console events from before `before` (an ISO time): how
        many of each. (Spent webhook ids go by themselves, once their window has passed.)"""
