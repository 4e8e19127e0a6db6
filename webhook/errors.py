"""The webhook's one error: an answer other than a verdict."""

from __future__ import annotations


class ApiError(Exception):
    """Answered as `{"error": {"code", "message"}}` with `status`, and `Retry-After` where
    given. Raised where the reason is known (auth, the registry, the check's steps) and
    turned into a response by one handler (webhook/app.py)."""

    def __init__(self, status: int, code: str, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.retry_after = status, code, message, retry_after
