"""Identifiers written in disguise, read plainly (docs/matching.md, "Disguised
identifiers").

People keep an identifier from a search, or from a gate like this one, by spelling it
out: an address with its signs in words or brackets (`kim dot lowe at example dot org`,
`kim[at]example.org`), a name a letter at a time (`K i m  L o w e`, `L-O-W-E`), digits
for letters (`K1m L0we`), a phone with the letter O for zero (`555 O1O 2323`). Each
disguise has a view of the places that show it, read plainly, every character mapped
back to where it was written (gate/views.py): the matcher checks a view whole, and a
finding in it covers the whole disguised form.

A view holds only those places, with the words around them (the rest of a name), so that
checking it costs little. The signs are looked for in a byte "shape" of the text, where
`re` runs to a pattern's first byte at memory speed and bytes.find reads about a gigabyte
a second; a regular expression reads the text only around what they find. Even so each
search is a pass over every text: on the real-text corpus the four cost about a tenth of
the check (BENCHMARKS.md), where one regular expression over each text would cost more
than the check itself.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

import regex

from gate.views import View, ViewBuilder, within


class Edit(NamedTuple):
    """Characters [start, end) of the text, read as `text` ("" leaves them out)."""

    start: int
    end: int
    text: str


class Form(NamedTuple):
    """A disguised form at [start, end) of the text, and how it reads."""

    start: int
    end: int
    edits: tuple[Edit, ...]


class Window(NamedTuple):
    """A stretch of the text that a view holds: forms and the words around them."""

    start: int
    end: int
    edits: tuple[Edit, ...]


def disguise_views(text: str) -> list[View]:
    """The views of the identifiers that `text` writes in disguise; none for a text that
    shows no sign of one. Characters that show nothing (zero-width spaces and joiners,
    soft hyphens: Unicode's format characters) are read as absent, as the normaliser
    reads them: `555 O\u200b1O 2323`."""
    if not text.isascii() and _INVISIBLE.search(text):
        visible = _without_invisible(text)
        return [within(visible, view) for view in _disguise_views(visible.text)]
    return _disguise_views(text)


_INVISIBLE = regex.compile(r"\p{Cf}+")


def _without_invisible(text: str) -> View:
    builder = ViewBuilder()
    position = 0
    for invisible in _INVISIBLE.finditer(text):
        builder.verbatim(text[position : invisible.start()], position)
        position = invisible.end()
    builder.verbatim(text[position:], position)
    return builder.build()


def _disguise_views(text: str) -> list[View]:
    written = text.encode("ascii", "replace")  # a byte a character: "?" for any beyond ASCII
    shape = written.translate(_SHAPES)
    words, numbers = mixed_words(text, shape)
    views = (
        address_view(text, written.translate(_SIGNS)),
        spaced_letters_view(text, shape.replace(b"o", b"a")),
        leet_view(text, words),
        phone_view(text, shape, numbers),
    )
    return [view for view in views if view is not None]


_OPENING, _CLOSING = "[({<", "])}>"  # the brackets about a sign written in disguise


def _shape_class(char: str) -> str:
    """What a character is to the searches for spaced letters, digits for letters and Os
    for zeros: "a" a letter but O ("?", which the ascii codec writes for any character
    beyond ASCII, counts as one), "o" an O of either case, "0" a digit or a sign written
    for a letter, "." anything else."""
    if char in "Oo":
        return "o"
    if char.isalpha() or char == "?":
        return "a"
    return "0" if char in "0123456789!$" else "."


def _sign_class(char: str) -> str:
    """What a character is to the searches for an address's signs: the letters d, o and t
    (of either case) themselves, any other letter "a", an opening bracket "(", a closing
    one ")", a full stop "p", "@" itself, anything else ".". A search for "dot", one for
    "t)" or "@)" and one for "(p)" find every word dot, every at or @ in brackets and every
    dot in brackets, whatever their case and brackets, where str.find would take one for
    each."""
    if char.lower() in "dot":
        return char.lower()
    if char.isalpha() or char == "?":
        return "a"
    if char in _CLOSING:
        return ")"
    if char in _OPENING:
        return "("
    if char == ".":
        return "p"
    return "@" if char == "@" else "."


def _table(classify: Callable[[str], str]) -> bytes:
    """The bytes.translate table of a character class, for the ascii codec's bytes."""
    return "".join(classify(chr(code)) for code in range(128)).encode() + b"." * 128


_SHAPES = _table(_shape_class)
_SIGNS = _table(_sign_class)


# --- the words around a form -----------------------------------------------------------------

CONTEXT_WORDS = 3  # words each side of a form: the rest of a name ("Kim Ann L o w e")
CONTEXT_CHARACTERS = 64  # of those that end within this many characters of it
_BLANKS = re.compile(r"\s+")
_LAST_WORD = re.compile(r"\s+\S+")  # read backwards: the blanks before a word, and the word
_INITIAL = re.compile(r"[^\W\d_]\.")


def windows(text: str, forms: Iterable[Form], *, words: int = CONTEXT_WORDS) -> list[Window]:
    """Each form (in the text's order) with up to `words` words each side; forms whose
    stretches meet, or have only blanks between them, in one window.

    A window begins and ends between words, never inside one: a view that began inside
    `x.kim@example.org` would hold an address that is not written. So the words a form
    stands in are whole, however long, and the words around it are taken where they end
    within CONTEXT_CHARACTERS. The text is searched for blanks once: a window's are looked
    for only after the window before.
    """
    found: list[tuple[int, int, list[Edit]]] = []
    for form in forms:
        floor = found[-1][1] if found else 0
        if found and form.end <= floor:
            found[-1][2].extend(form.edits)
            continue
        start = _start_before(text, max(form.start, floor), floor, words)
        end = _end_after(text, form.end, words)
        if found and not text[floor:start].strip():
            found[-1] = (found[-1][0], end, found[-1][2])
            found[-1][2].extend(form.edits)
        else:
            found.append((start, end, list(form.edits)))
    return [Window(start, end, tuple(edits)) for start, end, edits in found]


def _start_before(text: str, position: int, floor: int, words: int) -> int:
    """Where the word holding `position` begins, or the `words`th word before it that
    begins within CONTEXT_CHARACTERS; never before `floor` (a window's end, or 0)."""
    blank = _BLANKS.search(text[floor:position][::-1])
    own = position - blank.start() if blank else floor
    reach = max(floor, own - CONTEXT_CHARACTERS)
    starts = [blank.end() for blank in _BLANKS.finditer(text, reach, own) if blank.end() < own]
    if reach < own and not text[reach].isspace() and (reach == 0 or text[reach - 1].isspace()):
        starts.insert(0, reach)
    start = starts[max(0, len(starts) - words)] if starts and words else own
    # A name's initial is judged by the word before it (gate/precision.py: after a given
    # name it is a middle one, `Craig R.Hughes`): a window does not begin with one.
    while start > floor and _INITIAL.match(text, start) and (before := _word_before(text, start, floor)) < start:
        start = before
    return start


def _word_before(text: str, position: int, floor: int) -> int:
    """Where the word before `position` (a word's start) begins, if it ends and begins
    within CONTEXT_CHARACTERS after `floor`; else `position`."""
    backwards = _LAST_WORD.match(text[max(floor, position - CONTEXT_CHARACTERS) : position][::-1])
    if backwards is None:
        return position
    start = position - backwards.end()
    return start if start == floor or text[start - 1].isspace() else position


def _end_after(text: str, position: int, words: int) -> int:
    """Where the word holding text[position - 1] ends, or the `words`th word after it
    that ends within CONTEXT_CHARACTERS."""
    blank = _BLANKS.search(text, position)
    own = blank.start() if blank else len(text)
    limit = min(len(text), own + CONTEXT_CHARACTERS)
    ends = [blank.start() for blank in _BLANKS.finditer(text, own, limit) if blank.start() > own]
    if limit == len(text) > own and not text[-1].isspace():
        ends.append(limit)
    return ends[min(words, len(ends)) - 1] if ends and words else own


def render(text: str, stretches: Sequence[Window]) -> View | None:
    """A view of the windows, each apart from the next by a paragraph break (no name
    spans one), their edits read; None for no windows."""
    if not stretches:
        return None
    builder = ViewBuilder()
    for window in stretches:
        builder.separate()
        position = window.start
        for edit in sorted(window.edits):
            builder.verbatim(text[position : edit.start], position)
            builder.decoded(edit.text, edit.start, edit.end)
            position = edit.end
        builder.verbatim(text[position : window.end], position)
    return builder.build()


# --- addresses: kim dot lowe at example dot org, kim[at]example.org, kim @ example.org -----

_BLANK = r"[ \t\u00a0]"
# Blanks beside a sign: up to two each side of one line break at most (an address in a
# wrapped paragraph); _BLANKS_AROUND has one at least.
_BLANKS_BESIDE = rf"{_BLANK}{{0,2}}(?:\r?\n{_BLANK}{{0,2}})?"
_BLANKS_AROUND = rf"(?=[ \t\u00a0\r\n]){_BLANKS_BESIDE}"
_BLANK_OR_BREAK = r"[ \t\u00a0\r\n]"


_OPEN, _CLOSE = f"[{re.escape(_OPENING)}]", f"[{re.escape(_CLOSING)}]"


def _bracketed(words: str) -> str:
    """A word in brackets, blanks beside them: `(at)`, ` [dot] `, `<at>`."""
    return rf"{_BLANKS_BESIDE}{_OPEN}(?:{words}){_CLOSE}{_BLANKS_BESIDE}"


_AT = (
    rf"(?P<at_sign>{_bracketed('at|AT|At|@')}|{_BLANKS_AROUND}@{_BLANKS_BESIDE}|@{_BLANKS_AROUND})"
    rf"|(?P<at_word>{_BLANKS_AROUND}(?:at|AT){_BLANKS_AROUND})"
    r"|@"
)
_DOT_WORDS = r"dot|DOT|Dot|\."  # a dot in brackets too: `example[.]org`
DISGUISED_DOT = re.compile(rf"{_bracketed(_DOT_WORDS)}|{_BLANKS_AROUND}(?:dot|DOT){_BLANKS_AROUND}")
_PIECE = r"[\w%+'-]{1,64}+"
MAX_ADDRESS_PIECES = 8  # dotted pieces each side of the at: x.y.z.example.co.uk
_DOTTED = rf"(?:(?:{DISGUISED_DOT.pattern}|\.){_PIECE})"
ADDRESS = re.compile(
    rf"(?<![\w%+.'-])(?P<local>{_PIECE}{_DOTTED}{{0,{MAX_ADDRESS_PIECES - 1}}})"
    rf"(?P<at>{_AT})(?P<domain>{_PIECE}{_DOTTED}{{1,{MAX_ADDRESS_PIECES - 1}}})"
)
# An address is read within this many characters each side of a sign written in disguise
# (64 before its @ and 255 after it, RFC 5321, and the signs' words and blanks); one that
# reaches further is not read.
ADDRESS_REACH = 512
_DOT_IN_SIGNS = re.compile(rb"dot")
_BRACKET_AFTER_AT_IN_SIGNS = re.compile(rb"\)(?<=[t@]\))")
# Where the searches in _SIGNS stop, the sign as ADDRESS reads it: from its "d", at its bracket.
_DOT_SIGN = re.compile(
    rf"(?<={_BLANK_OR_BREAK})(?:dot|DOT)(?={_BLANK_OR_BREAK})|(?<={_OPEN})(?:{_DOT_WORDS})(?={_CLOSE})"
)
_BRACKETED_DOT_IN_SIGNS = re.compile(rb"\(p\)")
_AT_SIGN = re.compile(rf"(?:(?<={_OPEN}(?:at|AT|At))|(?<={_OPEN}@)){_CLOSE}")
_SPACED_AT = re.compile(rf"@(?:(?<={_BLANK_OR_BREAK}@)|(?={_BLANK_OR_BREAK}))")


def address_view(text: str, signs: bytes) -> View | None:
    """Addresses with their @ or dots written as words (`kim dot lowe at example dot
    org`; the word at only where a dot is written so too), in brackets (`(at)`, `[dot]`,
    `{at}`), or with blanks beside the @ (`kim @ example.org`), read as an address is
    written (`kim.lowe@example.org`), each in its own words. `signs`: the text as _SIGNS
    reads it."""
    places = sorted(_address_signs(text, signs))
    forms = []
    for low, high in _reaches(places, ADDRESS_REACH, len(text)):
        for address in ADDRESS.finditer(text, low, high):
            if address.end() < high or high == len(text):  # else it may go on past `high`
                form = _address_form(address)
                if form is not None:
                    forms.append(form)
    return render(text, windows(text, forms, words=0))


def _address_signs(text: str, signs: bytes) -> Iterator[int]:
    """Where a dot or an @ of an address is written in disguise: a word dot, an at, an @
    or a dot in brackets, an @ with a blank beside it."""
    yield from (found.start() for found in _DOT_IN_SIGNS.finditer(signs) if _DOT_SIGN.match(text, found.start()))
    yield from (
        found.start() for found in _BRACKET_AFTER_AT_IN_SIGNS.finditer(signs) if _AT_SIGN.match(text, found.start())
    )
    if b"@" in signs:
        yield from (sign.start() for sign in _SPACED_AT.finditer(text))
    yield from (  # a dot in brackets, as defanged addresses write it: `example[.]org`
        found.start() + 1
        for found in _BRACKETED_DOT_IN_SIGNS.finditer(signs)
        if _DOT_SIGN.match(text, found.start() + 1)
    )


def _reaches(positions: Sequence[int], reach: int, length: int) -> Iterator[tuple[int, int]]:
    """[position - reach, position + reach] about each of the (sorted) positions, those
    that overlap joined."""
    low, high = -1, -1
    for position in positions:
        if position - reach > high:
            if high >= 0:
                yield low, high
            low = max(0, position - reach)
        high = min(length, position + reach)
    if high >= 0:
        yield low, high


def _address_form(address: re.Match[str]) -> Form | None:
    """How an address reads, or None where nothing in it is written in disguise, or its
    at is a word and no dot is (`look at example.org` is prose)."""
    dots = [
        dot
        for part in ("local", "domain")
        for dot in DISGUISED_DOT.finditer(address.string, address.start(part), address.end(part))
    ]
    plain_at = address.group("at") == "@"
    if not dots and (plain_at or address.group("at_word") is not None):
        return None
    edits = [Edit(dot.start(), dot.end(), ".") for dot in dots]
    if not plain_at:
        edits.append(Edit(address.start("at"), address.end("at"), "@"))
    return Form(address.start(), address.end(), tuple(sorted(edits)))


# --- spaced letters: K i m  L o w e, L-O-W-E, K.I.M. L.O.W.E -----------------------------------

_LETTER = r"[^\W\d_]"
# Single letters, each apart from the next by the same one of a blank, "-", ".", "_" or
# "*", or a full stop and a blank (`K. I. M.`).
SPACED_WORD = re.compile(
    rf"(?<![^\W_]){_LETTER}(?P<spacing>\. |[ \t._*-]){_LETTER}(?:(?P=spacing){_LETTER})*(?![^\W_])"
)
# Between two spaced words, read as a blank: blanks (two or more, or one where the
# letters are apart by another sign: `K-I-M L-O-W-E`), or a spacing sign with blanks
# about it (`K.I.M. L.O.W.E`); one line break at most. A comma or a slash is no blank:
# `K i m, L o w e` reads `Kim, Lowe`.
WORD_BREAK = re.compile(
    r"[ \t]{0,3}[._*-][ \t]{0,3}\n[ \t]{0,3}|[ \t]{1,4}(?:\n[ \t]{0,3})?|[ \t]{0,3}[\n._*-][ \t]{0,3}"
)
MIN_SPACED_LETTERS = 3
# In the shape with every letter "a": two single letters, one or two characters apart.
# `re` reads this a quarter faster than bytes.find reads ".a.a.".
_TWO_SINGLE_LETTERS = re.compile(rb"\.a\.\.?a\.")


def spaced_letters_view(text: str, letters: bytes) -> View | None:
    """Words written a letter at a time (`K i m  L o w e`, `L-O-W-E`), read with their
    letters together, and the words around them (`Kim L o w e`). `letters`: the shape of
    the text with every letter "a"."""
    forms = []
    reached = 0
    for position in _single_letters(letters):
        if position < reached:
            continue
        form = _spaced_form(text, position, reached)
        if form is not None:
            forms.append(form)
        reached = form.end if form is not None else position + 1
    return render(text, windows(text, forms))


def _single_letters(letters: bytes) -> Iterator[int]:
    """Where a letter stands alone, and another one two or three characters after it."""
    if letters.startswith((b"a.a.", b"a..a.")):
        yield 0
    found = _TWO_SINGLE_LETTERS.search(letters)
    while found is not None:
        yield found.start() + 1
        found = _TWO_SINGLE_LETTERS.search(letters, found.start() + 1)


def _spaced_form(text: str, start: int, floor: int) -> Form | None:
    """The spaced words from the single letter at `start` (from the first letter of its
    word, after `floor`), apart by word breaks; None where they hold fewer than
    MIN_SPACED_LETTERS letters."""
    first = SPACED_WORD.match(text, start)
    if first is None:
        return None
    spacing = first.group("spacing")
    step = len(spacing) + 1
    while (
        start - step >= floor and text.startswith(spacing, start - len(spacing)) and _single_letter(text, start - step)
    ):
        start -= step  # the search passed a letter it could not see alone
    edits: list[Edit] = []
    letters = 0
    end = start
    word = _spaced_word(text, start)
    while word is not None:
        word_start, end, width, cut = word
        letters += (end - word_start + width) // (width + 1)
        edits += _joined(text, word_start, end, width)
        gap = WORD_BREAK.match(text, end) if not cut else None  # a cut word ends the form
        word = _spaced_word(text, gap.end()) if gap else None
        if word is not None and gap is not None:
            edits.append(Edit(gap.start(), gap.end(), " "))
    return Form(start, end, tuple(edits)) if letters >= MIN_SPACED_LETTERS else None


class _SpacedWord(NamedTuple):
    start: int
    end: int
    width: int  # of its spacing
    cut: bool  # read without its last letter


def _spaced_word(text: str, at: int) -> _SpacedWord | None:
    """The spaced word at `at`. One spaced by full stops and blanks whose last letter,
    without a full stop of its own, runs on into a word of the text is read without it:
    `L. O. W. E. I owe` is `LOWE` and `I`."""
    word = SPACED_WORD.match(text, at)
    if word is None:
        return None
    end, width = word.end(), len(word.group("spacing"))
    if (
        width == 2
        and end - word.start() > 4
        and text[end : end + 1] in (" ", "\t")
        and text[end + 1 : end + 2].isalpha()
    ):
        return _SpacedWord(word.start(), end - 3, width, cut=True)
    return _SpacedWord(word.start(), end, width, cut=False)


def _single_letter(text: str, at: int) -> bool:
    return text[at].isalpha() and (at == 0 or not text[at - 1].isalnum())


def _joined(text: str, start: int, end: int, width: int) -> list[Edit]:
    """The signs between a spaced word's letters left out, but a blank where a small
    letter meets a capital (`K i m L o w e` is two words)."""
    return [
        Edit(at, at + width, " " if text[at - 1].islower() and text[at + width].isupper() else "")
        for at in range(start + 1, end, width + 1)
    ]


# --- digits for letters: K1m L0we, L0w3, K!m ----------------------------------------------------

LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "!": "i", "$": "s"}
SECOND_READING = {"1": "l"}  # a "1" is as often an l as an i: a word with one is read both ways
MAX_LEET_WORD = 24  # longer runs of letters and digits are codes, hashes and base64
# In the shape: a digit between two letters, or beside an O, in a run of letters and
# digits shorter than MAX_LEET_WORD on either side of it. `re` runs to each digit at
# memory speed, and passes over base64 (lines of it in mail) without a stop in Python.
_MIXED = re.compile(
    rb"0(?:(?<=[ao]0)(?=[ao])|(?=o)|(?<=o0))(?<![ao0]{%d}0)(?![ao0]{%d})" % (MAX_LEET_WORD, MAX_LEET_WORD)
)
_LETTER_DIGIT_LETTER = re.compile(rb"[ao]0[ao]")
_DIGITS_AND_OS = re.compile(r"[0-9Oo]*[Oo][0-9Oo]*")
# A word read with letters for its digits: letters, and the digits and signs of LEET only
# (B2B and h264 are no words), a digit between two letters (not mp3, 3rd, v1), never three
# digits in a row (a code: g7LCUqx17585).
_READABLE = re.compile(r"(?=.*?[^\W\d_][01345789!$][^\W\d_])(?!.*?\d{3})(?:[^\W\d_]|[01345789!$])+")
_HEX = re.compile(r"[0-9A-Fa-f]{6,}")  # a colour, a hash, an id: e5e5e5, 8dfafdbc3a40
_DIGIT = re.compile(r"\d")


def mixed_words(text: str, shape: bytes) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """[start, end) of the runs of letters and digits (and `!`, `$`) of at most
    MAX_LEET_WORD characters (longer ones are codes, hashes and base64, many in mail)
    that have a digit between two letters, then of those of digits and Os with an O
    beside a digit (O1O, 5O5, O14)."""
    words, numbers = [], []
    reached = 0
    while (digit := _MIXED.search(shape, reached)) is not None:
        start = shape.rfind(b".", 0, digit.start()) + 1
        end = shape.find(b".", digit.start())
        reached = end if end >= 0 else len(shape)
        if reached - start > MAX_LEET_WORD:
            continue
        if _DIGITS_AND_OS.fullmatch(text, start, reached):
            numbers.append((start, reached))
        elif _LETTER_DIGIT_LETTER.search(shape, start, reached):
            words.append((start, reached))
    return words, numbers


def leet_view(text: str, words: Sequence[tuple[int, int]]) -> View | None:
    """Words with digits or `!`/`$` for some of their letters (`K1m L0we`, `L0w3`, `K!m`),
    read with the letters, and the words around them; a word without a digit between two
    letters (`mp3`, `3rd`, `B2B`, `COVID-19`, `v1.0`) is not read, nor a number. The view
    holds no digit, so no phone or case number is found in it."""
    forms = [
        Form(start, end, _leet_edits(text, start, end))
        for start, end in words
        # Not after "=": quoted-printable (=E4t), a URL's parameters (?id=a1b).
        if text[start - 1 : start] != "=" and _leet_word(text, start, end)
    ]
    read = _without_digits(text, windows(text, forms))
    again = [
        _read_again(text, window) for window in read if any(text[edit.start] in SECOND_READING for edit in window.edits)
    ]
    return render(text, read + again)


def _leet_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is read with letters for its digits: it has two letters at
    least and no fewer letters than digits, and its letters are written as a word's are,
    in small letters, in capitals or with a capital first (not base64's Ey4ACgkQ, an id's
    9C1D, a class's Epub3Builder)."""
    if not _READABLE.fullmatch(text, start, end) or _HEX.fullmatch(text, start, end):
        return False
    letters = "".join(char for char in text[start:end] if char.isalpha())
    return (
        len(letters) >= 2
        and end - start <= 2 * len(letters)
        and (letters.islower() or letters.isupper() or letters.istitle())
    )


def _leet_edits(text: str, start: int, end: int) -> tuple[Edit, ...]:
    return tuple(Edit(at, at + 1, LEET[text[at]]) for at in range(start, end) if text[at] in LEET)


def _without_digits(text: str, stretches: Sequence[Window]) -> list[Window]:
    """The windows without the words in them that hold a digit once read (a phone, a case
    number beside a name): the text is checked for those as written, and none is found in
    the view. A window's parts that are left without a word read are left out. The edits
    of a part are looked up by their starts (bisect): a window of thousands of words with
    digits among them is cut in thousands of parts."""
    kept: list[Window] = []
    for window in stretches:
        edits = sorted(window.edits)
        starts = [edit.start for edit in edits]
        read = set(starts)
        start = window.start
        for digit in _DIGIT.finditer(text, window.start, window.end):
            at = digit.start()
            if at in read or at < start:
                continue
            blank_before = _BLANKS.search(text[start:at][::-1])
            blank_after = _BLANKS.search(text, at, window.end)
            kept += _window_part(edits, starts, start, at - blank_before.end() if blank_before else start)
            start = blank_after.end() if blank_after else window.end
        kept += _window_part(edits, starts, start, window.end)
    return kept


def _window_part(edits: Sequence[Edit], starts: Sequence[int], start: int, end: int) -> list[Window]:
    """[start, end) of a window whose edits, sorted, begin at `starts`, with its edits."""
    part = tuple(edits[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)])
    return [Window(start, end, part)] if part else []


def _read_again(text: str, window: Window) -> Window:
    """The window with its "1"s read as the other letter they stand for."""
    return window._replace(
        edits=tuple(edit._replace(text=SECOND_READING.get(text[edit.start], edit.text)) for edit in window.edits)
    )


# --- phones with O for zero: 555 O1O 2323 -------------------------------------------------------

# A group of a phone's digits, written with the letter O for some zeros: a digit in it.
_O_GROUP = r"(?<![^\W_])[Oo]*+[0-9][0-9Oo]*+(?![^\W_])"
PHONE_WITH_O = re.compile(rf"{_O_GROUP}(?:[ \t.()/+-]{{1,3}}{_O_GROUP})*")
MIN_PHONE_DIGITS = 7  # as many as the shortest form the matcher looks for
PHONE_REACH = 48  # characters each side of a group with an O in which its number is read


def phone_view(text: str, shape: bytes, groups: Sequence[tuple[int, int]]) -> View | None:
    """Phone numbers with the letter O for zero in their groups (`555 O1O 2323`,
    `O2O 7946 O958`), read with 0s, each in its own words. `groups`: [start, end) of
    each word of digits and Os in the text."""
    return render(text, windows(text, _phones_with_o(text, shape, groups), words=0))


def _phones_with_o(text: str, shape: bytes, groups: Iterable[tuple[int, int]]) -> Iterator[Form]:
    """The numbers about `groups` that have MIN_PHONE_DIGITS digits and Os, an O among
    them, read with 0 for each O. A number is read whole from the first word of digits
    before its group to the last one after it, within PHONE_REACH."""
    reached = 0
    for start, end in groups:
        if end <= reached:
            continue
        low = shape.rfind(b".", 0, max(reached, start - PHONE_REACH)) + 1
        high = shape.find(b".", min(len(text), end + PHONE_REACH))
        for number in PHONE_WITH_O.finditer(text, max(low, reached), high if high >= 0 else len(text)):
            zeros = [at for at in range(number.start(), number.end()) if text[at] in "Oo"]
            if zeros and sum(map(str.isdigit, number.group())) + len(zeros) >= MIN_PHONE_DIGITS:
                yield Form(number.start(), number.end(), tuple(Edit(at, at + 1, "0") for at in zeros))
            reached = number.end()
        reached = max(reached, end)
