"""The normaliser: what each character becomes, and the map back to the original."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gate.normalize
from gate.normalize import (
    Normalizer,
    _fold_layout,
    _fold_wide_layout,
    fold_char,
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
