"""One normalisation for wordlist values and checked text, with a map back to the original.

The normalised text keeps every word character a reader sees and folds away what does not
change who is named: case, accents, compatibility forms, format characters, look-alike
letters from other scripts, and layout (runs of blanks with at most one line break become
one space; a blank line stays a paragraph break that no name can span).

Most content is ASCII, so the work is arranged to stay in C for it: the per-character
folding runs only when the text has non-ASCII characters, and only the characters that
change length (a zero-width space, "ß") and runs of several blanks leave offsets to map.

The matcher's automaton reads a skeleton of the normalised text, of the same length:
letters and digits as they are, anything else a blank (Normalizer.skeleton).
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

import regex
from anyascii import anyascii

APOSTROPHES = "\u2018\u2019\u201b\u02bc\u02b9\u2032\uff07`\u00b4"

# Letters of other scripts that readers take for Latin ones. Keyed by the exact
# character, before case folding, because an upper-case Greek eta looks like H and its
# lower case like n. Unicode's confusables.txt also maps Latin letters and digits onto
# each other ("l", "1", "I"), which would make ordinary words collide; only the
# cross-script letters are wanted here, and they are few enough to read. A name listed
# in Greek or Cyrillic is compiled in each case as well (gate/matcher.py), so that it
# matches itself whatever the case it is written in.
LOOKALIKES = {
    # Cyrillic
    "А": "a",
    "а": "a",
    "В": "b",
    "в": "b",
    "Е": "e",
    "е": "e",
    "К": "k",
    "к": "k",
    "М": "m",
    "м": "m",
    "Н": "h",
    "н": "h",
    "О": "o",
    "о": "o",
    "Р": "p",
    "р": "p",
    "С": "c",
    "с": "c",
    "Т": "t",
    "т": "t",
    "У": "y",
    "у": "y",
    "Х": "x",
    "х": "x",
    "І": "i",
    "і": "i",
    "Ј": "j",
    "ј": "j",
    "Ѕ": "s",
    "ѕ": "s",
    "Ԁ": "d",
    "ԁ": "d",
    "Ү": "y",
    "ү": "y",
    "Һ": "h",
    "һ": "h",
    "Ӏ": "l",
    "ӏ": "l",
    "Ԛ": "q",
    "ԛ": "q",
    "Ԝ": "w",
    "ԝ": "w",
    "Ь": "b",
    "Ѵ": "v",
    "ѵ": "v",
    # Greek
    "Α": "a",
    "α": "a",
    "Β": "b",
    "Ε": "e",
    "Ζ": "z",
    "Η": "h",
    "η": "n",
    "Ι": "i",
    "ι": "i",
    "Κ": "k",
    "κ": "k",
    "Μ": "m",
    "Ν": "n",
    "ν": "v",
    "Ο": "o",
    "ο": "o",
    "Ρ": "p",
    "ρ": "p",
    "Τ": "t",
    "τ": "t",
    "Υ": "y",
    "υ": "u",
    "Χ": "x",
    "χ": "x",
    "ϲ": "c",
    "Ϲ": "c",
    "ϳ": "j",
    "Ϳ": "j",
}
# Letters whose other case folds otherwise (or not at all): lists compile such names in
# every case.
CASE_DEPENDENT_LOOKALIKES = frozenset(
    char for char in LOOKALIKES if LOOKALIKES.get(char.swapcase()) != LOOKALIKES[char]
)

_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = b"abcdefghijklmnopqrstuvwxyz"
# Hyphens, underscores and pipes (a table's columns: "| Kim | Lowe |") between words count
# as a space. "#" and "@" both tag a name
# run together ("#KimLowe", "@kimlowe"): one sigil serves both, which halves the
# automaton's share for that variant. Line breaks are spaces, except those of blank
# lines, which arrive marked and leave as line breaks.
_LAYOUT_FROM = b"-_\t\f\v\n#\0|"
_LAYOUT_TO = b"      @  "
# Other control characters are blanks too: "Kim\x1fLowe" reads as "Kim Lowe" on screen.
_CONTROLS = "".join(map(chr, [*range(1, 9), *range(14, 32), 127]))
_PARAGRAPH_MARK = 0xFF  # a byte that ASCII text never holds
_ASCII_BYTES = bytes.maketrans(
    _UPPER + _LAYOUT_FROM + _CONTROLS.encode() + bytes([_PARAGRAPH_MARK]),
    _LOWER + _LAYOUT_TO + b" " * len(_CONTROLS) + b"\n",
)
_SPACED_PARAGRAPH_BYTES = re.compile(rb"\n(?:[ \t\f\v]+\n)+")
_SPACED_PARAGRAPH = regex.compile(r"\n(?:[ \t\f\v]+\n)+")
# Two spaces, then any more: re looks for a literal start of two characters at memory
# speed, and tries a match at every single space for one ("  +" cost half as much again).
_SPACE_RUNS = re.compile("(   *)")
# The regex module scans these character classes several times faster than re.
_NON_ASCII_RUN = regex.compile(r"[^\x00-\x7f]+")
_NON_ASCII_SPLIT = regex.compile(r"([^\x00-\x7f]+)")
# The caches of folds are bounded, and emptied when full: one post of 43 KB of distinct
# characters once made every later check of the worker 2,400 times slower. A check pays
# for the characters it holds, never for what the cache holds.
MAX_CACHED_RUNS = 50_000
MAX_CACHED_RUN_LENGTH = 32  # longer runs (a text in Chinese) are folded a character at a time
MAX_CACHED_CHARS = 50_000
_CONTROL_CHARS = re.compile("[" + re.escape(_CONTROLS) + "]")
MIN_ASCII_STRETCH = 256  # average characters between non-ASCII runs for the fast path
# Scripts written without spaces between words: a word of them has no boundary to find.
NO_SPACE_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR")
FIRST_UNSPACED = "\u0e01"  # no letter of those scripts comes before it (Thai's first)
# The skeleton of ASCII: letters and digits as they are, everything else a blank. Bytes
# past ASCII are left alone, so the table serves UTF-8 too. (str.translate with a table
# costs 1.4 us to set up for each text, against 0.2 for all of this on a 100-character path.)
_SKELETON_BYTES = bytes(code if chr(code).isalnum() or code >= 0x80 else 0x20 for code in range(256))


class OffsetMap(NamedTuple):
    """Sparse map from positions in a derived string to positions in its source.

    Between two anchors the offset is constant; a character that expands (ß to "ss")
    has an anchor on each of its outputs, all pointing at it.
    """

    targets: Sequence[int]
    sources: Sequence[int]

    def source(self, position: int) -> int:
        index = bisect.bisect_right(self.targets, position) - 1
        if index < 0:
            return position
        return self.sources[index] + position - self.targets[index]


class Normalized(NamedTuple):
    text: str
    maps: tuple[OffsetMap, ...]

    def source(self, position: int) -> int:
        """Position in the original text of the character at `position`."""
        for offset_map in reversed(self.maps):
            position = offset_map.source(position)
        return position


class Normalizer:
    """Normalises text; remembers how the non-ASCII characters and runs it has met fold."""

    def __init__(self) -> None:
        self._chars: dict[str, str] = {}
        # run -> (its fold, the length of each character's fold where one is not 1)
        self._runs: dict[str, tuple[str, tuple[int, ...] | None]] = {}
        self._blanks = _Blanks(unspaced=False)
        self._unspaced_blanks = _Blanks(unspaced=True)

    def __getstate__(self) -> dict[str, object]:
        return {
            "_chars": {},
            "_runs": {},
            "_blanks": _Blanks(unspaced=False),
            "_unspaced_blanks": _Blanks(unspaced=True),
        }

    def cached(self) -> tuple[int, int]:
        """How many runs, and at most how many characters, the caches hold (they are bounded)."""
        return len(self._runs), max(len(self._chars), len(self._blanks), len(self._unspaced_blanks))

    def normalize(self, text: str) -> Normalized:
        maps: list[OffsetMap] = []
        if not text.isascii():
            text, offset_map = self._fold_non_ascii(text)
            if offset_map.targets:
                maps.append(offset_map)
        text = _fold_layout(text)
        text, offset_map = _collapse_spaces(text)
        if offset_map.targets:
            maps.append(offset_map)
        return Normalized(text, tuple(maps))

    def text(self, text: str) -> str:
        return self.normalize(text).text

    def skeleton(self, text: str, *, blank_unspaced: bool = False) -> str:
        """Normalised `text` as gate/matcher.py's automaton reads it: one blank, then the
        text with every character that is not a letter or digit as a blank, so that a
        word begins wherever a blank is followed by a letter or digit. Every character
        stays where it was, one place on. `blank_unspaced`: letters of the scripts written
        without spaces (NO_SPACE_SCRIPTS) are blanks too.
        """
        data = text.encode("utf-8", "surrogatepass").translate(_SKELETON_BYTES)
        skeleton = " " + data.decode("utf-8", "surrogatepass")
        if text.isascii():
            return skeleton
        skeleton = _translate_non_ascii(skeleton, self._blanks)
        return _translate_non_ascii(skeleton, self._unspaced_blanks) if blank_unspaced else skeleton

    def blanked(self, text: str, *, unspaced: bool = False) -> str:
        """`text` (short: a key) with every character that is not a letter or digit as a
        blank, and with `unspaced`, every letter of NO_SPACE_SCRIPTS too: the skeleton
        without its leading blank, a character at a time."""
        return text.translate(self._unspaced_blanks if unspaced else self._blanks)

    def unspaced_pieces(self, skeleton: str, reach: int) -> list[tuple[int, str]]:
        """Where a word can begin right after a letter of a script written without spaces
        (in `skeleton`, that letter stands where the word's blank would be): the pieces of
        the skeleton from each run of such letters to `reach` characters past it, with
        those letters blank, each with where it starts in `skeleton`.

        Only these pieces are read again: reading the whole skeleton a second time took
        as long as the first, for one Chinese name in five megabytes of English.
        """
        if skeleton.isascii():
            return []
        spans: list[list[int]] = []
        for run in _NON_ASCII_RUN.finditer(skeleton):
            if max(run.group()) < FIRST_UNSPACED or run.group().translate(self._unspaced_blanks) == run.group():
                continue
            if spans and run.start() <= spans[-1][1]:
                spans[-1][1] = run.end() + reach
            else:
                spans.append([run.start(), run.end() + reach])
        return [(start, skeleton[start:end].translate(self._unspaced_blanks)) for start, end in spans]

    def _fold_non_ascii(self, text: str) -> tuple[str, OffsetMap]:
        # Split at the runs in C, and each run's fold from the cache: a Python call for
        # each run from regex.sub took a third of the time of accent-heavy prose, where a
        # run is one letter.
        pieces = _NON_ASCII_SPLIT.split(text)  # ASCII stretches and non-ASCII runs, in turn
        runs = pieces[1::2]
        folds = [cached or self._fold_run(run) for cached, run in zip(map(self._runs.get, runs), runs, strict=True)]
        uneven = [(index, widths) for index, (_, widths) in enumerate(folds) if widths is not None]
        starts = list(itertools.accumulate(map(len, pieces), initial=0)) if uneven else []  # of each piece
        pieces[1::2] = [folded for folded, _ in folds]
        return "".join(pieces), _resize_map([(starts[2 * index + 1], widths) for index, widths in uneven])

    def _fold_run(self, run: str) -> tuple[str, tuple[int, ...] | None]:
        cached = self._runs.get(run)
        if cached is not None:
            return cached
        folds = [self._fold_char(char) for char in run]
        widths = tuple(map(len, folds))
        folded = ("".join(folds), widths if any(width != 1 for width in widths) else None)
        if len(run) <= MAX_CACHED_RUN_LENGTH:
            if len(self._runs) >= MAX_CACHED_RUNS:
                self._runs.clear()
            self._runs[run] = folded
        return folded

    def _fold_char(self, char: str) -> str:
        folded = self._chars.get(char)
        if folded is None:
            if len(self._chars) >= MAX_CACHED_CHARS:
                self._chars.clear()
            folded = self._chars[char] = fold_char(char)
        return folded


class _Blanks(dict[int, int]):
    """A table for str.translate: a character that is not a letter or digit (or, with
    `unspaced`, is a letter of a script written without spaces) becomes a blank; filled
    as characters are met, and emptied when full."""

    def __init__(self, *, unspaced: bool = False) -> None:
        super().__init__()
        self.unspaced = unspaced

    def __missing__(self, code: int) -> int:
        char = chr(code)
        blank = not char.isalnum() or (self.unspaced and no_space_script(char))
        if len(self) >= MAX_CACHED_CHARS:
            self.clear()
        self[code] = 0x20 if blank else code
        return self[code]


def no_space_script(char: str) -> bool:
    """Whether `char` belongs to a script written without spaces between words."""
    return not char.isascii() and unicodedata.name(char, "").startswith(NO_SPACE_SCRIPTS)


def _translate_non_ascii(text: str, table: _Blanks) -> str:
    """`text` through `table`, which leaves ASCII as it is: only the non-ASCII runs are
    translated where they are few (str.translate reads about 30 MB/s, a character at a
    time), the whole text where they are many."""
    runs = list(itertools.islice(_NON_ASCII_RUN.finditer(text), len(text) // MIN_ASCII_STRETCH + 1))
    if len(runs) > len(text) // MIN_ASCII_STRETCH:
        return text.translate(table)
    pieces = []
    position = 0
    for run in runs:
        pieces += [text[position : run.start()], run.group().translate(table)]
        position = run.end()
    pieces.append(text[position:])
    return "".join(pieces)


def _resize_map(uneven: Sequence[tuple[int, Sequence[int]]]) -> OffsetMap:
    """The map back from folded text, given where the runs with characters whose fold is
    not one character start, and each character's fold length."""
    targets: list[int] = []
    sources: list[int] = []
    shift = 0
    for run_start, widths in uneven:
        for index, width in enumerate(widths):
            if width == 1:
                continue
            position = run_start + index
            for inner in range(width):
                targets.append(position + shift + inner)
                sources.append(position)
            shift += width - 1
            targets.append(position + 1 + shift)
            sources.append(position + 1)
    return OffsetMap(targets, sources)


# Symbols (emoji, arrows, stars, currency signs, math) and bullets stand between the words
# of a name as a blank does: "Kim 🎨 Lowe", "Kim • Lowe", "ジョン・スミス" read as two words.
SYMBOLS = frozenset({"So", "Sm", "Sc"})
BULLETS = frozenset("\u2022\u00b7\u2027\u30fb\u2023\u2043\uff65")
EMOJI_MODIFIERS = frozenset(map(chr, range(0x1F3FB, 0x1F400)))  # skin tones


def _plain_symbol(char: str, category: str) -> bool:
    """A symbol that is not a compatibility form of other characters (a full-width "＋" is
    a "+", "℃" is "°C": those fold as they decompose)."""
    return category in SYMBOLS and unicodedata.normalize("NFKD", char) == char


def fold_char(char: str, depth: int = 0) -> str:
    """The normalised form of one non-ASCII character (possibly empty or longer)."""
    if char in APOSTROPHES:
        return "'"
    if char in LOOKALIKES:
        return LOOKALIKES[char]
    category = unicodedata.category(char)
    if category in ("Cf", "Mn", "Me"):
        return ""
    if category in ("Zs", "Pd", "Cc") or char in BULLETS or char in EMOJI_MODIFIERS or _plain_symbol(char, category):
        return "\n" if char == "\x85" else " "
    if category == "Zl":
        return "\n"
    if category == "Zp":
        return "\n\n"
    if category == "Nd":
        return str(unicodedata.decimal(char))
    if depth > 3:
        return char
    decomposed = unicodedata.normalize("NFKD", char)
    if decomposed == char:
        decomposed = char.casefold()
    if decomposed != char:
        return "".join(part.lower() if part.isascii() else fold_char(part, depth + 1) for part in decomposed)
    if unicodedata.name(char, "").startswith("LATIN"):
        # Letters such as ø, ł, æ and þ do not decompose; transliteration spells them
        # as readers would type them.
        return anyascii(char).lower()
    return char


def _fold_layout(text: str) -> str:
    """Lower-case ASCII letters, and blanks and single line breaks as spaces.

    Blank lines keep their line breaks: they are marked first, then one translation
    does the rest. For ASCII text every step is a whole-string pass in C.
    """
    if text.isascii():
        return _fold_ascii_layout(text)
    # What is left of non-ASCII is folded already (letters, no blanks), so the ASCII
    # stretches between it can take the fast path, as long as there are few of them: a
    # few Chinese or Greek names in English prose, not a text in Greek.
    runs = list(itertools.islice(_NON_ASCII_RUN.finditer(text), len(text) // MIN_ASCII_STRETCH + 1))
    if len(runs) <= len(text) // MIN_ASCII_STRETCH:
        pieces = []
        position = 0
        for run in runs:
            pieces += [_fold_ascii_layout(text[position : run.start()]), _lower_same_length(run.group())]
            position = run.end()
        pieces.append(_fold_ascii_layout(text[position:]))
        return "".join(pieces)
    return _fold_wide_layout(text)


def _fold_ascii_layout(text: str) -> str:
    data = text.encode("ascii")
    if b"\0" in data:  # a space, also where it is all a line holds
        data = data.replace(b"\0", b" ")
    if b"\r" in data:
        data = data.replace(b"\r\n", b" \n").replace(b"\r", b"\n")
    data = data.replace(b"\n\n", b"\xff\xff")
    data = _SPACED_PARAGRAPH_BYTES.sub(_mark_paragraph_bytes, data)
    return data.translate(_ASCII_BYTES).decode("latin-1")


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text


def _fold_wide_layout(text: str) -> str:
    # What is left of non-ASCII is folded already: lower() and a few replaces are much
    # faster than a translation table on a non-ASCII string.
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(char.lower() if char.isascii() else char for char in text)
    lowered = lowered.replace("\0", " ").replace("\r\n", " \n").replace("\r", "\n")
    lowered = lowered.replace("\n\n", "\0\0")
    lowered = _SPACED_PARAGRAPH.sub(_mark_paragraph, lowered)
    for layout, replacement in zip("-_\t\f\v\n#\0|", "      @\n ", strict=True):
        if layout in lowered:
            lowered = lowered.replace(layout, replacement)
    if _CONTROL_CHARS.search(lowered):
        lowered = _CONTROL_CHARS.sub(" ", lowered)
    return lowered


def _mark_paragraph_bytes(match: re.Match[bytes]) -> bytes:
    return match.group().replace(b"\n", b"\xff")


def _mark_paragraph(match: regex.Match[str]) -> str:
    return match.group().replace("\n", "\0")


def _collapse_spaces(text: str) -> tuple[str, OffsetMap]:
    """Runs of spaces become one space.

    The text is split at its runs in C, and the map is summed from the lengths of the
    pieces: a loop over the runs in Python took 28 ms of the 35 that a fortune file's
    normalisation cost (its verses are indented).
    """
    pieces = _SPACE_RUNS.split(text)  # kept text and runs of spaces, in turn
    if len(pieces) == 1:
        return text, OffsetMap((), ())
    # Each run's end in the text, and where that lands once it and every run before it
    # is one space: less the spaces of those runs, plus one for each.
    sources = list(itertools.accumulate(map(len, pieces)))[1::2]
    spaces = itertools.accumulate(map(len, pieces[1::2]))
    targets = list(map(operator.add, map(operator.sub, sources, spaces), itertools.count(1)))
    return " ".join(pieces[::2]), OffsetMap(targets, sources)
