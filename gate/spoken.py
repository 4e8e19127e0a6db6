"""Phone numbers written in words: `five five five, oh one oh, two three two three`.

A number word is an ordinary word, so a text holds no sign to look for first, and reading
every word of every text for them cost a quarter of a check (docs/matching.md). Two number
words in a row are rare in prose, though, and the list's automaton finds any of its keys
at no cost to the text: each pair (`five five`, `oh, one`, `twenty three`) is a key of the
matcher (gate/matcher.py, SPOKEN_CODE) when the list has phones, and only where one is
found are the number words about it read, as digits, and looked up in the phone table as
the digit runs of a written number are.

Words, in English: `zero`, `oh`, `o`, `nought` and `nil` for 0; `one` to `nine`; `ten` to
`nineteen` for two digits; `twenty` to `ninety` for two, or one where a unit follows
(`twenty-three` is 23, `twenty` alone 20); `double`, `triple` and `treble` before a unit or
a digit repeat it; digits among them are read as written (`555 oh one oh 2323`).
Read in the normalised text, whose case is folded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

UNITS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "nought": "0",
    "nil": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
TEENS = {
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
}
TENS = {
    "twenty": "2",
    "thirty": "3",
    "forty": "4",
    "fifty": "5",
    "sixty": "6",
    "seventy": "7",
    "eighty": "8",
    "ninety": "9",
}
REPEATS = {"double": 2, "triple": 3, "treble": 3}
# Between two units as a key, in the normalised text (where a hyphen is a blank and blanks
# run together): a blank, or one of these signs with or without a blank each side (the
# last three with blanks both sides or none). The words of one number may stand farther
# apart (SEPARATOR).
PAIR_SEPARATORS = (
    " ",
    *(
        f"{before}{sign}{after}"
        for sign in (",", ".", ";", ":", "/", "...")
        for before in ("", " ")
        for after in ("", " ")
    ),
    *(spaced for sign in ("&", "+", "!") for spaced in (sign, f" {sign} ")),
)
_ALL = {**UNITS, **TEENS, **TENS, **dict.fromkeys(REPEATS, "")}
# Digits too: `555 oh one oh 2323`. A word is whole where no ASCII letter or digit goes
# on from it: the normalised text has no other, but for scripts written without spaces
# (`電話five five five`), which the matcher's automaton finds a key after as well.
_WORD = "(?<![a-z0-9])(?:" + "|".join(sorted(_ALL, key=len, reverse=True)) + "|[0-9]+)(?![a-z0-9])"
# Blanks and signs (quotes, brackets, `&`, `?`, an ellipsis) between the words of a run:
# `five five five "oh one oh"`. One line break at most.
_SIGNS = r"""[ \t,.;:/()\[\]{}"'&?!+\-]"""
SEPARATOR = rf"(?:{_SIGNS}{{1,4}}|{_SIGNS}{{0,3}}\n{_SIGNS}{{0,3}})"
_RUN = re.compile(rf"{_WORD}(?:{SEPARATOR}{_WORD})*")
_WORDS = re.compile(_WORD)
_LONGEST_WORD = max(map(len, _ALL))
READ_BACK = 240  # characters before a pair where the run of number words holding it may begin


class Spoken(NamedTuple):
    """The digits that a word (or a word and the unit after it) stands for, where it is."""

    digits: str
    start: int
    end: int


def pair_keys() -> set[str]:
    """Two number words in a row, as the matcher's keys. Two units stand in a row somewhere
    in nearly every phone read aloud (`five five`, `oh one`, `five o five`), and the run
    about them is read whole: they pair with each of PAIR_SEPARATORS. Any two number words
    (or `double`, `triple`, `treble` and one) pair with a blank (`sixteen fourteen`,
    `twenty three`). Each list with phones compiles all 7,000: 8 ms more for a small list."""
    units = {first + separator + second for first in UNITS for second in UNITS for separator in PAIR_SEPARATORS}
    words = (*UNITS, *TEENS, *TENS)
    return units | {f"{first} {second}" for first in (*words, *REPEATS) for second in words}


def spoken_runs(text: str, places: list[int]) -> Iterator[list[Spoken]]:
    """The runs of number words in `text` (normalised) that hold the places where pairs
    were found, each once, read as digits: a run is read no further back than READ_BACK
    before its first pair, and every run is read once, however many pairs it holds. Each
    run is matched from a word's start, and the search never goes past its pair: a pair
    that no run holds (one the automaton found beside letters of a script written without
    spaces) costs the characters before it, once."""
    reached = 0
    for place in sorted(places):
        if place < reached:
            continue
        position = max(reached, place - READ_BACK)
        reached = place + 1
        # Up to the first word of the pair, and a character after it for the word's end.
        while (word := _WORDS.search(text, position, place + _LONGEST_WORD + 1)) is not None and word.start() <= place:
            run = _RUN.match(text, word.start())
            if run is not None and run.end() > place:
                reached = run.end()
                yield list(_read(text, run.start(), run.end()))
                break
            position = run.end() if run is not None else word.end()


def _read(text: str, start: int, end: int) -> Iterator[Spoken]:
    words = [(word.group(), word.start(), word.end()) for word in _WORDS.finditer(text, start, end)]
    index = 0
    while index < len(words):
        word, first, last = words[index]
        following = words[index + 1] if index + 1 < len(words) else None
        unit = following is not None and following[0] in UNITS
        if word in REPEATS:
            if following is not None and (unit or (len(following[0]) == 1 and following[0].isdigit())):
                yield Spoken(UNITS.get(following[0], following[0]) * REPEATS[word], first, following[2])
                index += 2
            else:
                index += 1  # `double` before no unit reads as nothing
            continue
        if (
            word in TENS
            and following is not None
            and unit
            and UNITS[following[0]] != "0"
            and text[last : following[1]] == " "  # `twenty-three`: the hyphen is a blank once normalised
        ):
            yield Spoken(TENS[word] + UNITS[following[0]], first, following[2])
            index += 2
            continue
        yield Spoken(UNITS.get(word) or TEENS.get(word) or (TENS[word] + "0" if word in TENS else word), first, last)
        index += 1


_SMALL = [*["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"], *TEENS]  # 0 to 19 in words
_TENS_WORDS = {digit: word for word, digit in TENS.items()}


def number_words(value: str) -> list[str]:
    """How a number of a client's details (an age, a birth year) is said in words, as
    normalised text has it (a hyphen is a blank): `34` is `thirty four`; `1989`
    `nineteen eighty nine`; `1905` `nineteen oh five` and `nineteen hundred and five`;
    `2005` `two thousand and five` and `two thousand five`. None for other values."""
    if not value.isascii() or not value.isdigit() or value != str(int(value)):
        return []
    number = int(value)
    if number < 100:
        return [_below_hundred(number)]
    if not 1000 <= number <= 2099:
        return []
    century, rest = divmod(number, 100)
    if century == 20 and rest < 10:
        thousand = "two thousand" + (f" and {_below_hundred(rest)}" if rest else "")
        return [thousand, thousand.replace(" and", "")] if rest else [thousand]
    if rest == 0:
        return [f"{_below_hundred(century)} hundred"]
    if rest < 10:
        return [
            f"{_below_hundred(century)} oh {_below_hundred(rest)}",
            f"{_below_hundred(century)} hundred and {_below_hundred(rest)}",
        ]
    said = [f"{_below_hundred(century)} {_below_hundred(rest)}"]
    if century == 20:
        said.append(f"two thousand and {_below_hundred(rest)}")
    return said


def _below_hundred(number: int) -> str:
    if number < 20:
        return _SMALL[number]
    tens, unit = divmod(number, 10)
    return _TENS_WORDS[str(tens)] + (f" {_SMALL[unit]}" if unit else "")
