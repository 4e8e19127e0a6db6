"""A sketch of a Markdown chunk: a few passes of re and a scan from one markup character to
the next, where rendering (gate/markdown.py) runs markdown-it-py's parser over every
character. Whenever a chunk's rendered view or its attributes hold a match of an
identifier, its sketch holds one too (it may hold more), so a chunk whose sketch names
no one need not be rendered. Where the sketch cannot tell what markdown-it shows, it
says so (None), and the chunk is rendered.

What the sketch is
------------------

The chunk's inline text as markdown-it reads it (line endings as "\n", blockquote markers
dropped at each line's start; fenced code, and indented code at the chunk's start, left
out), with

- code spans as their content, backslash escapes and entities decoded, autolinks as their
  text: found by markdown-it's rules in its order (each token starts at the leftmost
  character that can start one), its own regular expressions and entity table;
- links as their text, images as nothing; targets, titles and alt text each a paragraph
  apart, as in the attributes view; labels, destinations, titles and reference links read
  by markdown-it's own parsers and the document's definitions (gate/markdown.py reads
  every chunk that holds `]:` for them before any is rendered or sketched);
- tags and comments as the breaks gate/markup.py puts for them (a block element a
  paragraph break, `<br>` a line break, most nothing; a tag of other than printable ASCII
  is rendered alone to learn its break), each tag's text and attribute values apart; an
  HTML block as gate/markup.py's `sketch_html` of the lines it is rendered from;
- every run of `*`, and of two `~` or more, dropped; a run of `_` kept (it normalises to a
  blank); but the only run of its character, which has nothing to pair with and is
  never emphasis, kept.

Why a match in the view is a match in the sketch
------------------------------------------------

A block of the view is its inline text with markup dropped, some characters replaced
(escapes, entities, a code span's line breaks), some moved into the attributes view, and
breaks put between blocks and for tags. The sketch does each of these as the renderer
does where markdown-it's reading is certain, and otherwise keeps every match:

1. **Tokens.** A code span, an escape, an entity, an autolink, a tag, a link or an image
   depends only on the text from where it starts to the end of its block (a table's
   cell). A token found within one line, or across lines none of which can begin a
   block (no blockquote level changes, no list item, heading, fence, HTML, table or
   setext line starts), is found alike in the view; markdown-it's rules only fail
   earlier where its text ends sooner, so a token the sketch does not find is not found
   there either. **A token across a line that may begin a block, or across a table's
   cell, is rendered** (no sketch); so is a code span whose edge is a line break (how
   much of the next line's indentation markdown-it keeps depends on the block).

2. **Dropped markup.** Whether a run of `*` or `~` is emphasis (dropped) or a character
   (kept) depends on the runs around it. The sketch drops it. Where the view keeps it,
   no match holds it (assumption A), and dropping it changes only what stands beside a
   match: whether the match ends at a word boundary, unless two letters or digits meet
   where the run was (`Lowe*s`), and whether a token (an address, a handle, a case
   number) goes on, unless one of the characters that continue a token (`.` `_` `%` `+`
   `-` `/` `\\`) then stands between a letter or digit and another
   (`x*.kim@example.org`). **Where either happens, the chunk is rendered**, as it is for
   emphasis inside a word (`Ki**m**`). The same holds for a `\\` before a line break (a
   hard break, or the backslash that ends a block).

3. **Kept markup.** A run of `_` between two letters or digits is never emphasis. Any
   other the view may drop; keeping it (a blank) loses a match only where it then stands
   between two characters neither of which is a blank (`kim@_example_.org`): **then the
   chunk is rendered** (markup dropped beside the run counting as absent).

4. **Breaks.** The sketch joins lines by a line break, also where the view has a
   paragraph break between two blocks: a match lies within one block, and to what stands
   beside it either is a blank. The block markers it keeps (a heading's `#`, a list
   item's, a table's pipes, a setext underline) stand where a block begins or ends,
   beside a blank. An HTML block that interrupts a paragraph (at the chunk's left edge,
   not a table's first line) is certainly one, and is sketched as HTML only; another may
   be Markdown, and is sketched both ways.

5. **Moved text** is a paragraph of its own, as in the attributes view; the sketch adds
   every tag's text and what a definition writes (more matches, never fewer).

Assumption A: no identifier is written with a Markdown markup character (`*`, `~`, a
backtick, `[`, `]`, `<`, `>`, `\\`), as no name, alias, handle, address, phone or case
number is.

Rendered instead, besides the above: a bracket nested more than 16 deep, an HTML block in
a blockquote or a list item (its end depends on theirs), a fence inside an HTML block or
one that an outdented line may end, `\\|` in a table, a CDATA section or an iframe's
`srcdoc`, and the characters the sketch uses as marks. On the Markdown of npm's and
Docker's manuals (bench/real_text.py) about 1% of the text is rendered.
"""

from __future__ import annotations

import bisect
import functools
import html.entities
import re
import string
from collections.abc import Callable, Mapping
from typing import Any

from gate.markup import BLANK_TAGS, BLOCK_TAGS, LINE_TAGS, sketch_html, tag_shows
from gate.views import PARAGRAPH, decoded_value

References = Mapping[str, Mapping[str, Any]]  # markdown-it's env["references"]: label -> href, title

# Marks in the sketch until it is checked: dropped markup (_DROPPED), a `_` run that the
# view may drop (_UNDERSCORE, on both sides), a line break and a paragraph break that
# gate/markup.py puts for a tag (ViewBuilder.separate: never two line breaks in a row),
# and a `*` or a `~` that a token shows (an escape, a code span): not emphasis.
_DROPPED = "\x1e"
_UNDERSCORE = "\x1d"
_LINE = "\x06"
_BLOCK = "\x07"
_STAR = "\x11"
_TILDE = "\x12"
_MARKS = (_DROPPED, _UNDERSCORE, _LINE, _BLOCK, _STAR, _TILDE)
_SHOWN_RUNS = str.maketrans({"*": _STAR, "~": _TILDE})
_STAR_RUN = re.compile(r"\*+")
_TILDE_RUN = re.compile("~~+")
# Dropped markup between two letters or digits, or beside a character that continues a
# token between two of them (kinds.py's TokenRule). A letter or digit: to be safe, any
# character past ASCII but blanks.
_WORD = r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f\s]"
_CONTINUES = rf"(?:[._%+\-/\\]|{_UNDERSCORE}_{_UNDERSCORE})"
# (Each branch begins with the mark, which re finds at once, and looks behind it.)
_JOINED = re.compile(
    rf"{_DROPPED}(?:(?<={_WORD}{_DROPPED}){_DROPPED}*+(?={_WORD}|{_CONTINUES}{_DROPPED}*+{_WORD})"
    rf"|(?<={_WORD}[._%+\-/\\]{_DROPPED}){_DROPPED}*+(?={_WORD})"
    rf"|(?<={_WORD}{_UNDERSCORE}_{_UNDERSCORE}{_DROPPED}){_DROPPED}*+(?={_WORD}))"
)
_MARKED_UNDERSCORE = re.compile(f"{_UNDERSCORE}_+{_UNDERSCORE}")
_SKIPPED_STRETCH = re.compile(f"[{_DROPPED}{_UNDERSCORE}_]+")  # a `_` run and what beside it the view may drop
_BLANKISH = frozenset(" \t\n|-\x06\x07")

# Where one of markdown-it's inline rules can start: an escape, a code span (one backtick
# each side at once), a run of backticks, `<`, `[`, an entity's `&`, an image's `!`, and a
# run of `_` that may be emphasis (one between letters or digits never is).
# (The lookahead of the first characters lets re skip to them at once: 4 times faster.)
_SPECIAL = re.compile(
    r"(?=[\\<\[`&!_])(?:[\\<\[]|(?P<code>`(?!`)[^`\n]*+`(?!`))|`++|&(?=[#A-Za-z])|!(?=\[)"
    r"|_(?:(?<!\w_)_*+|(?<=[^\W_]_)_*+(?![^\W_])))"
)
_LABEL_SPECIAL = re.compile(r"[\\`<\[\]!]")
_ESCAPABLE = frozenset(string.punctuation)
_BACKTICKS = re.compile("`+")
_UNDERSCORES = re.compile("_+")
_ASCII_LETTER = frozenset(string.ascii_letters)
# A tag of printable ASCII: html.parser names it as markdown-it does, so the separator
# gate/markup.py puts for it is known without rendering it.
_PLAIN_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)[\t\n\x20-\x7e]*")
_SEPARATORS = {"": "", PARAGRAPH: _BLOCK, "\n": _LINE, " ": " "}
_ATTRIBUTE_VALUE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_ENTITY_NAME = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_ENTITY_NUMBER = re.compile(r"&#([Xx][0-9A-Fa-f]{1,6}|[0-9]{1,7});")
# A link destination that markdown-it's parseLinkDestination reads as written.
_PLAIN_DESTINATION = re.compile(r"[^\x00-\x20\x7f()\\<&][^\x00-\x20\x7f()\\&]*+(?![(\\&])")
_LINK_BLANKS = " \t\n"
_MAX_DEPTH = 16  # brackets within brackets: past it, rendered
_MAX_AMBIGUOUS_HTML = 16  # HTML blocks in a chunk that may be Markdown too: past it, rendered

# Lines. A table's delimiter row may be any line of "|", "-", ":" and blanks (a table
# needs a "|" in its first line too).
_DELIMITER_ROW = re.compile(r"^[ \t>]*[|:-][ \t|:-]*$", re.MULTILINE)
# A line's blockquote markers, list items' markers and blanks, then "<"; and the lines the
# layout reads: blank ones, a fence's opening, one that may start an HTML block.
_CONTAINERS = r"(?:[ \t>]*(?:[-+*]|\d{1,9}[.)])[ \t]+)*[ \t>]*"
_MAYBE_HTML = re.compile(rf"^{_CONTAINERS}<", re.MULTILINE)
_LAYOUT_LINE = re.compile(
    rf"^(?:[ \t]*$|(?P<indent> {{0,3}})(?P<fence>`{{3,}}|~{{3,}})(?P<info>.*)$|{_CONTAINERS}<)", re.MULTILINE
)
# What markdown-it drops at a line's start in a blockquote (and the blanks among it).
_PREFIX = re.compile(r"^[ \t>]+", re.MULTILINE)
# The lines indented as code at the chunk's start, and blank lines among them.
_INDENTED_CODE = re.compile(r"(?:(?:    |\t)[^\n]*+\n|[ \t]*+\n)*(?:    |\t)[^\n]*+(?:\n|\Z)")
# How a line begins, after its blockquote markers and blanks: what may start a block that
# ends a paragraph, and what may be no paragraph (so the next line begins a block).
_QUOTES = re.compile(r"(?:[ \t]*>)*[ \t]*")
_INTERRUPTS = re.compile(r"#{1,6}(?:[ \t]|$)|[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|```|~~~|<|[-*_=][-*_= \t]*$|\|")
_NOT_PARAGRAPH = re.compile(r"#{1,6}(?:[ \t]|$)|```|~~~|<|[-*_=][-*_= \t]*$|\[[^\]]*\]:")
_LIST_MARKER = re.compile(r"(?:[-+*]|\d{1,9}[.)])[ \t]+")
_BLANK_LINES = re.compile(r"\n[ \t]*(?=\n)")
_BLANK_LINE = re.compile(r"^[ \t]*$", re.MULTILINE)
_CELL_BOUNDARY = re.compile(r"\n|(?<!\\)\|")  # a line's end, or a table cell's


class _Refused(Exception):
    """The chunk holds what the sketch cannot read as markdown-it does: render it."""


def sketch_markdown(chunk: str, region: Callable[[int, int], str], references: References | None) -> str | None:
    """The sketch of a chunk as gate/markdown.py parses it (its lines without their common
    indentation), or None where only rendering tells what it shows.

    `region(first, end)`: the chunk's lines first to end (exclusive) as written in the
    file, which an HTML block is rendered from. `references`: the document's link
    reference definitions (markdown-it's env), None where it has none.
    """
    text = chunk.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    if any(mark in text for mark in _MARKS):
        return None
    table = "|" in text and "-" in text and _DELIMITER_ROW.search(text) is not None
    if table and "\\|" in text:
        return None  # markdown-it's table drops a "\" before "|", in code spans too
    try:
        segments, apart = _layout(text, region, table=table)
        sketch = PARAGRAPH.join(
            [*(_Scanner(segment, references, table=table).sketch() for segment in segments), *apart]
        )
    except _Refused:
        return None
    if (_DROPPED in sketch and _JOINED.search(sketch)) or (_UNDERSCORE in sketch and _underscore_joins(sketch)):
        return None
    if _DROPPED in sketch:
        sketch = sketch.replace(_DROPPED, "")
    if _UNDERSCORE in sketch:
        sketch = sketch.replace(_UNDERSCORE, "")
    if _STAR in sketch or _TILDE in sketch:
        sketch = sketch.replace(_STAR, "*").replace(_TILDE, "~")
    if _BLOCK in sketch:
        sketch = sketch.replace(_BLOCK, PARAGRAPH)
    if _LINE in sketch:  # no line break after one (ViewBuilder.separate)
        sketch = re.sub(f"{_LINE}+", "\n", re.sub(f"\n{_LINE}+", "\n", sketch))
    return sketch


def _underscore_joins(sketch: str) -> bool:
    """Whether a `_` run that the view may drop stands between two characters neither of
    which is a blank (dropped markup beside it counts as absent). Read once: the run and
    whatever the view may drop beside it form one stretch, and its neighbours are the
    stretch's."""
    for stretch in _SKIPPED_STRETCH.finditer(sketch):
        before, after = stretch.start() - 1, stretch.end()
        if (
            before >= 0
            and after < len(sketch)
            and sketch[before] not in _BLANKISH
            and sketch[after] not in _BLANKISH
            and _MARKED_UNDERSCORE.search(sketch, stretch.start(), after)
        ):
            return True
    return False


def _layout(text: str, region: Callable[[int, int], str], *, table: bool) -> tuple[list[str], list[str]]:
    """The chunk's runs of lines that markdown-it reads as inline text (the sketch's
    segments: fenced code left out, an HTML block left out and sketched as HTML apart,
    blank lines between), and the sketches of its HTML blocks."""
    code = _INDENTED_CODE.match(text)  # at the chunk's start no paragraph is open: code
    if code is not None:
        skipped = text.count("\n", 0, code.end())
        text = text[code.end() :]
        region = functools.partial(_shifted, region, skipped)
    if "```" not in text and "~~~" not in text and not ("<" in text and _MAYBE_HTML.search(text)):
        return _BLANK_LINES.sub("\n", text).split("\n\n"), []
    segments: list[str] = []
    apart: list[str] = []
    html_end = 0  # where an HTML block that may also be read as Markdown ends
    ambiguous = 0  # such blocks: each is sketched to its end, and they may overlap
    start = position = 0  # where the segment and the line to read begin
    counted, lines = 0, 0  # the lines before `counted`
    while position <= len(text) and (line := _LAYOUT_LINE.search(text, position)) is not None:
        line_start = line.start()
        position = text.find("\n", line_start) + 1 or len(text) + 1
        written = text[line_start : position - 1]
        # markdown-it reads a table before a fence or an HTML block: a line with "|" may be
        # a table's first line.
        header = table and "|" in written
        if not written.strip(" \t"):
            end = position
        elif line.group("fence"):
            if line.group("fence")[0] == "`" and "`" in line.group("info"):
                continue  # no fence: text
            if line_start < html_end or header:
                raise _Refused  # HTML or a table's row, or a fence that runs past it
            end = _fence_end(text, position, line)
        elif written.startswith("<"):
            kind, block_end = _html_block(text, line_start)
            if kind < 0:
                continue
            counted, lines = line_start, lines + text.count("\n", counted, line_start)
            sketched = sketch_html(region(lines, lines + text.count("\n", line_start, block_end - 1) + 1))
            if sketched is None:
                raise _Refused
            apart.append(sketched)
            if kind >= 6 or header or line_start < html_end:  # it may be a paragraph's text
                ambiguous += 1
                if ambiguous > _MAX_AMBIGUOUS_HTML:
                    raise _Refused
                html_end = max(html_end, block_end)
                continue
            end = block_end
        elif _html_block(written[line.end() - 1 - line_start :], 0)[0] >= 0:
            raise _Refused  # an HTML block in a blockquote or a list item: its end depends on theirs
        else:
            continue
        segments.append(text[start:line_start])
        start = position = end
    segments.append(text[start:])
    return [segment.strip("\n") for segment in segments if segment.strip("\n")], apart


def _shifted(region: Callable[[int, int], str], lines: int, first: int, end: int) -> str:
    return region(first + lines, end + lines)


def _fence_end(text: str, position: int, opening: re.Match[str]) -> int:
    """Where the fence whose content starts at `position` ends (after its closing line);
    refused where a line before is outdented past the opening (a list item, and its
    fence, could end there)."""
    marker, indent = opening.group("fence"), len(opening.group("indent"))
    closing = re.compile(rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$", re.MULTILINE)
    close = closing.search(text, position)
    end = len(text) if close is None else close.start()
    if indent and re.compile(rf"^ {{0,{indent - 1}}}[^ \n]", re.MULTILINE).search(text, position, end):
        raise _Refused
    return len(text) + 1 if close is None else close.end() + 1


def _html_block(text: str, start: int) -> tuple[int, int]:
    """Which of markdown-it's HTML block kinds the line at `start` starts (0 to 6, or -1),
    and where the line after the block starts."""
    from markdown_it.rules_block.html_block import HTML_SEQUENCES

    line_end = text.find("\n", start) + 1 or len(text) + 1
    line = text[start : line_end - 1]
    kind = next((kind for kind, (opening, _, _) in enumerate(HTML_SEQUENCES) if opening.search(line)), -1)
    if kind < 0:
        return -1, start
    if kind >= 5:  # to the next blank line
        blank = _BLANK_LINE.search(text, line_end)
        return kind, len(text) + 1 if blank is None else blank.start()
    closing = HTML_SEQUENCES[kind][1]
    if closing.search(line):
        return kind, line_end
    close = closing.search(text, line_end)
    return kind, len(text) + 1 if close is None else (text.find("\n", close.end()) + 1 or len(text) + 1)


def _breaks(lines: list[str], text: str) -> list[int]:
    """Where in `text` (the segment without its blockquote markers) a line ends that may
    end a block: after a line that may be no paragraph, before one that may start a block
    that ends a paragraph, or where the blockquotes change."""
    breaks = []
    offset = -1
    paragraph = False
    depth = 0
    for number, line in enumerate(lines):
        quotes = _QUOTES.match(line)
        assert quotes is not None
        prefix, content = quotes.group(), line[quotes.end() :]
        line_depth = prefix.count(">")
        blanks = prefix[prefix.rfind(">") + 1 :]  # after a blockquote's ">", one blank is the marker's
        indent = len(blanks.expandtabs(4)) - (1 if line_depth and blanks else 0)
        continues = number > 0 and paragraph and line_depth == depth and not _INTERRUPTS.match(content)
        if number > 0 and not continues:
            breaks.append(offset)
        item = _LIST_MARKER.match(content)
        paragraph = continues or (indent < 4 and not _NOT_PARAGRAPH.match(content[item.end() :] if item else content))
        depth = line_depth
        offset = text.find("\n", offset + 1)
    return breaks


class _Scanner:
    """One segment's inline text, read as markdown-it's inline rules read it."""

    def __init__(self, written: str, references: References | None, *, table: bool) -> None:
        self._written = written
        self.text = _PREFIX.sub("", written) if ">" in written else written
        self.references = references
        self.apart: list[str] = []
        self._table = table
        self._ticks: dict[int, list[int]] | None = None
        self._breaks: list[int] | None = None  # where a line ends that may end a block
        self._links: dict[tuple[int, int], int] = {}  # markdown-it's cache of skipped links

    def sketch(self) -> str:
        shown = self.shown(0, len(self.text))
        return PARAGRAPH.join([shown, *self.apart]) if self.apart else shown

    def shown(self, start: int, end: int, *, alt: bool = False) -> str:
        """The text from `start` to `end` as shown (`alt`: as an image's alt text, where
        tags show nothing), its emphasis dropped."""
        out: list[str] = []
        self._scan(start, end, out, alt=alt)
        return _emphasis_dropped("".join(out))

    def _scan(self, start: int, end: int, out: list[str], *, alt: bool) -> None:
        text = self.text
        append = out.append
        plain_code = not self._table
        position = start
        while True:
            for special in _SPECIAL.finditer(text, position, end):
                at, after = special.span()
                if at < position:  # in what a token before read
                    if after <= position:
                        continue
                    # A run begun by an escaped character: read on from there.
                    if text[position] == "_":
                        position = self._underscores(position, end, out)
                    break
                if at > position:
                    append(text[position:at])
                if plain_code and special.lastgroup == "code":  # the commonest token, at once
                    content = text[at + 1 : after - 1]
                    plain = content[:1] != " " and "*" not in content and "~" not in content
                    append(content if plain else _code_content(content))
                    position = after
                else:
                    position = self._token(special, end, out, alt=alt)
            else:
                break
        append(text[position:end])

    def _token(self, special: re.Match[str], end: int, out: list[str], *, alt: bool) -> int:
        at = special.start()
        char = self.text[at]
        if special.lastgroup == "code":
            return self._short_code(special, out)
        if char == "`":
            return self._code(at, end, out)
        if char == "_":
            return self._underscores(at, end, out)
        if char == "\\":
            return self._escape(at, end, out)
        if char == "<":
            return self._angle(at, end, out, alt=alt)
        if char == "&":
            return self._entity(at, end, out)
        if char == "[":
            return self._link(at, end, out, alt=alt)
        return self._image(at, end, out, alt=alt)

    def _crosses(self, start: int, end: int) -> bool:
        """Whether text from `start` to `end` may lie in two blocks (or two table cells)."""
        if self._table:
            return _CELL_BOUNDARY.search(self.text, start, end) is not None
        if self.text.find("\n", start, end) < 0:
            return False
        if self._breaks is None:
            self._breaks = _breaks(self._written.split("\n"), self.text)
        index = bisect.bisect_left(self._breaks, start)
        return index < len(self._breaks) and self._breaks[index] < end

    def _escape(self, at: int, end: int, out: list[str]) -> int:
        following = at + 1
        if following >= end:
            out.append("\\")
            return following
        char = self.text[following]
        if char == "\n":  # a hard break, or a backslash that ends the block
            out.append(_DROPPED)
            return following
        out.append(char.translate(_SHOWN_RUNS) if char in _ESCAPABLE else self.text[at : following + 1])
        return following + 1

    def _short_code(self, code: re.Match[str], out: list[str]) -> int:
        """A code span of one backtick each side, within a line."""
        if self._table and self._crosses(code.start(), code.end()):
            raise _Refused
        out.append(_code_content(code.group()[1:-1]))
        return code.end()

    def _code(self, at: int, end: int, out: list[str]) -> int:
        text = self.text
        run_end = _BACKTICKS.match(text, at)
        assert run_end is not None
        length = run_end.end() - at
        closer = self._closer(length, run_end.end(), end)
        if closer < 0:
            out.append(text[at : run_end.end()])
            return run_end.end()
        if self._crosses(at, closer):
            raise _Refused
        content = text[run_end.end() : closer]
        if "\n" in content:
            # markdown-it drops a continuation line's indentation (as far as its block's):
            # where that is the span's edge, what the span joins is not known.
            if "\n" in content[: len(content) - len(content.lstrip())] or "\n" in content[len(content.rstrip()) :]:
                raise _Refused
            content = content.replace("\n", " ")
        out.append(_code_content(content))
        return closer + length

    def _closer(self, length: int, after: int, end: int) -> int:
        """Where the next run of `length` backticks starts (markdown-it: a code span's
        closing run), or -1."""
        if self._ticks is None:
            self._ticks = {}
            for run in _BACKTICKS.finditer(self.text):
                self._ticks.setdefault(run.end() - run.start(), []).append(run.start())
        starts = self._ticks.get(length, [])
        index = bisect.bisect_left(starts, after)
        return starts[index] if index < len(starts) and starts[index] + length <= end else -1

    def _underscores(self, at: int, end: int, out: list[str]) -> int:
        text = self.text
        run = _UNDERSCORES.match(text, at, end)
        assert run is not None
        before = text[at - 1] if at else " "
        after = text[run.end()] if run.end() < end else " "
        # Between two letters or digits a "_" is never emphasis: the view keeps it.
        certain = before.isalnum() and after.isalnum()
        out.append(run.group() if certain else f"{_UNDERSCORE}{run.group()}{_UNDERSCORE}")
        return run.end()

    def _angle(self, at: int, end: int, out: list[str], *, alt: bool) -> int:
        autolink = self._autolink(at, end)
        if autolink is not None:
            shown, after = autolink
            out.append(shown.translate(_SHOWN_RUNS))
            return after
        tag = self._tag(at, end)
        if tag is None:
            out.append("<")
            return at + 1
        written = tag.group()
        self.apart.append(written)
        if alt:  # an alt text shows no tag
            return tag.end()
        plain = _PLAIN_TAG.fullmatch(written)
        if plain is not None and "srcdoc" not in written.lower():
            name = plain.group(1).lower()
            out.append(
                _BLOCK if name in BLOCK_TAGS else _LINE if name in LINE_TAGS else " " if name in BLANK_TAGS else ""
            )
            values = _ATTRIBUTE_VALUE.findall(written) if "=" in written else []
            self.apart += [decoded_value(value) for found in values for value in found if value]
            return tag.end()
        # A comment, a declaration, a tag with other blanks or characters: as rendered.
        shown, published = tag_shows(written)
        separator = _SEPARATORS.get(shown)
        if separator is None:  # it shows text (a CDATA section, a page in srcdoc)
            raise _Refused
        out.append(separator)
        self.apart.append(published)
        return tag.end()

    def _autolink(self, at: int, end: int) -> tuple[str, int] | None:
        """An autolink's text and end (markdown-it's autolink rule)."""
        text = self.text
        close = text.find(">", at + 1, end)
        if close < 0 or "<" in text[at + 1 : close]:
            return None
        url = text[at + 1 : close]
        if ":" not in url and "@" not in url:
            return None
        from markdown_it.common.normalize_url import normalizeLinkText, validateLink
        from markdown_it.rules_inline.autolink import AUTOLINK_RE, EMAIL_RE

        if AUTOLINK_RE.search(url) is not None:
            if not validateLink(url):  # gate/markdown.py's parser keeps a link as written
                return None
        elif EMAIL_RE.search(url) is None:
            return None
        if self._crosses(at, close):
            raise _Refused
        return normalizeLinkText(url), close + 1

    def _tag(self, at: int, end: int) -> re.Match[str] | None:
        text = self.text
        if at + 2 >= end or not (text[at + 1] in "!?/" or text[at + 1] in _ASCII_LETTER):
            return None
        from markdown_it.common.html_re import HTML_TAG_RE

        tag = HTML_TAG_RE.match(text, at, end)
        if tag is not None and self._crosses(at, tag.end()):
            raise _Refused
        return tag

    def _entity(self, at: int, end: int, out: list[str]) -> int:
        text = self.text
        if at + 1 < end:
            if text[at + 1] == "#":
                number = _ENTITY_NUMBER.match(text, at)
                if number is not None:
                    from markdown_it.common.utils import isValidEntityCode

                    digits = number.group(1)
                    code = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
                    out.append(chr(code).translate(_SHOWN_RUNS) if isValidEntityCode(code) else "\ufffd")
                    return number.end()
            else:
                name = _ENTITY_NAME.match(text, at)
                if name is not None and (decoded := html.entities.html5.get(name.group(1) + ";")) is not None:
                    out.append(decoded.translate(_SHOWN_RUNS))
                    return name.end()
        out.append("&")
        return at + 1

    def _link(self, at: int, end: int, out: list[str], *, alt: bool) -> int:
        label_end = self._label_end(at, end, links=True)
        link = self._tail(at, label_end, end, image=False) if label_end >= 0 else None
        if link is None:
            out.append("[")
            return at + 1
        after, href, title = link
        if self._crosses(at, after):
            raise _Refused
        self._scan(at + 1, label_end, out, alt=alt)
        self.apart += [decoded_value(value) for value in (href, title) if value]
        return after

    def _image(self, at: int, end: int, out: list[str], *, alt: bool) -> int:
        image = self._image_parts(at, end)
        if image is None:
            out.append("!")
            return at + 1
        label_end, after, source, title = image
        if alt:  # an image in an alt text shows its own alt text there
            self._scan(at + 2, label_end, out, alt=True)
        else:
            self.apart += [self.shown(at + 2, label_end, alt=True)]
            self.apart += [decoded_value(value) for value in (source, title) if value]
        return after

    def _image_parts(self, at: int, end: int, depth: int = 0) -> tuple[int, int, str, str] | None:
        """An image's label end, its end, source and title, or None where `!` starts none."""
        if at + 1 >= end or self.text[at + 1] != "[":
            return None
        if depth > _MAX_DEPTH:
            raise _Refused
        label_end = self._label_end(at + 1, end, depth=depth)
        image = self._tail(at + 1, label_end, end, image=True, depth=depth) if label_end >= 0 else None
        if image is None:
            return None
        if self._crosses(at, image[0]):
            raise _Refused
        return label_end, *image

    def _label_end(self, at: int, end: int, *, links: bool = False, depth: int = 0) -> int:
        """Where the label that `[` starts at `at` ends (markdown-it's parseLinkLabel), or
        -1. `links`: a link's label, which holds no link."""
        text = self.text
        level = 1
        position = at + 1
        while (special := _LABEL_SPECIAL.search(text, position, end)) is not None:
            position = special.start()
            char = text[position]
            if char == "]":
                level -= 1
                if level == 0:
                    return position
                position += 1
            elif char == "[":
                link_end = self._link_end(position, end, depth + 1)
                if link_end < 0:
                    level += 1
                    position += 1
                elif links:
                    return -1
                else:
                    position = link_end
            elif char == "!":
                image = self._image_parts(position, end, depth + 1)
                position = image[1] if image is not None else position + 1
            elif char == "\\":
                position += 2
            elif char == "`":
                run = _BACKTICKS.match(text, position)
                assert run is not None
                closer = self._closer(run.end() - position, run.end(), end)
                position = run.end() if closer < 0 else closer + run.end() - position
            else:  # "<"
                autolink = self._autolink(position, end)
                tag = self._tag(position, end) if autolink is None else None
                position = autolink[1] if autolink is not None else tag.end() if tag is not None else position + 1
        return -1

    def _link_end(self, at: int, end: int, depth: int) -> int:
        """Where the link that `[` starts at `at` ends, or -1 (remembered, as markdown-it's
        skipToken remembers: a label is read once however deep the brackets)."""
        if depth > _MAX_DEPTH:
            raise _Refused
        key = (at, end)
        if key not in self._links:
            label_end = self._label_end(at, end, links=True, depth=depth)
            link = self._tail(at, label_end, end, image=False, depth=depth) if label_end >= 0 else None
            self._links[key] = -1 if link is None else link[0]
        return self._links[key]

    def _tail(self, at: int, label_end: int, end: int, *, image: bool, depth: int = 0) -> tuple[int, str, str] | None:
        """A link's (or an image's) end, target and title, after its label `[` at `at` to
        `label_end`: markdown-it's link and image rules."""
        text = self.text
        position = label_end + 1
        href = title = ""
        reference = True
        if position < end and text[position] == "(":
            reference = False
            position = _skip_blanks(text, position + 1, end)
            if position >= end:
                return None
            ok, href, position = _destination(text, position, end)
            if ok or image:
                start = position
                position = _skip_blanks(text, position, end)
                if position < end and start != position and text[position] in "\"'(":
                    from markdown_it.helpers import parseLinkTitle

                    parsed = parseLinkTitle(text, position, end)
                    if parsed.ok:
                        title = parsed.str
                        position = _skip_blanks(text, parsed.pos, end)
            if position >= end or text[position] != ")":
                if image:
                    return None
                reference = True
            position += 1
        if not reference:
            return position, href, title
        return self._reference(at, label_end, position, end, depth)

    def _reference(self, at: int, label_end: int, position: int, end: int, depth: int) -> tuple[int, str, str] | None:
        """A reference link's end, target and title, or None (markdown-it: the label after
        the text, or the text itself, among the document's definitions)."""
        if self.references is None:
            return None
        from markdown_it.common.utils import normalizeReference

        text = self.text
        label = ""
        if position < end and text[position] == "[":
            inner = self._label_end(position, end, depth=depth + 1)
            if inner >= 0:
                label = text[position + 1 : inner]
                position = inner + 1
            else:
                position = label_end + 1
        else:
            position = label_end + 1
        found = self.references.get(normalizeReference(label or text[at + 1 : label_end]))
        if not found:
            return None
        return position, str(found.get("href", "")), str(found.get("title", ""))


def _emphasis_dropped(shown: str) -> str:
    """Shown text with its runs of `*` and of two `~` or more dropped, and its `_` runs
    that may be emphasis marked, but a run that is the only one of its character: with
    nothing to pair with, it is no emphasis, and the view keeps it."""
    if _UNDERSCORE in shown and shown.count(_UNDERSCORE) == 2:
        shown = shown.replace(_UNDERSCORE, "")
    for run, char in ((_STAR_RUN, "*"), (_TILDE_RUN, "~~")):
        first = run.search(shown) if char in shown else None
        if first is not None:
            if run.search(shown, first.end()) is None:
                shown = f"{shown[: first.start()]}{first.group().translate(_SHOWN_RUNS)}{shown[first.end() :]}"
            else:
                shown = run.sub(_DROPPED, shown)
    return shown


def _code_content(content: str) -> str:
    """A code span's text (markdown-it: line breaks as spaces, one space stripped from
    each side of text that is not all spaces)."""
    if content.startswith(" ") and content.endswith(" ") and content.strip(" "):
        content = content[1:-1]
    return content.translate(_SHOWN_RUNS) if "*" in content or "~" in content else content


def _destination(text: str, position: int, end: int) -> tuple[bool, str, int]:
    """markdown-it's parseLinkDestination (and validateLink: a bad one is empty, and not
    skipped): whether one was read, the target, and where it ends."""
    plain = _PLAIN_DESTINATION.match(text, position, end)
    if plain is not None:
        href, after = plain.group(), plain.end()
    else:
        from markdown_it.helpers import parseLinkDestination

        parsed = parseLinkDestination(text, position, end)
        if not parsed.ok:
            return False, "", position
        href, after = parsed.str, parsed.pos
    from markdown_it.common.normalize_url import validateLink

    return (True, href, after) if validateLink(href) else (True, "", position)


def _skip_blanks(text: str, position: int, end: int) -> int:
    while position < end and text[position] in _LINK_BLANKS:
        position += 1
    return position
