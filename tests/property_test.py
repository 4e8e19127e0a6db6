"""Properties: a client's name, however disguised, is found where it stands, and only there."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.support.wordlists import compile_rows, places

FILLER = ["the", "garden", "open", "day", "and", "tea", "with", "our", "team", "on", "sunny"]
LOOKALIKE = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441"}
ACCENTED = {"a": "á", "e": "é", "o": "ø", "u": "ü", "i": "î", "c": "ç", "n": "ñ"}
word = st.from_regex(r"[bdfgjkmqvwxz][aeiou][bdfgjkmqvwxz][aeiou]?[bdfgjkmqvwxz]?", fullmatch=True)
prose = st.lists(st.sampled_from(FILLER), max_size=12)
separators = st.lists(st.sampled_from([" ", "\n", " ", "  "]), min_size=30, max_size=30)


def disguise(text: str, how: str) -> str:
    if how == "upper":
        return text.upper()
    if how == "title":
        return text.title()
    if how == "accents":
        return "".join(ACCENTED.get(char, char) for char in text)
    if how == "lookalike":
        return "".join(LOOKALIKE.get(char, char) for char in text)
    if how == "zero-width":
        return text[:2] + "\u200b" + text[2:]
    if how == "soft-hyphen":
        return text[:-1] + "\u00ad" + text[-1:]
    return text


def place_in_prose(before: list[str], name: str, after: list[str], gaps: list[str]) -> tuple[str, int]:
    text = ""
    for index, filler in enumerate(before):
        text += filler + gaps[index]
    return text + name + " " + " ".join(after) + ".", len(text)


def line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=word,
    last=word,
    before=prose,
    after=prose,
    gaps=separators,
    how=st.sampled_from(["none", "upper", "title", "accents", "lookalike", "zero-width", "soft-hyphen"]),
    wrap=st.booleans(),
    possessive=st.booleans(),
    accented_list=st.booleans(),
)
def test_disguised_name_is_found_at_its_place(
    first: str,
    last: str,
    before: list[str],
    after: list[str],
    gaps: list[str],
    how: str,
    wrap: bool,
    possessive: bool,
    accented_list: bool,
) -> None:
    value = f"{first} {last}"
    listed = disguise(value, "accents") if accented_list else value
    matcher = compile_rows(f"C,name,{listed.title()},\n")
    written = disguise(first, how) + ("\n" if wrap else " ") + disguise(last, how)
    text, start = place_in_prose(before, written + ("'s" if possessive else ""), after, gaps)
    end = start + len(written) - 1
    assert ("C", *line_column(text, start), *line_column(text, end)) in places(matcher, text)


@settings(max_examples=200, deadline=None)
@given(
    first=word,
    last=word,
    before=prose,
    after=prose,
    gaps=separators,
    breaker=st.sampled_from([". ", ", ", "; ", ": ", "! ", "? ", "\n\n", "\n \n"]),
)
def test_never_across_a_sentence_break(
    first: str, last: str, before: list[str], after: list[str], gaps: list[str], breaker: str
) -> None:
    assume(first != last)  # "Bab, Bab" is the Last, First form of "Bab Bab"
    matcher = compile_rows(f"C,name,{first} {last},\n")
    text, _ = place_in_prose(before, first + breaker + last, after, gaps)
    assert places(matcher, text) == []


@settings(max_examples=200, deadline=None)
@given(
    first=word,
    last=word,
    before=prose,
    after=prose,
    gaps=separators,
    prefix=st.sampled_from(["", "s", "re", "9"]),
    suffix=st.sampled_from(["", "s", "ing", "7"]),
)
def test_never_inside_a_longer_word(
    first: str, last: str, before: list[str], after: list[str], gaps: list[str], prefix: str, suffix: str
) -> None:
    matcher = compile_rows(f"C,name,{first} {last},\n")
    text, _ = place_in_prose(before, f"{prefix}{first} {last}{suffix}", after, gaps)
    assert (places(matcher, text) == []) == bool(prefix or suffix)
