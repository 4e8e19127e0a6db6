"""A finding's wording sets its action: a name that a longer name goes on from, and common
words in small letters in running prose, are warnings (docs/matching.md, "Worded as
something else"); everything else keeps its kind's action."""

from __future__ import annotations

import pytest

from gate.check import check_path, check_text
from gate.errors import GateError
from gate.kinds import kind_named
from gate.written import (
    COMMON_WORDS,
    COMMON_WORDS_FILE,
    NICKNAME,
    PART_OF_LONGER_NAME,
    PROSE_WORDS_FILE,
    TITLE,
    TITLE_COMMON_SURNAME,
    load_word_lists,
    read_words,
    wording,
)
from tests.support.wordlists import TODAY, check, compile_rows

ROWS = (
    "A,name,George Bernard,\n"
    "B,name,Mark Price,\n"
    "C,name,Kim Lowe,\n"
    "D,alias,Rose,\n"
    "E,other,the family,\n"
    "F,handle,@mark_price,\n"
    "G,name,Dawn Hill,\n"
    "H,name,John Smith,\n"
    "O,name,Oliver Przybylski,\n"
    "Q,name,Ana Quispe García,\n"
)

# (text, the wording of each finding in order, as (client, wording, action))
WORDINGS = [
    # A title and the surname: a common surname (gate/common-surnames.txt) warns, a rarer blocks.
    ("Thanks to Mr Lowe", [("C", TITLE_COMMON_SURNAME, "warn")]),
    ("Thanks to Mrs. Lowe", [("C", TITLE_COMMON_SURNAME, "warn")]),
    ("Thanks to Dr Przybylski", [("O", TITLE, "block")]),
    ("Thanks to MS PRZYBYLSKI", [("O", TITLE, "block")]),
    ("Mr Smith came", [("H", TITLE_COMMON_SURNAME, "warn")]),
    # Every word of a double surname must be common for the warning.
    ("Mrs Quispe García came", [("Q", TITLE, "block")]),
    # The whole name after a title is the name, not the title wording.
    ("Thanks to Mr Kim Lowe", [("C", "", "block")]),
    # A longer name goes on: the next word on the line is capitalised, not a common word.
    ("George Bernard Shaw wrote plays", [("A", PART_OF_LONGER_NAME, "block")]),
    ("George Bernard  Shaw", [("A", PART_OF_LONGER_NAME, "block")]),
    ("Thanks Kim Lowe O'Neil", [("C", PART_OF_LONGER_NAME, "block")]),
    ("Thanks Kim Lowe Smith-Jones", [("C", PART_OF_LONGER_NAME, "block")]),
    # It does not: a common word, a suffix, a possessive, a hyphen, a line break, a
    # comma, punctuation, a small word, a word in capitals, a number.
    ("George Bernard wrote plays", [("A", "", "block")]),
    ("Kim Lowe Foundation", [("C", "", "block")]),
    ("Kim Lowe Jr and Kim Lowe PhD", [("C", "", "block"), ("C", "", "block")]),
    ("Kim Lowe's story", [("C", "", "block")]),
    ("Kim Lowe-Smith", [("C", "", "block")]),
    ("Kim Lowe\nShaw", [("C", "", "block")]),
    ("Kim Lowe, Shaw and others", [("C", "", "block")]),
    ("Kim Lowe. Shaw said", [("C", "", "block")]),
    ("Kim Lowe shaw", [("C", "", "block")]),
    ("KIM LOWE SHAW", [("C", "", "block")]),
    ("Kim Lowe 2024", [("C", "", "block")]),
    # Common words in small letters in running prose.
    ("we will mark price changes", [("B", COMMON_WORDS, "warn")]),
    ("a rose bush", [("D", COMMON_WORDS, "warn")]),
    ("in the family today", [("E", COMMON_WORDS, "warn")]),
    ('"mark price", she said.', [("B", COMMON_WORDS, "warn")]),
    ("(mark price)", [("B", COMMON_WORDS, "warn")]),
    # Capitalised, or not all common words, or not in prose: the kind's action.
    ("which dress will Rose wear", [("D", "", "block")]),
    ("Mark Price came", [("B", "", "block")]),
    ("mark Price came", [("B", "", "block")]),
    ("we met kim lowe", [("C", "", "block")]),
    ("see example.org/mark price", [("B", "", "block")]),
    ("#mark price", [("B", "", "block")]),
    ("mark-price", [("B", "", "block")]),
    ("mark_price", [("B", "", "block")]),
    ("mark price.html", [("B", "", "block")]),
    ("the mark price's rise", [("B", COMMON_WORDS, "warn")]),
    # Words people write as names far more often than as words are not prose words.
    ("dawn hill", [("G", "", "block")]),
    ("we met john smith", [("H", "", "block")]),
    ("George Bernard Smith", [("A", "", "block")]),
]


@pytest.mark.parametrize(("text", "expected"), WORDINGS, ids=[case[0] for case in WORDINGS])
def test_a_findings_wording_sets_its_action(text: str, expected: list[tuple[str, str, str]]) -> None:
    findings, _ = check(compile_rows(ROWS), text)
    assert [(item.client_id, item.wording, item.action) for item in findings] == expected


def test_a_wording_has_its_own_message() -> None:
    findings, _ = check(compile_rows(ROWS), "George Bernard Shaw and a rose bush")
    assert [item.message for item in findings] == [
        "a client's name as the start of a longer name: if it is the client, remove it or anonymise the story",
        "common words in small letters that are also a client's name: check they do not name the client",
    ]


def test_a_title_reads_the_surname_in_the_common_surnames_of_the_policys_languages() -> None:
    matcher = compile_rows("M,name,Claire Martin,\nQ,name,Anne Quéméneur,\n", policy='languages = ["en", "fr"]\n')
    findings, _ = check(matcher, "Mme Martin et Mme Quéméneur")
    assert [(item.client_id, item.wording, item.action) for item in findings] == [
        ("M", TITLE_COMMON_SURNAME, "warn"),
        ("Q", TITLE, "block"),
    ]


def test_policy_sets_the_title_wordings_actions() -> None:
    policy = '[actions]\ntitle_common_surname = "block"\ntitle = "warn"\n'
    findings, _ = check(compile_rows(ROWS, policy=policy), "Mr Lowe and Dr Przybylski")
    assert [(item.wording, item.action) for item in findings] == [
        (TITLE_COMMON_SURNAME, "block"),
        (TITLE, "warn"),
    ]


def test_the_common_surnames_file_is_what_its_script_writes() -> None:
    from bench.common_surnames import OUTPUT, render, surnames

    names = surnames()
    assert {"smith", "lowe", "martin"} <= set(names) and "przybylski" not in names
    header = OUTPUT.read_text(encoding="utf-8").split("\n", 5)[2]
    faker_version = header.split("Faker ")[1].split("'s")[0]
    assert OUTPUT.read_text(encoding="utf-8") == render(names, faker_version)


POLICIES = [
    ("the defaults", "", ["block", "warn"]),
    ("a wording set to warn warns", '[actions]\npart_of_longer_name = "warn"\n', ["warn", "warn"]),
    ("both set to block", '[actions]\npart_of_longer_name = "block"\ncommon_words = "block"\n', ["block", "block"]),
    # A wording can only make a finding milder than its kind's action.
    (
        "the kind warns, so does its wording",
        '[actions]\nname = "warn"\npart_of_longer_name = "block"\n',
        ["warn", "warn"],
    ),
]


@pytest.mark.parametrize(("policy", "actions"), [case[1:] for case in POLICIES], ids=[case[0] for case in POLICIES])
def test_policy_sets_a_wordings_action(policy: str, actions: list[str]) -> None:
    findings, _ = check(compile_rows(ROWS, policy=policy), "George Bernard Shaw and a rose bush")
    assert [item.action for item in findings] == actions


def test_policy_sets_a_wordings_message() -> None:
    matcher = compile_rows(ROWS, policy='[messages]\ncommon_words = "check with compliance"\n')
    findings, _ = check(matcher, "a rose bush")
    assert [item.message for item in findings] == ["check with compliance"]


def test_an_unknown_wording_in_policy_is_refused() -> None:
    with pytest.raises(GateError, match=r"an unknown key in \[actions\]"):
        compile_rows(ROWS, policy='[actions]\nlower_case = "warn"\n')


def test_a_path_is_never_prose() -> None:
    matcher = compile_rows(ROWS)
    findings, _ = check_path(matcher, "posts/mark price.md", today=TODAY)
    assert [(item.client_id, item.wording, item.action) for item in findings] == [("B", "", "block")]


def test_text_that_is_not_prose_keeps_the_kinds_action() -> None:
    findings, _ = check_text(compile_rows(ROWS), "a rose bush", path="p", today=TODAY, prose=False)
    assert [(item.wording, item.action) for item in findings] == [("", "block")]


def test_a_post_field_of_tags_or_names_is_not_prose() -> None:
    from gate.post import check_post

    post = {"id": "q-1", "text": "a rose bush", "hashtags": ["rose bush"], "author": {"name": "rose"}}
    verdict = check_post(compile_rows(ROWS), post, today=TODAY).verdict
    assert [(item.path, item.action) for item in verdict.findings] == [
        ("/text", "warn"),
        ("/hashtags/0", "block"),
        ("/author/name", "block"),
    ]


def test_wording_reads_only_words_kinds() -> None:
    words = load_word_lists()
    for kind in ("email", "phone", "id", "handle"):
        found = wording("mark price", 0, 10, kind=kind_named(kind), words=words, prose=True)
        assert found == ""


def test_the_prose_words_are_common_words_measured_to_be_written_as_words() -> None:
    prose, common = read_words(PROSE_WORDS_FILE), read_words(COMMON_WORDS_FILE)
    assert {"the", "mark", "price", "rose", "will"} <= prose < common
    assert not {"john", "smith", "kim", "hill", "lowe"} & prose
    assert all(word == word.casefold() for word in prose)


def test_prose_words_are_those_seen_mostly_in_small_letters() -> None:
    from bench.prose_words import MIN_SEEN, count_cases, prose_words

    texts = ["we will mark it, and John will too; ask Mark. Mark came", "the mark"] * MIN_SEEN
    lower, capitalised = count_cases(texts, {"will", "mark", "john", "ask"})
    # A capital at a sentence's start says nothing: "Mark came" after a period is not counted.
    assert (lower, capitalised) == (
        {"will": 2 * MIN_SEEN, "mark": 2 * MIN_SEEN, "ask": MIN_SEEN},
        {"john": MIN_SEEN, "mark": MIN_SEEN},
    )
    # "mark": 2 of 3 in small letters, less than LOWER_SHARE.
    assert prose_words(["will", "mark", "john", "ask", "unseen"], lower, capitalised) == ["will", "ask"]


def test_the_prose_words_file_says_how_it_was_made() -> None:
    from bench.prose_words import LOWER_SHARE, MIN_SEEN, OUTPUT

    header = " ".join(line for line in OUTPUT.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    assert "python -m bench.prose_words" in header
    assert f"at least {MIN_SEEN} times" in header and f"at least {LOWER_SHARE:.0%} of them" in header
    assert f"the {len(read_words(PROSE_WORDS_FILE))} of the" in header


# Another given name than the listed one (a nickname, or the formal name of a listed
# nickname) with the surname: a warning by default, `[actions] nickname` sets it.
NICKNAMES = [
    ("Bill Lowe came", "", [("W", NICKNAME, "warn", 1)]),
    ("William Lowe came", "", [("W", "", "block", 1)]),
    ("Robert Marsh came", "", [("B", NICKNAME, "warn", 1)]),
    ("Bob Marsh came", "", [("B", "", "block", 1)]),
    ("Bill Lowe and Will Lowe", "", [("W", NICKNAME, "warn", 1), ("W", NICKNAME, "warn", 1)]),
    ("Bill Lowe came", '[actions]\nnickname = "block"\n', [("W", NICKNAME, "block", 1)]),
    ("Bill Lowe came", "[variants]\nnicknames = false\n", []),
]


@pytest.mark.parametrize(("text", "policy", "expected"), NICKNAMES, ids=[f"{c[0]}|{c[1]}" for c in NICKNAMES])
def test_another_given_name_is_worded_as_a_nickname(
    text: str, policy: str, expected: list[tuple[str, str, str, int]]
) -> None:
    matcher = compile_rows("W,name,William Lowe,\nB,name,Bob Marsh,\n", policy=policy)
    findings, _ = check(matcher, text)
    assert [(item.client_id, item.wording, item.action, item.clients) for item in findings] == expected


def test_a_listed_name_at_a_place_comes_before_a_nickname_of_another_client() -> None:
    matcher = compile_rows("W,name,William Lowe,\nL,name,Bill Lowe,\n")
    findings, _ = check(matcher, "Bill Lowe came")
    assert [(item.client_id, item.wording, item.action, item.clients) for item in findings] == [("L", "", "block", 2)]


# A title, or another given name, that overlaps a reading of the same client that blocks
# does not hide it; the listed value written with a title is the listed value.
TITLE_HOLES = [
    ("K,name,Kim Lowe,\n", "Mr. Lowe, Kim", [("K", "", "block")]),
    ("K,name,Kim Lowe,\n", "Attendees: Mrs Lowe, Kim, and Sam", [("K", "", "block")]),
    ("K,name,Kim Lowe,\n", "Ms Lowe Kim", [("K", "", "block")]),
    ("K,name,Kim Lowe,\n", "Mr Lowe", [("K", TITLE_COMMON_SURNAME, "warn")]),
    ("S,name,Mrs Kim Smith,\n", "Thanks Mrs Kim Smith!", [("S", "", "block")]),
    ("S,name,Dr. Kim Smith,\n", "Thanks Dr. Kim Smith!", [("S", "", "block")]),
    ("D,name,Dona Smith,\n", "Dona Smith came", [("D", "", "block")]),
    ("G,name,Sig Hansen,\n", "Sig Hansen came", [("G", "", "block")]),
    ("M,name,María José Fernández García,\n", "Gracias a María Fernández García.", [("M", "", "block")]),
]


@pytest.mark.parametrize(("rows", "text", "expected"), TITLE_HOLES, ids=[case[1] for case in TITLE_HOLES])
def test_a_softer_reading_never_hides_one_that_blocks(
    rows: str, text: str, expected: list[tuple[str, str, str]]
) -> None:
    findings, _ = check(compile_rows(rows), text)
    assert [(item.client_id, item.wording, item.action) for item in findings] == expected
