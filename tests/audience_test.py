"""The care-team rule, the audience report, and the CLI for group member lists."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from gate.cli import main
from gate.errors import GateError
from gate.matcher import Matcher, build_matcher
from gate.normalize import Normalizer
from gate.post import PostError, check_post
from gate.verdict import verdict_to_dict
from gate.wordlist import parse_wordlist
from tests.support.wordlists import TODAY

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "wordlists" / "example")
CLIENTS = "client_id,kind,value\nA,name,Kim Lowe\nB,name,Ed Marsh\nA,alias,Sam Reed\nC,name,Sam Reed\n"
STAFF = (
    "staff_id,name,members,clients\n"
    "S1,Lead,lead@clinic.example;@lead,*\n"
    "S2,Counsellor A,ann@clinic.example;@ann_c,A\n"
    "S3,Counsellor B,bob@clinic.example,B\n"
)


def matcher(staff: str = STAFF) -> Matcher:
    normalizer = Normalizer()
    files = {"clients.csv": CLIENTS.encode(), "staff.csv": staff.encode()}
    return build_matcher(parse_wordlist("org", "wl", files, normalizer), normalizer)


def verdict(text: str, audience: object) -> dict[str, object]:
    post = {"id": "p", "text": text, **({"audience": audience} if audience is not None else {})}
    return verdict_to_dict(check_post(matcher(), post, today=TODAY).verdict)


def group(*members: str) -> dict[str, object]:
    return {"visibility": "group", "group": "team", "members": list(members)}


CASES = [
    # (text, audience, decision, clients still blocking, clients suppressed as "care team")
    ("Kim Lowe did well", None, "block", ["A"], []),
    ("Kim Lowe did well", {"visibility": "public"}, "block", ["A"], []),
    ("Kim Lowe did well", group("lead@clinic.example", "ann@clinic.example"), "approve", [], ["A"]),
    ("Kim Lowe did well", group("lead@clinic.example", "outsider@gmail.example"), "block", ["A"], []),
    ("Kim Lowe did well", group("ann@clinic.example", "bob@clinic.example"), "block", ["A"], []),
    ("Kim Lowe did well", group("lead@clinic.example"), "approve", [], ["A"]),
    ("Kim Lowe did well", group(" LEAD@Clinic.Example ", "ANN_C", "@Ann_C"), "approve", [], ["A"]),
    ("Kim Lowe did well", group(), "block", ["A"], []),
    ("Kim Lowe and Ed Marsh", group("lead@clinic.example", "ann@clinic.example"), "block", ["B"], ["A"]),
    ("Kim Lowe and Ed Marsh", group("lead@clinic.example"), "approve", [], ["A", "B"]),
    ("No client here", group("outsider@gmail.example"), "approve", [], []),
    # One place that names two clients (A's alias is C's name): cleared only where the
    # group is on the care team of both.
    ("Sam Reed did well", group("ann@clinic.example"), "block", ["A"], []),
    ("Sam Reed did well", group("lead@clinic.example"), "approve", [], ["A", "C"]),
]


@pytest.mark.parametrize(("text", "audience", "decision", "blocking", "allowed"), CASES)
def test_care_team_rule(text: str, audience: object, decision: str, blocking: list[str], allowed: list[str]) -> None:
    result = verdict(text, audience)
    assert result["decision"] == decision
    assert [item["client_id"] for item in result["findings"]] == blocking  # type: ignore[attr-defined]
    assert [item["client_id"] for item in result["suppressed"] if item["reason"] == "care team"] == allowed  # type: ignore[attr-defined]


def test_audience_report_names_whom_to_remove() -> None:
    result = verdict(
        "Kim Lowe and Ed Marsh", group("lead@clinic.example", "ann@clinic.example", "x@gmail.example", "@bob")
    )
    assert result["audience"] == {
        "group": "team",
        "not_staff": ["x@gmail.example", "@bob"],
        "not_on_care_team": [{"member": "ann@clinic.example", "client_ids": ["B"]}],
    }
    assert result["findings"][0]["message"].endswith(  # type: ignore[index]
        " — this group reaches people outside the client's care team: "
        "have its admin remove them (see audience), or do not post it there"
    )


def test_empty_member_list_cannot_be_cleared() -> None:
    result = verdict("Kim Lowe", group())
    assert result["audience"] == {
        "group": "team",
        "not_staff": [],
        "not_on_care_team": [],
        "note": "no members listed: the care-team rule cannot be checked",
    }


@pytest.mark.parametrize(
    ("audience", "message"),
    [
        ("everyone", '"audience" must be an object'),
        ({"visibility": "friends"}, '"audience.visibility" must be "public" or "group"'),
        ({"visibility": "group", "members": "a@b"}, '"audience.members" must be a list of strings'),
        ({"visibility": "group", "members": [1]}, '"audience.members" must be a list of strings'),
    ],
)
def test_bad_audiences_are_refused(audience: object, message: str) -> None:
    with pytest.raises(PostError) as caught:
        check_post(matcher(), {"id": "p", "text": "x", "audience": audience}, today=TODAY)
    assert str(caught.value) == f'post "p": {message}'


@pytest.mark.parametrize(
    ("staff", "message"),
    [
        ("staff_id,members,clients\n", "wl/staff.csv:1: the header must be staff_id,name,members,clients"),
        (
            "staff_id,name,members,clients\nS1,Lead,,*\n",
            "wl/staff.csv:2: no members (the person's e-mails or handles in group platforms)",
        ),
        (
            "staff_id,name,members,clients\nS1,Lead,a@b,Z\n",
            "wl/staff.csv:2:4: client 1 of the clients column is not a client_id of clients.csv",
        ),
        ("staff_id,name,members,clients\n,Lead,a@b,*\n", "wl/staff.csv:2: empty staff_id"),
        ("staff_id,name,members,clients\nS1,Lead,a@b\n", "wl/staff.csv:2: expected 4 fields, found 3"),
    ],
)
def test_staff_errors_name_file_and_line(staff: str, message: str) -> None:
    with pytest.raises(GateError) as caught:
        matcher(staff)
    assert str(caught.value) == message


def test_audience_is_not_scanned_as_content() -> None:
    result = verdict("Open day", group("kim.lowe@example.org"))
    assert result["decision"] == "approve"


def test_cli_post_with_audience(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    post = tmp_path / "post.json"
    post.write_text(
        json.dumps(
            {
                "post": {
                    "id": "q-17",
                    "text": "Great session with Kim Lowe today",
                    "audience": {
                        "visibility": "group",
                        "group": "Thursday team",
                        "members": ["priya.nand@harbourside.example", "@morgan_hale", "ex-volunteer@gmail.example"],
                    },
                }
            }
        )
    )
    assert main(["check", "--wordlist", EXAMPLE, "--post", str(post)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("q-17/text:1:20: EX-001 name — a client's name: remove it or anonymise the story")
    assert lines[0].endswith("have its admin remove them (see audience), or do not post it there")
    assert lines[1:3] == [
        "audience: group Thursday team: ex-volunteer@gmail.example is not staff",
        "block: 1 finding, 0 suppressed, 0 not scanned",
    ]
    post.write_text(
        json.dumps(
            {
                "id": "q-18",
                "text": "Great session with Kim Lowe today",
                "audience": {"visibility": "group", "members": ["priya.nand@harbourside.example"]},
            }
        )
    )
    assert main(["check", "--wordlist", EXAMPLE, "--post", str(post)]) == 0
    assert capsys.readouterr().out == (
        "q-18/text:1:20: EX-001 suppressed — care team\napprove: 0 findings, 1 suppressed, 0 not scanned\n"
    )


def test_cli_audience_check_on_a_platform_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "members.csv"
    export.write_text(
        "Display name,Email,Joined\nMorgan,Morgan.Hale@harbourside.example,2024\n"
        "Someone,someone@gmail.example,2025\nTom,tom.okoro@harbourside.example,2023\n"
    )
    assert main(["audience", "check", "--wordlist", EXAMPLE, "--column", "Email", str(export)]) == 1
    assert capsys.readouterr().out == "not staff: someone@gmail.example\n3 members, 1 not staff\n"
    assert main(["audience", "check", "--wordlist", EXAMPLE, "--column", "E-mail", str(export)]) == 2
    assert (
        capsys.readouterr().err
        == f"gate: error: {export}:1: no column 'E-mail' (columns: Display name, Email, Joined)\n"
    )


def test_cli_audience_check_one_identity_a_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"@pnand\n\nlena.fischer@harbourside.example\n")))
    assert main(["audience", "check", "--wordlist", EXAMPLE, "-"]) == 0
    assert capsys.readouterr().out == "2 members, 0 not staff\n"
