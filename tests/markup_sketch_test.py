"""A page whose sketch (gate/markup.py's sketch_html) names no one is not rendered: the
verdict is the same as with every page rendered, on pages of tags, references,
comments, scripts and attributes around names split every way."""

from __future__ import annotations

import datetime
import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gate.check import check_file, check_text
from gate.content import Content
from gate.extract import content_views
from gate.markup import sketch_html
from gate.matcher import names_anyone
from gate.obfuscation import disguise_views
from tests.support.wordlists import compile_rows

TODAY = datetime.date(2026, 12, 1)
ROWS = (
    "A,name,Kim Lowe,\n"
    "B,name,Maria Svensson,2027-01-01\n"
    "C,handle,@amp_lowe,\n"
    "D,phone,+44 20 7946 0958,\n"
    "E,name,Amp Kim,\n"
)
MATCHER = compile_rows(ROWS, allow="Kim Lowe Trust\n")

# Pieces of names, and what can stand between them in a page.
WORDS = ["Kim", "Lowe", "Ki", "m", "Lo", "we", "Maria", "Svensson", "Amp", "amp", "Trust", "@amp_lowe", "2079460958"]
TEXT = [" ", "\n", "\r\n", ", ", "-", "_", "*", "x", "+44 20 ", "7946 0958", "<", " < ", ">", "=", '"', "'", "/"]
REFERENCES = [
    *("&#105;", "&#0000105", "&#x4b;", "&#X4B", "&eacute", "&eacute;", "&amp;", "&amp", "&am", "p;", "&"),
    *("&lt;b&gt;", "&lt;", "&#10;", "&#0;", "&nbsp;", "&NewLine;", "&Tab;", "&#1;", "&#7;", "&KIM;", "&lowe"),
]
WELL_FORMED = [
    *("<b>", "</b>", "<span class='x'>", "</span>", "<x-unknown>", "</x-unknown>", "<i\n>", "</i >", "<a>", "</a>"),
    *("<p>", "</p>", "<div>", "</div>", "<li>", "<td>", "<h1 id=x>", "</h1>", "<svg>", "<text>", "</text>"),
    *("<br>", "<br/>", "<br />", "</br>", "<text:s/>", "<text:tab/>", "<text:line-break/>", "<text:p>", "</text:p>"),
    *('<div title="Kim Lowe">', "<img alt='Maria'>", "<img alt=Svensson>", '<a href="/Kim%20Lowe">', "<a href=x/>"),
    *("<p data-x='Lowe'>", "<p data-='Kim'>", "<q\tcite=Kim>", '<meta content="K&#105;m Lowe">', "<hr/>"),
    *("<a title='>'>", '<a title=">Kim Lowe">', "<a title='<b>'>", "<a x=\"title='Kim Lowe'\">", "</br >"),
    *("<!-- x -->", "<!---->", "<!-- <p> -->", "<!DOCTYPE html>", "<!doctype x>", "<title>Kim</title>"),
    *("<script>x</script>", "<script>a<b>Kim</b></script>", "</script>", "<style>p{}</style>", "</style>"),
    *("<title>&amp;</title>", "</title>", "<script>x</ſcript>", "<script>x</script x>Kim", "<style>a</STYLE>"),
    *("<script type=application/ld+json>", '{"n": "Kim Lowe"}', "</script>", "<ſcript>", "</ſcript>", "<scrıpt>"),
    # a bare value begun by a blank of Unicode's that is not HTML's: the renderer skips it
    *("<img alt=\xa0Kim%20Lowe>", "<a href=\x0bKim>", "<img alt=\u3000Lowe>", "<p title= \u2028Kim>"),
]
ODD = [
    *("<!-->", "<!--->", "<!-- a -- b -->", "<!-- --!>", "<!--", "-->", "<?x?>", "<![CDATA[Kim]]>", "<!x>", "</>"),
    *("</ b>", "</b x>", "<DIV>", "</DIV>", "<Kim>", "<p TITLE='Kim'>", "<abbr title=Lo", "<script>", "<style>"),
    *("</script x>", "</SCRIPT>", "<script/>", "</ſtyle>", "<title>", "<title/>", "<title>a<b>Lowe</b></title>"),
    *("<textarea>", "</textarea>", "<noscript>", "</noscript>", "<iframe srcdoc='Kim Lowe'>", "<xmp>", "<plaintext>"),
    *("<iframe>", "</iframe>", "<noembed>", "\x00", "\x06"),
]
PLAIN = [*WORDS, *TEXT, *REFERENCES]
NAMES = ["Kim Lowe", "Maria Svensson", "@amp_lowe", "+44 20 7946 0958", "Amp Kim", "Kim Lowe Trust"]
# What can stand inside a name: tags, breaks, comments, blanks.
SPLITS = [
    *("<b>", "</b>", "<i>", "<span class=x>", "</span>", "<x-y>", "<a href='/x'>", "</a>", "<!-- x -->", "<!---->"),
    *("<br>", "<br/>", "</br>", "<text:s/>", "<text:tab/>", "<text:line-break/>", "<p>", "</div>", "<hr/>"),
    *("<script>x</script>", "<style>y</style>", "<title>t</title>", "<img alt='x'>", "\n", " ", "&nbsp;", "&#10;"),
]


@st.composite
def planted(draw: st.DrawFn) -> str:
    """A name with tags, breaks or comments between its characters, and some of its
    characters written as references."""
    pieces = []
    for char in draw(st.sampled_from(NAMES)):
        pieces += draw(st.lists(st.sampled_from(SPLITS), max_size=2)) if draw(st.integers(0, 3)) == 0 else []
        form = draw(st.integers(0, 5))
        pieces.append(f"&#{ord(char)};" if form == 0 else f"&#x{ord(char):x}" if form == 1 else char)
    return "".join(pieces)


PAGES = st.one_of(
    st.lists(st.one_of(planted(), st.sampled_from([*PLAIN, *WELL_FORMED])), max_size=20),
    st.lists(st.sampled_from([*PLAIN, *WELL_FORMED]), max_size=40),
    st.lists(st.sampled_from([*PLAIN, *WELL_FORMED, *ODD]), max_size=40),
).map("".join)


def verdict(content: Content, *, rendered: bool) -> tuple[object, ...]:
    if rendered:
        views, _ = content_views(content.path, content.text or "")
        found, quiet = check_text(MATCHER, content.text or "", path=content.path, today=TODAY, views=views)
        return tuple(found), tuple(quiet)
    checked = check_file(MATCHER, content, today=TODAY)
    return tuple(checked.findings), tuple(checked.suppressed)


@settings(max_examples=3000, deadline=None)
@given(PAGES)
def test_a_page_is_judged_alike_with_or_without_its_sketch(page: str) -> None:
    content = Content("page.html", page)
    assert verdict(content, rendered=False) == verdict(content, rendered=True)


@settings(max_examples=3000, deadline=None)
@given(PAGES)
def test_a_sketch_names_whom_the_rendered_views_name(page: str) -> None:
    sketch = sketch_html(page)
    if sketch is None:
        return
    views, _ = content_views("page.html", page)
    # What a page yields unrendered too (its JSON-LD, read as data) is read whatever the sketch says.
    always = {view.text for view in content_views("page.html", page, names_anyone=lambda _: False)[0]}
    if any(names_anyone(MATCHER, view.text) for view in views if view.text not in always):
        # As check_file asks it: the sketch as written, and in disguise (`A m p Kim` spaced out).
        in_disguise = any(names_anyone(MATCHER, view.text) for view in disguise_views(sketch))
        assert names_anyone(MATCHER, sketch) or in_disguise, (page, sketch)


SKETCHED = [
    ("Dear <b>Ki</b>m Lowe", True),
    ("Dear Ki<!-- x -->m Lowe", True),
    ("<p>Kim</p><p>Lowe</p>", False),
    ("Kim<br><br>Lowe", True),  # one line break: a name runs across it
    ("Kim<br>\n<br>Lowe", False),  # a blank line: no name does
    ("<a href='/x'>Kim</a>&nbsp;Lowe", True),
    ("<img alt='Kim Lowe'>", True),
    ("K&#105;m <i>Lowe</i>", True),
    ("Kim <script>x</script>Lowe", True),  # a script shows nothing and lays out nothing
    ("Kim<script>x</script>Lowe", False),
    ("<p>Kim\n\n   Lowe</p>", True),  # blanks as a browser shows them: one space
    ("<pre>Kim\n\nLowe</pre>", True),  # the sketch may name more than the views, never less
    ("<title>Kim Lowe</title>", True),
    ("<p>Nobody here</p>", False),
]


UNICODE_BLANKS = [char for char in map(chr, range(0x3001)) if char.isspace() and char not in " \t\n\r\f"]


@pytest.mark.parametrize("blank", UNICODE_BLANKS, ids=[f"U+{ord(char):04X}" for char in UNICODE_BLANKS])
def test_a_bare_value_begun_by_a_unicode_blank_is_judged_as_rendered(blank: str) -> None:
    """The renderer skips any of Unicode's blanks after "=" and publishes the value; the
    sketch refuses such a tag, and the page is rendered."""
    for page in (f"<img alt={blank}Kim%20Lowe>", f"<a title={blank}Amp&#32;Kim>write</a>"):
        content = Content("page.html", page)
        findings, _ = verdict(content, rendered=False)
        assert (findings, _) == verdict(content, rendered=True), page
        assert findings, page


def test_a_sketch_holds_what_a_reader_sees() -> None:
    for page, named in SKETCHED:
        sketch = sketch_html(page)
        assert sketch is not None, page
        assert names_anyone(MATCHER, sketch) is named, page


UNSKETCHED = [
    "Kim <DIV>Lowe",  # a name in capitals: not one of the sketch's tokens
    "<iframe srcdoc='Kim'></iframe>",
    "<textarea>Kim</textarea>",
    "<noscript>Kim</noscript>",
    "Kim <!-- a -- b --> Lowe",
    "Kim <!--> Lowe -->",  # an abrupt comment, ended by its own ">"
    "<![CDATA[Kim]]>",
    "<script>Kim",  # unclosed: read again as shown by the renderer
    "Kim <a title='x'",
    "Kim <",
    "<?php echo 1 ?>",
    "Kim\x00Lowe",
]


def test_markup_the_sketch_does_not_read_is_rendered() -> None:
    for page in UNSKETCHED:
        assert sketch_html(page) is None, page


def test_a_page_that_names_no_one_has_no_rendered_views_but_its_json_ld() -> None:
    page = '<p>Nobody</p><script type="application/ld+json">{"name": "Kim Lowe"}</script>'
    views, _ = content_views("page.html", page, names_anyone=functools.partial(names_anyone, MATCHER))
    assert [view.text for view in views] == ["name\n\nKim Lowe"]
    assert len(content_views("page.html", page)[0]) == 3
