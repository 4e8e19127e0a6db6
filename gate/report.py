"""Report formats: a dict from name to function of (verdict, policy) to text."""

from __future__ import annotations

import json
from collections.abc import Callable

from gate.verdict import Finding, Verdict, verdict_to_dict
from gate.wordlist import Policy


def format_text(verdict: Verdict, policy: Policy) -> str:
    """`path:line:col: CLIENT_ID kind — message`, one line a finding, then a summary."""
    lines = [_finding_line(finding) for finding in verdict.findings]
    lines += [
        f"{item.path}:{item.line}:{item.column}: {item.client_id} suppressed — {item.reason}"
        for item in verdict.suppressed
    ]
    lines += [f"{item.path}: not scanned — {item.reason}" for item in verdict.not_scanned]
    lines.append(
        f"{verdict.decision}: {_count(len(verdict.findings), 'finding')}, "
        f"{len(verdict.suppressed)} suppressed, {len(verdict.not_scanned)} not scanned"
    )
    if verdict.decision == "block":
        lines += [text for text in (policy.block_message, policy.policy_url) if text]
    return "\n".join(lines) + "\n"


def _finding_line(finding: Finding) -> str:
    warning = " (warning)" if finding.action == "warn" else ""
    line = (
        f"{finding.path}:{finding.line}:{finding.column}: "
        f"{finding.client_id} {finding.kind}{warning} — {finding.message}"
    )
    if finding.matched is not None:
        line += f" — matched {json.dumps(finding.matched, ensure_ascii=False)}"
    return line


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def format_json(verdict: Verdict, policy: Policy) -> str:
    return json.dumps(verdict_to_dict(verdict), indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[Verdict, Policy], str]] = {
    "text": format_text,
    "json": format_json,
}
