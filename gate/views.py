"""The vocabulary every content format speaks: a view is a text derived from a file, each
of its characters mapped back to where it was written, and a builder puts one together
piece by piece."""

from __future__ import annotations

import html
import itertools
import operator
import re
import urllib.parse
from typing import NamedTuple

from gate.normalize import OffsetMap

PARAGRAPH = "\n\n"
# A character reference as HTML5 reads one (html.unescape's own pattern): a browser
# decodes `&#0000105` and `&eacute` without their `;`.
_CHARREF = r"&(?:#[0-9]++;?+|#[xX][0-9a-fA-F]++;?+|[^\t\n\f <&#;]{1,32}+;?+)"
# Written to begin with "%" outside any group: re then skips to each "%" at memory speed,
# where the grouped form was tried at every character (14% of the fortunes' check).
_PERCENT = r"%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*+"
PERCENT = re.compile(_PERCENT)
CHARREF = re.compile(_CHARREF)
_CHARREF_OR_PERCENT = re.compile(rf"(?P<entity>{_CHARREF})|(?P<percent>{_PERCENT})")


class View(NamedTuple):
    """A text derived from a file, with where each of its characters was written.

    `starts` maps a character to the offset of the first original character it came
    from, `ends` to the offset just after the last: "i" decoded from "&#105;" spans all
    six characters.
    """

    text: str
    starts: OffsetMap
    ends: OffsetMap


def sparse_map(positions: list[int]) -> OffsetMap:
    """An OffsetMap for `positions` (the text's position of each character of a view),
    anchored only where the offset between them changes."""
    if not positions:
        return OffsetMap([], [])
    shifts = list(map(operator.sub, positions, itertools.count()))
    targets = [0, *itertools.compress(itertools.count(1), map(operator.ne, shifts[1:], shifts))]
    return OffsetMap(targets, [positions[target] for target in targets])


def within(outer: View, inner: View) -> View:
    """`inner`, a view of `outer`'s text, as a view of what `outer` was made from: a
    character at a time, so for small views only (the identifiers that a rendered page
    writes in disguise)."""
    positions = range(len(inner.text))
    return View(
        inner.text,
        sparse_map([outer.starts.source(inner.starts.source(position)) for position in positions]),
        sparse_map([outer.ends.source(inner.ends.source(position)) for position in positions]),
    )


class ViewBuilder:
    def __init__(self) -> None:
        self._pieces: list[str] = []
        self._length = 0
        self._targets: list[int] = []
        self._starts: list[int] = []
        self._ends: list[int] = []

    def verbatim(self, text: str, start: int) -> None:
        """Characters as written, at `start` in the original."""
        if text:  # written out: a rendered page calls this for every piece of its text
            self._targets.append(self._length)
            self._starts.append(start)
            self._ends.append(start + 1)
            self._pieces.append(text)
            self._length += len(text)

    def decoded(self, text: str, start: int, end: int) -> None:
        """Characters decoded from original[start:end]; each stands for all of it."""
        for char in text:
            self._anchor(start, end)
            self._append(char)

    def separate(self, separator: str = PARAGRAPH) -> None:
        """A break that no name spans (between strings, attributes, blocks)."""
        if self._pieces and not self._pieces[-1].endswith(separator):
            end = self._last_end()  # the break stands on the last character before it
            self.decoded(separator, max(end - 1, 0), max(end, 1))

    def build(self) -> View:
        return View(
            "".join(self._pieces),
            OffsetMap(self._targets, self._starts),
            OffsetMap(self._targets, [end - 1 for end in self._ends]),
        )

    def _anchor(self, start: int, end: int) -> None:
        self._targets.append(self._length)
        self._starts.append(start)
        self._ends.append(end)

    def _append(self, text: str) -> None:
        self._pieces.append(text)
        self._length += len(text)

    def _last_end(self) -> int:
        return self._ends[-1] if self._ends else 0


def decode_entities(builder: ViewBuilder, text: str, start: int) -> None:
    """HTML text at `start` in the original, its character references decoded as a
    browser decodes them; what a reference does not use is kept as written."""
    position = 0
    for reference in CHARREF.finditer(text):
        builder.verbatim(text[position : reference.start()], start + position)
        _place_reference(builder, reference.group(), start + reference.start())
        position = reference.end()
    builder.verbatim(text[position:], start + position)


def decode_value(builder: ViewBuilder, value: str, start: int) -> None:
    """An attribute's value or a link's target at `start`: references and
    percent-encoding decoded."""
    position = 0
    for token in _CHARREF_OR_PERCENT.finditer(value):
        builder.verbatim(value[position : token.start()], start + position)
        if token.lastgroup == "entity":
            _place_reference(builder, token.group(), start + token.start())
        else:
            builder.decoded(decode_percent(token.group()), start + token.start(), start + token.end())
        position = token.end()
    builder.verbatim(value[position:], start + position)


def decoded_value(value: str) -> str:
    """The text decode_value puts in a view for `value`."""
    return _CHARREF_OR_PERCENT.sub(_decoded_token, value) if "&" in value or "%" in value else value


def _decoded_token(token: re.Match[str]) -> str:
    return html.unescape(token.group()) if token.lastgroup == "entity" else decode_percent(token.group())


def decode_percent(token: str) -> str:
    """A run of percent escapes as a URL shows it, or as written where it is not UTF-8."""
    try:
        return urllib.parse.unquote_to_bytes(token).decode("utf-8")
    except UnicodeDecodeError:
        return token


def _place_reference(builder: ViewBuilder, reference: str, start: int) -> None:
    decoded = html.unescape(reference)
    if decoded == reference:
        builder.verbatim(reference, start)
        return
    # `&eacutex` is "é" and "x": the letters after the longest entity name are kept as
    # written, where they were written.
    kept = 0
    while kept < len(decoded) - 1 and decoded[-1 - kept] == reference[-1 - kept]:
        kept += 1
    end = start + len(reference) - kept
    builder.decoded(decoded[: len(decoded) - kept], start, end)
    builder.verbatim(reference[len(reference) - kept :], end)
