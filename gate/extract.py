"""Content as a reader and a crawler see it: views of a file with markup rendered and
escapes decoded, each character mapped back to where it was written.

A file is always checked as written; these views add what the writing hides: a name
split by emphasis (`**Kim** Lowe`) or by tags (`Kim <b>Lowe</b>`), spelled with entities
(`K&#105;m`), percent-encoded in a URL (`Kim%20Lowe`), or escaped in a JSON or YAML string
(`Andr\\u00e9`). html.parser and markdown-it report only where a token starts, so the small
tokenizer below keeps the offset of every character itself; JSON and YAML are validated
by their parsers, which also give the positions of YAML's scalars.
"""

from __future__ import annotations

import bisect
import html
import json
import posixpath
import re
import sys
import urllib.parse
from collections.abc import Iterator
from typing import NamedTuple

import yaml

from gate.normalize import OffsetMap

PARAGRAPH = "\n\n"
INLINE_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "tspan",
        "u",
        "var",
        "wbr",
    ]
)
LINE_TAGS = frozenset({"br"})
# Attributes whose values are published: shown to readers or to crawlers and previews.
TEXT_ATTRIBUTES = frozenset(
    [
        "alt",
        "title",
        "aria-label",
        "aria-description",
        "content",
        "value",
        "placeholder",
        "label",
        "summary",
        "href",
        "src",
        "srcset",
        "action",
        "cite",
        "poster",
        "data",
    ]
)
CONTENT_FORMATS = ("markdown", "html", "json", "yaml", "text")  # the views a file or a post can have
SUFFIX_FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",
    ".mkd": "markdown",
    ".mkdn": "markdown",
    ".mdown": "markdown",
    ".qmd": "markdown",
    ".rmd": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".svg": "html",
    ".xml": "html",
    ".rss": "html",
    ".atom": "html",
    # Templates and components of static sites and web frameworks: what they publish is
    # HTML, written among their own tags.
    ".astro": "html",
    ".cshtml": "html",
    ".ejs": "html",
    ".erb": "html",
    ".handlebars": "html",
    ".hbs": "html",
    ".j2": "html",
    ".jinja": "html",
    ".jinja2": "html",
    ".jsx": "html",
    ".liquid": "html",
    ".mustache": "html",
    ".njk": "html",
    ".php": "html",
    ".razor": "html",
    ".svelte": "html",
    ".tsx": "html",
    ".twig": "html",
    ".vue": "html",
    ".json": "json",
    ".jsonld": "json",
    ".geojson": "json",
    ".webmanifest": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
}

_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
_PERCENT = r"(?:%[0-9A-Fa-f]{2})+"
# Every quantifier over untrusted text is possessive (`*+`, `++`, `?+`): the tag grammar
# needs no backtracking, and with it a failed tag cost time in its length squared.
_ATTRIBUTE = (
    r"""(?P<name>[^\s"'>/=]++)(?:\s*+=\s*+(?:"(?P<double>[^"]*+)"|'(?P<single>[^']*+)'|(?P<bare>[^\s"'=<>`]++)))?+"""
)
# A tag is matched in steps, its start here and its attributes one at a time (_TagEnds).
_MARKUP = re.compile(
    r"(?P<comment><!--|-->)|(?P<tag><(?P<close>/?)(?P<name>[A-Za-z][\w:.-]*+))"
    rf"|(?P<entity>{_ENTITY})|(?P<percent>{_PERCENT})"
    r"|(?P<escape>\\[!-/:-@\[-`{-~])|(?P<marker>\*++|~~|`++)"
)
_ATTRIBUTE_STEP = re.compile(rf"\s++{_ATTRIBUTE}")
_ATTRIBUTES = re.compile(_ATTRIBUTE)
_TAG_END = re.compile(r"\s*+/?>")
_PERCENT_ONLY = re.compile(rf"(?P<percent>{_PERCENT})")
_ENTITY_OR_PERCENT = re.compile(rf"(?P<entity>{_ENTITY})|(?P<percent>{_PERCENT})")
_MARKUP_CHARS = "<>&%\\*~`"  # every token of _MARKUP holds one of these
_JSON_STRING = re.compile(r'"((?:[^"\\\x00-\x1f]|\\.)*)"')
# JSON's escapes, and YAML's \x and \U (a YAML file that does not parse is read for its
# double-quoted strings like a JSON one).
_JSON_ESCAPE = re.compile(
    r"(?:\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\U[0-9a-fA-F]{8}|\\."
)
_SCRIPT_OPEN = re.compile(r"<script\b", re.IGNORECASE)
_LD_JSON_TYPE = re.compile(r"""\btype\s*+=\s*+["']?application/ld\+json""", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(r"</script\s*+>", re.IGNORECASE)
# PyYAML's scanner spends time in the depth of flow nesting on every token ("[" * 8000
# took 22 s), and reads about 0.5 MB/s of keys and quoted strings: past these limits a
# document is refused (it blocks) rather than parsed.
MAX_YAML_DEPTH = 32
MAX_YAML_CHARACTERS = 4_000_000
YAML_TOO_DEEP = f"YAML nested deeper than {MAX_YAML_DEPTH} levels: not read, so not approved; flatten it"
YAML_TOO_LARGE = f"YAML over {MAX_YAML_CHARACTERS:,} characters: not read, so not approved; split it into smaller files"


class Problem(NamedTuple):
    """Why a view of a file is missing. `blocks`: refused past a limit, so not approved."""

    reason: str
    blocks: bool = False


class View(NamedTuple):
    """A text derived from a file, with where each of its characters was written.

    `starts` maps a character to the offset of the first original character it came
    from, `ends` to the offset just after the last: "i" decoded from "&#105;" spans all
    six characters.
    """

    text: str
    starts: OffsetMap
    ends: OffsetMap


class ViewBuilder:
    def __init__(self) -> None:
        self._pieces: list[str] = []
        self._length = 0
        self._targets: list[int] = []
        self._starts: list[int] = []
        self._ends: list[int] = []

    def verbatim(self, text: str, start: int) -> None:
        """Characters as written, at `start` in the original."""
        if text:
            self._anchor(start, start + 1)
            self._append(text)

    def decoded(self, text: str, start: int, end: int) -> None:
        """Characters decoded from original[start:end]; each stands for all of it."""
        for char in text:
            self._anchor(start, end)
            self._append(char)

    def separate(self, separator: str = PARAGRAPH) -> None:
        """A break that no name spans (between strings, attributes, blocks)."""
        if self._pieces and not self._pieces[-1].endswith(separator):
            end = self._last_end()  # the break stands on the last character before it
            self._anchor(max(end - 1, 0), max(end, 1))
            self._append(separator)

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


def content_format(path: str) -> str:
    return SUFFIX_FORMATS.get(posixpath.splitext(path.lower())[1], "text")


def content_views(path: str, text: str, kind: str | None = None) -> tuple[list[View], list[Problem]]:
    """The views of a file besides the text as written, and why any could not be made (a
    problem that blocks is a refusal past a limit).

    `kind` (markdown, html, json, yaml, text) overrides the one the file's name gives.
    """
    kind = kind or content_format(path)
    if kind == "markdown":
        return render_markup(text, markdown=True), []
    if kind == "html":
        return [*render_markup(text, markdown=False), *ld_json_views(text)], []
    if kind == "json":
        return json_views(text)
    if kind == "yaml":
        return yaml_views(text)
    return percent_views(text), []


def percent_views(text: str) -> list[View]:
    """Plain text or a path as a URL shows it once decoded (`Kim%20Lowe.md`)."""
    return [render_percent(text)] if "%" in text and _PERCENT_ONLY.search(text) else []  # "in": memory speed


def path_views(path: str) -> list[View]:
    """A path as a URL shows it (percent-decoded), and without its extension: a handle or
    an address that ends the file's name (`kimlowe_art.md`) is whole there."""
    views = percent_views(path)
    stem, extension = posixpath.splitext(path)
    if extension:
        builder = ViewBuilder()
        builder.verbatim(stem, 0)
        views.append(builder.build())
    return views


def render_markup(text: str, *, markdown: bool) -> list[View]:
    """Markdown or HTML as rendered (tags and emphasis gone, entities and escapes
    decoded), and the values of the attributes that publish text, each apart."""
    if not any(char in text for char in _MARKUP_CHARS):  # "in" runs at memory speed
        return []
    builder, attributes = ViewBuilder(), ViewBuilder()
    tags = _TagEnds(text)
    position = 0  # rendered up to here
    rendered = False
    token = _MARKUP.search(text)
    while token is not None:
        kind, resume = token.lastgroup, token.end()
        if kind == "tag":
            boundary, resume = tags.end(token.end())
            if resume < 0:  # "<name" that no ">" closes is text, and holds no markup
                token = _MARKUP.search(text, token.end())
                continue
        if markdown or kind not in ("escape", "marker"):
            rendered = True
            builder.verbatim(text[position : token.start()], position)
            position = resume
            if kind == "tag":
                _render_tag(builder, attributes, token, text[token.end() : boundary])
            elif kind == "entity" or kind == "percent":
                builder.decoded(_decode(token.group(), kind), token.start(), token.end())
            elif kind == "escape":
                builder.decoded(token.group()[1], token.start(), token.end())
        token = _MARKUP.search(text, resume)
    if not rendered:
        return []  # no markup: rendered, the text reads as written, and is checked as such
    builder.verbatim(text[position:], position)
    return [builder.build(), attributes.build()]


class _TagEnds:
    """Where a tag ends, given where its attributes start: (end of its attributes, end of
    the tag), or -1 for the tag's end where no ">" closes it.

    A failed tag is text, and the search goes on from the character after its "<": in
    `<a b c <a b c …` every "<" starts a tag whose attributes run to the end of the text.
    An attribute starts after blanks, so two tags that reach the same place in the text
    between attributes end alike: each such place is read once, and remembered.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._ends: dict[int, tuple[int, int]] = {}

    def end(self, position: int) -> tuple[int, int]:
        visited = []
        while position not in self._ends:
            visited.append(position)
            step = _ATTRIBUTE_STEP.match(self._text, position)
            if step is None:
                close = _TAG_END.match(self._text, position)
                self._ends[position] = (position, close.end() if close else -1)
                break
            position = step.end()
        ends = self._ends[position]
        self._ends.update(dict.fromkeys(visited, ends))
        return ends


def render_percent(text: str) -> View:
    builder = ViewBuilder()
    position = 0
    for token in _PERCENT_ONLY.finditer(text):
        builder.verbatim(text[position : token.start()], position)
        builder.decoded(_decode(token.group(), "percent"), token.start(), token.end())
        position = token.end()
    builder.verbatim(text[position:], position)
    return builder.build()


def _decode(token: str, kind: str) -> str:
    if kind == "entity":
        return html.unescape(token)
    decoded = urllib.parse.unquote(token, errors="strict") if _utf8(token) else token
    return decoded


def _utf8(percent: str) -> bool:
    try:
        urllib.parse.unquote_to_bytes(percent).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _render_tag(builder: ViewBuilder, attributes: ViewBuilder, token: re.Match[str], attribute_text: str) -> None:
    name = token.group("name").lower()
    if name in LINE_TAGS:
        builder.separate("\n")
    elif name not in INLINE_TAGS:
        builder.separate()
    if token.group("close") or not attribute_text:
        return
    base = token.end()
    for attribute in _ATTRIBUTES.finditer(attribute_text):
        attribute_name = attribute.group("name").lower()
        if attribute_name not in TEXT_ATTRIBUTES and not attribute_name.startswith("data-"):
            continue
        for group in ("double", "single", "bare"):
            if attribute.group(group) is not None:
                attributes.separate()
                _decode_into(attributes, attribute.group(group), base + attribute.start(group))


def _decode_into(builder: ViewBuilder, value: str, start: int) -> None:
    position = 0
    for token in _ENTITY_OR_PERCENT.finditer(value):
        builder.verbatim(value[position : token.start()], start + position)
        builder.decoded(_decode(token.group(), token.lastgroup or ""), start + token.start(), start + token.end())
        position = token.end()
    builder.verbatim(value[position:], start + position)


def json_views(text: str, offset: int = 0) -> tuple[list[View], list[Problem]]:
    """Every string of a JSON document (keys too), its escapes decoded. A document that
    does not parse is still read for its strings: a reader that is less strict (a
    browser's JSON.parse takes deeper nesting than Python's) would decode them."""
    try:
        json.loads(text)
    except RecursionError:
        return [_json_strings(text, offset)], [Problem("JSON nested too deeply to parse; its strings were read")]
    except ValueError as error:
        line = getattr(error, "lineno", 0)
        return [_json_strings(text, offset)], [Problem(f"not valid JSON (line {line}); its strings were read")]
    return [_json_strings(text, offset)], []


def ld_json_views(text: str) -> Iterator[View]:
    """The JSON-LD scripts of a page: each body runs to the first `</script>` after it.

    Each opening finds its ">" and its close by search, never by scanning to the end of
    the text again: a page of openings without a close took time in its length squared.
    """
    closes = [close.span() for close in _SCRIPT_CLOSE.finditer(text)]
    close_starts = [start for start, _ in closes]
    position = 0
    while (opening := _SCRIPT_OPEN.search(text, position)) is not None:
        body_start = text.find(">", opening.end()) + 1
        if not body_start:
            return  # no later opening has a ">" either
        if not _LD_JSON_TYPE.search(text, opening.end(), body_start):
            position = opening.end()
            continue
        index = bisect.bisect_left(close_starts, body_start)
        if index == len(closes):
            return  # nor a close after any later opening
        views, _ = json_views(text[body_start : closes[index][0]], body_start)
        yield from views
        position = closes[index][1]


def _json_strings(text: str, offset: int) -> View:
    builder = ViewBuilder()
    for string in _JSON_STRING.finditer(text):
        builder.separate()
        body_start = string.start(1)
        body = string.group(1)
        position = 0
        for escape in _JSON_ESCAPE.finditer(body):
            builder.verbatim(body[position : escape.start()], offset + body_start + position)
            builder.decoded(
                _unescape(escape.group()),
                offset + body_start + escape.start(),
                offset + body_start + escape.end(),
            )
            position = escape.end()
        builder.verbatim(body[position:], offset + body_start + position)
    return builder.build()


def _unescape(escape: str) -> str:
    """One escape of a quoted string, as JSON or YAML reads it; one neither knows is left
    as written."""
    if escape[1] in "xU":
        return chr(min(int(escape[2:], 16), sys.maxunicode))
    try:
        return str(json.loads(f'"{escape}"'))
    except ValueError:
        return escape


def yaml_views(text: str) -> tuple[list[View], list[Problem]]:
    """Every scalar of a YAML document (keys too), as the parser reads it.

    Parsing events, not loading: aliases are never expanded, so an alias bomb costs
    nothing. Past MAX_YAML_CHARACTERS, or nested past MAX_YAML_DEPTH, it is refused.
    """
    if len(text) > MAX_YAML_CHARACTERS:
        return [], [Problem(YAML_TOO_LARGE, blocks=True)]
    builder = ViewBuilder()
    try:
        for event in yaml.parse(text, Loader=_DepthLimitedLoader):
            marks = (event.start_mark, event.end_mark)
            if isinstance(event, yaml.ScalarEvent) and event.value and marks[0] and marks[1]:
                start, end = marks[0].index, marks[1].index
                builder.separate()
                if text[start:end] == event.value:
                    builder.verbatim(event.value, start)
                else:
                    builder.decoded(event.value, start, end)
    except _TooDeep:
        return [], [Problem(YAML_TOO_DEEP, blocks=True)]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        return [_json_strings(text, 0)], [Problem(f"not valid YAML{line}; its double-quoted strings were read")]
    return [builder.build()], []


class _TooDeep(Exception):
    pass


class _DepthLimitedLoader(yaml.SafeLoader):
    """Stops at the first token nested past MAX_YAML_DEPTH, and reads each token in time
    that does not grow with the depth.

    PyYAML keeps one possible simple key per level of flow nesting, and looks at all of
    them for every token. They are kept in the order of their levels, which is the
    order of their places in the text (a level's key is saved while no deeper level is
    open, and a level's key is removed when it closes): the stale ones come first, and
    the first one is the nearest.
    """

    def stale_possible_simple_keys(self) -> None:
        while self.possible_simple_keys:
            level, key = next(iter(self.possible_simple_keys.items()))
            if key.line == self.line and self.index - key.index <= 1024:
                return
            if key.required:
                super().stale_possible_simple_keys()  # raises PyYAML's own error
            del self.possible_simple_keys[level]

    def next_possible_simple_key(self) -> int | None:
        key = next(iter(self.possible_simple_keys.values()), None)
        return None if key is None else key.token_number

    def fetch_flow_collection_start(self, TokenClass: type[yaml.Token]) -> None:
        super().fetch_flow_collection_start(TokenClass)
        self._check_depth()

    def add_indent(self, column: int) -> bool:
        added = super().add_indent(column)
        self._check_depth()
        return added

    def _check_depth(self) -> None:
        if self.flow_level + len(self.indents) > MAX_YAML_DEPTH:
            raise _TooDeep
