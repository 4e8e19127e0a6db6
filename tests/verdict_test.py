"""The verdict's JSON read back: the inverse of the writer, tolerant of unknown fields,
strict on required ones, and never an approve of what blocks."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gate.errors import GateError
from gate.verdict import (
    AudienceReport,
    Encoding,
    Finding,
    NotScanned,
    Suppression,
    Verdict,
    VerdictError,
    build_verdict,
    verdict_from_dict,
    verdict_to_dict,
)

KIM = Finding("posts/a.md", 3, 12, 3, 19, "EX-001", "name", "block", "client name: remove it")
KIM_REVEALED = Finding("posts/a.md", 3, 12, 4, 2, "EX-001", "name", "block", "client name", matched="Kim\nLowe")
PHONE_WARNING = Finding("/media/0/alt_text", 1, 1, 1, 14, "EX-002", "phone", "warn", "client phone")
CONSENTED = Suppression("posts/b.md", 5, 1, "EX-004", "consent until 2027-01-01")
KIM_IN_PATH = Finding("posts/kim-lowe.md", 1, 7, 1, 14, "EX-001", "name", "block", "client name", location="path")
ALLOWED_IN_PATH = Suppression("posts/rose-garden.md", 1, 7, "EX-005", "allowed by allow.txt line 3", "path")
LOGO = NotScanned("logo.png", "binary file")
CORRUPT = NotScanned("scan.pdf", "corrupt PDF", blocks=True)
STAFF_GROUP = AudienceReport("Staff", ("ex@former.org",), (("pat@example.org", ("EX-001", "EX-002")),))
UNKNOWN_GROUP = AudienceReport("Volunteers", (), (), note="no members listed: the care-team rule cannot be checked")

ROUND_TRIPS: list[tuple[str, Verdict]] = [
    ("nothing found", build_verdict("example", "sha256:ab", [])),
    ("one blocking finding", build_verdict("example", "sha256:ab", [KIM])),
    ("matched text revealed", build_verdict("example", "sha256:ab", [KIM_REVEALED])),
    ("a warning only approves", build_verdict("example", "sha256:ab", [PHONE_WARNING])),
    ("suppressed", build_verdict("example", "v", [PHONE_WARNING], [CONSENTED])),
    ("in a file's path", build_verdict("example", "v", [KIM_IN_PATH], [ALLOWED_IN_PATH])),
    ("a detected encoding", build_verdict("example", "v", [KIM], encodings=[Encoding("a.csv", "windows-1252")])),
    ("not scanned", build_verdict("example", "v", [], [], [LOGO])),
    ("not scanned, blocking", build_verdict("example", "v", [], [], [LOGO, CORRUPT])),
    ("not scanned, --fail-on-unscanned", build_verdict("example", "v", [], [], [LOGO], block_unscanned=True)),
    ("guidance", build_verdict("example", "v", [KIM], guidance="Ask Dana", policy_url="https://example.org/p")),
    ("audience", build_verdict("example", "v", [KIM], audience=STAFF_GROUP)),
    ("audience with a note", build_verdict("example", "v", [PHONE_WARNING], audience=UNKNOWN_GROUP)),
]


@pytest.mark.parametrize(
    ("verdict",), [(verdict,) for _, verdict in ROUND_TRIPS], ids=[name for name, _ in ROUND_TRIPS]
)
def test_round_trip(verdict: Verdict) -> None:
    assert verdict_from_dict(json.loads(json.dumps(verdict_to_dict(verdict)))) == verdict


REMOVED = object()  # a field left out
WRITTEN = build_verdict("example", "v", [KIM], [CONSENTED], [CORRUPT])


def changed(record: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in {**record, **changes}.items() if value is not REMOVED}


def written(**changes: Any) -> dict[str, Any]:
    """The writer's JSON of WRITTEN, its top-level fields changed or REMOVED."""
    return changed(verdict_to_dict(WRITTEN), changes)


def with_finding(**changes: Any) -> dict[str, Any]:
    """The writer's JSON of WRITTEN, its finding's fields changed or REMOVED."""
    return written(findings=[changed(verdict_to_dict(WRITTEN)["findings"][0], changes)])


MINIMAL = Verdict("block", "", "", (Finding("", 0, 0, 0, 0, "EX-001", "name", "block", ""),), (), ())

TOLERATED: list[tuple[str, object, Verdict]] = [
    (
        "unknown fields everywhere",
        {
            **written(future="x"),
            "findings": [{**verdict_to_dict(build_verdict("example", "v", [KIM]))["findings"][0], "severity": 3}],
            "wordlist": {"org": "example", "version": "v", "compiled": "2026"},
        },
        WRITTEN,
    ),
    (
        "only the required fields",
        {"decision": "block", "findings": [{"client_id": "EX-001", "kind": "name", "action": "block"}]},
        MINIMAL,
    ),
    ("no schema_version: a server of the first release", written(schema_version=REMOVED), WRITTEN),
    ("a newer minor version", written(schema_version="2.7"), WRITTEN),
    (
        "block with nothing that blocks (the server's own rule)",
        written(decision="block", findings=[], not_scanned=[]),
        Verdict("block", "example", "v", (), (CONSENTED,), ()),
    ),
]


@pytest.mark.parametrize(("data", "expected"), [case[1:] for case in TOLERATED], ids=[case[0] for case in TOLERATED])
def test_tolerated(data: object, expected: Verdict) -> None:
    assert verdict_from_dict(data) == expected


REFUSED: list[tuple[str, object, str]] = [
    ("not an object", ["block"], "the verdict must be an object"),
    ("missing decision", written(decision=REMOVED), '"decision" is missing'),
    ("decision of another word", written(decision="allow"), '"decision" must be "approve" or "block"'),
    ("decision not a string", written(decision=True), '"decision" must be a string'),
    ("missing findings", written(findings=REMOVED), '"findings" is missing'),
    ("findings not a list", written(findings={}), '"findings" must be a list'),
    ("a finding not an object", written(findings=["EX-001"]), '"findings[0]" must be an object'),
    ("finding without client_id", with_finding(client_id=REMOVED), '"findings[0].client_id" is missing'),
    ("finding without kind", with_finding(kind=REMOVED), '"findings[0].kind" is missing'),
    ("finding without action", with_finding(action=REMOVED), '"findings[0].action" is missing'),
    ("finding of an unknown action", with_finding(action="deny"), '"findings[0].action" must be "block" or "warn"'),
    ("line a string", with_finding(line="3"), '"findings[0].line" must be an integer'),
    ("line a boolean", with_finding(line=True), '"findings[0].line" must be an integer'),
    ("client_id a number", with_finding(client_id=1), '"findings[0].client_id" must be a string'),
    ("matched null", with_finding(matched=None), '"findings[0].matched" must be a string'),
    ("suppressed without reason", written(suppressed=[{"client_id": "EX-004"}]), '"suppressed[0].reason" is missing'),
    ("not_scanned without reason", written(not_scanned=[{"path": "a"}]), '"not_scanned[0].reason" is missing'),
    (
        "not_scanned of an unknown action",
        written(not_scanned=[{"reason": "r", "action": "warn"}]),
        '"not_scanned[0].action" must be "block" where present',
    ),
    ("wordlist not an object", written(wordlist="example"), '"wordlist" must be an object'),
    (
        "wordlist version a number",
        written(wordlist={"org": "example", "version": 2}),
        '"wordlist.version" must be a string',
    ),
    ("audience member not a string", written(audience={"not_staff": [7]}), '"audience.not_staff[0]" must be a string'),
    (
        "audience care team without member",
        written(audience={"not_on_care_team": [{"client_ids": []}]}),
        '"audience.not_on_care_team[0].member" is missing',
    ),
    (
        "approve with a blocking finding",
        written(decision="approve", not_scanned=[]),
        '"decision" is approve, but the verdict lists what blocks',
    ),
    (
        "approve with a blocking not-scanned entry",
        written(decision="approve", findings=[]),
        '"decision" is approve, but the verdict lists what blocks',
    ),
    (
        "approve with findings in a group of unknown members",
        written(
            decision="approve",
            findings=[verdict_to_dict(build_verdict("e", "v", [PHONE_WARNING]))["findings"][0]],
            not_scanned=[],
            audience={"note": "no members listed"},
        ),
        '"decision" is approve, but the verdict lists what blocks',
    ),
    (
        "schema_version 3.0",
        written(schema_version="3.0"),
        '"schema_version" is of a newer major version than 2: upgrade the gate',
    ),
    (
        "schema_version 1.4",
        written(schema_version="1.4"),
        '"schema_version" is of an older major version than 2: upgrade the server',
    ),
    ("schema_version not MAJOR.MINOR", written(schema_version="2"), '"schema_version" must be MAJOR.MINOR'),
    ("schema_version a number", written(schema_version=2.0), '"schema_version" must be a string'),
]


@pytest.mark.parametrize(("data", "message"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_refused(data: object, message: str) -> None:
    with pytest.raises(VerdictError) as caught:
        verdict_from_dict(data)
    assert str(caught.value) == message
    assert isinstance(caught.value, GateError)


def test_an_error_names_the_field_never_the_value() -> None:
    secret = "Kim Lowe"
    with pytest.raises(VerdictError) as caught:
        verdict_from_dict(with_finding(matched=[secret]))
    assert str(caught.value) == '"findings[0].matched" must be a string'


def test_within_names_the_field_from_the_enclosing_object() -> None:
    assert (
        str(VerdictError("findings[0].kind", "is missing").within("results[2]"))
        == '"results[2].findings[0].kind" is missing'
    )
    assert str(VerdictError("", "must be an object").within("results[2]")) == '"results[2]" must be an object'
