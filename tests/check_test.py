"""Findings become suppressions where an allow term or written consent covers them."""

from __future__ import annotations

import datetime

import pytest

from gate.verdict import Suppression
from tests.support.wordlists import check, compile_rows

ROWS = "A,name,Kim Lowe,\nB,name,Maria Svensson,2027-01-01\nC,alias,Luke the Painter,\n"
ALLOW = "# public names\nKim Lowe Trust\n"


def test_allow_term_suppresses_only_inside_its_span() -> None:
    matcher = compile_rows(ROWS, allow=ALLOW)
    findings, suppressed = check(matcher, "The Kim Lowe Trust thanks Kim Lowe.")
    assert [(item.client_id, item.column) for item in findings] == [("A", 27)]
    assert suppressed == [Suppression("post.md", 1, 5, "A", "allowed by allow.txt line 2")]


def test_allow_term_that_only_overlaps_does_not_suppress() -> None:
    matcher = compile_rows(ROWS, allow="Lowe Trust\n")
    findings, suppressed = check(matcher, "Kim Lowe Trust")
    assert [(item.client_id, item.column) for item in findings] == [("A", 1)]
    assert suppressed == []


def test_consent_holds_up_to_and_including_its_date() -> None:
    matcher = compile_rows(ROWS)
    text = "Maria Svensson"
    for today, blocked in [
        (datetime.date(2026, 12, 31), False),
        (datetime.date(2027, 1, 1), False),
        (datetime.date(2027, 1, 2), True),
    ]:
        findings, suppressed = check(matcher, text, today)
        assert (len(findings), len(suppressed)) == ((1, 0) if blocked else (0, 1))
    _, suppressed = check(matcher, text, datetime.date(2027, 1, 1))
    assert suppressed == [Suppression("post.md", 1, 1, "B", "consent until 2027-01-01")]


def test_policy_sets_actions_and_messages_per_kind() -> None:
    policy = '[actions]\nalias = "warn"\n[messages]\nname = "a client: ask the compliance officer"\n'
    matcher = compile_rows(ROWS, policy=policy)
    findings, _ = check(matcher, "Kim Lowe and Luke the Painter")
    assert [(item.kind, item.action, item.message) for item in findings] == [
        ("name", "block", "a client: ask the compliance officer"),
        (
            "alias",
            "warn",
            "a client's nickname or alias: remove it or anonymise the story, or get the client's written consent and have it recorded in the client list (consent_until)",
        ),
    ]


def test_reveal_is_off_unless_asked() -> None:
    from gate.check import check_text

    matcher = compile_rows(ROWS)
    text = "Hello K\u200bim\nLowe!"
    quiet, _ = check_text(matcher, text, path="p", today=datetime.date(2026, 1, 1))
    loud, _ = check_text(matcher, text, path="p", today=datetime.date(2026, 1, 1), reveal=True)
    assert quiet[0].matched is None
    assert loud[0].matched == "K\u200bim\nLowe"


def test_an_allow_term_is_taken_from_the_text_as_written_never_from_a_view() -> None:
    """A rendered view joins what a reader does not see: "Trust" in a hidden element must
    not turn the name before it into the allowed "Kim Lowe Trust"."""
    from gate.check import check_text
    from gate.extract import content_views

    matcher = compile_rows(ROWS, allow=ALLOW)
    cases = [
        ("page.html", "We met Kim Lowe <span hidden>Trust</span> today.", 1, 0),
        ("post.md", "We met Kim Lowe <!-- --> Trust today.", 1, 0),
        ("page.html", "<p>The Kim Lowe Trust thanks you.</p>", 0, 1),
        ("post.md", "The **Kim Lowe Trust** thanks you.", 0, 1),
    ]
    for path, text, found, allowed in cases:
        views, _ = content_views(path, text)
        findings, suppressed = check_text(matcher, text, path=path, today=datetime.date(2026, 12, 1), views=views)
        assert (len(findings), len(suppressed)) == (found, allowed), text


# One finding a place, however many clients the place names: the first client in the
# list's order of those that block (else of all), and how many clients in all (the
# verdict's `clients`).
ONE_PLACE = [
    ("one value under two clients", "A,name,Kim Lowe,\nB,name,Kim Lowe,\n", "Kim Lowe", [("A", "name", 1, 2)]),
    (
        "an initial and a surname that three clients share",
        "A,name,John Smith,\nB,name,Jane Smith,\nC,name,Joe Smith,\nD,name,Kim Smith,\n",
        "Thanks J. Smith",
        [("A", "name", 8, 3)],
    ),
    (
        "a name and an alias of two clients at one place: the first in the list",
        "A,name,Kim Lowe,\nB,alias,Kim Lowe,\n",
        "Kim Lowe",
        [("A", "name", 1, 2)],
    ),
    (
        "one that blocks comes before one that warns",
        "A,other,Kim Lowe,\nB,alias,Kim Lowe,\n",
        "Kim Lowe",
        [("B", "alias", 1, 2)],
    ),
    (
        "warnings alone: the first in the list",
        "A,other,Kim Lowe,\nB,other,Kim Lowe,\n",
        "Kim Lowe",
        [("A", "other", 1, 2)],
    ),
    (
        "the same clients at two places are two findings",
        "A,name,Kim Lowe,\nB,name,Kim Lowe,\n",
        "Kim Lowe, then Kim Lowe",
        [("A", "name", 1, 2), ("A", "name", 16, 2)],
    ),
    (
        "a client with consent is suppressed, the others counted",
        "A,name,Kim Lowe,2099-01-01\nB,name,Kim Lowe,\nC,name,Kim Lowe,\n",
        "Kim Lowe",
        [("B", "name", 1, 2)],
    ),
]


@pytest.mark.parametrize(("rows", "text", "expected"), [case[1:] for case in ONE_PLACE], ids=[c[0] for c in ONE_PLACE])
def test_one_finding_a_place_counts_the_clients_it_names(
    rows: str, text: str, expected: list[tuple[str, str, int, int]]
) -> None:
    findings, _ = check(compile_rows(rows, policy='[actions]\nother = "warn"\n'), text)
    assert [(item.client_id, item.kind, item.column, item.clients) for item in findings] == expected


def test_a_place_naming_a_hundred_clients_is_one_finding() -> None:
    rows = "".join(f"C{number:03},name,J{'a' * (number % 7 + 1)}n{number:03} Smith,\n" for number in range(100))
    findings, _ = check(compile_rows(rows), "J. Smith")
    assert [(item.client_id, item.clients) for item in findings] == [("C000", 100)]
