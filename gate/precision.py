"""Whether a name the matcher found is written as that name: the text around a match of a
name variant can show that it names someone else ("Hunter S. Thompson" is not
"S. Thompson"), or no one ("the hill, dawn broke" is not "Hill, Dawn").

The rules read the text in which a match was found (the text as written, or a view of it)
at the match and beside it. Which variant matched shows in what is written there (a comma,
an initial and its period), so no key or listed value is needed. docs/matching.md,
"Written as a name", is the contract.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container, Iterable
from importlib import resources
from typing import TypeVar

from gate.kinds import Kind

GIVEN_NAMES_FILE = "given-names.txt"  # written by `python -m bench.given_names`
# Dashes that set words apart, where a hyphen joins them: an em dash (the horizontal bar,
# the two- and three-em dashes and the compatibility forms too) always, spaced or not
# ("pure joy—baker" is not Joy Baker); an en dash with a blank beside it ("Kim – Lowe"),
# while one between two letters joins as a hyphen does ("Anna Lena–Berg", "Kim-Lowe").
EM_DASHES = frozenset("\u2014\u2015\u2e3a\u2e3b\ufe31\ufe58")
EN_DASHES = frozenset("\u2013\ufe32")
# The `F. Last` variant as written: a letter or digit and its period, at the match's start.
_INITIAL = re.compile(r"[^\W_][.\uff0e]")
# The word right before an initial: letters, an optional period (then it is an initial
# itself, or an abbreviation), and blanks with one line break at most, up to the initial.
_WORD_BEFORE = re.compile(r"(?<![^\W_])([^\W\d_]+)(\.?)([^\S\r\n]*(?:\r\n|\r|\n)?[^\S\r\n]*)\Z")
LOOK_BACK = 80  # characters read before an initial: longer than any given name and its blanks
# Before an initial, a period after a letter or digit is code or a domain ("obj.s.thompson");
# after the surname, "@" is an e-mail's local part and "(" a call ("j.smith@example.org").
_CODE_BEFORE = "."
_CODE_AFTER = "@("

Target = TypeVar("Target", bound=tuple[int, ...])  # (start, end, target, …)


def load_given_names() -> frozenset[str]:
    """The given names of the gate's data file, folded (fold_word). Read when a list is
    compiled; the compiled list carries them."""
    return parse_given_names(resources.files("gate").joinpath(GIVEN_NAMES_FILE).read_text(encoding="utf-8"))


def parse_given_names(text: str) -> frozenset[str]:
    """One name a line; `#` begins a comment line."""
    return frozenset(fold_word(line.strip()) for line in text.splitlines() if line.strip() and line[0] != "#")


def fold_word(word: str) -> str:
    """A word without case or accents: `José` and `JOSE` are `jose`."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def written_as_names(
    text: str, matches: Iterable[Target], kind_of: Callable[[int], Kind], given_names: Container[str]
) -> list[Target]:
    """The matches in `text`, (start, end, target, …) each, but those of names that the text shows
    are not written as the name; an allow term's (target < 0) are all kept."""
    return [
        match
        for match in matches
        if match[2] < 0 or written_as_name(text, match[0], match[1], kind=kind_of(match[2]), given_names=given_names)
    ]


def written_as_name(text: str, start: int, end: int, *, kind: Kind, given_names: Container[str]) -> bool:
    """Whether text[start:end], a match of an identifier of `kind`, is written as it."""
    if kind.family not in ("name", "words"):
        return True
    written = text[start:end]
    if _dashed(written):
        return False
    if kind.family != "name":
        return True
    if "," in written:
        before, _, after = written.partition(",")
        # the words beside the comma: `van der Berg, Anna` is written as a name
        return _capitalised(before.rsplit(None, 1)[-1] if before.strip() else before) and _capitalised(after)
    if _INITIAL.match(written):
        return not (_middle_initial(text, start, given_names) or _in_code(text, start, end))
    return True


def _dashed(written: str) -> bool:
    """Whether a dash sets two of the words apart (EM_DASHES, EN_DASHES); a dash inside a
    match is between two of its characters."""
    if not EM_DASHES.isdisjoint(written):
        return True
    return any(
        char in EN_DASHES and (written[index - 1].isspace() or written[index + 1].isspace())
        for index, char in enumerate(written[1:-1], 1)
    )


def capitalised_as_written(written: str) -> bool:
    """Whether every word of a match as written (what blanks set apart: `Min-jun` is one)
    begins with a letter that is not a small one: the surname-first variant (`Lowe Kim`)
    counts only so, where `the price mark` would read as prose."""
    return not any(next((char for char in word if char.isalpha()), "A").islower() for word in written.split())


def _capitalised(words: str) -> bool:
    """Whether the first letter is not a small one (letters without case count as capitals)."""
    return not next((char for char in words if char.isalpha()), "a").islower()


def _middle_initial(text: str, start: int, given_names: Container[str]) -> bool:
    """Whether the initial at `start` comes right after a capitalised given name
    ("Hunter S. Thompson") or another initial ("George R. R. Martin", "J.R. Smith")."""
    window_start = max(0, start - LOOK_BACK)
    found = _WORD_BEFORE.search(text, window_start, start)
    if found is None or (found.start() == window_start and window_start and text[window_start - 1].isalnum()):
        return False
    word, period, blanks = found.groups()
    if not word[0].isupper():
        return False
    if period:
        return len(word) == 1
    return bool(blanks) and fold_word(word) in given_names


def _in_code(text: str, start: int, end: int) -> bool:
    """Whether the initial and surname are part of an e-mail address or of code."""
    if end < len(text) and text[end] in _CODE_AFTER:
        return True
    return start >= 2 and text[start - 1] in _CODE_BEFORE and (text[start - 2].isalnum() or text[start - 2] in "_)]")
