"""HTML as a browser shows it: text joined across inline and unknown elements, apart at
block elements, character references decoded; and the attributes that publish text.

html.parser tokenizes, and says where each token starts; the text of each token is then
read from the page itself, so every character keeps the place it was written. The parser
is fed a copy of the page in which every `&` is another character: Python 3.11's parser
stops for good at `&#` without digits, and references are decoded here, on the exact
text a browser decodes (html.unescape's rules, `&#0000105` and `&eacute` included). The
page is fed once and never closed: what an unterminated tag, comment or script leaves at
the end is what a browser does not show either, and closing would read it again once per
`<`, in time that grows with the square of the page.
"""

from __future__ import annotations

import html.parser
import re
from collections.abc import Sequence

from gate.views import ViewBuilder, decode_entities, decode_value

# Elements a browser lays out as blocks (or that show nothing): text does not run across
# them. Every other element, unknown ones included, is inline, and text runs across it.
BLOCK_TAGS = frozenset(
    [
        *("address", "article", "aside", "blockquote", "body", "caption", "center", "col", "colgroup", "dd"),
        *("details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form"),
        *("frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html"),
        *("iframe", "legend", "li", "link", "main", "menu", "meta", "nav", "noscript", "ol", "optgroup"),
        *("option", "p", "pre", "script", "search", "section", "select", "style", "summary", "table"),
        *("tbody", "td", "template", "textarea", "tfoot", "th", "thead", "title", "tr", "ul"),
        # SVG: each <text> is drawn apart (a <tspan> runs on within one).
        *("svg", "g", "text", "desc", "foreignobject", "symbol", "defs"),
    ]
)
LINE_TAGS = frozenset({"br"})
# Attributes whose values are published: shown to readers or to crawlers and previews.
TEXT_ATTRIBUTES = frozenset(
    [
        *("alt", "title", "aria-label", "aria-description", "content", "value", "placeholder", "label"),
        *("summary", "href", "src", "srcset", "action", "cite", "poster", "data"),
    ]
)
_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\s"'>/=]++)(?:\s*+=\s*+(?:"(?P<double>[^"]*+)"|'(?P<single>[^']*+)'|(?P<bare>[^\s"'=<>`]++)))?+"""
)
_HIDDEN_TAGS = frozenset(html.parser.HTMLParser.CDATA_CONTENT_ELEMENTS)  # script, style
_CDATA = "<![CDATA["
_TAG_START = re.compile("<[A-Za-z/!?]")
# `<!-->` and `<!--->` end a comment in HTML5; Python 3.11 reads on to the next `-->`.
_ABRUPT_COMMENT = re.compile("<!--(?=-?>)")


def render_html(builder: ViewBuilder, attributes: ViewBuilder, text: str, start: int = 0) -> None:
    """`text`, written at `start` in the original, as a browser shows it, into `builder`;
    the published attribute values into `attributes`, each apart."""
    renderer = _Renderer(builder, attributes, text, start)
    renderer.feed(_parser_copy(text))


def has_html(text: str) -> bool:
    """Whether HTML could show the text other than as written."""
    return "<" in text or "&" in text  # "in" runs at memory speed


def _parser_copy(text: str) -> str:
    """The text the parser reads: the same characters at the same places, with nothing
    it would stop at before the end."""
    copy = text.replace("&", "\x01")
    if "<!--" in copy:
        copy = _ABRUPT_COMMENT.sub("<!x-", copy)  # a bogus comment, ended by its ">"
    # A tag that no ">" ends runs to the end of the text, and shows nothing: the parser
    # would read it all with a pattern, at 7 MB/s.
    unended = _TAG_START.search(copy, copy.rfind(">") + 1)
    return copy if unended is None else copy[: unended.start()]


class _Renderer(html.parser.HTMLParser):
    def __init__(self, builder: ViewBuilder, attributes: ViewBuilder, text: str, start: int) -> None:
        super().__init__(convert_charrefs=False)
        self._builder = builder
        self._attributes = attributes
        self._text = text
        self._start = start
        self._position = 0  # where the token being handled starts
        self._hidden = False  # in a script or a style, whose text is not shown

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        offset = self._position
        written = self._text[offset : offset + len(data)]
        if "&" in written:
            decode_entities(self._builder, written, self._start + offset)
        else:
            self._builder.verbatim(written, self._start + offset)

    def handle_starttag(self, tag: str, attrs: Sequence[tuple[str, str | None]]) -> None:
        self._break(tag)
        self._hidden = tag in _HIDDEN_TAGS
        if any(name in TEXT_ATTRIBUTES or name.startswith("data-") for name, _ in attrs):
            offset = self._position
            written = self.get_starttag_text() or ""
            self._publish(offset + 1 + len(tag), offset + len(written) - 1)

    def handle_endtag(self, tag: str) -> None:
        self._break(tag)
        if tag in _HIDDEN_TAGS:
            self._hidden = False

    def parse_html_declaration(self, i: int) -> int:
        # Python 3.11 raises on `<![` that does not name a marked section it knows.
        if not self.rawdata.startswith("<![", i):
            return super().parse_html_declaration(i)
        if self.rawdata.startswith(_CDATA, i):  # XML's text, HTML in an RSS feed
            end = self.rawdata.find("]]>", i)
            if end < 0:
                return -1
            # Fed once, the parser reads the copy of the whole text: `i` is an offset in it.
            body = i + len(_CDATA)
            render_html(self._builder, self._attributes, self._text[body:end], self._start + body)
            return end + 3
        end = self.rawdata.find(">", i)  # HTML5: a bogus comment
        return -1 if end < 0 else end + 1

    def _break(self, tag: str) -> None:
        if tag in LINE_TAGS:
            self._builder.separate("\n")
        elif tag in BLOCK_TAGS:
            self._builder.separate()

    def _publish(self, start: int, end: int) -> None:
        for attribute in _ATTRIBUTE.finditer(self._text, start, end):
            name = attribute.group("name").lower()
            if name not in TEXT_ATTRIBUTES and not name.startswith("data-"):
                continue
            for group in ("double", "single", "bare"):
                if attribute.group(group) is not None:
                    self._attributes.separate()
                    decode_value(self._attributes, attribute.group(group), self._start + attribute.start(group))

    def updatepos(self, i: int, j: int) -> int:
        # The parser moves its place from i to j, both indices of the text it was fed,
        # which is the whole text: where a token starts, without the line and column
        # it would count (which took a sixth of the time of a page).
        self._position = j
        return j
