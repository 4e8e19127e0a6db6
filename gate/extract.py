"""Content as a reader and a crawler see it: views of a file with markup rendered and
escapes decoded, each character mapped back to where it was written.

A file is always checked as written; these views add what the writing hides: a name
split by emphasis (`**Kim** Lowe`) or by tags (`Kim <b>Lowe</b>`), spelled with entities
(`K&#105;m`), percent-encoded in a URL (`Kim%20Lowe`), or escaped in a JSON or YAML string
(`Andr\\u00e9`). Markdown is rendered by gate/markdown.py and HTML by gate/markup.py;
JSON and YAML are validated by their parsers, which also give the positions of YAML's
scalars.
"""

from __future__ import annotations

import bisect
import json
import posixpath
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

import yaml

from gate.markdown import has_markdown, render_markdown
from gate.markup import has_html, render_html, sketch_html
from gate.obfuscation import disguise_views
from gate.views import PERCENT, decode_percent, within
from gate.views import View as View  # the vocabulary of every format, here as before
from gate.views import ViewBuilder as ViewBuilder

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
    # Flat OpenDocument: a text, spreadsheet, presentation or drawing as one XML file.
    ".fodt": "html",
    ".fods": "html",
    ".fodp": "html",
    ".fodg": "html",
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

_JSON_STRING = re.compile(r'"((?:[^"\\\x00-\x1f]|\\.)*)"')
# JSON's escapes, and YAML's \x and \U (a YAML file that does not parse is read for its
# double-quoted strings like a JSON one).
_JSON_ESCAPE = re.compile(
    r"(?:\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\U[0-9a-fA-F]{8}|\\."
)
# Front matter: from a first line `---` (YAML) or `+++` (TOML) to the next such line.
_YAML_FRONT_MATTER = re.compile(r"---[ \t]*+\r?\n(.*?)^(?:---|\.\.\.)[ \t]*+$", re.DOTALL | re.MULTILINE)
_TOML_FRONT_MATTER = re.compile(r"\+\+\+[ \t]*+\r?\n(.*?)^\+\+\+[ \t]*+$", re.DOTALL | re.MULTILINE)
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
# markdown-it reads a `[` (a link's start) in about 30 µs, whatever follows: 50,000 of them,
# as one hostile post can hold, took 1.5 s. Real files hold far fewer (Node.js's largest
# changelog: 14,142). Past this, the text is refused as rendered (it blocks).
MAX_MARKDOWN_BRACKETS = 20_000
MARKDOWN_TOO_MANY_LINKS = (
    f"Markdown with over {MAX_MARKDOWN_BRACKETS:,} link brackets ([): not read as rendered, so not approved; "
    "split it into smaller files"
)


class Problem(NamedTuple):
    """Why a view of a file is missing. `blocks`: refused past a limit, so not approved."""

    reason: str
    blocks: bool = False


def content_format(path: str) -> str:
    return SUFFIX_FORMATS.get(posixpath.splitext(path.lower())[1], "text")


def content_views(
    path: str, text: str, kind: str | None = None, *, names_anyone: Callable[[str], bool] | None = None
) -> tuple[list[View], list[Problem]]:
    """The views of a file besides the text as written, and why any could not be made (a
    problem that blocks is a refusal past a limit): the text as its format renders it,
    and the identifiers it writes in disguise (gate/obfuscation.py), as written and as
    rendered.

    `kind` (markdown, html, json, yaml, text) overrides the one the file's name gives.
    `names_anyone`: whether an identifier stands in a text; given, a page whose sketch
    (markup.sketch_html) names no one is not rendered, as no view of it can.
    """
    if names_anyone is not None:
        names_anyone = _or_in_disguise(names_anyone)
    views, problems = _format_views(kind or content_format(path), text, names_anyone)
    rendered = [within(view, disguised) for view in views for disguised in disguise_views(view.text)]
    return [*views, *disguise_views(text), *rendered], problems


def _or_in_disguise(names_anyone: Callable[[str], bool]) -> Callable[[str], bool]:
    """Whether an identifier stands in a text (a sketch of a page), or in what the text
    writes in disguise: a page whose sketch shows `kim&#91;@&#93;example.org` is rendered,
    and the disguise is read in what it renders."""
    return lambda text: names_anyone(text) or any(names_anyone(view.text) for view in disguise_views(text))


def _format_views(kind: str, text: str, names_anyone: Callable[[str], bool] | None) -> tuple[list[View], list[Problem]]:
    """The text as its format renders it, and why it could not be."""
    if kind == "markdown":
        front, problems = front_matter_views(text)
        if text.count("[") > MAX_MARKDOWN_BRACKETS:
            return [*front, *url_views(text)], [*problems, Problem(MARKDOWN_TOO_MANY_LINKS, blocks=True)]
        return [*front, *markdown_views(text, names_anyone=names_anyone)], problems
    if kind == "html":
        return html_views(text, names_anyone=names_anyone), []
    if kind == "json":
        return json_views(text)
    if kind == "yaml":
        return yaml_views(text)
    return url_views(text), []


def front_matter_views(text: str) -> tuple[list[View], list[Problem]]:
    """The front matter of a Markdown file, which static-site generators publish (its
    title, its description): YAML's scalars, TOML's quoted strings, escapes decoded.

    Only a refusal past a limit is a problem: a file that merely starts with a thematic
    break is not YAML, and its quoted strings are read all the same.
    """
    if (yaml_matter := _YAML_FRONT_MATTER.match(text)) is not None:
        views, problems = yaml_views(text[: yaml_matter.end(1)])  # from offset 0: places stay exact
        return views, [problem for problem in problems if problem.blocks]
    if (toml_matter := _TOML_FRONT_MATTER.match(text)) is not None:
        return [_json_strings(text[: toml_matter.end(1)], 0)], []
    return [], []


def percent_views(text: str) -> list[View]:
    """The views of plain text (a file's part: an image's caption, a PDF's page): as a URL
    shows it once decoded (`Kim%20Lowe`), and the identifiers it writes in disguise."""
    return [*url_views(text), *disguise_views(text)]


def url_views(text: str) -> list[View]:
    """Plain text or a path as a URL shows it once decoded (`Kim%20Lowe.md`)."""
    return [render_percent(text)] if "%" in text and PERCENT.search(text) else []  # "in": memory speed


def path_views(path: str) -> list[View]:
    """A path as a URL shows it (percent-decoded), without its extension (a handle or an
    address that ends the file's name, `kimlowe_art.md`, is whole there), and with its
    words apart where a file's name runs them together (`KimLowe.md`, `kim.lowe.md`,
    `Kim+Lowe.md`). Not read for disguises: a path spells out nothing (`kim.lowe.md` is
    read apart, not as an address)."""
    views = url_views(path)
    stem, extension = posixpath.splitext(path)
    if extension:
        builder = ViewBuilder()
        builder.verbatim(stem, 0)
        views.append(builder.build())
    words = _path_words(stem)
    if words is not None:
        views.append(words)
    return views


# Where a file's name runs words together: a small letter then a capital (CamelCase), or a
# "+" (a URL's space) or "." between letters, in a part of the path that is not an address.
_RUN_TOGETHER = re.compile(r"(?<=[^\W\d_])(?:(?=[A-Z])|[+.](?=[^\W\d_]))")


def _path_words(stem: str) -> View | None:
    """The path's words apart, each gap mapped to where it was written; None where the
    path runs no words together."""
    builder, position, changed = ViewBuilder(), 0, False
    for part in re.finditer(r"[^/]+", stem):
        if "@" in part.group():
            continue  # an address's dots are its own
        for gap in _RUN_TOGETHER.finditer(stem, part.start(), part.end()):
            at = gap.start()
            if gap.group():  # a "+" or a "." becomes the space
                builder.verbatim(stem[position:at], position)
                builder.decoded(" ", at, at + 1)
                position = at + 1
            elif stem[at - 1].islower():  # a capital after a small letter: a space before it
                builder.verbatim(stem[position : at - 1], position)
                builder.decoded(stem[at - 1] + " ", at - 1, at)
                position = at
            else:
                continue
            changed = True
    if not changed:
        return None
    builder.verbatim(stem[position:], position)
    return builder.build()


def render_percent(text: str) -> View:
    builder = ViewBuilder()
    position = 0
    for token in PERCENT.finditer(text):
        builder.verbatim(text[position : token.start()], position)
        builder.decoded(decode_percent(token.group()), token.start(), token.end())
        position = token.end()
    builder.verbatim(text[position:], position)
    return builder.build()


def markdown_views(text: str, *, names_anyone: Callable[[str], bool] | None = None) -> list[View]:
    """Markdown as rendered, its published targets, titles and alt text, and the text
    with its URLs' percent-encoding decoded (a link's target, a reference's definition).

    markdown-it reads about 2 MB/s: where `names_anyone` says that a chunk's sketch
    (gate/markdown_sketch.py) names no one, the chunk is not rendered (its views would
    name no one either).
    """
    views = url_views(text)
    if has_markdown(text):
        builder, attributes = ViewBuilder(), ViewBuilder()
        render_markdown(builder, attributes, text, names_anyone=names_anyone)
        views[:0] = [builder.build(), attributes.build()]
    return views


def html_views(text: str, *, names_anyone: Callable[[str], bool] | None = None) -> list[View]:
    """HTML as rendered, the attribute values it publishes, and its JSON-LD scripts.

    Rendering reads a page at about 5 MB/s: where `names_anyone` says that the page's
    sketch names no one, the rendered views (which would name no one either) are left out.
    """
    if not has_html(text):
        return url_views(text)
    if names_anyone is not None and (sketch := sketch_html(text)) is not None and not names_anyone(sketch):
        return [*ld_json_views(text)]
    builder, attributes = ViewBuilder(), ViewBuilder()
    render_html(builder, attributes, text)
    return [builder.build(), attributes.build(), *ld_json_views(text)]


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
        for event in _yaml_events(text):
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


def _yaml_events(text: str) -> Iterable[yaml.Event]:
    """The parser's events: LibYAML's (C) where the text cannot nest as deep as
    MAX_YAML_DEPTH (fewer lines and brackets than that: a Markdown file's front matter,
    a fifth of the time the Markdown documentation took to check), else, or where LibYAML
    finds an error, the pure-Python parser's, depth-limited, whose errors are reported."""
    if yaml.__with_libyaml__ and text.count("\n") + text.count("[") + text.count("{") < MAX_YAML_DEPTH:
        try:
            return list(yaml.parse(text, Loader=yaml.CSafeLoader))
        except yaml.YAMLError:
            pass
    return yaml.parse(text, Loader=_DepthLimitedLoader)


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
