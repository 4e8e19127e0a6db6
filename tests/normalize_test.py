"""The normaliser: what each character becomes, and the map back to the original."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import gate.normalize
from gate.normalize import (
    FIRST_UNSPACED,
    Normalizer,
    _collapse_spaces,
    _fold_layout,
    _fold_wide_layout,
    fold_char,
    no_space_script,
)

FOLDS = [
    ("é", "e"),
    ("Ø", "o"),
    ("ø", "o"),
    ("ł", "l"),
    ("Æ", "ae"),
    ("ß", "ss"),
    ("ẞ", "ss"),
    ("þ", "th"),
    ("İ", "i"),
    ("ﬁ", "fi"),
    ("Ｋ", "k"),
    ("𝐊", "k"),
    ("٣", "3"),
    ("５", "5"),
    ("\u200b", ""),
    ("\u00ad", ""),
    ("\ufeff", ""),
    ("\u0301", ""),
    ("\u00a0", " "),
    ("\u2009", " "),
    ("\u3000", " "),
    ("–", " "),
    ("—", " "),
    ("\u2011", " "),
    ("’", "'"),
    ("‘", "'"),
    ("ʼ", "'"),
    ("\u2028", "\n"),
    ("\u2029", "\n\n"),
    ("е", "e"),
    ("Р", "p"),
    ("ρ", "p"),
    ("Η", "h"),
    ("η", "n"),
    ("ν", "v"),
    ("ζ", "ζ"),
    ("Ж", "ж"),
    ("张", "张"),
]


@pytest.mark.parametrize(("char", "expected"), FOLDS)
def test_fold_char(char: str, expected: str) -> None:
    assert fold_char(char) == expected


TEXTS = [
    ("Kim Lowe", "kim lowe"),
    ("Kim\tLowe", "kim lowe"),
    ("Kim \n Lowe", "kim lowe"),
    ("Kim\r\nLowe", "kim lowe"),
    ("Kim\n\nLowe", "kim\n\nlowe"),
    ("Kim\n \nLowe", "kim\n \nlowe"),
    ("Anna-Lena_Berg", "anna lena berg"),
    ("a    b", "a b"),
    ("Rose. Mary", "rose. mary"),
    ("O’Brien", "o'brien"),
    ("Straße", "strasse"),
    ("#KimLowe @kimlowe", "@kimlowe @kimlowe"),
    ("Kim\0Lowe", "kim lowe"),
    ("Kim\x1fLowe", "kim lowe"),
    ("Kim\x08Lowe\x7f", "kim lowe "),
    ("Kim\x1fLowe \u0436", "kim lowe \u0436"),
    ("Kim\n\t\nLowe", "kim\n \nlowe"),
    ("Kim\r\rLowe", "kim\n\nlowe"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), TEXTS)
def test_normalize_text(text: str, expected: str) -> None:
    assert Normalizer().text(text) == expected


def test_source_positions_skip_what_was_removed() -> None:
    text = "ß\u200bX  Y\r\nZ"
    normalized = Normalizer().normalize(text)
    assert normalized.text == "ssx y z"
    assert [text[normalized.source(index)] for index in range(len(normalized.text))] == [
        "ß",
        "ß",
        "X",
        " ",
        "Y",
        "\r",
        "Z",
    ]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_is_idempotent_and_total(text: str) -> None:
    normalizer = Normalizer()
    once = normalizer.normalize(text)
    assert normalizer.text(once.text) == once.text
    for index in range(len(once.text)):
        assert 0 <= once.source(index) < len(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_positions_never_go_backwards(text: str) -> None:
    normalized = Normalizer().normalize(text)
    sources = [normalized.source(index) for index in range(len(normalized.text))]
    assert sources == sorted(sources)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from([*"ab Z\n\r\t-_#\0\x1f\x7f .", "ж", "张", "ω", "ǅ", "  ", "\n \n"]), max_size=40).map(
        "".join
    )
)
def test_layout_of_ascii_stretches_between_folded_letters_is_the_whole_text_layout(text: str) -> None:
    """The fast path for a few non-ASCII runs gives what the whole-string path gives."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gate.normalize, "MIN_ASCII_STRETCH", 1)  # take the fast path for any text
        assert _fold_layout(text) == _fold_wide_layout(text)


mixed = st.lists(
    st.sampled_from(
        [*"ab Z\n.-'", "  ", "é", "ß", "\u200b", "ﬁ", "ж", "张", "Æ", "\u0301", "½", "\U0001d40a", "ŉ", "😀"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(mixed)
def test_folding_the_runs_at_once_is_folding_each_character(text: str) -> None:
    """The fold of the non-ASCII runs, split and looked up in C, is each character's fold,
    and every character of it maps back to the character it came from."""
    folded, offset_map = Normalizer()._fold_non_ascii(text)
    sources = [index for index, char in enumerate(text) for _ in (char if char.isascii() else fold_char(char))]
    assert folded == "".join(char if char.isascii() else fold_char(char) for char in text)
    assert [offset_map.source(index) for index in range(len(folded))] == sources


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", " ", "  ", "   ", "\n"]), max_size=40).map("".join))
def test_runs_of_spaces_become_one_and_map_back_to_where_they_start(text: str) -> None:
    collapsed, offset_map = _collapse_spaces(text)
    assert collapsed == re.sub("  +", " ", text)
    # Each character maps to itself in the text, a run's one space to the run's first.
    sources = [match.start() for match in re.finditer(" +|[^ ]", text)]
    assert [offset_map.source(index) for index in range(len(collapsed))] == sources


@settings(max_examples=500, deadline=None)
@given(mixed)
def test_the_skeleton_is_the_text_with_all_but_letters_and_digits_blank(text: str) -> None:
    normalizer = Normalizer()
    normalized = normalizer.text(text)
    skeleton = normalizer.skeleton(normalized)
    assert skeleton == " " + "".join(char if char.isalnum() else " " for char in normalized)
    unspaced = normalizer.skeleton(normalized, blank_unspaced=True)
    assert unspaced == " " + "".join(" " if no_space_script(char) else char for char in skeleton[1:])


@settings(max_examples=500, deadline=None)
@given(mixed, st.integers(min_value=1, max_value=6))
@example("张 张 abcdefgh", 3)  # two runs a piece apart: one piece, to the second's reach
@example("ab张", 4)  # a piece cut at the end of the text
def test_the_pieces_after_unspaced_letters_are_the_second_skeleton_where_it_differs(text: str, reach: int) -> None:
    normalizer = Normalizer()
    skeleton = normalizer.skeleton(text)
    unspaced = normalizer.skeleton(text, blank_unspaced=True)
    pieces = normalizer.unspaced_pieces(skeleton, reach)
    covered: set[int] = set()
    for start, piece in pieces:
        assert piece == unspaced[start : start + len(piece)]
        covered.update(range(start, start + len(piece)))
    # Every letter the second skeleton blanks, and the `reach` characters after it.
    for index in range(len(skeleton)):
        if unspaced[index] != skeleton[index]:
            assert set(range(index, min(index + reach + 1, len(skeleton)))) <= covered
    starts = [start for start, _ in pieces]
    assert starts == sorted(starts) and all(
        start + len(piece) < next_start for (start, piece), next_start in zip(pieces, starts[1:], strict=False)
    )


def test_no_letter_of_a_script_without_spaces_comes_before_the_first_unspaced() -> None:
    """Text below FIRST_UNSPACED (Latin, Greek, Cyrillic...) is never searched for them."""
    first = min(code for code in range(0x80, 0x110000) if no_space_script(chr(code)))
    assert chr(first) == FIRST_UNSPACED
