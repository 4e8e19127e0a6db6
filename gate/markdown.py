"""Markdown as a reader sees it, through markdown-it-py (CommonMark, with tables and
strike-through): emphasis and code markers gone, escapes and entities decoded, link text
inline, blocks apart; link and image targets, titles and alt text apart as published
attributes; inline and block HTML through gate/markup.py.

markdown-it reports the lines of each block, not where its inline pieces were written.
Each piece (text, an escape or an entity, a code span, a line break, a tag) is found in
the file by its literal text, searching forward from the end of the piece before it
within its block's lines; a piece that is not written literally (a code span across
lines) is placed over the stretch it must lie in, and never dropped.

markdown-it parses about 1-3 MB/s, while most of a post is prose that reads as written.
So a document is cut at its blank lines into chunks (no block of a reader's view spans
a blank line, only code, comments and list items run across one, and a name never does),
and only the chunks that hold a character that can split or disguise a name (`*`, `~`,
a backtick, `[`, `<`, `&`, `\\`, or a line starting with `>`) are parsed; the others are
checked as written, which is what a reader sees of them. A chunk is parsed without its
common indentation: the paragraph of a list item after a blank line would otherwise be
an indented code block. A chunk alone would not resolve `[Kim][1]` to a link where the
definition `[1]: /x` is in another: the chunks holding definitions (`]:`) are parsed
first, and every chunk is then parsed knowing them all (markdown-it keeps them in its
`env`).

Parsing even those chunks reads a documentation page at about 2 MB/s, while most pages
name no one. Given the matcher's `names_anyone`, a chunk is parsed only where its sketch
(gate/markdown_sketch.py: what a reader sees of it, read without the parser) names
someone, or where the sketch cannot tell; a page whose sketches name no one is not parsed
at all.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from gate.markup import render_html, tag_shows
from gate.views import PARAGRAPH, ViewBuilder, decode_value

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_LINE_BREAK = re.compile(r"\r\n?+|\n")
_BLANK_LINES = re.compile(r"(?:\r\n?+|\n)(?:[ \t]*+(?:\r\n?+|\n))++")
# What can show other than as written: a markup character, or a blockquote's ">" (looked
# for apart: re skips to a character of a class at once, not to a line's start).
_MARKUP = re.compile(r"[*~`\[<&\\]")
_QUOTED = re.compile(r"^[ \t]*+>", re.MULTILINE)
_INDENT = re.compile(r"^[ \t]*+", re.MULTILINE)
# A piece not found by this many searches in a block is not searched for again there:
# each search reads to the block's end, and a block of unfindable pieces would take
# time in its length squared.
MAX_MISSES = 16


def has_markdown(text: str) -> bool:
    """Whether Markdown could show the text other than as written."""
    return _disguised(text, 0, len(text))


def _disguised(text: str, start: int, end: int) -> bool:
    if _MARKUP.search(text, start, end) is not None:
        return True
    return text.find(">", start, end) >= 0 and _QUOTED.search(text, start, end) is not None


def render_markdown(
    builder: ViewBuilder,
    attributes: ViewBuilder,
    text: str,
    *,
    names_anyone: Callable[[str], bool] | None = None,
) -> None:
    """The text as rendered into `builder`, the published targets, titles and alt text
    into `attributes`, each apart.

    `names_anyone`: whether an identifier stands in a text; given, a chunk whose sketch
    (gate/markdown_sketch.py) names no one is not rendered, as no view of it can.
    """
    document = _read(text)
    chunks = document.chunks
    if names_anyone is not None:
        chunks = _named(chunks, _sketches(text, document), names_anyone)
        if not chunks:
            return
    parser = _parser()
    references = {reference["href"] for reference in document.env.get("references", {}).values()}
    placer = _Placer(text, builder, attributes)
    line_starts = _line_starts(text)
    for start, chunk in chunks:
        first_line = bisect.bisect_left(line_starts, start)
        _render(parser.parse(chunk, document.env), placer, line_starts, first_line, references)
    placer.flush()


def sketch_chunks(text: str) -> list[str | None]:
    """The sketch of each chunk that render_markdown would parse, in order; None for one
    that only rendering can tell."""
    return _sketches(text, _read(text))


class _Document(NamedTuple):
    chunks: list[tuple[int, str]]  # (where it starts, text) of each chunk to parse
    env: dict[str, dict[str, dict[str, str]]]  # markdown-it's: the link reference definitions


def _read(text: str) -> _Document:
    """The document's chunks, and its link reference definitions, read first for every
    chunk (markdown-it keeps them in its env): a definition is written "[label]:", and
    every chunk that holds one is parsed for them."""
    chunks = list(_chunks(text))
    env: dict[str, dict[str, dict[str, str]]] = {}
    defining = [chunk for _, chunk in chunks if "]:" in chunk]
    if defining:
        parser = _parser()
        for chunk in defining:
            parser.parse(chunk, env)
    return _Document(chunks, env)


def _line_starts(text: str) -> list[int]:
    """Where each line starts, and the text's end (lines end at "\n", "\r\n" or "\r")."""
    return [0, *(line_break.end() for line_break in _LINE_BREAK.finditer(text)), len(text)]


def _sketches(text: str, document: _Document) -> list[str | None]:
    from gate.markdown_sketch import sketch_markdown

    references = document.env.get("references")
    return [
        sketch_markdown(chunk, _Region(text, start, len(_LINE_BREAK.findall(chunk)) + 1).lines, references)
        for start, chunk in document.chunks
    ]


class _Region:
    """A chunk's lines as written in the text (`count` of them, the first starting at
    `start`): what an HTML block renders. Where each starts is found once, when asked."""

    def __init__(self, text: str, start: int, count: int) -> None:
        self._text = text
        self._start = start
        self._count = count
        self._starts: list[int] = []

    def lines(self, first: int, end: int) -> str:
        """Lines `first` to `end` (exclusive) of the chunk."""
        if not self._starts:
            breaks = _LINE_BREAK.finditer(self._text, self._start)
            ends = [line_break.end() for line_break in itertools.islice(breaks, self._count)]
            self._starts = [self._start, *ends, len(self._text)]
        last = len(self._starts) - 1
        return self._text[self._starts[min(first, last)] : self._starts[min(end, last)]]


def _named(
    chunks: Sequence[tuple[int, str]], sketches: Sequence[str | None], names_anyone: Callable[[str], bool]
) -> list[tuple[int, str]]:
    """The chunks to render: those whose sketch names someone, and those without one."""
    drawn = [sketch for sketch in sketches if sketch is not None]
    if drawn and names_anyone(PARAGRAPH.join(drawn)):  # then each chunk apart: few documents name anyone
        return [chunk for chunk, sketch in zip(chunks, sketches, strict=True) if sketch is None or names_anyone(sketch)]
    return [chunk for chunk, sketch in zip(chunks, sketches, strict=True) if sketch is None]


def _parser() -> MarkdownIt:
    # Imported here: markdown-it costs a commit's check 35 ms to import, and only a
    # Markdown file with markup needs it.
    from markdown_it import MarkdownIt

    class Parser(MarkdownIt):
        def normalizeLink(self, url: str) -> str:
            # The target as written, to be found where it was written (and 16% of the
            # parse of a changelog was mdurl's encoding of its links).
            return url

    # text_join would merge escapes and entities into the text around them, and lose
    # what they were written as.
    return Parser("commonmark").enable(["table", "strikethrough"]).disable("text_join")


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """The runs of lines between blank lines that can show other than as written, each
    with where it starts, and without its common indentation. Runs that follow one
    another are parsed together: a parse costs 0.1 ms before its first line."""
    start = 0
    joined: tuple[int, int] | None = None  # unindented runs next to each other
    for end, after in [*((blank.start(), blank.end()) for blank in _BLANK_LINES.finditer(text)), (len(text), 0)]:
        indented = text[start : start + 1] in (" ", "\t")
        disguised = _disguised(text, start, end)
        if joined and (indented or not disguised):
            yield joined[0], text[joined[0] : joined[1]]
            joined = None
        if disguised and indented:
            chunk = text[start:end]
            indent = min(len(spaces) for spaces in _INDENT.findall(chunk))
            yield start, re.sub(rf"(?m)^[ \t]{{{indent}}}", "", chunk)
        elif disguised:
            joined = (joined[0] if joined else start, end)
        start = after
    if joined:
        yield joined[0], text[joined[0] : joined[1]]


def _render(
    tokens: Sequence[Token], placer: _Placer, line_starts: Sequence[int], first_line: int, references: set[str]
) -> None:
    for token in tokens:
        if token.map is not None:
            start, end = (line_starts[min(first_line + line, len(line_starts) - 1)] for line in token.map)
            placer.region(start, end)
        if token.type == "inline":
            placer.builder.separate()
            _render_inline(token.children or [], placer, references)
        elif token.type == "html_block":  # rendered as written: its lines may end "\r\n"
            placer.builder.separate()
            placer.html_block()
            placer.builder.separate()


def _render_inline(children: Sequence[Token], placer: _Placer, references: set[str]) -> None:
    links: list[Token] = []
    for child in children:
        kind = child.type
        if kind == "html_inline":
            placer.html(child.content)
        elif kind == "link_open":
            links.append(child)
        elif kind == "link_close" and links:
            link = links.pop()
            if link.markup != "autolink":  # an autolink's target is its text
                _place_attributes(link, placer, references)
        elif kind == "image":
            placer.separate(placer.attributes)
            _render_text(child.children or [], placer, placer.attributes)
            _place_attributes(child, placer, references)
        else:
            _render_text([child], placer, placer.builder)


def _render_text(children: Sequence[Token], placer: _Placer, builder: ViewBuilder) -> None:
    """Pieces of text (of a paragraph, or of an image's alt text: its tags and emphasis
    are not shown)."""
    for child in children:
        kind = child.type
        if kind == "text" or kind == "code_inline":
            placer.place(builder, child.content)
        elif kind == "text_special":  # an escape or an entity: markup is as written
            placer.place(builder, child.markup, child.content)
        elif kind == "softbreak" or kind == "hardbreak":
            placer.line_break(builder)
        elif kind == "image":
            _render_text(child.children or [], placer, builder)


def _place_attributes(token: Token, placer: _Placer, references: set[str]) -> None:
    """A link's or an image's target and title, where written after its text."""
    for name in ("href", "src", "title"):
        value = token.attrGet(name)
        if isinstance(value, str) and value and (name == "title" or value not in references):
            placer.separate(placer.attributes)
            placer.target(value)
        # A reference's target is checked in its definition, where it was written.


class _Placer:
    """Places rendered pieces where they were written: each found by its literal text,
    searching forward from the last piece found, within the current block's lines."""

    def __init__(self, text: str, builder: ViewBuilder, attributes: ViewBuilder) -> None:
        self.text = text
        self.builder = builder
        self.attributes = attributes
        self._cursor = 0
        self._end = len(text)
        self._misses = 0
        # Placed once the next is found, in order: (builder, text, whether it is a break)
        self._pending: list[tuple[ViewBuilder, str, bool]] = []

    def region(self, start: int, end: int) -> None:
        """The lines of the next block."""
        self.flush()
        self._cursor = max(self._cursor, start)
        self._end = max(end, self._cursor)
        self._misses = 0

    def place(self, builder: ViewBuilder, written: str, rendered: str | None = None) -> None:
        """A piece written as `written`, shown as `rendered` (or as written)."""
        position = self._find(written)
        if position < 0:
            self._pending.append((builder, written if rendered is None else rendered, False))
            return
        if rendered is None:
            builder.verbatim(written, position)
        else:
            builder.decoded(rendered, position, position + len(written))

    def html(self, written: str) -> None:
        position = self._find(written)
        if position < 0:  # a tag across a quote's lines: its text is not HTML's to show,
            shown, _ = tag_shows(written)  # but the break it makes is
            if shown:
                self._pending.append((self.builder, shown, not shown.strip()))
            self._pending += [(self.attributes, PARAGRAPH, True), (self.attributes, written, False)]
            return
        render_html(self.builder, self.attributes, written, position)

    def separate(self, builder: ViewBuilder) -> None:
        """A break before the next piece, after the pieces still to be placed."""
        if self._pending:
            self._pending.append((builder, PARAGRAPH, True))
        else:
            builder.separate()

    def line_break(self, builder: ViewBuilder) -> None:
        """A line break, written "\n", "\r\n" or "\r"."""
        written = _LINE_BREAK.search(self.text, self._cursor, self._end)
        self.place(builder, written.group() if written else "\n", "\n")

    def html_block(self) -> None:
        """The rest of the block, as HTML."""
        render_html(self.builder, self.attributes, self.text[self._cursor : self._end], self._cursor)
        self._cursor = self._end

    def target(self, value: str) -> None:
        """A link's target or title, decoded."""
        position = self._find(value)
        if position >= 0:
            decode_value(self.attributes, value, position)
            return
        decoded = ViewBuilder()  # markdown-it wrote it otherwise (percent-encoded)
        decode_value(decoded, value, 0)
        self._pending.append((self.attributes, decoded.build().text, False))

    def flush(self) -> None:
        """The pieces not found, over what is left of the block."""
        self._place_pending(self._end)

    def _find(self, written: str) -> int:
        if not written:
            return -1
        position = -1 if self._misses >= MAX_MISSES else self.text.find(written, self._cursor, self._end)
        if position < 0:
            self._misses += 1
            return -1
        self._place_pending(position)
        self._cursor = position + len(written)
        return position

    def _place_pending(self, end: int) -> None:
        if not self._pending:
            return
        start = min(self._cursor, max(len(self.text) - 1, 0))
        end = min(max(end, start + 1), max(len(self.text), 1))
        while end - start > 1 and self.text[end - 1] in "\r\n":  # a finding ends on its line
            end -= 1
        while end - start > 1 and self.text[start] in "\r\n":
            start += 1
        for builder, rendered, separator in self._pending:
            if separator:
                builder.separate(rendered)
            else:
                builder.decoded(rendered, start, end)
        self._pending.clear()
        self._cursor = max(self._cursor, end)
