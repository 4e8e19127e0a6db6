"""Matching semantics: one row per rule of docs/matching.md, from "Normalisation" to "Positions"."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gate.matcher
from gate.matcher import (
    FORM_BASE,
    GROUP_BASE,
    KEY_SEPARATOR,
    Matcher,
    at_boundary,
    id_patterns,
    phone_matches,
    word_matches,
)
from gate.names import AFTER_TITLE, NameData, NameKey, name_keys
from gate.normalize import Normalizer
from gate.wordlist import Policy
from tests.support.wordlists import compile_rows, places

ROWS = """\
C1,name,Kim Lowe,
C2,name,André Ødegård,
C3,name,Rose Mary,
C4,name,Ed Marsh,
C5,handle,@lowe_art,
C6,email,kim@example.org,
C7,phone,+1 555 014 7788,
C8,id,AB-7731,
C9,name,Anna-Lena Berg,
C10,name,Lucas Berg,
C11,alias,acme,
C12,alias,acme corp,
C13,name,Jürgen Groß,
C14,name,Siobhán O'Connor,
C15,name,Νίκος Μπέης,
C16,name,Влади Коров,
"""


@pytest.fixture(scope="module")
def matcher():  # type: ignore[no-untyped-def]
    return compile_rows(ROWS)


CASES = [
    # case does not matter (Unicode case folding)
    ("KIM LOWE", [("C1", 1, 1, 1, 8)]),
    ("kIm lOwE", [("C1", 1, 1, 1, 8)]),
    # nor accents, in the text or in the list
    ("Andre Odegard", [("C2", 1, 1, 1, 13)]),
    ("ANDRÉ ØDEGÅRD", [("C2", 1, 1, 1, 13)]),
    ("Jurgen Gross", [("C13", 1, 1, 1, 12)]),
    ("JÜRGEN GROSS", [("C13", 1, 1, 1, 12)]),
    ("jürgen groß", [("C13", 1, 1, 1, 11)]),
    # nor compatibility forms (full-width letters) or decomposed characters
    ("Ｋｉｍ Ｌｏｗｅ", [("C1", 1, 1, 1, 8)]),
    ("Andre\u0301 O\u0308degard", [("C2", 1, 1, 1, 15)]),
    # zero-width and format characters and soft hyphens are ignored
    ("Ki\u200bm Lowe", [("C1", 1, 1, 1, 9)]),
    ("Kim Lo\u00adwe", [("C1", 1, 1, 1, 9)]),
    ("\u2060Kim\u200d Lowe\ufeff", [("C1", 1, 2, 1, 10)]),
    # look-alike letters of other scripts count as the Latin letter
    ("Kim Low\u0435", [("C1", 1, 1, 1, 8)]),  # Cyrillic ie
    ("\u0395d Marsh", [("C4", 1, 1, 1, 8)]),  # Greek capital epsilon
    ("\u041a\u0456m L\u043ewe", [("C1", 1, 1, 1, 8)]),
    # names written in Greek or Cyrillic match themselves in any case and without accents
    ("ΝΊΚΟΣ ΜΠΈΗΣ", [("C15", 1, 1, 1, 11)]),
    ("νικος μπεης", [("C15", 1, 1, 1, 11)]),
    ("влади коров", [("C16", 1, 1, 1, 11)]),
    ("ВЛАДИ КОРОВ", [("C16", 1, 1, 1, 11)]),
    ("Νίκος μπέης", [("C15", 1, 1, 1, 11)]),
    # and a small Greek letter that passes for a Latin one still counts as it
    ("Εd Mαrsh", [("C4", 1, 1, 1, 8)]),
    ("Lυcas Berg", [("C10", 1, 1, 1, 10)]),
    ("Kim Loνe", []),
    ("Ed Μarsh", [("C4", 1, 1, 1, 8)]),
    # runs of spaces, tabs, no-break spaces and one line break are one space
    ("Kim\t\u00a0  Lowe", [("C1", 1, 1, 1, 11)]),
    ("Kim\nLowe", [("C1", 1, 1, 2, 4)]),
    ("Kim  \r\n  Lowe", [("C1", 1, 1, 2, 6)]),
    ("Kim\rLowe", [("C1", 1, 1, 2, 4)]),
    # a blank line (paragraph break) ends a name
    ("Kim\n\nLowe", []),
    ("Kim\n  \t\nLowe", []),
    ("Kim\r\n\r\nLowe", []),
    # hyphens and underscores between words count as a space
    ("/stories/lucas-berg", [("C10", 1, 10, 1, 19)]),
    ("Anna-Lena Berg", [("C9", 1, 1, 1, 14)]),
    ("anna_lena_berg", [("C9", 1, 1, 1, 14)]),
    ("Anna Lena–Berg", [("C9", 1, 1, 1, 14)]),
    # symbols, emoji, bullets and pipes between words are blanks too
    ("Kim 🎨 Lowe", [("C1", 1, 1, 1, 10)]),
    ("Kim👍🏽Lowe", [("C1", 1, 1, 1, 9)]),
    ("Kim • Lowe", [("C1", 1, 1, 1, 10)]),
    ("Kim·Lowe", [("C1", 1, 1, 1, 8)]),
    ("| Kim | Lowe |", [("C1", 1, 3, 1, 12)]),
    ("Kim ★ Lowe", [("C1", 1, 1, 1, 10)]),
    ("Kim 🎨 Lowell", []),
    ("Kim/Lowe", []),
    # all apostrophes are one apostrophe
    ("Siobhan O’Connor", [("C14", 1, 1, 1, 16)]),
    ("Siobhan Oʼconnor", [("C14", 1, 1, 1, 16)]),
    # sentence punctuation between two words breaks a name
    ("Call Rose. Mary will answer", []),
    ("Rose, Mary", []),
    ("Rose; Mary", []),
    ("Rose: Mary", []),
    ("Rose! Mary", []),
    ("Rose? Mary", []),
    ("Rose Mary will answer", [("C3", 1, 1, 1, 9)]),
    # a match starts and ends at a word boundary
    ("Kimlowe", []),
    ("shed marsh", []),
    ("Ed Marshall", []),
    ("kkim lowe", []),
    # possessives match
    ("Kim Lowe's book", [("C1", 1, 1, 1, 8)]),
    ("Kim Lowe’s book", [("C1", 1, 1, 1, 8)]),
    ("Ed Marsh' garden", [("C4", 1, 1, 1, 8)]),
    # names of two or more words: Last, First / F. Last / run together after # or @
    ("Lowe, Kim", [("C1", 1, 1, 1, 9)]),
    ("LOWE, Kim", [("C1", 1, 1, 1, 9)]),
    ("K. Lowe", [("C1", 1, 1, 1, 7)]),
    ("see K.Lowe", [("C1", 1, 5, 1, 10)]),
    ("#KimLowe", [("C1", 1, 1, 1, 8)]),
    ("thanks @kimlowe!", [("C1", 1, 8, 1, 15)]),
    ("#Kim_Lowe", [("C1", 1, 2, 1, 9)]),
    ("Berg, Anna Lena", [("C9", 1, 1, 1, 15)]),
    ("#SiobhanOConnor", [("C14", 1, 1, 1, 15)]),
    ("Kimlowe in running text", []),
    ("#KimLowes", []),
    # handles with or without their @, whole
    ("@lowe_art", [("C5", 1, 1, 1, 9)]),
    ("follow lowe_art today", [("C5", 1, 8, 1, 15)]),
    ("@LOWE_ART", [("C5", 1, 1, 1, 9)]),
    ("@lowe_art_studio", []),
    ("@lowe_arts", []),
    ("lowe art", []),
    ("@lowe_art.", [("C5", 1, 1, 1, 9)]),
    ("#lowe_art", [("C5", 1, 1, 1, 9)]),
    # e-mails case-insensitively, whole
    ("kim@example.org", [("C6", 1, 1, 1, 15)]),
    ("Mail KIM@Example.ORG.", [("C6", 1, 6, 1, 20)]),
    ("skim@example.org", []),
    ("kim@example.org.uk", []),
    ("x.kim@example.org", []),
    ("kim@example.organic", []),
    # phones on digits whatever the formatting; the national form of a number stored
    # with its country code; never inside a longer run of digits
    ("(555) 014-7788", [("C7", 1, 2, 1, 14)]),
    ("555.014.7788", [("C7", 1, 1, 1, 12)]),
    ("+15550147788", [("C7", 1, 2, 1, 12)]),
    ("+1 555 014 7788", [("C7", 1, 2, 1, 15)]),
    ("1-555-014-7788", [("C7", 1, 1, 1, 14)]),
    ("call 555 014 7788 now", [("C7", 1, 6, 1, 17)]),
    ("５５５-０１４-７７８８", [("C7", 1, 1, 1, 12)]),
    ("25550147788", []),
    ("55501477889", []),
    ("555014778", []),
    ("555-014-77889", []),
    # ids whatever separators stand between letter and digit groups, whole
    ("AB-7731", [("C8", 1, 1, 1, 7)]),
    ("ab 7731", [("C8", 1, 1, 1, 7)]),
    ("AB–7731", [("C8", 1, 1, 1, 7)]),
    ("AB/7731", [("C8", 1, 1, 1, 7)]),
    ("AB.7731", [("C8", 1, 1, 1, 7)]),
    ("AB7731", [("C8", 1, 1, 1, 6)]),
    ("case AB-7731.", [("C8", 1, 6, 1, 12)]),
    ("AB-77310", []),
    ("XAB-7731", []),
    ("AB-7731-2", []),
    ("AB-7731/9", []),
    ("1-AB-7731", [("C8", 1, 3, 1, 9)]),  # only a digit continues a digit
    # a word meets the number: a file name, a URL's path, a prefix
    ("AB-7731.pdf", [("C8", 1, 1, 1, 7)]),
    ("https://example.org/cases/AB-7731", [("C8", 1, 27, 1, 33)]),
    ("notes_AB-7731_draft", [("C8", 1, 7, 1, 13)]),
    # every match is reported, not only the longest (pyahocorasick's iter_long would
    # find "acme corp" in "acme corporation" and lose "acme")
    ("acme corporation", [("C11", 1, 1, 1, 4)]),
    ("acme corp", [("C12", 1, 1, 1, 9), ("C11", 1, 1, 1, 4)]),
    # positions are in the original text, whatever the normalisation changed before
    ("Ünïcödé ß\nand Kim Lowe", [("C1", 2, 5, 2, 12)]),
    ("ß\u200b ﬁ Kim Lowe", [("C1", 1, 6, 1, 13)]),
    ("a  b   c\n\n   Kim    Lowe", [("C1", 3, 4, 3, 14)]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_matching_semantics(matcher, text, expected):  # type: ignore[no-untyped-def]
    assert places(matcher, text) == expected


def test_several_findings_in_order(matcher):  # type: ignore[no-untyped-def]
    text = "Kim Lowe met Ed Marsh.\nLater, K. Lowe called (555) 014-7788."
    assert places(matcher, text) == [
        ("C1", 1, 1, 1, 8),
        ("C4", 1, 14, 1, 21),
        ("C1", 2, 8, 2, 14),
        ("C7", 2, 24, 2, 36),
    ]


def test_same_value_under_two_clients_is_a_match_of_each() -> None:
    from gate.matcher import Match, find_matches

    matcher = compile_rows("A,name,Kim Lowe,\nB,name,Kim Lowe,\n")
    assert find_matches(matcher, "Kim Lowe") == [Match(0, 8, 0), Match(0, 8, 1)]


def test_one_client_once_per_place() -> None:
    matcher = compile_rows("A,name,Kim Lowe,\nA,alias,Kim,\nA,handle,@kimlowe_art,\n")
    assert places(matcher, "Kim Lowe and @kimlowe_art") == [
        ("A", 1, 1, 1, 8),
        ("A", 1, 14, 1, 25),
    ]


def test_phone_national_form_from_country_code() -> None:
    matcher = compile_rows("U,phone,+44 20 7946 0958,\n")
    assert places(matcher, "020 7946 0958 / +44 (0)20 7946 0958 / 0044 20 7946 0958") == [
        ("U", 1, 1, 1, 13),
        ("U", 1, 18, 1, 35),
        ("U", 1, 39, 1, 55),
    ]


def test_phone_without_country_code_uses_policy_region() -> None:
    rows = "U,phone,(555) 014-7788,\n"
    assert places(compile_rows(rows), "+15550147788") == []
    assert places(compile_rows(rows, policy='default_region = "US"'), "+15550147788") == [("U", 1, 2, 1, 12)]


def test_variants_can_be_switched_off() -> None:
    policy = "[variants]\nlast_first = false\ninitial_last = false\njoined_tag = false\n"
    matcher = compile_rows("A,name,Kim Lowe,\n", policy=policy)
    assert places(matcher, "Lowe, Kim. K. Lowe. #KimLowe. Kim Lowe.") == [("A", 1, 31, 1, 38)]


def test_single_word_names_have_no_variants() -> None:
    assert name_keys("Kim", Normalizer(), NameData.for_policy(Policy(), frozenset(), {})) == [NameKey("kim", 0)]


def test_id_patterns_cover_every_separator() -> None:
    assert id_patterns("ab 7731") == ["ab 7731", "ab/7731", "ab.7731", "ab7731"]
    assert id_patterns("ab7731x") == [
        "ab 7731 x",
        "ab 7731/x",
        "ab 7731.x",
        "ab 7731x",
        "ab/7731 x",
        "ab/7731/x",
        "ab/7731.x",
        "ab/7731x",
        "ab.7731 x",
        "ab.7731/x",
        "ab.7731.x",
        "ab.7731x",
        "ab7731 x",
        "ab7731/x",
        "ab7731.x",
        "ab7731x",
    ]


def test_text_without_any_match_and_empty_text(matcher):  # type: ignore[no-untyped-def]
    assert places(matcher, "") == []
    assert places(matcher, "A calm afternoon at the clinic.") == []


def test_wordlist_of_phones_only_scans_words_without_error() -> None:
    matcher = compile_rows("P,phone,+1 555 014 7788,\n")
    assert places(matcher, "Kim Lowe, 555 014 7788") == [("P", 1, 11, 1, 22)]


def test_keys_that_begin_alike_are_told_apart() -> None:
    # More keys begin alike than the automaton keeps under one stem, and some keys are
    # the beginnings of others.
    rows = "S,name,Stenmar,\nK,name,Stenmar Ka,\n" + "".join(
        f"K{letter}{suffix},name,Stenmar Ka{letter}{suffix},\n"
        for letter in "abcdefghijklmnopqrstuvwxyz"
        for suffix in ("", "n")
    )
    assert places(compile_rows(rows), "Stenmar Kab; Stenmar Ka; Stenmar Kazz; #StenmarKaqn") == [
        ("Kb", 1, 1, 1, 11),
        ("S", 1, 1, 1, 7),
        ("K", 1, 14, 1, 23),
        ("S", 1, 14, 1, 20),
        ("S", 1, 26, 1, 32),
        ("Kqn", 1, 40, 1, 51),
    ]


syllables = st.text(alphabet="ab", min_size=2, max_size=5)


@settings(max_examples=150, deadline=None)
@given(
    names=st.lists(st.tuples(syllables, syllables), min_size=1, max_size=80, unique=True),
    words=st.lists(st.tuples(syllables, st.sampled_from([" ", ", ", ". ", ".", " #", "\n"])), max_size=60),
)
def test_every_key_is_found_where_a_plain_search_finds_it(
    names: list[tuple[str, str]], words: list[tuple[str, str]]
) -> None:
    # Two letters make many keys begin alike, so stems are shared and lengthened.
    matcher = compile_rows("".join(f"{index},name,{first} {last},\n" for index, (first, last) in enumerate(names)))
    text = matcher.normalizer.text("".join(word + separator for word, separator in words))
    expected = set()
    for index, (first, last) in enumerate(names):
        variants = NameData.for_policy(Policy(), frozenset(), {})
        for key, form in name_keys(f"{first} {last}", matcher.normalizer, variants):
            if form == AFTER_TITLE:  # a surname, looked up after a title, not a key
                continue
            start = text.find(key)
            while start >= 0:
                end = start + len(key)
                if at_boundary(text, start - 1, start) and at_boundary(text, end - 1, end):
                    expected.add((start, end, index + form * FORM_BASE))
                start = text.find(key, start + 1)
    found = {(start, end, target) for start, end, targets in word_matches(matcher, text) for target in targets}
    assert found == expected


def compiled_keys(matcher: Matcher) -> dict[str, tuple[int, ...]]:
    """Every key of the matcher's table, and the targets it stands for."""
    table, keys = matcher.keys, {}
    for row in range(len(table.stem_lengths)):
        for number, key in enumerate(table.keys[row].split(KEY_SEPARATOR), table.first_keys[row]):
            code = table.codes[number]
            keys[key] = matcher.groups[-code - GROUP_BASE] if code <= -GROUP_BASE else (code,)
    return keys


# Letters of a script written with spaces and of one without, a digit, and what stands
# between words: the automaton reads a skeleton of the text in which all but letters and
# digits are blanks, a key that begins a word stands behind a blank, and a word right after
# a Chinese letter is looked for again in pieces of a second skeleton. The text is made of
# the listed values and their pieces, so that keys stand in it, whole and broken.
piece = st.text(alphabet="abé张ж1", min_size=2, max_size=3)
joint = st.sampled_from([" ", "-", ". ", ".", "'", " @", "张", ""])
value = st.builds(
    lambda lead, first, between, last: lead + first + between + last,
    st.sampled_from(["", "'", "张"]),
    piece,
    joint,
    piece,
)
between = st.sampled_from([" ", ", ", ". ", ".", " #", "\n", "-", "'", "张", "a", "(", "  ", ""])


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(value, min_size=1, max_size=20, unique_by=str.lower),
    data=st.data(),
    chunk=st.sampled_from([1, 2, 5, 13, gate.matcher.SCAN_CHUNK]),
)
def test_the_automaton_finds_every_key_where_a_plain_search_does(
    values: list[str], data: st.DataObject, chunk: int
) -> None:
    """Whatever the length of the pieces of skeleton the automaton reads at a time."""
    rows = "".join(f"C{index},{'name' if index % 2 else 'alias'},{written},\n" for index, written in enumerate(values))
    matcher = compile_rows(rows)
    listed = st.sampled_from(values)
    words = listed | listed.map(str.title) | listed.map(lambda written: "#" + written.title().replace(" ", "")) | piece
    written = data.draw(st.lists(st.tuples(words, between), max_size=30))
    text = matcher.normalizer.text("".join(word + after for word, after in written))
    expected = set()
    for key, targets in compiled_keys(matcher).items():
        start = text.find(key)
        while start >= 0:
            end = start + len(key)
            if at_boundary(text, start - 1, start) and at_boundary(text, end - 1, end):
                expected.add((start, end, targets))
            start = text.find(key, start + 1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gate.matcher, "SCAN_CHUNK", chunk)
        assert set(word_matches(matcher, text)) == expected


PHONES = "P1,phone,+1 555 014 7788,\nP2,phone,+44 20 7946 0958,\nP3,phone,+1 555 014 7799,\n"
_CLUSTER = re.compile(r"[0-9]+(?:[ .()/+]{1,3}[0-9]+)*")


def phones_by_plain_search(matcher: Matcher, text: str) -> set[tuple[int, int, tuple[int, ...]]]:
    """Every run of whole digit runs of one cluster whose digits are a form of the table."""
    found = set()
    for cluster in _CLUSTER.finditer(text):
        runs = [(run.start(), run.end(), run.group()) for run in re.finditer("[0-9]+", cluster.group())]
        for first in range(len(runs)):
            for last in range(first, len(runs)):
                code = matcher.phones.get("".join(run for _, _, run in runs[first : last + 1]))
                if code is not None:
                    targets = matcher.groups[-code - GROUP_BASE] if code <= -GROUP_BASE else (code,)
                    found.add((cluster.start() + runs[first][0], cluster.start() + runs[last][1], targets))
    return found


separator = st.sampled_from([" ", ".", "(", ") ", " / ", "+", "    ", "....", "-", "x", " é ", "", "\n"])
digit_runs = st.sampled_from(["555", "014", "7788", "7799", "1", "44", "20", "7946", "0958", "0", "12345"])
# A listed number in groups of its digits, with any separators between them (of one to
# three characters, it is one cluster; of more, or a letter, it is not), among other digits.
written_phone = st.builds(
    lambda groups, separators: "".join(group + between for group, between in zip(groups, separators, strict=False)),
    st.sampled_from(
        [
            ["1", "555", "014", "7788"],
            ["555", "014", "7799"],
            ["00", "44", "20", "7946", "0958"],
            ["0", "20", "79", "46", "0958"],
        ]
    ),
    st.lists(separator, min_size=5, max_size=5),
)


@settings(max_examples=300, deadline=None)
@given(
    before=st.lists(st.tuples(digit_runs, separator), max_size=6),
    phone=written_phone,
    after=st.lists(st.tuples(digit_runs, separator), max_size=6),
    wide=st.booleans(),
)
def test_phones_are_found_where_a_plain_search_of_the_clusters_finds_them(
    before: list[tuple[str, str]], phone: str, after: list[tuple[str, str]], wide: bool
) -> None:
    matcher = compile_rows(PHONES)
    written = "".join(digits + between for digits, between in before) + phone
    written += "".join(digits + between for digits, between in after)
    text = matcher.normalizer.text(written + (" ж" if wide else ""))  # a text in more than ASCII is read apart
    assert set(phone_matches(matcher, text)) == phones_by_plain_search(matcher, text)
