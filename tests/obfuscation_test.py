"""Identifiers written in disguise are found where they were written, and ordinary text
that looks like a disguise names no one (gate/obfuscation.py; docs/matching.md,
"Disguised identifiers")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.worst import growth_seconds
from gate.check import check_file, check_path, check_text
from gate.content import Content
from gate.extract import content_views, path_views, percent_views
from gate.matcher import Matcher
from gate.obfuscation import disguise_views
from gate.post import check_post
from gate.readers import Part
from tests.support.wordlists import TODAY, compile_rows

ROWS = (
    "C1,name,Kim Lowe,\nC1,alias,Kimmy,\nC2,email,kim.lowe@example.org,\nC3,email,kim@example.org,\n"
    "C4,phone,+1 555 010 2323,\nC5,phone,+44 20 7946 0958,\nC6,id,AB-7731,\nC7,name,Bob Ross,\n"
    "C8,name,Lily Park,\n"
    "C9,name,Rita Hughes,\n"
)


DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "matching.md"
# The identifiers docs/matching.md names for its table of disguised identifiers.
DOCUMENT_ROWS = (
    "C1,name,Kim Lowe,\nC2,email,kim.lowe@example.org,\nC3,email,kim@example.org,\nC4,phone,+1 555 010 2323,\n"
    "C5,phone,+44 20 7946 0958,\nC6,id,AB-7731,\nC8,name,Lily Park,\n"
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return compile_rows(ROWS)


def document_examples() -> list[tuple[str, str | None]]:
    """(text, found) of each row of the table in docs/matching.md, "Disguised identifiers"."""
    section = DOCUMENT.read_text(encoding="utf-8").split("\n## Disguised identifiers\n")[1].split("\n## ")[0]
    rows = [line.split(" | ") for line in section.splitlines() if line.startswith("| `")]
    code = re.compile(r"`([^`]*)`")
    return [
        (code.findall(text)[0], None if found.strip(" |") == "—" else code.findall(found)[0]) for text, found in rows
    ]


@pytest.mark.parametrize(("text", "found"), document_examples())
def test_each_example_of_the_document_holds(text: str, found: str | None) -> None:
    views, _ = content_views("post.txt", text)
    findings, _ = check_text(compile_rows(DOCUMENT_ROWS), text, path="post.txt", today=TODAY, reveal=True, views=views)
    assert [finding.matched for finding in findings] == ([] if found is None else [found])


def places(matcher: Matcher, text: str) -> list[tuple[str, int, int, int, int]]:
    """(client_id, line, column, end_line, end_column) of each finding in `text` checked
    as a plain text file is."""
    views, _ = content_views("post.txt", text)
    findings, _ = check_text(matcher, text, path="post.txt", today=TODAY, views=views)
    return [(item.client_id, item.line, item.column, item.end_line, item.end_column) for item in findings]


CASES = [
    # An address with its @ or its dots written as words, in brackets, or with blanks
    # beside the @ is the listed address, and the finding covers all of it.
    ("write to kim dot lowe at example dot org today", [("C2", 1, 10, 1, 40)]),
    ("kim.lowe (at) example (dot) org", [("C2", 1, 1, 1, 31)]),
    ("kim[at]example.org", [("C3", 1, 1, 1, 18)]),
    ("kim {at} example [dot] org", [("C3", 1, 1, 1, 26)]),
    ("Mail kim @ example.org.", [("C3", 1, 6, 1, 22)]),
    ("Mail: kim @example.org", [("C3", 1, 7, 1, 22)]),
    ("kim.lowe AT example DOT org", [("C2", 1, 1, 1, 27)]),
    ("KIM DOT LOWE AT EXAMPLE DOT ORG", [("C2", 1, 1, 1, 31)]),
    ("kim@example(dot)org", [("C3", 1, 1, 1, 19)]),
    ("kim (AT) example.org", [("C3", 1, 1, 1, 20)]),
    ("kim at example dot org", [("C3", 1, 1, 1, 22)]),
    ("kim  at  example  dot  org", [("C3", 1, 1, 1, 26)]),
    # The @ in brackets too, angle brackets as well, and a dot in brackets (a defanged address).
    ("kim[@]example.org", [("C3", 1, 1, 1, 17)]),
    ("kim (@) example.org", [("C3", 1, 1, 1, 19)]),
    ("kim<at>example<dot>org", [("C3", 1, 1, 1, 22)]),
    ("kim [@] example [.] org", [("C3", 1, 1, 1, 23)]),
    ("kim.lowe@example[.]org", [("C2", 1, 1, 1, 22)]),
    ("kim(.)lowe{@}example.org", [("C2", 1, 1, 1, 24)]),
    ("f(.)g and x[@]y", []),
    ("kim [ @ ] example.org", []),
    # One line break may stand beside a sign (a wrapped paragraph), not a blank line.
    ("write to kim dot lowe at\nexample dot org today", [("C2", 1, 10, 2, 15)]),
    ("kim dot lowe at\n\nexample dot org", []),
    ("kim (at)\n\nexample.org", []),
    # The word at with plain dots is prose ("look at example.org"), and the words at and
    # dot alone are no address.
    ("kim at example.org", []),
    ("look at example.org", []),
    ("meet me at the dot", []),
    ("kim dot lowe at example", []),
    # Read, an address is whole or nothing, as written plainly.
    ("kim dot lowe at example dot org dot uk", []),
    ("skim dot lowe at example dot org", []),
    # Letters one at a time, apart by one blank or one of - . _ *, are a word; words apart
    # by two blanks, another sign, or a small letter then a capital.
    ("K i m  L o w e", [("C1", 1, 1, 1, 14)]),
    ("Thanks to K i m L o w e!", [("C1", 1, 11, 1, 23)]),
    ("K-I-M L-O-W-E", [("C1", 1, 1, 1, 13)]),
    ("K.I.M. L.O.W.E", [("C1", 1, 1, 1, 14)]),
    ("K. I. M.  L. O. W. E.", [("C1", 1, 1, 1, 20)]),
    ("Thanks K. i. m. L. o. w. e.!", [("C1", 1, 8, 1, 26)]),
    # A last letter with no full stop of its own that runs on into the sentence is a word
    # of it; a line break between two spaced words is a blank.
    ("Thanks K. I. M.  L. O. W. E. I owe you one.", [("C1", 1, 8, 1, 27)]),
    ("Kim L. O. W. E. a lot", [("C1", 1, 1, 1, 14)]),
    ("K. I. M.\nL. O. W. E.", [("C1", 1, 1, 2, 10)]),
    ("K-I-M-\nL-O-W-E", [("C1", 1, 1, 2, 7)]),
    ("(K i m  L o w e)", [("C1", 1, 2, 1, 15)]),
    ("k i m  l o w e", [("C1", 1, 1, 1, 14)]),
    ("B o b  R o s s", [("C7", 1, 1, 1, 14)]),
    ("K-I-M-M-Y", [("C1", 1, 1, 1, 9)]),
    # The words around a spaced word are read with it.
    ("Kim L o w e", [("C1", 1, 1, 1, 11)]),
    # Letters that spell no listed word, or another one, or that a comma, a slash or a
    # blank line keeps apart, name no one.
    ("A B C", []),
    ("K i", []),
    ("e.g. U.S.A.", []),
    ("J. R. R. Tolkien and e. g. this", []),
    ("K. I. M. L. O. W. E.", []),  # capitals run into the next word, as `K I M L O W E`
    ("K i m L o w e s", []),
    ("K i m, L o w e", []),
    ("Kim/L o w e", []),
    ("K i m\n\nL o w e", []),
    # Digits and ! or $ for letters, where a digit stands between two letters of a word.
    ("K1m L0we", [("C1", 1, 1, 1, 8)]),
    ("K1M L0W3", [("C1", 1, 1, 1, 8)]),
    ("k!m l0we", [("C1", 1, 1, 1, 8)]),
    ("K1mmy", [("C1", 1, 1, 1, 5)]),
    ("B0b R0ss", [("C7", 1, 1, 1, 8)]),
    ("kim.l0we@example.org", [("C2", 1, 1, 1, 20)]),
    # A 1 is read as an i and as an l.
    ("Li1y Park", [("C8", 1, 1, 1, 9)]),
    # Numbers, versions, codes, hashes and words with a number are not read so; nor a word
    # whose letters are not written as a word's (one run of two names, an id).
    ("I 0wn v1.0 COVID-19 B2B 3rd mp3", []),
    ("e5e5e5 550e8400-e29b-41d4-a716-446655440000", []),
    ("K2m L0we", []),
    ("Ep0ch K1mL0we", []),
    # The words around a form are judged as in the text: an initial after a given name is
    # a middle one (docs/matching.md, "Written as a name").
    ("From: Craig R.Hughes wrote to K1m L0we", [("C1", 1, 31, 1, 38)]),
    # Quoted-printable and a URL's parameters: what follows "=" is not a word.
    ("x=K1m L0we", []),
    # Digits for letters never make a phone or a case number, nor join what one parts:
    # those are found in the text as written, once.
    ("K1m AB-7731 L0we", [("C6", 1, 5, 1, 11)]),
    ("K1m 5550102323", [("C4", 1, 5, 1, 14)]),
    # A phone with the letter O, of either case, for zero beside a digit in its groups.
    ("call 555 O1O 2323", [("C4", 1, 6, 1, 17)]),
    ("555-O1O-2323", [("C4", 1, 1, 1, 12)]),
    ("555 O10 2323", [("C4", 1, 1, 1, 12)]),
    ("O2O 7946 O958", [("C5", 1, 1, 1, 13)]),
    ("(555) o1o-2323", [("C4", 1, 2, 1, 14)]),
    # Fewer than seven digits and Os, Os with no digit beside them, and a word with Os are no phone.
    ("5O5 O1O", []),
    ("2OO8", []),
    ("ZOO 1", []),
    ("555 OOO 2323", []),
    # A phone in words (gate/spoken.py): a unit a digit, zero as zero, oh, o or nought,
    # teens and tens as two digits (or one with the unit after them), double, triple and
    # treble, with blanks and signs between the words (docs/matching.md lists them).
    ("call five five five, oh one oh, two three two three today", [("C4", 1, 6, 1, 51)]),
    ("FIVE-FIVE-FIVE-OH-ONE-OH-TWO-THREE-TWO-THREE", [("C4", 1, 1, 1, 44)]),
    ("five five five zero one zero twenty-three twenty-three", [("C4", 1, 1, 1, 54)]),
    ("one five five five, o one o, two three two three", [("C4", 1, 1, 1, 48)]),
    ("double five five. nought one nought. twenty three, twenty three", [("C4", 1, 1, 1, 63)]),
    ("oh two oh seven nine four six oh nine five eight", [("C5", 1, 1, 1, 48)]),
    ("Call Five Five Five\nOh One Oh Two Three Two Three", [("C4", 1, 6, 2, 29)]),
    ("five five five 010 two three two three", [("C4", 1, 1, 1, 38)]),
    ("555 oh one oh 2323", [("C4", 1, 1, 1, 18)]),
    ("five,five,five,oh,one,oh,two,three,two,three", [("C4", 1, 1, 1, 44)]),
    ("five; five; five: oh one oh / two three two three", [("C4", 1, 1, 1, 49)]),
    ('five five five "oh one oh" two three two three', [("C4", 1, 1, 1, 46)]),
    ("five five five... oh one oh... two three two three", [("C4", 1, 1, 1, 50)]),
    ("five...five...five...oh...one...oh...two...three...two...three", [("C4", 1, 1, 1, 62)]),
    ("triple 5 oh one oh two three two three", [("C4", 1, 1, 1, 38)]),
    ("treble five, nil one nil, two three two three", [("C4", 1, 1, 1, 45)]),
    ("電話five five five oh one oh two three two three", [("C4", 1, 3, 1, 46)]),
    ("five & five & five & oh & one & oh & two & three & two & three", [("C4", 1, 1, 1, 62)]),
    ("five five five nought one nought, twenty three twenty three", [("C4", 1, 1, 1, 59)]),
    ("oh twenty seventy-nine forty-six oh nine fifty-eight", [("C5", 1, 1, 1, 52)]),
    # Too few digits, other digits, numbers that are not read digit by digit, or a blank
    # line between the words: no phone.
    ("five five five oh one oh two three two", []),
    ("it was one two three, easy as that, five five five", []),
    ("five hundred fifty five, oh one oh, two three two three", []),
    ("five five five oh one oh\n\ntwo three two three", []),
    ("five five five oh one oh 2", []),
    # Characters that show nothing are read as absent in every disguise, as the normaliser
    # reads them in a name.
    ("555 O\u200b1O 2323", [("C4", 1, 1, 1, 13)]),
    ("K1\u200bm L0we", [("C1", 1, 1, 1, 9)]),
    ("kim.lowe\u2060[at]\u2060example.org", [("C2", 1, 1, 1, 25)]),
    ("K i\u00ad m  L o w e", [("C1", 1, 1, 1, 15)]),
    ("someone two three four five six seven", []),
    ("5 five 5 0 one 0 2 three 2 three", []),  # no two number words in a row
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_disguised_identifiers(matcher: Matcher, text: str, expected: list[tuple[str, int, int, int, int]]) -> None:
    assert places(matcher, text) == expected


VIEWS = [
    # What each view reads: the disguised forms, with the words around names, each
    # stretch apart from the next by a paragraph break.
    ("write to kim dot lowe at example dot org today", ["kim.lowe@example.org"]),
    ("Thanks to K i m L o w e!", ["Thanks to Kim Lowe!"]),
    ("K.I.M. L.O.W.E", ["KIM LOWE"]),
    ("Meet K1m L0we, 42 Elm St", ["Meet Kim Lowe,\n\nMeet Klm Lowe,"]),
    ("call 555 O1O 2323 now", ["555 010 2323"]),
    ("Plain prose, a name, 2 numbers and kim@example.org: nothing in disguise.", []),
]


@pytest.mark.parametrize(("text", "expected"), VIEWS)
def test_what_the_views_read(text: str, expected: list[str]) -> None:
    assert [view.text for view in disguise_views(text)] == expected


DISGUISE_ALPHABET = st.sampled_from(list("KimLowe0135!$ .-_*@()[]{}atdoATDO\n\t12"))


@given(st.text(DISGUISE_ALPHABET, max_size=80))
@settings(max_examples=400, deadline=None)
def test_views_never_raise_and_point_inside_the_text(text: str) -> None:
    for view in disguise_views(text):
        for position in range(len(view.text)):
            start, last = view.starts.source(position), view.ends.source(position)
            assert 0 <= start <= last < len(text)


def test_a_files_parts_and_a_posts_fields_are_read_for_disguises(matcher: Matcher) -> None:
    caption = Content("photo.jpg", None, parts=(Part("exif:ImageDescription", "K i m  L o w e"),))
    checked = check_file(matcher, caption, today=TODAY)
    assert [(item.client_id, item.location, item.column, item.end_column) for item in checked.findings] == [
        ("C1", "exif:ImageDescription", 1, 14)
    ]
    post = {"id": "p1", "text": "Thanks!", "title": "Mail kim [at] example [dot] org"}
    verdict = check_post(matcher, post, today=TODAY).verdict
    assert [(item.client_id, item.path, item.column) for item in verdict.findings] == [("C3", "/title", 6)]
    assert [view.text for view in percent_views("K1m")] == ["Kim\n\nKlm"]


# A disguise that only the rendered page shows (escapes, entities, tags between its
# signs) is read in what the page renders, found where it was written: (path, text,
# found as written), each checked as the CLI checks a file, with and without the sketch
# that spares a page naming no one its rendering.
RENDERED_DISGUISES = [
    ("a.md", "mail kim.lowe\\[at\\]example\\[.\\]org", ["kim.lowe\\[at\\]example\\[.\\]org"]),
    ("a.html", "<p>kim.lowe&lt;at&gt;example.org</p>", ["kim.lowe&lt;at&gt;example.org"]),
    ("a.html", "<p>kim.lowe&#91;@&#93;example&#91;.&#93;org</p>", ["kim.lowe&#91;@&#93;example&#91;.&#93;org"]),
    ("a.html", "<p>kim.lowe<b>[at]</b>example.org</p>", ["kim.lowe<b>[at]</b>example.org"]),
    ("a.html", "<p>K<i> i m  L o w e</i></p>", ["K<i> i m  L o w e"]),
    ("a.json", '{"t": "kim.lowe\\u005bat]example.org"}', ["kim.lowe\\u005bat]example.org"]),
    # HTML shows a run of blanks (line breaks, blank lines) as one space, but in <pre>; a
    # script or a style shows nothing and lays out nothing.
    ("a.html", "<p>Kim\n\nLowe</p>", ["Kim\n\nLowe"]),
    ("a.html", "<p>kim.lowe    [at]    example.org</p>", ["kim.lowe    [at]    example.org"]),
    ("a.html", "<p>Kim L  o  w  e</p>", ["Kim L  o  w  e"]),
    ("a.html", "<p>Ki<script></script>m Lowe</p>", ["Ki<script></script>m Lowe"]),
    ("a.html", "<p>K1<style>b{}</style>m L0we</p>", ["K1<style>b{}</style>m L0we"]),
    ("a.html", "<p>kim.lowe&#8203;[at]&shy;example.org</p>", ["kim.lowe&#8203;[at]&shy;example.org"]),
    ("a.html", "<pre>Kim\n\nLowe</pre>", []),
    ("a.html", "<p>Kim<script>x</script>Lowe</p>", []),
    ("a.html", "<p>Kim</p>\n<p>Lowe</p>", []),
    ("a.html", "<p>kim&#91;at&#93; the open day</p>", []),
    ("a.md", "kim\\[at\\]example", []),
]


@pytest.mark.parametrize(("path", "text", "expected"), RENDERED_DISGUISES)
@pytest.mark.parametrize("sketched", [False, True], ids=["rendered", "sketched"])
def test_a_disguise_that_only_the_rendered_page_shows(
    matcher: Matcher, path: str, text: str, expected: list[str], sketched: bool
) -> None:
    def anyone(view: str) -> bool:
        return bool(check_text(matcher, view, path="p", today=TODAY)[0])

    views, _ = content_views(path, text, names_anyone=anyone if sketched else None)
    findings, _ = check_text(matcher, text, path=path, today=TODAY, views=views, reveal=True)
    assert [finding.matched for finding in findings] == expected


def test_a_path_is_not_read_for_disguises(matcher: Matcher) -> None:
    # A file's name spells out nothing: kim.lowe.md is read apart (gate/extract.py), not
    # as an address, and K1m-L0we.md is not read with letters for its digits.
    assert all("Kim" not in view.text for view in path_views("posts/K1m-L0we.md"))
    found, _ = check_path(matcher, "posts/K1m-L0we.md", today=TODAY)
    assert found == []


def test_findings_do_not_multiply(matcher: Matcher) -> None:
    text = "K1m L0we and K i m  L o w e wrote from kim [at] example [dot] org. " * 200
    views = disguise_views(text)
    assert sum(len(view.text) for view in views) < 2 * len(text)
    assert [item.client_id for item in check_text(matcher, text, path="p", today=TODAY, views=views)[0]] == [
        "C1",
        "C1",
        "C3",
    ] * 200


# Time at 4n over time at n: 4 for linear work, 16 for quadratic (tests/linear_test.py).
MAX_RATIO = 8
HOSTILE = [
    ("words dot without an at", 10_000, "kim dot "),
    ("signs everywhere", 4_000, "a (at) b [dot] c @ "),
    ("one long address", 20_000, "a."),
    ("ats without an address", 20_000, "@ "),
    ("one long spaced word", 40_000, "K i "),
    ("one long word spaced with full stops", 30_000, "K. i. "),
    ("zero-width characters everywhere", 10_000, "K\u200b1m\u200b 5O\u00ad5 "),
    ("words with digits among numbers", 10_000, "K1m 5O5 "),
    ("spaced words one after another", 20_000, "K i m  "),
    ("single letters apart by signs", 10_000, "a-b.c_d*"),
    ("words with digits", 8_000, "K1m "),
    ("one long run of letters and digits", 40_000, "K1m"),
    ("one long phone with Os", 20_000, "O1O "),
    ("groups of Os and digits", 20_000, "5O5-"),
]


@pytest.mark.parametrize(
    ("unit", "size"), [(unit, size) for _, size, unit in HOSTILE], ids=[name for name, _, _ in HOSTILE]
)
def test_the_views_grow_with_the_text_and_no_faster(unit: str, size: int) -> None:
    small, large = unit * size, unit * (4 * size)
    ratio = growth_seconds(5, lambda: disguise_views(large)) / growth_seconds(5, lambda: disguise_views(small))
    assert ratio <= MAX_RATIO
