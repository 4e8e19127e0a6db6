"""Report formats: a dict from name to function of (verdict, policy) to text."""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from gate import __version__
from gate.kinds import FINDING_KINDS, Kind, sarif_rule_id
from gate.verdict import CluePlace, Encoding, Finding, Verdict, verdict_to_dict
from gate.wordlist import Policy


def format_text(verdict: Verdict, policy: Policy) -> str:
    """`path:line:col: CLIENT_ID kind — message`, one line a finding, then a summary."""
    lines = [_finding_line(finding) for finding in verdict.findings]
    lines += [
        f"{_place(item.path, item.location, item.line, item.column)}: {item.client_id} suppressed — {item.reason}"
        for item in verdict.suppressed
    ]
    lines += [f"{item.path}: not scanned — {item.reason}" for item in verdict.not_scanned]
    lines += [f"{item.path}: {read_as(item)}" for item in verdict.encodings]
    lines += _audience_lines(verdict)
    # A file named "x\napprove: 0 findings" must not forge a line of the report.
    lines = [printable(line) for line in lines]
    lines.append(summary(verdict))
    # The policy's texts may come from a server (--server): their lines stay lines, but
    # indented past the first, so that none can pass for a summary or a finding.
    notes = [verdict.guidance, verdict.policy_url] if verdict.findings or verdict.decision == "block" else []
    if verdict.decision == "block":
        notes.insert(0, policy.block_message)
    lines += ["\n  ".join(printable(part) for part in text.splitlines()) for text in notes if text]
    return "\n".join(lines) + "\n"


_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """`text` with every control character written as an escape (`\\u001b`, `\\n`):
    nothing it holds moves the terminal's cursor, clears it, or starts a line."""
    return _CONTROL_CHARACTERS.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    return json.dumps(match.group()).strip('"')


def _audience_lines(verdict: Verdict) -> list[str]:
    report = verdict.audience
    if report is None:
        return []
    group = f"group {report.group}" if report.group else "the group"
    lines = [f"audience: {group}: {report.note}"] if report.note else []
    lines += [f"audience: {group}: {member} is not staff" for member in report.not_staff]
    lines += [
        f"audience: {group}: {member} is not on the care team of {', '.join(clients)}"
        for member, clients in report.not_on_care_team
    ]
    return lines


def _finding_line(finding: Finding) -> str:
    warning = " (warning)" if finding.action == "warn" else ""
    place = _place(finding.path, finding.location, finding.line, finding.column)
    line = f"{place}: {who(finding)} {finding.kind}{warning} — {finding.message}{clues_at(finding)}"
    if finding.matched is not None:
        line += f" — matched {json.dumps(finding.matched, ensure_ascii=False)}"
    return line


def clues_at(finding: Finding) -> str:
    """Of a combination, where its clues are: ` — clues at 1:12, 3:4` (in another field or
    part, with its path or part: `/alt_text:1:4`); with --reveal, each as written."""
    if not finding.clues:
        return ""
    places = []
    for clue in finding.clues:
        same = (clue.path, clue.location) == (finding.path, finding.location)
        place = f"{clue.line}:{clue.column}" if same else _place(clue.path, clue.location, clue.line, clue.column)
        places.append(place + (f" {json.dumps(clue.matched, ensure_ascii=False)}" if clue.matched is not None else ""))
    return " — clues at " + ", ".join(places)


def who(finding: Finding) -> str:
    """The client a finding names, and how many others the same place names."""
    others = finding.clients - 1
    return f"{finding.client_id} and {_count(others, 'other client')}" if others else finding.client_id


def _place(path: str, location: str, line: int, column: int) -> str:
    """`path:line:col`, and where it is not the file's text, which part of the file:
    `posts/kim-lowe.md (path):1:7`."""
    return f"{path} ({location}):{line}:{column}" if location else f"{path}:{line}:{column}"


def read_as(item: Encoding) -> str:
    return f"read as {item.encoding} — not UTF-8; the encoding was detected, not declared"


def _in_part(location: str) -> str:
    return f" in the {location}" if location else ""


def summary(verdict: Verdict) -> str:
    return (
        f"{verdict.decision}: {_count(len(verdict.findings), 'finding')}, "
        f"{len(verdict.suppressed)} suppressed, {len(verdict.not_scanned)} not scanned"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def format_json(verdict: Verdict, policy: Policy) -> str:
    return json.dumps(verdict_to_dict(verdict), indent=2, ensure_ascii=False) + "\n"


SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# Not a kind: what allow.txt or a consent date kept from being a finding.
SUPPRESSED_RULE = {"id": "suppressed", "shortDescription": {"text": "An allowed or consented mention"}}


def format_sarif(verdict: Verdict, policy: Policy) -> str:
    """SARIF 2.1.0 for code scanning: a rule per kind, a result per finding, no snippet."""
    results = [_sarif_result(finding) for finding in verdict.findings]
    results += [
        {
            "ruleId": "suppressed",
            "kind": "informational",
            "level": "none",
            "message": {"text": f"{item.client_id}: {item.reason}"},
            "locations": [
                _sarif_location(item.path, item.location, {"startLine": item.line, "startColumn": item.column})
            ],
            "suppressions": [{"kind": "external", "justification": item.reason}],
        }
        for item in verdict.suppressed
    ]
    driver: dict[str, Any] = {
        "name": "client-confidentiality-gate",
        "version": __version__,
        "rules": [_sarif_rule(kind) for kind in FINDING_KINDS] + [SUPPRESSED_RULE],
    }
    if policy.policy_url:
        driver["informationUri"] = policy.policy_url
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "results": results,
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "toolExecutionNotifications": [
                            {
                                "level": "warning",
                                "message": {"text": f"not scanned: {item.reason}"},
                                "locations": [_sarif_location(item.path, "", None)],
                            }
                            for item in verdict.not_scanned
                        ]
                        + [
                            {
                                "level": "note",
                                "message": {"text": read_as(item)},
                                "locations": [_sarif_location(item.path, "", None)],
                            }
                            for item in verdict.encodings
                        ],
                    }
                ],
                "properties": {
                    "decision": verdict.decision,
                    "wordlist": {"org": verdict.org, "version": verdict.version},
                },
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _sarif_rule(kind: Kind) -> dict[str, Any]:
    rule = kind.sarif_rule
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.short_description},
        "defaultConfiguration": {"level": _sarif_level(kind.default_action)},
    }


def _sarif_level(action: str) -> str:
    return "error" if action == "block" else "warning"


def _sarif_result(finding: Finding) -> dict[str, Any]:
    region = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column + 1,  # SARIF: exclusive
    }
    return {
        "ruleId": sarif_rule_id(finding.kind),
        "level": _sarif_level(finding.action),
        "message": {"text": f"{who(finding)} {finding.kind}{_in_part(finding.location)}: {finding.message}"},
        "locations": [_sarif_location(finding.path, finding.location, region)],
        **(
            {"relatedLocations": [_sarif_clue(number, clue) for number, clue in enumerate(finding.clues)]}
            if finding.clues
            else {}
        ),
    }


def _sarif_clue(number: int, clue: CluePlace) -> dict[str, Any]:
    """A clue of a combination, as a related location (SARIF 2.1.0, §3.27.22)."""
    region = {
        "startLine": clue.line,
        "startColumn": clue.column,
        "endLine": clue.end_line,
        "endColumn": clue.end_column + 1,
    }
    return {
        "id": number,
        **_sarif_location(clue.path, clue.location, region),
        "message": {"text": f"clue {number + 1}"},
    }


def _sarif_location(path: str, where: str, region: dict[str, int] | None) -> dict[str, Any]:
    """The file, and the region in its text; a finding elsewhere in the file (`where`,
    such as its path) names that part as a logical location and has no region."""
    physical: dict[str, Any] = {"artifactLocation": {"uri": urllib.parse.quote(path.replace(os.sep, "/"))}}
    if region and not where:
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if where:
        location["logicalLocations"] = [{"name": where, "kind": "resource"}]
    return location


def format_github(verdict: Verdict, policy: Policy) -> str:
    """GitHub Actions workflow commands: an annotation per finding, then the summary."""
    lines = []
    for finding in verdict.findings:
        command = "error" if finding.action == "block" else "warning"
        # A finding outside the text (in the path) annotates the file as a whole.
        lines_and_columns = (
            ""
            if finding.location
            else f"line={finding.line},col={finding.column},endLine={finding.end_line},endColumn={finding.end_column},"
        )
        title = f"client {finding.kind}{_in_part(finding.location)}"
        properties = f"file={_escape_property(finding.path)},{lines_and_columns}title={_escape_property(title)}"
        message = f"{who(finding)} {finding.kind} — {finding.message}{clues_at(finding)}"
        lines.append(f"::{command} {properties}::{_escape_data(message)}")
    for item in verdict.not_scanned:
        lines.append(f"::warning file={_escape_property(item.path)}::{_escape_data('not scanned — ' + item.reason)}")
    for encoding in verdict.encodings:
        lines.append(f"::notice file={_escape_property(encoding.path)}::{_escape_data(read_as(encoding))}")
    lines.append(summary(verdict))
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


REPORTERS: dict[str, Callable[[Verdict, Policy], str]] = {
    "text": format_text,
    "json": format_json,
    "sarif": format_sarif,
    "github": format_github,
}
