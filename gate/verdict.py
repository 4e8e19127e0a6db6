"""The verdict schema shared by the CLI, the hook and the webhook."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from gate.errors import GateError
from gate.kinds import ACTIONS

T = TypeVar("T")


# The verdict's JSON: readers tolerate fields they do not know; a change that removes or
# redefines a field raises the major number, one that adds a field the minor.
# 2.3: findings[].clues (kind "combination"); 2.2: findings[].clients, findings[].wording; 2.1: findings[].location, suppressed[].location, encodings
SCHEMA_VERSION = "2.3"
DECISIONS = ("approve", "block")
JSON_TYPES: dict[type, str] = {str: "a string", int: "an integer", list: "a list", dict: "an object"}


@dataclass(frozen=True)
class AudienceReport:
    """Whom a group's admin should remove: members who are not staff, and staff who are
    not on the care team of a client in the post."""

    group: str
    not_staff: tuple[str, ...]
    not_on_care_team: tuple[tuple[str, tuple[str, ...]], ...]
    note: str = ""


# Where in a file, when not in its text: the file's own path (name and folders).
PATH_LOCATION = "path"


@dataclass(frozen=True)
class CluePlace:
    """Where one clue of a combination stands (gate/clues.py)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    location: str = ""
    matched: str | None = None  # the text as written, only for --reveal


@dataclass(frozen=True)
class Finding:
    """A match that identifies a client. `location` is empty for the file's text; else
    where else in the file it was (PATH_LOCATION: line 1, columns of the path)."""

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
    location: str = ""
    # How many clients the place names (one finding for all of them: "J. Smith" can be
    # the initial and surname of dozens); client_id is the first of them in the list.
    clients: int = 1
    wording: str = ""  # how it is worded where that sets its action (gate/written.py)
    # Every client the place names, client_id first, for the care-team rule: a group may
    # see the place only where it is on the care team of each. Not written in the JSON.
    client_ids: tuple[str, ...] = ()
    clues: tuple[CluePlace, ...] = ()  # of a combination: every clue's place, its own the first's

    @property
    def named(self) -> tuple[str, ...]:
        """The clients the finding names (client_ids, or client_id alone where not known)."""
        return self.client_ids or (self.client_id,)


@dataclass(frozen=True)
class Suppression:
    path: str
    line: int
    column: int
    client_id: str
    reason: str
    location: str = ""


@dataclass(frozen=True)
class NotScanned:
    """Something not read. `blocks`: a reader refused it past a limit (size, depth), so
    it is not approved whatever --fail-on-unscanned says."""

    path: str
    reason: str
    blocks: bool = False


@dataclass(frozen=True)
class Encoding:
    """A file that is not UTF-8, read in the encoding detected for it."""

    path: str
    encoding: str


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
    encodings: tuple[Encoding, ...] = ()


def decide(findings: Iterable[Finding]) -> str:
    return "block" if any(finding.action == "block" for finding in findings) else "approve"


def decide_all(verdicts: Iterable[Verdict]) -> str:
    """The decision on several posts or files at once: block when any verdict blocks."""
    return "block" if any(verdict.decision == "block" for verdict in verdicts) else "approve"


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
    encodings: Iterable[Encoding] = (),
) -> Verdict:
    """`block_unscanned`: what could not be read blocks too (--fail-on-unscanned)."""
    findings, not_scanned = tuple(findings), tuple(not_scanned)
    blocks = must_block(findings, not_scanned, audience) or (block_unscanned and bool(not_scanned))
    return Verdict(
        "block" if blocks else "approve",
        org,
        version,
        findings,
        tuple(suppressed),
        not_scanned,
        guidance,
        policy_url,
        audience,
        tuple(encodings),
    )


def must_block(findings: Sequence[Finding], not_scanned: Sequence[NotScanned], audience: AudienceReport | None) -> bool:
    """A blocking finding, a refusal past a reading limit, or a finding posted to a group
    whose members are unknown (it cannot be cleared)."""
    audience_unknown = audience is not None and bool(audience.note) and bool(findings)
    return decide(findings) == "block" or any(item.blocks for item in not_scanned) or audience_unknown


def verdict_to_dict(verdict: Verdict) -> dict[str, Any]:
    """The verdict as its JSON (docs/verdict.md); the matched text only where it was revealed."""
    return {
        "schema_version": SCHEMA_VERSION,
        "decision": verdict.decision,
        "wordlist": {"org": verdict.org, "version": verdict.version},
        "findings": [_finding_to_dict(finding) for finding in verdict.findings],
        "suppressed": [
            {
                "path": item.path,
                "line": item.line,
                "column": item.column,
                "client_id": item.client_id,
                "reason": item.reason,
                **_location(item.location),
            }
            for item in verdict.suppressed
        ],
        "not_scanned": [_not_scanned_to_dict(item) for item in verdict.not_scanned],
        "encodings": [{"path": item.path, "encoding": item.encoding} for item in verdict.encodings],
        "guidance": verdict.guidance,
        "policy_url": verdict.policy_url,
        **({"audience": _audience_to_dict(verdict.audience)} if verdict.audience else {}),
    }


def _location(location: str) -> dict[str, str]:
    return {"location": location} if location else {}


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
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "client_id": finding.client_id,
        "kind": finding.kind,
        "action": finding.action,
        "message": finding.message,
        **_location(finding.location),
        **({"clients": finding.clients} if finding.clients > 1 else {}),
        **({"wording": finding.wording} if finding.wording else {}),
        **({"clues": [_clue_to_dict(place) for place in finding.clues]} if finding.clues else {}),
    }
    if finding.matched is not None:
        record["matched"] = finding.matched
    return record


def _clue_to_dict(place: CluePlace) -> dict[str, Any]:
    return {
        "path": place.path,
        "line": place.line,
        "column": place.column,
        "end_line": place.end_line,
        "end_column": place.end_column,
        **_location(place.location),
        **({"matched": place.matched} if place.matched is not None else {}),
    }


class VerdictError(GateError):
    """A verdict's JSON of the wrong shape. The message names the field, never its value:
    a verdict may carry matched text."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f'"{field}" {problem}' if field else f"the verdict {problem}")
        self.field, self.problem = field, problem

    def __reduce__(self) -> tuple[type[VerdictError], tuple[str, str]]:
        # Pickled by the field and problem it was made from, not the message it wrote:
        # a child process (the webhook's compiler) sends it back whole.
        return type(self), (self.field, self.problem)

    def within(self, prefix: str) -> VerdictError:
        """The same error, its field named from an enclosing object (`results[2]`)."""
        return VerdictError(f"{prefix}.{self.field}" if self.field else prefix, self.problem)


def verdict_from_dict(data: object) -> Verdict:
    """The inverse of verdict_to_dict: unknown fields are ignored, missing optional ones
    take their defaults, and a verdict that approves what it says blocks is refused."""
    record = json_object(data, "")
    _check_schema_version(record)
    decision = required_field(record, "", "decision", str)
    if decision not in DECISIONS:
        raise VerdictError("decision", 'must be "approve" or "block"')
    wordlist = optional_field(record, "", "wordlist", dict, {})
    audience = record.get("audience")
    verdict = Verdict(
        decision,
        optional_field(wordlist, "wordlist", "org", str, ""),
        optional_field(wordlist, "wordlist", "version", str, ""),
        _items(record, "findings", _finding_from_dict, required=True),
        _items(record, "suppressed", _suppression_from_dict),
        _items(record, "not_scanned", _not_scanned_from_dict),
        optional_field(record, "", "guidance", str, ""),
        optional_field(record, "", "policy_url", str, ""),
        None if audience is None else _audience_from_dict(audience),
        _items(record, "encodings", _encoding_from_dict),
    )
    if decision == "approve" and must_block(verdict.findings, verdict.not_scanned, verdict.audience):
        raise VerdictError("decision", "is approve, but the verdict lists what blocks")
    return verdict


def json_object(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise VerdictError(where, "must be an object")
    return value


def required_field(record: Mapping[str, Any], where: str, name: str, kind: type[T]) -> T:
    """`record[name]`, of JSON type `kind` (int excludes true and false)."""
    field = f"{where}.{name}" if where else name
    if name not in record:
        raise VerdictError(field, "is missing")
    value = record[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise VerdictError(field, f"must be {JSON_TYPES[kind]}")
    return value


def optional_field(record: Mapping[str, Any], where: str, name: str, kind: type[T], default: T) -> T:
    return required_field(record, where, name, kind) if name in record else default


def _check_schema_version(record: Mapping[str, Any]) -> None:
    """Same major version as ours, or none at all (a server of the first release)."""
    if "schema_version" not in record:
        return
    version = required_field(record, "", "schema_version", str)
    if not re.fullmatch(r"[0-9]+\.[0-9]+", version):
        raise VerdictError("schema_version", "must be MAJOR.MINOR")
    ours = int(SCHEMA_VERSION.partition(".")[0])
    major = int(version.partition(".")[0])
    if major > ours:
        raise VerdictError("schema_version", f"is of a newer major version than {ours}: upgrade the gate")
    if major < ours:
        raise VerdictError("schema_version", f"is of an older major version than {ours}: upgrade the server")


def _items(
    record: Mapping[str, Any], name: str, read: Callable[[Mapping[str, Any], str], T], *, required: bool = False
) -> tuple[T, ...]:
    values = required_field(record, "", name, list) if required else optional_field(record, "", name, list, [])
    return tuple(read(json_object(value, f"{name}[{index}]"), f"{name}[{index}]") for index, value in enumerate(values))


def _finding_from_dict(record: Mapping[str, Any], where: str) -> Finding:
    action = required_field(record, where, "action", str)
    if action not in ACTIONS:
        raise VerdictError(f"{where}.action", 'must be "block" or "warn"')
    return Finding(
        optional_field(record, where, "path", str, ""),
        *_span_from_dict(record, where, required=False),
        required_field(record, where, "client_id", str),
        required_field(record, where, "kind", str),
        action,
        optional_field(record, where, "message", str, ""),
        _matched(record, where),
        optional_field(record, where, "location", str, ""),
        _clients(record, where),
        optional_field(record, where, "wording", str, ""),
        clues=tuple(
            _clue_from_dict(json_object(value, f"{where}.clues[{index}]"), f"{where}.clues[{index}]")
            for index, value in enumerate(optional_field(record, where, "clues", list, []))
        ),
    )


def _clue_from_dict(record: Mapping[str, Any], where: str) -> CluePlace:
    return CluePlace(
        optional_field(record, where, "path", str, ""),
        *_span_from_dict(record, where, required=True),
        optional_field(record, where, "location", str, ""),
        _matched(record, where),
    )


def _span_from_dict(record: Mapping[str, Any], where: str, *, required: bool) -> tuple[int, int, int, int]:
    """line, column, end_line, end_column: the ends default to the start (a server of the
    first release wrote none), the start to 0 where it may be absent."""
    if required:
        line, column = (required_field(record, where, name, int) for name in ("line", "column"))
    else:
        line, column = (optional_field(record, where, name, int, 0) for name in ("line", "column"))
    return (
        line,
        column,
        optional_field(record, where, "end_line", int, line),
        optional_field(record, where, "end_column", int, column),
    )


def _matched(record: Mapping[str, Any], where: str) -> str | None:
    return required_field(record, where, "matched", str) if "matched" in record else None


def _clients(record: Mapping[str, Any], where: str) -> int:
    clients = optional_field(record, where, "clients", int, 1)
    if clients < 1:
        raise VerdictError(f"{where}.clients", "must be 1 or more")
    return clients


def _suppression_from_dict(record: Mapping[str, Any], where: str) -> Suppression:
    return Suppression(
        optional_field(record, where, "path", str, ""),
        optional_field(record, where, "line", int, 0),
        optional_field(record, where, "column", int, 0),
        required_field(record, where, "client_id", str),
        required_field(record, where, "reason", str),
        optional_field(record, where, "location", str, ""),
    )


def _not_scanned_from_dict(record: Mapping[str, Any], where: str) -> NotScanned:
    action = optional_field(record, where, "action", str, "")
    if action not in ("", "block"):
        raise VerdictError(f"{where}.action", 'must be "block" where present')
    return NotScanned(
        optional_field(record, where, "path", str, ""), required_field(record, where, "reason", str), action == "block"
    )


def _encoding_from_dict(record: Mapping[str, Any], where: str) -> Encoding:
    return Encoding(optional_field(record, where, "path", str, ""), required_field(record, where, "encoding", str))


def _audience_from_dict(value: object) -> AudienceReport:

    record = json_object(value, "audience")
    care_team = []
    for index, item in enumerate(optional_field(record, "audience", "not_on_care_team", list, [])):
        where = f"audience.not_on_care_team[{index}]"
        entry = json_object(item, where)
        care_team.append((required_field(entry, where, "member", str), _strings(entry, where, "client_ids")))
    return AudienceReport(
        optional_field(record, "audience", "group", str, ""),
        _strings(record, "audience", "not_staff"),
        tuple(care_team),
        optional_field(record, "audience", "note", str, ""),
    )


def _strings(record: Mapping[str, Any], where: str, name: str) -> tuple[str, ...]:
    values = optional_field(record, where, name, list, [])
    for index, value in enumerate(values):
        if not isinstance(value, str):
            raise VerdictError(f"{where}.{name}[{index}]", "must be a string")
    return tuple(values)
