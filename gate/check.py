"""Checking one text: matches become findings, allow terms and consent suppress them."""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Sequence

from gate.matcher import Match, Matcher, find_matches
from gate.verdict import Finding, Suppression

DEFAULT_MESSAGES = {
    "name": "client name: remove it or get written consent",
    "alias": "client alias or nickname: remove it or get written consent",
    "handle": "client social-media handle: remove it or get written consent",
    "email": "client e-mail address: remove it",
    "phone": "client phone number: remove it",
    "id": "client case number or identifier: remove it",
    "other": "client identifier: remove it or get written consent",
}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Positions:
    """Line and column (1-based) of offsets in a text; line starts found on first use."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None

    def at(self, offset: int) -> tuple[int, int]:
        if self._starts is None:
            self._starts = [0] + [match.end() for match in _LINE_BREAK.finditer(self._text)]
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def check_text(
    matcher: Matcher,
    text: str,
    *,
    path: str,
    today: datetime.date,
    reveal: bool = False,
) -> tuple[list[Finding], list[Suppression]]:
    """Findings and suppressions for one text, in the order they occur."""
    matches = find_matches(matcher, text)
    allowed = AllowedSpans(matcher, [match for match in matches if match.target < 0])
    positions = Positions(text)
    findings: list[Finding] = []
    suppressed: list[Suppression] = []
    for match in matches:
        if match.target < 0:
            continue
        identifier = matcher.identifiers[match.target]
        reason = allowed.reason(match) or _consent_reason(identifier.consent_until, today)
        line, column = positions.at(match.start)
        if reason:
            suppressed.append(Suppression(path, line, column, identifier.client_id, reason))
            continue
        end_line, end_column = positions.at(match.end - 1)
        findings.append(
            Finding(
                path, line, column, end_line, end_column, identifier.client_id,
                identifier.kind, matcher.policy.action(identifier.kind),
                finding_message(matcher, identifier.kind),
                text[match.start : match.end] if reveal else None,
            )
        )
    return findings, suppressed


def finding_message(matcher: Matcher, kind: str) -> str:
    return matcher.policy.messages.get(kind) or DEFAULT_MESSAGES[kind]


class AllowedSpans:
    """The spans of allow-term matches, to find the one (if any) around a finding."""

    def __init__(self, matcher: Matcher, spans: Sequence[Match]) -> None:
        self._starts: list[int] = []
        self._widest: list[tuple[int, int]] = []  # (end, allow line) reaching furthest so far
        widest = (-1, 0)
        for span in sorted(spans):
            widest = max(widest, (span.end, matcher.allow_terms[-span.target - 1].line))
            self._starts.append(span.start)
            self._widest.append(widest)

    def reason(self, match: Match) -> str:
        index = bisect.bisect_right(self._starts, match.start) - 1
        if index < 0 or self._widest[index][0] < match.end:
            return ""
        return f"allowed by allow.txt line {self._widest[index][1]}"


def _consent_reason(consent_until: datetime.date | None, today: datetime.date) -> str:
    if consent_until is not None and today <= consent_until:
        return f"consent until {consent_until.isoformat()}"
    return ""
