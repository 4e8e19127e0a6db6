"""Replayed webhook ids refused: a signed request's id is spent with its decisions.

A Standard Webhooks id names one delivery; a request whose id a completed check has spent
is a replay (401 `replayed`). The id is kept as a hash keyed by the organisation's signing
secret (only a signed request has an id to spend), since a scheduler's id could name a
client; every host of the organisation has that secret, so a delivery spent on one host is
refused by the others. It is spent by the audit store in the transaction that records the
decisions it answered (`AuditStore.record(decisions, spend=key)`), so a check that did not
complete (a 503, an audit failure) may be retried with the same id, and of two requests
racing with one id the second to commit is refused and writes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from webhook.auth import TOLERANCE_SECONDS
from webhook.errors import ApiError

# A spent id is remembered while a signature over it could still be valid: its timestamp
# may be TOLERANCE_SECONDS either side of the moment it was spent.
REPLAY_WINDOW_SECONDS = 2 * TOLERANCE_SECONDS


class ReplayKey(NamedTuple):
    org: str
    id: str  # the keyed hash of the webhook id


class Replayed(Exception):
    """Another request spent the key first: nothing of this one is recorded."""


class SpentKeys(Protocol):
    def seen(self, key: ReplayKey) -> bool: ...


@dataclass(frozen=True)
class ReplayGuard:
    store: SpentKeys
    secrets: Mapping[str, bytes | None]  # each organisation's signing secret

    def key(self, org: str, message_id: str) -> ReplayKey:
        secret = self.secrets[org]
        if secret is None:
            raise ValueError(f"{org} does not sign its requests: its requests have no id to spend")
        return ReplayKey(org, hmac.new(secret, b"replay:" + message_id.encode(), hashlib.sha256).hexdigest())

    def spent(self, key: ReplayKey) -> bool:
        """True if a completed check spent `key`, in any worker, within the window. Only a
        look: the key is spent with the decisions, not here."""
        return self.store.seen(key)


def replayed() -> ApiError:
    return ApiError(401, "replayed", "this webhook-id was seen before")
