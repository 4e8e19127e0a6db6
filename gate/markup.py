"""HTML as a browser shows it: text joined across inline and unknown elements, apart at
block elements, character references decoded; and the attributes that publish text.

html.parser tokenizes, and says where each token starts; the text of each token is then
read from the page itself, so every character keeps the place it was written. The parser
is fed a copy of the page in which every `&` is another character: Python 3.11's parser
stops for good at `&#` without digits, and references are decoded here, on the exact
text a browser decodes (html.unescape's rules, `&#0000105` and `&eacute` included). The
page is fed once and never closed (closing would read what is left again once per `<`,
in time that grows with the square of the page): what an unclosed script, style,
comment or declaration leaves at the end is then read once more, as HTML that shows
everything (no script or style hides, no comment ends), so that nothing a browser might
show is left unread.
"""

from __future__ import annotations

import html
import html.parser
import re
from collections.abc import Iterable, Sequence

from gate.views import PARAGRAPH, ViewBuilder, decode_entities, decode_value, decoded_value

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
        # Flat OpenDocument (.fodt): paragraphs, headings, cells, and what is anchored in
        # a paragraph but not part of it (a comment, a footnote, a frame).
        *("text:p", "text:h", "table:table-cell", "office:annotation", "text:note", "draw:frame"),
    ]
)
LINE_TAGS = frozenset({"br", "text:line-break"})
# OpenDocument's spaces and tabs, written as elements.
BLANK_TAGS = frozenset({"text:s", "text:tab"})
# Attributes whose values are published: shown to readers or to crawlers and previews.
TEXT_ATTRIBUTES = frozenset(
    [
        *("alt", "title", "aria-label", "aria-description", "content", "value", "placeholder", "label"),
        *("summary", "href", "src", "srcset", "action", "cite", "poster", "data"),
    ]
)
# An iframe's `srcdoc` is a page of its own, shown in the frame.
_PAGE_ATTRIBUTE = "srcdoc"
_READ_ATTRIBUTES = TEXT_ATTRIBUTES | {_PAGE_ATTRIBUTE}
_ATTRIBUTE = re.compile(
    r"""(?P<name>[^\s"'>/=]++)(?:\s*+=\s*+(?:"(?P<double>[^"]*+)"|'(?P<single>[^']*+)'|(?P<bare>[^\s"'=<>`]++)))?+"""
)
_HIDDEN_TAGS = frozenset(html.parser.HTMLParser.CDATA_CONTENT_ELEMENTS)  # script, style
# Elements whose content a browser reads as text up to their end tag, markup and all:
# a `<script>` in a `<textarea>` is shown, and hides nothing after it.
_TEXT_TAGS = frozenset({"textarea", "title", "xmp", "plaintext"})
# Elements whose content a browser shows only when scripts or frames are off, and then
# as HTML: read as HTML, but a script or a style in them hides nothing.
_FALLBACK_TAGS = frozenset({"noscript", "noembed", "noframes", "iframe"})
_CDATA = "<![CDATA["
# Elements whose blanks a browser shows as written; elsewhere a run of blanks (line breaks
# and blank lines too) shows as one space: `<p>Kim\n\nLowe</p>` reads "Kim Lowe".
_PREFORMATTED_TAGS = frozenset({"pre", "listing"})
_COLLAPSED_BLANKS = re.compile(r"[ \t\n\f\r]{2,}|[\t\n\f\r]")
_TAG_START = re.compile("<[A-Za-z/!?]")
# `<!-->` and `<!--->` end a comment in HTML5; Python 3.11 reads on to the next `-->`.
_ABRUPT_COMMENT = re.compile("<!--(?=-?>)")
# `--!>` ends a comment too; Python 3.11 ends one only at `--`, blanks, and `>`.
_BANG_COMMENT_END = "--!>"


def render_html(builder: ViewBuilder, attributes: ViewBuilder, text: str, start: int = 0) -> None:
    """`text`, written at `start` in the original, as a browser shows it, into `builder`;
    the published attribute values into `attributes`, each apart."""
    copy = _parser_copy(text)
    renderer = _Renderer(builder, attributes, text, start)
    renderer.feed(copy)
    if renderer.hidden:  # a script or a style still open (a tag alone): what follows may be in it
        builder.separate()
    if renderer.rawdata:  # an unclosed script, style, comment or declaration
        left = len(copy) - len(renderer.rawdata)
        builder.separate()
        shown = _Renderer(builder, attributes, text[left:], start + left, shows_all=True)
        shown_copy = _parser_copy(text[left:]).replace("<!", "\x02!").replace("<?", "\x02?")
        shown.feed(shown_copy)
        if shown.rawdata:  # a tag the parser waits to see the end of: as written
            left += len(shown_copy) - len(shown.rawdata)
            decode_entities(builder, text[left : left + len(shown.rawdata)], start + left)


def has_html(text: str) -> bool:
    """Whether HTML could show the text other than as written."""
    return "<" in text or "&" in text  # "in" runs at memory speed


def _parser_copy(text: str) -> str:
    """The text the parser reads: the same characters at the same places, with nothing
    it would stop at before the end."""
    copy = text.replace("&", "\x01")
    if "<!--" in copy:
        copy = _ABRUPT_COMMENT.sub("<!x-", copy)  # a bogus comment, ended by its ">"
        copy = copy.replace(_BANG_COMMENT_END, "-- >")  # as long, and Python ends a comment there
    # A tag that no ">" ends runs to the end of the text, and shows nothing: the parser
    # would read it all with a pattern, at 7 MB/s.
    unended = _TAG_START.search(copy, copy.rfind(">") + 1)
    return copy if unended is None else copy[: unended.start()]


class _Renderer(html.parser.HTMLParser):
    """`shows_all`: no element's content is hidden or read as text."""

    def __init__(
        self, builder: ViewBuilder, attributes: ViewBuilder, text: str, start: int, *, shows_all: bool = False
    ) -> None:
        super().__init__(convert_charrefs=False)
        self._shows_all = shows_all
        self._fallbacks = 0  # open elements of _FALLBACK_TAGS
        self._builder = builder
        self._attributes = attributes
        self._text = text
        self._start = start
        self._position = 0  # where the token being handled starts
        self._hidden = False  # in a script or a style, whose text is not shown
        self._preformatted = 0  # open elements of _PREFORMATTED_TAGS

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        offset = self._position
        written = self._text[offset : offset + len(data)]
        start = self._start + offset
        if self.cdata_elem in _TEXT_TAGS and "<" in written:
            # Text to a browser, but HTML to what reads a feed's <title> (its CDATA too):
            # read as HTML, which shows all the text there is and joins what tags split.
            render_html(self._builder, self._attributes, written, start)
        elif self._preformatted or self.cdata_elem in _TEXT_TAGS:
            self._text_piece(written, start)
        else:
            position = 0
            for blanks in _COLLAPSED_BLANKS.finditer(written):
                self._text_piece(written[position : blanks.start()], start + position)
                self._builder.decoded(" ", start + blanks.start(), start + blanks.end())
                position = blanks.end()
            self._text_piece(written[position:], start + position)

    @property
    def hidden(self) -> bool:
        return self._hidden

    def _text_piece(self, written: str, start: int) -> None:
        if "&" in written:
            decode_entities(self._builder, written, start)
        elif written:
            self._builder.verbatim(written, start)

    def handle_starttag(self, tag: str, attrs: Sequence[tuple[str, str | None]]) -> None:
        hidden = tag in _HIDDEN_TAGS and not self._fallbacks and not self._shows_all
        if not hidden:  # a script or a style that shows nothing lays out nothing: `Ki<script></script>m`
            self._break(tag)
        self._hidden = hidden
        self._preformatted += tag in _PREFORMATTED_TAGS
        self._fallbacks += tag in _FALLBACK_TAGS
        if tag in _TEXT_TAGS:
            self.set_cdata_mode(tag)
        if any(name in _READ_ATTRIBUTES or name.startswith("data-") for name, _ in attrs):
            offset = self._position
            written = self.get_starttag_text() or ""
            self._publish(offset + 1 + len(tag), offset + len(written) - 1)

    def handle_endtag(self, tag: str) -> None:
        if not (tag in _HIDDEN_TAGS and self._hidden):
            self._break(tag)
        if tag in _HIDDEN_TAGS:
            self._hidden = False
        if tag in _PREFORMATTED_TAGS and self._preformatted:
            self._preformatted -= 1
        if tag in _FALLBACK_TAGS and self._fallbacks:
            self._fallbacks -= 1

    def set_cdata_mode(self, elem: str, *, escapable: bool = False) -> None:
        if self._shows_all or (elem in _HIDDEN_TAGS and self._fallbacks):
            return
        # A browser ends the element at its name and a blank, `/` or `>`: `</script x>`
        # too, which Python 3.11 reads as text of the script.
        self.cdata_elem = elem
        self.interesting = re.compile(rf"</{elem}(?=[\t\n\f\r />])", re.IGNORECASE)

    def parse_endtag(self, i: int) -> int:
        if self.cdata_elem is None or not self.interesting.match(self.rawdata, i):
            return super().parse_endtag(i)
        end = self.rawdata.find(">", i)
        if end < 0:
            return -1
        self.handle_endtag(self.cdata_elem)
        self.clear_cdata_mode()
        return end + 1

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
        elif tag in BLANK_TAGS:
            self._builder.separate(" ")
        elif tag in BLOCK_TAGS:
            self._builder.separate()

    def _publish(self, start: int, end: int) -> None:
        for attribute in _ATTRIBUTE.finditer(self._text, start, end):
            name = attribute.group("name").lower()
            if name not in _READ_ATTRIBUTES and not name.startswith("data-"):
                continue
            for group in ("double", "single", "bare"):
                if attribute.group(group) is None:
                    continue
                if name == _PAGE_ATTRIBUTE:
                    self._render_page(attribute.group(group), self._start + attribute.start(group))
                else:
                    self._attributes.separate()
                    decode_value(self._attributes, attribute.group(group), self._start + attribute.start(group))

    def _render_page(self, value: str, start: int) -> None:
        """A page written in an attribute at `start`: its references decoded, then shown
        as HTML, each character placed over what it was written as."""
        if "&" not in value:
            self._builder.separate()
            render_html(self._builder, self._attributes, value, start)
            self._builder.separate()
            return
        decoded = ViewBuilder()
        decode_entities(decoded, value, 0)
        page = decoded.build()
        shown, published = ViewBuilder(), ViewBuilder()
        render_html(shown, published, page.text)
        for target, view in ((self._builder, shown.build()), (self._attributes, published.build())):
            target.separate()
            for index, char in enumerate(view.text):
                first, last = page.starts.source(view.starts.source(index)), page.ends.source(view.ends.source(index))
                target.decoded(char, start + first, start + last + 1)
            target.separate()

    def updatepos(self, i: int, j: int) -> int:
        # The parser moves its place from i to j, both indices of the text it was fed,
        # which is the whole text: where a token starts, without the line and column
        # it would count (which took a sixth of the time of a page).
        self._position = j
        return j


# A sketch of the page, to tell whether rendering it can find anything (sketch_html):
# well-formed tokens with names in small letters only, each read as html.parser reads it.
_BLANK = "[ \t\n\r\f]"
_MORE_NAME = "(?![a-z0-9:._-])"  # the name ends here
_TAG_ATTRIBUTES = (
    # A bare value holds no blank of any kind: the renderer (_ATTRIBUTE) skips Unicode's
    # blanks after "=", so a value begun by one (U+00A0, U+000B) is not sketched; refused.
    rf"""(?:{_BLANK}++[a-z_:][-a-z0-9_:.]*+(?:{_BLANK}*+={_BLANK}*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>`]++))?+)*+"""
    rf"{_BLANK}*+"
)
_SKETCHED_ELEMENTS = ("script", "style", "title")  # read by tokens of their own


def _names(tags: Iterable[str]) -> str:
    return "|".join(re.escape(tag) for tag in sorted(tags, key=len, reverse=True))


# Each token is read by one named group; a tag's name, or the group, says what stands in
# its place (_marker). The end of a script, a style or a title is found as the renderer
# finds it (set_cdata_mode: IGNORECASE).
_SKETCH_TOKEN = re.compile(
    "<(?:"
    rf"(?P<tag>(?!(?:{_names(_SKETCHED_ELEMENTS)}){_MORE_NAME})[a-z][a-z0-9:._-]*+){_TAG_ATTRIBUTES}/?+>"
    rf"|/(?P<end>[a-z][a-z0-9:._-]*+){_BLANK}*+>"
    r"|(?P<comment>!--(?!-?>)(?:[^-]|-(?!-))*+--)>"
    r"|(?P<declaration>![dD][oO][cC][tT][yY][pP][eE][^<>]*+)>"
    rf"|(?P<hidden>script(?={_BLANK}|>){_TAG_ATTRIBUTES}(?<!/)>[\s\S]*?(?i:</script)(?=[\t\n\f\r />])[^>]*+)>"
    rf"|(?P<hidden_style>style(?={_BLANK}|>){_TAG_ATTRIBUTES}(?<!/)>[\s\S]*?(?i:</style)(?=[\t\n\f\r />])[^>]*+)>"
    rf"|title(?={_BLANK}|>){_TAG_ATTRIBUTES}(?<!/)>(?P<title>[^<]*+)(?i:</title)(?=[\t\n\f\r />])[^>]*+>"
    ")"
)
# What stands for a tag: a paragraph break (\x07), a line break (\x06), a blank, or
# nothing, marked (\x00) until the references are decoded.
_TAG_MARKERS = {
    **dict.fromkeys(BLOCK_TAGS, "\x07"),
    **dict.fromkeys(LINE_TAGS, "\x06"),
    **dict.fromkeys(BLANK_TAGS, " "),
}


def _marker(token: re.Match[str]) -> str:
    kind = token.lastgroup or ""
    if kind == "tag" or kind == "end":
        return _TAG_MARKERS.get(token.group(kind), "\x00")
    if kind == "title":
        return f"\x07{token.group(kind)}\x07"
    return "\x00"  # a script, a style (which lay out nothing), a comment, a declaration


# Markup the sketch does not read (a page in an attribute, text elements, what shows
# only without scripts or frames), or a character it uses as a marker: then the page is
# rendered. (A name in capitals is no token of the sketch's, so also rendered.)
_MARKER_CHARACTER = re.compile("[\x00-\x07]")
_SKETCH_BLANKS = re.compile(r"[ \t\n\f\r]+")
_UNSKETCHED = re.compile("<(?:textarea|xmp|plaintext|noscript|noembed|noframes|iframe)" + _MORE_NAME)
_STRAY_TAG = re.compile(r"<(?:[A-Za-z/!?]|\Z)")
# Every attribute value, published or not (the values an "=" in the text would start
# too): each "=" is looked at, none consumed by the value before it.
_ELEMENT_ENDS = {name: re.compile(rf"(?i:</{name})(?=[\t\n\f\r />])") for name in ("script", "style")}
_VALUE = re.compile(r"""=(?=[ \t\n\r\f]*+(?:"([^"]*+)"|'([^']*+)'|([^\s"'=<>`]++)))""")


def sketch_html(text: str) -> str | None:
    """What the page shows, then every attribute value a paragraph apart: the text of
    render_html's views, but for how many blanks and line breaks stand between words
    (and the values that are not published); None where the page holds markup that the
    sketch does not read as the renderer does (then only rendering tells).

    A few passes of re, where rendering reads each token in Python: a page whose sketch
    names no one has no view that does, and need not be rendered.
    """
    if (
        "srcdoc" in text
        or _MARKER_CHARACTER.search(text)
        or _UNSKETCHED.search(text)
        or _unclosed(text, "script")
        or _unclosed(text, "style")
    ):
        return None
    marked = _SKETCH_TOKEN.sub(_marker, text)
    if _STRAY_TAG.search(marked):  # a "<" that starts a token the sketch did not read
        return None
    # References decoded while the markers still stand between the texts (no reference
    # spans one): the renderer decodes each text apart.
    shown = html.unescape(marked) if "&" in marked else marked
    # Blanks as a browser shows them (preformatted text too: the sketch may name more
    # than the views, never less).
    shown = _SKETCH_BLANKS.sub(" ", shown).replace("\x00", "").replace("\x07", PARAGRAPH)
    if "\x06" in shown:  # no line break after one (ViewBuilder.separate): two would be a blank line
        shown = re.sub("\x06++", "\n", re.sub("\n\x06++", "\n", shown))
    values = PARAGRAPH.join(value for found in _VALUE.findall(text) for value in found if value)
    return f"{shown}{PARAGRAPH}{decoded_value(values)}"


def _unclosed(text: str, element: str) -> bool:
    """Whether the element opens after its last end (the sketch would read to the end
    of the text for each such opening)."""
    start = text.find(f"<{element}")
    if start < 0:
        return False
    ends = [end.end() for end in _ELEMENT_ENDS[element].finditer(text, start)]
    return not ends or text.find(f"<{element}", ends[-1]) >= 0


def tag_shows(written: str) -> tuple[str, str]:
    """What a tag (or a comment) written alone shows between two texts, as gate/markup.py
    renders it (a break, or nothing, for most), and the attribute values it publishes."""
    shown, published = ViewBuilder(), ViewBuilder()
    shown.verbatim(".", 0)
    render_html(shown, published, written)
    return shown.build().text[1:], published.build().text
