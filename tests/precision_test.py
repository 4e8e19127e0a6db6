"""Written as a name (docs/matching.md): the variants that fire on other people and on no
one in real text — a middle initial, an ordinary comma, a dash — and the forms that still
block, as written and through markup."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest

from gate.check import check_text
from gate.extract import content_views
from gate.kinds import kind_named
from gate.matcher import Matcher
from gate.precision import (
    GIVEN_NAMES_FILE,
    capitalised_as_written,
    fold_word,
    load_given_names,
    parse_given_names,
    written_as_name,
)
from tests.support.wordlists import TODAY, compile_rows

ROOT = Path(__file__).resolve().parent.parent
ROWS = """\
S,name,Sarah Thompson,
P,name,Paul Smith,
D,name,Dawn Hill,
M,name,Mark Price,
J,name,Joy Baker,
K,name,Kim Lowe,
A,alias,Kim Lowe,
B,name,Anna-Lena Berg,
I,id,AB-7731,
"""


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return compile_rows(ROWS)


def found(matcher: Matcher, text: str, path: str = "post.txt") -> list[tuple[str, str | None]]:
    """(client_id, text as written) of each finding, the text checked with its views."""
    views, _ = content_views(path, text)
    findings, _ = check_text(matcher, text, path=path, today=TODAY, views=views, reveal=True)
    return [(finding.client_id, finding.matched) for finding in findings]


MIDDLE_INITIALS = [
    # a capitalised given name right before the initial: a middle initial, another person
    ("Hunter S. Thompson", []),
    ("Gregory P. Smith", []),
    ("HUNTER S. THOMPSON", []),
    ("the Gonzo journalist Hunter S. Thompson wrote", []),
    ("Hunter\nS. Thompson", []),  # one line break is a blank
    ("José S. Thompson", []),  # given names compare without accents
    ("Jean-Paul S. Thompson", []),
    # or another initial: "George R. R. Martin", "J. R. Smith"
    ("George R. S. Thompson", []),
    ("J. S. Thompson", []),
    ("J.S. Thompson", []),
    # anything else before the initial leaves it a first initial: the client
    ("Dear S. Thompson", [("S", "S. Thompson")]),
    ("Thanks S. Thompson!", [("S", "S. Thompson")]),
    ("We thank S. Thompson for her story", [("S", "S. Thompson")]),
    ("S. Thompson", [("S", "S. Thompson")]),
    ("S.Thompson", [("S", "S.Thompson")]),
    ("Dr. S. Thompson", [("S", "S. Thompson")]),
    ("Mr S. Thompson", [("S", "S. Thompson")]),
    ("May S. Thompson join us?", [("S", "S. Thompson")]),  # a name that is no evidence
    ("hunter s. thompson", [("S", "s. thompson")]),  # not capitalised: not read as a given name
    ("Hunter, S. Thompson", [("S", "S. Thompson")]),  # not directly before
    ("Hunter. S. Thompson", [("S", "S. Thompson")]),
    ("Hunter\n\nS. Thompson", [("S", "S. Thompson")]),  # a paragraph apart
    ("Dear K. Lowe", [("K", "K. Lowe")]),
]

CODE = [
    # initials inside an e-mail address or code are not a name
    ("p.smith@example.org", []),
    ("mailto:p.smith@example.org", []),
    ("From: Paul <p.smith@example.org>", []),
    ("obj.s.thompson()", []),
    ("s.thompson()", []),
    ("www.s.thompson.org", []),
    # beside other punctuation they are
    ("(S.Thompson)", [("S", "S.Thompson")]),
    ("Ask S.Thompson.", [("S", "S.Thompson")]),
    ("example.org/s.thompson", [("S", "s.thompson")]),
    ("@s.thompson", [("S", "s.thompson")]),
]

COMMAS = [
    # `Last, First` only where both words are capitalised as written
    ("the hill, dawn broke", []),
    ("agree the price, mark it", []),
    ("Price, mark", []),
    ("price, Mark", []),
    ("Thompson, Sarah", [("S", "Thompson, Sarah")]),
    ("THOMPSON, SARAH", [("S", "THOMPSON, SARAH")]),
    ("LOWE, Kim", [("K", "LOWE, Kim")]),
    ("at the Hill, Dawn said", [("D", "Hill, Dawn")]),
    ("Lowe,\nKim", [("K", "Lowe,\nKim")]),
    ("Berg, Anna Lena", [("B", "Berg, Anna Lena")]),
    # the value itself is not held to it
    ("sarah thompson", [("S", "sarah thompson")]),
    ("dawn hill", [("D", "dawn hill")]),
]

DASHES = [
    # an em dash between two words breaks a name, and an en dash with a blank beside it
    ("pure joy — baker", []),
    ("pure joy—baker", []),
    ("PURE JOY—BAKER", []),
    ("Kim – Lowe", []),
    ("Kim –Lowe", []),
    ("Kim ― Lowe", []),  # horizontal bar
    ("Kim ⸺ Lowe", []),  # two-em dash
    # an en dash between two letters joins, as a hyphen does
    ("Kim–Lowe", [("K", "Kim–Lowe")]),  # one place: K's name and A's alias, one finding
    ("Anna Lena–Berg", [("B", "Anna Lena–Berg")]),
    ("Kim-Lowe", [("K", "Kim-Lowe")]),
    ("Kim\u2010Lowe", [("K", "Kim\u2010Lowe")]),  # the Unicode hyphen
    ("/stories/kim-lowe", [("K", "kim-lowe")]),
    ("Anna-Lena Berg", [("B", "Anna-Lena Berg")]),
    ("Kim Lowe — our volunteer", [("K", "Kim Lowe")]),
    # an id's groups are still apart by any dash
    ("case AB – 7731", [("I", "AB – 7731")]),
]


@pytest.mark.parametrize(("text", "expected"), MIDDLE_INITIALS + CODE + COMMAS + DASHES)
def test_written_as_a_name(matcher: Matcher, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(matcher, text) == expected


MARKUP = [
    # markup around a name, judged in the text as rendered and as written
    ("post.md", "Thanks **S. Thompson**!", [("S", "S. Thompson")]),
    ("post.md", "Thanks *S.* Thompson!", [("S", "S.* Thompson")]),
    ("post.md", "**Thompson**, Sarah", [("S", "Thompson**, Sarah")]),
    ("post.md", "[Thompson, Sarah](/stories/sarah-thompson)", [("S", "Thompson, Sarah"), ("S", "sarah-thompson")]),
    ("page.html", "<p>Dear <b>S.</b> Thompson</p>", [("S", "S.</b> Thompson")]),
    ("page.html", "<p>Thompson,&nbsp;Sarah</p>", [("S", "Thompson,&nbsp;Sarah")]),
    ("post.md", "**Hunter S. Thompson** wrote it", []),
    ("page.html", "<p>Hunter S. Thompson</p>", []),
    ("page.html", "<p>the hill, <i>dawn</i> broke</p>", []),
    ("page.html", "<p>pure joy &mdash; baker</p>", []),
    ("page.html", "<p>Kim &ndash; Lowe</p>", []),
    ("page.html", "<p>Kim&ndash;Lowe</p>", [("K", "Kim&ndash;Lowe")]),
    ("post.md", "Write to <p.smith@example.org>", []),
]


@pytest.mark.parametrize(("path", "text", "expected"), MARKUP)
def test_written_as_a_name_through_markup(
    matcher: Matcher, path: str, text: str, expected: list[tuple[str, str]]
) -> None:
    assert found(matcher, text, path) == expected


def test_the_rules_judge_names_and_words_only() -> None:
    """A dash breaks the words of a name, alias or other value; a handle, e-mail, phone or
    id is whole by its own rules."""
    names = frozenset({"hunter"})
    text = "Kim – Lowe"
    assert not written_as_name(text, 0, len(text), kind=kind_named("other"), given_names=names)
    assert written_as_name(text, 0, len(text), kind=kind_named("id"), given_names=names)
    text = "the hill, dawn"
    assert not written_as_name(text, 4, len(text), kind=kind_named("name"), given_names=names)
    assert written_as_name(text, 4, len(text), kind=kind_named("alias"), given_names=names)
    text = "Hunter S. Thompson"
    assert not written_as_name(text, 7, len(text), kind=kind_named("name"), given_names=names)
    assert written_as_name(text, 7, len(text), kind=kind_named("name"), given_names=frozenset())


def test_the_given_names_are_the_data_files_and_folded() -> None:
    names = load_given_names()
    assert {"hunter", "gregory", "george", "jose", "sarah", "soren"} <= names
    assert names.isdisjoint({"dear", "thanks", "hello", "may", "said", "my", "the", "mr", "dr"})
    assert parse_given_names("# a comment\n\nJosé\n  Søren \n") == {"jose", "søren"}
    assert fold_word("JOSÉ") == fold_word("José") == "jose"


def test_the_given_names_file_says_where_it_comes_from() -> None:
    text = (ROOT / "gate" / GIVEN_NAMES_FILE).read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    assert "Faker" in header and "MIT" in header and "python -m bench.given_names" in header
    names = [line for line in text.splitlines() if not line.startswith("#")]
    assert names == sorted(set(names)) and all(name == fold_word(name) for name in names)


def test_the_given_names_file_is_what_its_script_writes() -> None:
    from bench.given_names import OUTPUT, first_names, given_name_words, render

    written = OUTPUT.read_text(encoding="utf-8")
    version = re.search(r"Faker (\S+)'s person", written)
    assert version is not None
    if version.group(1) != importlib.metadata.version("faker"):
        pytest.skip(f"the file was written with Faker {version.group(1)}")
    assert render(given_name_words(first_names()), version.group(1)) == written


@pytest.mark.parametrize(("text", "expected"), [("Kim – Lowe", []), ("Kim–Lowe", ["Kim–Lowe"]), ("Kim — Lowe", [])])
def test_an_alias_is_broken_by_a_dash_as_a_name_is(text: str, expected: list[str]) -> None:
    findings, _ = check_text(compile_rows("A,alias,Kim Lowe,\n"), text, path="p", today=TODAY, reveal=True)
    assert [finding.matched for finding in findings] == expected


CAPITALISED = [
    # the surname-first variant counts only where every word begins with a capital as written
    ("Lowe Kim", True),
    ("LOWE KIM", True),
    ("Lowe  Kim Ann", True),
    ("Min-jun Kim", True),  # a hyphenated word is one word
    ("Lowe\nKim", True),
    ("Lowe • Kim", True),  # a symbol between the words has no letter to judge
    ("Νίκος Μπέης", True),
    ("王 伟", True),  # letters without case count as capitals
    ("Lowe kim", False),
    ("lowe Kim", False),
    ("price mark", False),
]


@pytest.mark.parametrize(("written", "expected"), CAPITALISED)
def test_capitalised_as_written(written: str, expected: bool) -> None:
    assert capitalised_as_written(written) == expected
