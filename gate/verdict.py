"""The verdict schema shared by the CLI, the hook and the webhook."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gate.audience import AudienceReport


# The verdict's JSON: readers tolerate fields they do not know; a change that removes or
# redefines a field raises the major number, one that adds a field the minor.
SCHEMA_VERSION = "2.0"


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    client_id: str
    kind: str
    action: str
    message: str
    matched: str | None = None  # the text as written, only for --reveal


@dataclass(frozen=True)
class Suppression:
    path: str
    line: int
    column: int
    client_id: str
    reason: str


@dataclass(frozen=True)
class NotScanned:
    """Something not read. `blocks`: a kind the gate reads but could not read (over a
    limit, corrupt): unread is not approved, whatever --fail-on-unscanned says."""

    path: str
    reason: str
    blocks: bool = False


@dataclass(frozen=True)
class Verdict:
    decision: str
    org: str
    version: str
    findings: tuple[Finding, ...]
    suppressed: tuple[Suppression, ...]
    not_scanned: tuple[NotScanned, ...]
    guidance: str = ""
    policy_url: str = ""
    audience: AudienceReport | None = None


def decide(findings: Iterable[Finding]) -> str:
    return "block" if any(finding.action == "block" for finding in findings) else "approve"


def build_verdict(
    org: str,
    version: str,
    findings: Iterable[Finding],
    suppressed: Iterable[Suppression] = (),
    not_scanned: Iterable[NotScanned] = (),
    *,
    block_unscanned: bool = False,
    guidance: str = "",
    policy_url: str = "",
    audience: AudienceReport | None = None,
) -> Verdict:
    """`block_unscanned`: what could not be read blocks too (--fail-on-unscanned)."""
    findings, not_scanned = tuple(findings), tuple(not_scanned)
    decision = decide(findings)
    if any(item.blocks for item in not_scanned) or (block_unscanned and not_scanned):
        decision = "block"
    if audience is not None and audience.note and findings:
        decision = "block"  # a group whose members are unknown cannot be cleared
    return Verdict(
        decision, org, version, findings, tuple(suppressed), not_scanned, guidance, policy_url, audience
    )


def verdict_to_dict(verdict: Verdict) -> dict[str, Any]:
    """The verdict as DESIGN.md's JSON; the matched text only where it was revealed."""
    return {
        "schema_version": SCHEMA_VERSION,
        "decision": verdict.decision,
        "wordlist": {"org": verdict.org, "version": verdict.version},
        "findings": [_finding_to_dict(finding) for finding in verdict.findings],
        "suppressed": [
            {
                "path": item.path, "line": item.line, "column": item.column,
                "client_id": item.client_id, "reason": item.reason,
            }
            for item in verdict.suppressed
        ],
        "not_scanned": [_not_scanned_to_dict(item) for item in verdict.not_scanned],
        "guidance": verdict.guidance,
        "policy_url": verdict.policy_url,
        **({"audience": _audience_to_dict(verdict.audience)} if verdict.audience else {}),
    }


def _not_scanned_to_dict(item: NotScanned) -> dict[str, Any]:
    return {"path": item.path, "reason": item.reason, **({"action": "block"} if item.blocks else {})}


def _audience_to_dict(report: AudienceReport) -> dict[str, Any]:
    return {
        "group": report.group,
        "not_staff": list(report.not_staff),
        "not_on_care_team": [
            {"member": member, "client_ids": list(clients)} for member, clients in report.not_on_care_team
        ],
        **({"note": report.note} if report.note else {}),
    }


def _finding_to_dict(finding: Finding) -> dict[str, Any]:
    record = {
        "path": finding.path, "line": finding.line, "column": finding.column,
        "end_line": finding.end_line, "end_column": finding.end_column,
        "client_id": finding.client_id, "kind": finding.kind, "action": finding.action,
        "message": finding.message,
    }
    if finding.matched is not None:
        record["matched"] = finding.matched
    return record
