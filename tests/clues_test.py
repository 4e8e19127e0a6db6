"""Details that identify together (gate/clues.py): clues of one client combined into one
finding, in a text, a file, a post; consent, allow terms and the care-team rule; the
policy's [clues]; the warnings of `gate wordlist check`."""

from __future__ import annotations

import datetime
import functools
import json

import pytest

from bench.worst import growth_seconds
from gate.check import check_contents, check_text
from gate.cli import main
from gate.clues import MAX_CLUE_PLACES
from gate.content import Content
from gate.errors import GateError
from gate.lint import lint_wordlist
from gate.matcher import Matcher, build_matcher
from gate.normalize import Normalizer
from gate.post import check_post
from gate.verdict import verdict_from_dict, verdict_to_dict
from gate.wordlist import parse_wordlist
from tests.support.wordlists import CANARY, TODAY, compile_rows

ROWS = (
    "A,name,Kim Lowe,\n"
    "A,detail,Alder Lane,\n"
    "A,detail,34,\n"
    "A,detail,Riverside,\n"
    "A,detail,1989,\n"
    "B,name,Kim Smith,\n"
    "B,detail,Riverside,\n"
    "C,name,Pat Doe,\n"
    "C,detail,Harbour Rowing Club,\n"
    "D,name,Elizabeth Quinn,\n"
    "D,detail,Northgate Primary School,\n"
    f"E,name,{CANARY},\n"
    "E,detail,Canary Wharf Pottery,\n"
)
MATCHER = compile_rows(ROWS, allow="Riverside Arts Centre\n")


def combinations(text: str, matcher: Matcher = MATCHER, today: datetime.date = TODAY) -> list[tuple[str, list[str]]]:
    """(client, each clue as written) of every combination found in `text`."""
    findings, _ = check_text(matcher, text, path="post.md", today=today, reveal=True)
    return [
        (item.client_id, [clue.matched or "" for clue in item.clues]) for item in findings if item.kind == "combination"
    ]


CASES = [
    # (text, combinations found)
    ("Our client Kim, who runs the bakery on Alder Lane", [("A", ["Kim", "Alder Lane"])]),
    ("Two details of one client: Alder Lane and Riverside", [("A", ["Alder Lane", "Riverside"])]),
    ("Kim L., 34, from Riverside", [("A", ["Kim L", "34", "Riverside"])]),
    ("K. L. of Riverside", [("A", ["K. L", "Riverside"])]),
    ("K.L. of Riverside", [("A", ["K.L", "Riverside"])]),
    ("Kim L., thirty-four this year", [("A", ["Kim L", "thirty-four"])]),
    ("Kim L., born in nineteen eighty-nine", [("A", ["Kim L", "nineteen eighty-nine"])]),
    ("Liz from Northgate Primary School", [("D", ["Liz", "Northgate Primary School"])]),
    ("ALDER LANE and riverside", [("A", ["ALDER LANE", "riverside"])]),  # details in any case
    # Kim of Riverside: both Kims live there.
    ("Kim from Riverside", [("A", ["Kim", "Riverside"]), ("B", ["Kim", "Riverside"])]),
    ("Riverside, 34", [("A", ["Riverside", "34"])]),  # a number beside a detail
    # Not a combination:
    ("Kim went to the market and bought bread and cheese for 34 pence", []),  # a number far from the name
    ("34 and 1989", []),  # numbers only count beside a clue that is none
    ("Kim L. Smith, 34", []),  # a middle initial is no surname's
    ("K. L. Smith of Alder Lane", []),  # nor two initials before a surname
    ("Q.K.L. of Alder Lane", []),  # nor two of three
    ("k. l. of Alder Lane", []),  # initials are capitals
    ("Kim, 34", []),  # nor beside a given name alone: `Chris` and `57` in a mail header
    ("Kim went home", []),  # a given name alone
    ("The bakery on Alder Lane", []),  # a detail alone
    ("Alder Lane, Alder Lane, ALDER LANE", []),  # one detail, however often
    ("Kim and Kim L. came", []),  # one name's clues are one clue
    ("34, or thirty-four", []),  # one detail, in digits and in words
    ("Alder Lane and the Harbour Rowing Club", []),  # details of two clients
    ("kim on alder lane", []),  # a given name in small letters is a word, no clue
    ("Kim Lowe lives on Alder Lane", []),  # "Kim" is the finding's: below, its own finding
    ("Alder Lane, 340 metres", []),  # 34 is a whole number only
    ("the Riverside Arts Centre on Alder Lane", []),  # an allow term's match holds no clue
    ("Kim Smith lives on Alder Lane", []),  # Kim is Kim Smith here: the name is the finding
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text for text, _ in CASES])
def test_clues_of_one_client_combine(text: str, expected: list[tuple[str, list[str]]]) -> None:
    assert combinations(text) == expected


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("post.html", "<p>Alder <b>Lane</b> and <i>K</i>im</p>"),
        ("post.md", "**Alder** Lane and K&#105;m"),
        ("post.json", '{"text": "Alder\\u0020Lane and Kim"}'),
        ("post.md", "**K.** L. of Alder Lane"),
        ("post.html", "<b>K.</b> <i>L.</i> of Alder Lane"),
    ],
)
def test_clues_are_read_as_the_reader_sees_them(path: str, text: str) -> None:
    verdict = check_contents(MATCHER, [Content(path, text)], today=TODAY)
    assert [(item.client_id, item.kind, len(item.clues)) for item in verdict.findings] == [("A", "combination", 2)]


def test_a_combination_is_one_finding_at_its_first_clue_beside_the_strong_findings() -> None:
    findings, suppressed = check_text(MATCHER, "Kim Lowe\nof Alder Lane,\naged 34", path="p.md", today=TODAY)
    assert [(item.client_id, item.kind, item.action, item.line, item.column) for item in findings] == [
        ("A", "name", "block", 1, 1),
        ("A", "combination", "block", 2, 4),
    ]
    assert [(clue.line, clue.column, clue.end_line, clue.end_column) for clue in findings[1].clues] == [
        (2, 4, 2, 13),
        (3, 6, 3, 7),
    ]
    assert findings[1].message == "these details together identify a client: remove or change some of them"
    assert suppressed == []


POLICY_CASES = [
    # (policy.toml, text, clients with a combination, its action)
    ("", "Kim\n\nAlder Lane", ["A"], "block"),
    ('[clues]\nwindow = "paragraph"\n', "Kim\n\nAlder Lane", [], ""),
    ('[clues]\nwindow = "paragraph"\n', "Kim\nof Alder Lane", ["A"], "block"),
    ("[clues]\nneeded = 3\n", "Kim of Alder Lane", [], ""),
    ("[clues]\nneeded = 3\n", "Kim, 34, of Alder Lane", ["A"], "block"),
    ('[actions]\ncombination = "warn"\n', "Kim of Alder Lane", ["A"], "warn"),
]


@pytest.mark.parametrize(("policy", "text", "clients", "action"), POLICY_CASES)
def test_the_policy_sets_the_window_the_clues_needed_and_the_action(
    policy: str, text: str, clients: list[str], action: str
) -> None:
    findings, _ = check_text(compile_rows(ROWS, policy=policy), text, path="p.md", today=TODAY)
    combined = [item for item in findings if item.kind == "combination"]
    assert [item.client_id for item in combined] == clients
    assert {item.action for item in combined} == ({action} if action else set())


@pytest.mark.parametrize(
    ("policy", "error"),
    [
        ("[clues]\nneeded = 1\n", "wl/policy.toml: clues.needed must be a whole number of 2 or more"),
        ("[clues]\nneeded = true\n", "wl/policy.toml: clues.needed must be a whole number of 2 or more"),
        ('[clues]\nwindow = "line"\n', "wl/policy.toml: clues.window must be post or paragraph"),
        ("[clues]\nsize = 2\n", "wl/policy.toml: an unknown key in [clues] (expected only needed, window)"),
        ('[actions]\ndetail = "block"\n', "wl/policy.toml: an unknown key in [actions]"),
    ],
)
def test_a_bad_clues_policy_is_an_error(policy: str, error: str) -> None:
    with pytest.raises(GateError) as raised:
        compile_rows(ROWS, policy=policy)
    assert str(raised.value).startswith(error)


def test_consent_suppresses_a_combination_that_counts_only_with_it() -> None:
    rows = "A,name,Kim Lowe,\nA,detail,Alder Lane,2027-01-31\nA,detail,Riverside,\n"
    matcher = compile_rows(rows)
    findings, suppressed = check_text(matcher, "Kim of Alder Lane", path="p.md", today=TODAY)
    assert (findings, [(item.client_id, item.reason, item.column) for item in suppressed]) == (
        [],
        [("A", "consent until 2027-01-31", 1)],
    )
    # Without the consented detail there are still two clues: it blocks, and lists those two.
    assert combinations("Kim of Alder Lane, Riverside", matcher) == [("A", ["Kim", "Riverside"])]
    # The day after the consent ends it blocks again.
    assert combinations("Kim of Alder Lane", matcher, datetime.date(2027, 2, 1)) == [("A", ["Kim", "Alder Lane"])]


EDGE_ROWS = (
    "A,name,Kim Lowe,\n"
    "A,detail,Riverside,\n"
    "A,detail,34,\n"
    "A,detail,123456789,\n"
    "B,name,Kim Smith,2027-01-31\n"
    "B,detail,Riverside,\n"
    "G,name,Grace Whitfield,\n"
    "G,detail,Grace Church,\n"
    "R,name,Pat Rowe,\n"
    "R,detail,Oakfield,\n"
    "R,detail,Oakfield Rowing Club,\n"
)
EDGE_CASES = [
    # (text, combinations found)
    ("Kim Smith of Riverside", []),  # B's consented name is B's, not a clue of every Kim
    ("Riverside" + " " * 40 + "34", [("A", ["Riverside", "34"])]),  # 40 characters apart: beside
    ("Riverside" + " " * 41 + "34", []),
    ("Riverside" + " " * 40 + "thirty-four", [("A", ["Riverside", "thirty-four"])]),  # in words alike
    ("Riverside" + " " * 41 + "thirty-four", []),
    ("Riverside" + " " * 38 + "340", []),  # a number is its whole run of digits
    ("Riverside, 123456789", [("A", ["Riverside", "123456789"])]),  # however many digits
    ("Riverside meeting at 12:34", []),  # a time
    ("Riverside, 34.5 km", []),  # a decimal
    ("Riverside, 34. Then", [("A", ["Riverside", "34"])]),  # a full stop after it ends it
    ("We met at Grace Church", []),  # a given name inside a detail is the detail's
    ("the Oakfield Rowing Club won", []),  # a detail inside another is that one's
    ("Pat rows for the Oakfield Rowing Club", [("R", ["Pat", "Oakfield Rowing Club"])]),
    ("Kim's bakery in Riverside", [("A", ["Kim", "Riverside"])]),  # a possessive given name
    ("K.\nL. of Riverside", [("A", ["K.\nL", "Riverside"])]),  # initials across a line break
    ("K.  L. of Riverside", [("A", ["K.  L", "Riverside"])]),
]


@pytest.mark.parametrize(("text", "expected"), EDGE_CASES, ids=[text.replace(" " * 10, "_") for text, _ in EDGE_CASES])
def test_the_edges_of_a_clue(text: str, expected: list[tuple[str, list[str]]]) -> None:
    assert combinations(text, compile_rows(EDGE_ROWS)) == expected


def test_a_consented_name_gives_no_clue() -> None:
    matcher = compile_rows("A,name,Kim Lowe,2027-01-31\nA,detail,Alder Lane,\n")
    findings, suppressed = check_text(matcher, "Kim of Alder Lane", path="p.md", today=TODAY)
    assert (findings, [item.reason for item in suppressed]) == ([], ["consent until 2027-01-31"])


def test_each_file_of_a_check_is_a_window_of_its_own_with_its_path() -> None:
    contents = [
        Content("posts/one.md", "Kim came."),
        Content("posts/two.md", "On Alder Lane."),
        Content("posts/alder-lane/three.md", "Kim came."),
    ]
    verdict = check_contents(MATCHER, contents, today=TODAY)
    assert [(item.path, item.client_id, item.kind) for item in verdict.findings] == [
        ("posts/alder-lane/three.md", "A", "combination")
    ]
    assert [(clue.location, clue.line, clue.column) for clue in verdict.findings[0].clues] == [
        ("", 1, 1),
        ("path", 1, 7),
    ]


def test_every_field_of_a_post_counts_together_and_reports_name_them() -> None:
    post = {"id": "p-1", "text": "A morning with Kim.", "media": [{"alt_text": "the bakery on Alder Lane"}]}
    verdict = verdict_to_dict(check_post(MATCHER, post, today=TODAY).verdict)
    assert verdict["decision"] == "block"
    assert [(item["kind"], item["client_id"], item["path"]) for item in verdict["findings"]] == [
        ("combination", "A", "/text")
    ]
    assert verdict["findings"][0]["clues"] == [
        {"path": "/text", "line": 1, "column": 16, "end_line": 1, "end_column": 18},
        {"path": "/media/0/alt_text", "line": 1, "column": 15, "end_line": 1, "end_column": 24},
    ]
    assert "Alder" not in json.dumps(verdict)  # neither the list's value nor the post's text


STAFF = "staff_id,name,members,clients\nS1,Lead,lead@clinic.example,*\nS2,Ann,ann@clinic.example,B\n"


@pytest.mark.parametrize(
    ("members", "decision", "reasons"),
    [
        (["lead@clinic.example"], "approve", ["care team"]),
        (["lead@clinic.example", "ann@clinic.example"], "block", []),
    ],
)
def test_the_care_team_rule_applies_to_a_combination(members: list[str], decision: str, reasons: list[str]) -> None:
    normalizer = Normalizer()
    files = {
        "clients.csv": ("client_id,kind,value\n" + ROWS.replace(",\n", "\n")).encode(),
        "staff.csv": STAFF.encode(),
    }
    matcher = build_matcher(parse_wordlist("org", "wl", files, normalizer), normalizer)
    post = {
        "id": "p",
        "text": "Kim of Alder Lane",
        "audience": {"visibility": "group", "group": "g", "members": members},
    }
    verdict = verdict_to_dict(check_post(matcher, post, today=TODAY).verdict)
    assert verdict["decision"] == decision
    assert [item["reason"] for item in verdict["suppressed"]] == reasons


def test_a_list_without_details_has_no_clues() -> None:
    matcher = compile_rows("A,name,Kim Lowe,\n")
    assert (len(matcher.name_clues), len(matcher.detail_clues)) == (0, 0)
    assert len(MATCHER.detail_clues) > 0


def test_the_reports_name_every_clue_and_no_value(capsys: pytest.CaptureFixture[str], tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "wl").mkdir()
    (folder / "wl" / "clients.csv").write_text("client_id,kind,value\n" + ROWS.replace(",\n", "\n"), encoding="utf-8")
    post = folder / "post.md"
    post.write_text("A visit to Canary Wharf Pottery.\n\nZebedee, our potter, smiled.\n", encoding="utf-8")
    outputs = {}
    for report_format in ("text", "json", "sarif", "github"):
        code = main(["check", "--no-cache", "--wordlist", str(folder / "wl"), "--format", report_format, str(post)])
        outputs[report_format] = (code, capsys.readouterr())
    assert {code for code, _ in outputs.values()} == {1}
    assert outputs["text"][1].out.splitlines()[0] == (
        f"{post}:1:12: E combination — these details together identify a client: remove or change some of them"
        " — clues at 1:12, 3:1"
    )
    assert [clue["line"] for clue in json.loads(outputs["json"][1].out)["findings"][0]["clues"]] == [1, 3]
    sarif = json.loads(outputs["sarif"][1].out)["runs"][0]["results"][0]
    assert [place["physicalLocation"]["region"]["startLine"] for place in sarif["relatedLocations"]] == [1, 3]
    assert "clues at 1:12, 3:1" in outputs["github"][1].out
    for _, output in outputs.values():
        assert "Zebedee" not in output.out + output.err
        assert "Pottery" not in output.out + output.err


def test_wordlist_check_warns_about_details_that_tell_no_one_apart() -> None:
    rows = "".join(f"C{number},name,Person Number{number},\nC{number},detail,Riverside,\n" for number in range(10))
    rows += "C0,detail,Oak Street,\nC1,detail,Oak Street,\nC2,detail,Oak Street,\nC3,detail,Oak Street,\n"
    normalizer = Normalizer()
    wordlist = parse_wordlist(
        "org", "wl", {"clients.csv": ("client_id,kind,value,consent_until\n" + rows).encode()}, normalizer
    )
    warnings = lint_wordlist(wordlist, normalizer, frozenset(), TODAY)
    assert warnings == [
        "wl/clients.csv:3: C0 detail: a detail of 10 of the 10 clients: too common to tell them apart, "
        "and with a given name it blocks posts about any of them",
        "wl/clients.csv:3: C0 detail: its 2 details are those of 3 other clients too: "
        "together they do not single the client out",
    ]


def test_a_detail_may_be_two_digits_and_no_shorter() -> None:
    assert len(compile_rows("A,detail,34,\n").detail_clues) == 2  # 34, thirty four
    with pytest.raises(GateError) as raised:
        compile_rows("A,detail,7,\n")
    assert (
        str(raised.value)
        == "wl/clients.csv:2:3: value normalises to 1 characters, fewer than 2 (it would match everywhere)"
    )


def test_the_same_word_is_one_clue_of_a_client() -> None:
    """`Florence` may be a client's town and given name: one word tells one of them."""
    matcher = compile_rows("A,name,Florence Lowe,\nA,detail,Florence,\nA,detail,Alder Lane,\n")
    assert combinations("We visited Florence last year", matcher) == []
    assert combinations("Florence of Alder Lane", matcher) == [("A", ["Florence", "Alder Lane"])]


def test_a_combination_lists_its_first_places_only() -> None:
    rows = "A,name,Kim Lowe,\nA,detail,Riverside,\nA,detail,Alder Lane,\n"
    findings, _ = check_text(compile_rows(rows), "Alder Lane. " + "Riverside. " * 500, path="p", today=TODAY)
    assert [len(item.clues) for item in findings] == [MAX_CLUE_PLACES]


def test_numbers_beside_clues_grow_as_the_text_when_a_view_spans_it() -> None:
    """A detail found in a view across a comment spans the whole text: each number still
    reads only the clues about it (it read every clue before it: 12 times the time at 4n)."""
    matcher = compile_rows(
        "A,name,Kim Lowe,\nA,detail,Alder Lane,\nB,name,Pat Doe,\nB,detail,Riverside,\nB,detail,35,\n"
    )

    def verdict(size: int) -> object:
        text = "Alder<!-- " + "Riverside 35 " * size + " --> Lane"
        return check_contents(matcher, [Content("p.html", text)], today=TODAY)

    at_n = growth_seconds(3, lambda: verdict(1000))
    at_4n = growth_seconds(3, lambda: verdict(4000))
    assert at_4n / at_n < 8, (at_n, at_4n)


def test_wordlist_check_of_many_clients_alike_grows_as_the_list() -> None:
    def rows(size: int) -> str:
        return "".join(f"C{n},detail,Riverside\nC{n},detail,Oak Street\n" for n in range(size))

    normalizer = Normalizer()
    lists = [
        parse_wordlist("org", "wl", {"clients.csv": ("client_id,kind,value\n" + rows(size)).encode()}, normalizer)
        for size in (2000, 8000)
    ]
    at_n, at_4n = (
        growth_seconds(3, functools.partial(lint_wordlist, wordlist, normalizer, frozenset(), TODAY))
        for wordlist in lists
    )
    assert at_4n / at_n < 8, (at_n, at_4n)
    assert len(lint_wordlist(lists[1], normalizer, frozenset(), TODAY)) == 3  # two common details, one set alike


def test_combinations_grow_with_the_text_as_the_text() -> None:
    """Clues of more clients the longer the text, each combination listing every place of
    a detail they all share: the work grows as the text and the findings do (each
    combination once looked through every clue of the text: 15 times the time at 4n)."""
    rows = "".join(
        f"C{n},name,Given{n} Family{n},\nC{n},detail,Street{n} Lane,\nC{n},detail,Riverside,\n" for n in range(4800)
    )
    matcher = compile_rows(rows)

    def text(size: int) -> str:
        return "".join(f"Given{n} of Street{n} Lane. " for n in range(size)) + "Riverside. "

    small, large = text(1200), text(4800)
    at_n = growth_seconds(3, lambda: check_text(matcher, small, path="p", today=TODAY))
    at_4n = growth_seconds(3, lambda: check_text(matcher, large, path="p", today=TODAY))
    assert at_4n / at_n < 8, (at_n, at_4n)


def test_with_a_paragraph_window_each_field_of_a_post_is_one() -> None:
    matcher = compile_rows(ROWS, policy='[clues]\nwindow = "paragraph"\n')
    apart = {"id": "p", "text": "A morning with Kim.", "media": [{"alt_text": "the bakery on Alder Lane"}]}
    together = {"id": "q", "text": "A morning with Kim on Alder Lane."}
    decisions = [check_post(matcher, post, today=TODAY).verdict.decision for post in (apart, together)]
    assert decisions == ["approve", "block"]


def test_a_combination_reads_back_from_its_json_as_gate_check_server_reads_it() -> None:
    verdict = check_contents(MATCHER, [Content("p.md", "Kim\nof Alder Lane")], today=TODAY, reveal=True)
    again = verdict_from_dict(json.loads(json.dumps(verdict_to_dict(verdict))))
    assert [item.clues for item in again.findings] == [item.clues for item in verdict.findings]
    assert [clue.matched for clue in again.findings[0].clues] == ["Kim", "Alder Lane"]
