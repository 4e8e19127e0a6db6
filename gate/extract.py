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

import html
import json
import posixpath
import re
import urllib.parse
from collections.abc import Iterator
from typing import NamedTuple

import yaml

from gate.normalize import OffsetMap

PARAGRAPH = "\n\n"
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q s samp small span "
    "strike strong sub sup time tt tspan u var wbr".split()
)
LINE_TAGS = frozenset({"br"})
# Attributes whose values are published: shown to readers or to crawlers and previews.
TEXT_ATTRIBUTES = frozenset(
    "alt title aria-label aria-description content value placeholder label summary "
    "href src srcset action cite poster data".split()
)
FORMATS = {
    ".md": "markdown", ".markdown": "markdown", ".mdx": "markdown", ".mkd": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".svg": "html", ".xml": "html",
    ".json": "json", ".jsonld": "json", ".geojson": "json", ".webmanifest": "json",
    ".yaml": "yaml", ".yml": "yaml",
}

_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
_PERCENT = r"(?:%[0-9A-Fa-f]{2})+"
_ATTRIBUTE = r"""[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_TAG = rf"""<(?P<close>/?)(?P<name>[A-Za-z][\w:.-]*)(?P<attributes>(?:\s+{_ATTRIBUTE})*)\s*/?>"""
_MARKUP = re.compile(
    rf"(?P<comment><!--|-->)|(?P<tag>{_TAG})|(?P<entity>{_ENTITY})|(?P<percent>{_PERCENT})"
    r"|(?P<escape>\\[!-/:-@\[-`{-~])|(?P<marker>\*+|~~|`+)"
)
_PERCENT_ONLY = re.compile(rf"(?P<percent>{_PERCENT})")
_MARKUP_CHARS = "<>&%\\*~`"  # every token of _MARKUP holds one of these
_ATTRIBUTES = re.compile(
    r"""(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>[^\s"'=<>`]+)))?"""
)
_JSON_STRING = re.compile(r'"((?:[^"\\\x00-\x1f]|\\.)*)"')
_JSON_ESCAPE = re.compile(r"(?:\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2})|\\u[0-9a-fA-F]{4}|\\.")
_LD_JSON = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(?P<body>.*?)</script\s*>",
    re.IGNORECASE | re.DOTALL,
)


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
    return FORMATS.get(posixpath.splitext(path.lower())[1], "text")


def content_views(path: str, text: str, kind: str | None = None) -> tuple[list[View], list[str]]:
    """The views of a file besides the text as written, and what could not be parsed.

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
    if "%" in text and _PERCENT_ONLY.search(text):  # "in" runs at memory speed
        return [render_percent(text)], []
    return [], []


def render_markup(text: str, *, markdown: bool) -> list[View]:
    """Markdown or HTML as rendered (tags and emphasis gone, entities and escapes
    decoded), and the values of the attributes that publish text, each apart."""
    if not any(char in text for char in _MARKUP_CHARS):  # "in" runs at memory speed
        return []
    builder, attributes = ViewBuilder(), ViewBuilder()
    position = 0
    rendered = False
    for token in _MARKUP.finditer(text):
        kind = token.lastgroup
        if not markdown and kind in ("escape", "marker"):
            continue
        rendered = True
        builder.verbatim(text[position : token.start()], position)
        position = token.end()
        if kind == "tag":
            _render_tag(builder, attributes, token)
        elif kind == "entity" or kind == "percent":
            builder.decoded(_decode(token.group(), kind), token.start(), token.end())
        elif kind == "escape":
            builder.decoded(token.group()[1], token.start(), token.end())
    if not rendered:
        return []  # no markup: rendered, the text reads as written, and is checked as such
    builder.verbatim(text[position:], position)
    return [builder.build(), attributes.build()]


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


def _render_tag(builder: ViewBuilder, attributes: ViewBuilder, token: re.Match[str]) -> None:
    name = token.group("name").lower()
    if name in LINE_TAGS:
        builder.separate("\n")
    elif name not in INLINE_TAGS:
        builder.separate()
    if token.group("close") or not token.group("attributes"):
        return
    base = token.start("attributes")
    for attribute in _ATTRIBUTES.finditer(token.group("attributes")):
        attribute_name = attribute.group("name").lower()
        if attribute_name not in TEXT_ATTRIBUTES and not attribute_name.startswith("data-"):
            continue
        for group in ("double", "single", "bare"):
            if attribute.group(group) is not None:
                attributes.separate()
                _decode_into(attributes, attribute.group(group), base + attribute.start(group))


def _decode_into(builder: ViewBuilder, value: str, start: int) -> None:
    position = 0
    for token in re.finditer(rf"(?P<entity>{_ENTITY})|(?P<percent>{_PERCENT})", value):
        builder.verbatim(value[position : token.start()], start + position)
        builder.decoded(
            _decode(token.group(), token.lastgroup or ""), start + token.start(), start + token.end()
        )
        position = token.end()
    builder.verbatim(value[position:], start + position)


def json_views(text: str, offset: int = 0) -> tuple[list[View], list[str]]:
    """Every string of a JSON document (keys too), its escapes decoded."""
    try:
        json.loads(text)
    except RecursionError:
        return [], ["JSON nested too deeply to parse; checked as plain text"]
    except ValueError as error:
        line = getattr(error, "lineno", 0)
        return [], [f"not valid JSON (line {line}); checked as plain text"]
    return [_json_strings(text, offset)], []


def ld_json_views(text: str) -> Iterator[View]:
    for script in _LD_JSON.finditer(text):
        views, _ = json_views(script.group("body"), script.start("body"))
        yield from views


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
                json.loads(f'"{escape.group()}"'),
                offset + body_start + escape.start(),
                offset + body_start + escape.end(),
            )
            position = escape.end()
        builder.verbatim(body[position:], offset + body_start + position)
    return builder.build()


def yaml_views(text: str) -> tuple[list[View], list[str]]:
    """Every scalar of a YAML document (keys too), as the parser reads it.

    Parsing events, not loading: aliases are never expanded, so an alias bomb costs
    nothing.
    """
    builder = ViewBuilder()
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            marks = (event.start_mark, event.end_mark)
            if isinstance(event, yaml.ScalarEvent) and event.value and marks[0] and marks[1]:
                start, end = marks[0].index, marks[1].index
                builder.separate()
                if text[start:end] == event.value:
                    builder.verbatim(event.value, start)
                else:
                    builder.decoded(event.value, start, end)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        return [], [f"not valid YAML{line}; checked as plain text"]
    return [builder.build()], []
