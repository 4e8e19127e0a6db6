"""A Markdown chunk whose sketch (gate/markdown_sketch.py) names no one is not rendered:
whenever a rendered view names someone, the sketch does too, and the verdict is the same
as with every chunk rendered."""

from __future__ import annotations

import datetime
import functools
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.worst import Shape, file_shape, measure_shape
from gate.adapters.cache import load_matcher
from gate.check import check_file, check_text
from gate.content import Content
from gate.extract import View, content_views, markdown_views
from gate.markdown import has_markdown, sketch_chunks
from gate.matcher import names_anyone
from tests.support.wordlists import compile_rows

ROOT = Path(__file__).resolve().parent.parent
TODAY = datetime.date(2026, 12, 1)
BLANK_LINE = re.compile(r"\n[ \t]*\n")
ROWS = (
    "A,name,Kim Lowe,\n"
    "B,name,Maria Svensson,2027-01-01\n"
    "C,handle,@amp_lowe,\n"
    "D,phone,+44 20 7946 0958,\n"
    "E,email,kim@example.org,\n"
    "F,id,AB-7731,\n"
)
MATCHER = compile_rows(ROWS, allow="Kim Lowe Trust\n")
EXAMPLE_MATCHER = load_matcher(ROOT / "wordlists" / "example", cache_directory=None)
NAMES_ANYONE = functools.partial(names_anyone, MATCHER)

NAMES = ["Kim Lowe", "Maria Svensson", "@amp_lowe", "+44 20 7946 0958", "kim@example.org", "AB-7731", "Kim Lowe Trust"]
# What can stand between a name's characters, or beside it.
MARKUP = [
    *("*", "**", "***", "_", "__", "~~", "~", "`", "``", "\\*", "\\_", "\\`", "\\\\", "\\", "\\\n", "  \n", "\n"),
    *("[", "]", "](x)", "](/Kim%20Lowe)", "](<a b>)", '](x "Kim")', "](x 'Lowe')", "][1]", "][]", "![", "!", "(", ")"),
    *("<b>", "</b>", "<br>", "<br/>", "<p>", "</p>", "<!-- x -->", "<!---->", "<span class=x>", "<a\nhref=x>", "<x-y>"),
    *(
        "<http://x/Kim>",
        "<kim@example.org>",
        "<",
        ">",
        "&#105;",
        "&#x4b;",
        "&eacute;",
        "&eacute",
        "&amp;",
        "&",
        "&#42;",
    ),
    *("\n> ", "> ", ">", "\n- ", "- ", "\n1. ", "1) ", "\n# ", "# ", " #", "\n## ", "| ", " |", "|", "\n|---|---|\n"),
    *(
        "\n---\n",
        "\n===\n",
        "\n```\n",
        "```",
        "\n~~~\n",
        "    ",
        "\t",
        "\n    ",
        "\n<div>\n",
        "<div>",
        "\n\n",
        " ",
        ", ",
        ".",
    ),
    *("\n[1]: /x\n", '\n[1]: /Kim "Lowe"\n', "\n[Kim]: /x\n", "x", "@", "#", "-", "=", ":", "'", '"', "{", "}"),
    *(
        "\n<!--\n",
        "-->",
        "\n<pre>\n",
        "</pre>",
        "<script>",
        "</script>",
        "<style>",
        "\n<?php\n",
        "?>",
        "<![CDATA[",
        "]]>",
    ),
    *("](Kim&#32;Lowe)", "](Kim\\ Lowe)", "](<Kim Lowe>)", "<http://x/Kim%20Lowe>", "[a [b](c)](d)", "[![", "](x)](y)"),
    *("\n```js\n", "\n   ```\n", "\n> > ", "\n>> ", "\n  ", "\n   - ", "\n2) ", "\n+ ", "| --- |", "\n:-: | --\n"),
    *(
        "<img alt='Kim Lowe'>",
        "<img\nalt=Lowe>",
        '<a title="Kim">',
        "<p\xa0>",
        "</p\xa0>",
        "<br\t/>",
        "&nbsp;",
        "&#10;",
    ),
]
WORDS = [
    "Kim",
    "Lowe",
    "Ki",
    "m",
    "Lo",
    "we",
    "Maria",
    "Svensson",
    "amp",
    "lowe",
    "Trust",
    "example",
    "org",
    "AB",
    "7731",
]


@st.composite
def planted(draw: st.DrawFn) -> str:
    """A name with markup between some of its characters, and some written as references
    or escapes."""
    pieces = []
    for char in draw(st.sampled_from(NAMES)):
        pieces += draw(st.lists(st.sampled_from(MARKUP), max_size=2)) if draw(st.integers(0, 2)) == 0 else []
        form = draw(st.integers(0, 7))
        pieces.append(f"&#{ord(char)};" if form == 0 else f"\\{char}" if form == 1 and not char.isalnum() else char)
    return "".join(pieces)


LINE_STARTS = [
    *("", "", "> ", ">", "> > ", "- ", "* ", "1. ", "2) ", "  ", "   ", "    ", "\t", "# ", "## ", "| ", "|---|---|"),
    *("```", "```js ", "~~~", "> ```", "- ```", "<div>", "<!--", "-->", "<pre>", "</pre>", "<a href=x>", "  <p>"),
    *("[1]: ", "[Kim]: ", "---", "===", "***", "\n", "\n\n"),
]


@st.composite
def lines(draw: st.DrawFn) -> str:
    """Lines, each begun as a block may begin, a name planted in some."""
    pieces = st.one_of(planted(), st.sampled_from([*MARKUP, *WORDS]))
    made = [
        draw(st.sampled_from(LINE_STARTS)) + "".join(draw(st.lists(pieces, max_size=4)))
        for _ in range(draw(st.integers(1, 8)))
    ]
    return "\n".join(made)


DOCUMENTS = st.one_of(
    st.lists(st.one_of(planted(), st.sampled_from([*MARKUP, *WORDS])), max_size=16).map("".join),
    st.lists(st.sampled_from([*MARKUP, *WORDS, *NAMES]), max_size=30).map("".join),
    lines(),
)


def rendered(text: str) -> list[View]:
    """The rendered views of a text (markdown_views adds the text percent-decoded)."""
    views = markdown_views(text)
    return views[:2] if has_markdown(text) else []


def verdict(content: Content, *, sketched: bool) -> tuple[object, ...]:
    if sketched:
        checked = check_file(MATCHER, content, today=TODAY)
        return tuple(checked.findings), tuple(checked.suppressed)
    views, _ = content_views(content.path, content.text or "")
    found, quiet = check_text(MATCHER, content.text or "", path=content.path, today=TODAY, views=views)
    return tuple(found), tuple(quiet)


@settings(max_examples=2000, deadline=None)
@given(DOCUMENTS)
def test_a_sketch_names_whom_the_rendered_views_name(document: str) -> None:
    if BLANK_LINE.search(document):
        return  # one chunk: its sketch is the document's
    sketches = sketch_chunks(document)
    if not sketches or sketches[0] is None:
        return
    sketch = sketches[0]
    if any(NAMES_ANYONE(view.text) for view in rendered(document)):
        assert NAMES_ANYONE(sketch), (document, sketch)


@settings(max_examples=2000, deadline=None)
@given(DOCUMENTS)
def test_a_document_is_judged_alike_with_or_without_its_sketch(document: str) -> None:
    content = Content("post.md", document)
    assert verdict(content, sketched=True) == verdict(content, sketched=False)


# Each construct of Markdown that puts letters together or changes them, the sketch of a
# text that holds it (a chunk's), and whether its rendered view names someone: the
# sketch does whenever the view does.
SKETCHED = [
    # Emphasis is dropped; a `_` is kept (it is a blank), and one that may be emphasis too.
    ("**Kim** _Lowe_", ["Kim _Lowe_"], True),
    ("Kim*Lowe", ["Kim*Lowe"], False),  # the only `*`: nothing to pair with, no emphasis
    ("Mail **kim@example.org**.", ["Mail kim@example.org."], True),
    ("+44 20 *7946* 0958", ["+44 20 7946 0958"], True),
    ("K. **Lowe**", ["K. Lowe"], True),
    ("**Lowe**, Kim", ["Lowe, Kim"], True),
    # Links as their text, the target and title apart; reference links by the document's
    # definitions; a percent escape in a target decoded.
    ("Thanks [Kim](https://example.org) Lowe!", ["Thanks Kim Lowe!\n\nhttps://example.org"], True),
    ("[Kim](https://example.org)Lowe", ["KimLowe\n\nhttps://example.org"], False),
    ("[Kim\nLowe](x)", ["Kim\nLowe\n\nx"], True),
    ('[Kim](x "Lowe")', ["Kim\n\nx\n\nLowe"], False),
    ("[x](/Kim%20Lowe)", ["x\n\n/Kim Lowe"], True),
    ("[Kim][1] Lowe\n\n[1]: /x", ["Kim Lowe\n\n/x\n\n1: /x\n\n/x"], True),
    ('[x][1]\n\n[1]: /y "Kim Lowe"', ['x\n\n/y\n\nKim Lowe\n\n1: /y "Kim Lowe"\n\n/y\n\nKim Lowe'], True),
    ("Kim [Lowe][nope]", ["Kim [Lowe][nope]"], False),  # no such definition: as written
    # Images show nothing in the text; their alt text (tags in it show nothing), source and
    # title apart.
    ("![Kim Lowe](photo.jpg)", ["\n\nKim Lowe\n\nphoto.jpg"], True),
    ("![Ki<b>m</b> Lowe](p.jpg)", ["\n\n<b>\n\n</b>\n\nKim Lowe\n\np.jpg"], True),
    ('![a](Kim%20Lowe.jpg "x")', ["\n\na\n\nKim Lowe.jpg\n\nx"], True),
    # Code spans as their content.
    ("`Ki`m Lowe", ["Kim Lowe"], True),
    ("`Kim` `Lowe`", ["Kim Lowe"], True),
    ("`Kim`Lowe", ["KimLowe"], False),
    # Backslash escapes, and a backslash before a letter kept.
    ("Kim\\_Lowe", ["Kim_Lowe"], True),
    ("Kim\\*Lowe", ["Kim*Lowe"], False),
    ("K\\im Lowe", ["K\\im Lowe"], False),
    ("@amp\\_lowe *x*", ["@amp_lowe x"], True),
    # Entities as markdown-it decodes them (with their `;`).
    ("K&#105;m Lowe", ["Kim Lowe"], True),
    ("Kim&nbsp;Lowe", ["Kim\xa0Lowe"], True),
    ("K&#105m Lowe", ["K&#105m Lowe"], False),
    # Autolinks as their text, decoded.
    ("<https://example.org/Kim%20Lowe>", ["https://example.org/Kim Lowe"], True),
    ("<kim@example.org>", ["kim@example.org"], True),
    # Tags and comments as the breaks gate/markup.py puts for them; each tag and its
    # attribute values apart; an HTML block as gate/markup.py sketches it.
    ("Kim <!-- x --> Lowe", ["Kim  Lowe\n\n<!-- x -->\n\n"], True),
    ("Ki<b>m</b> Lowe", ["Kim Lowe\n\n<b>\n\n</b>"], True),
    ("Kim<br>Lowe", ["Kim\nLowe\n\n<br>"], True),
    ("Kim<p>Lowe", ["Kim\n\nLowe\n\n<p>"], False),
    ("Kim <span\nclass=x>Lowe</span>", ["Kim Lowe\n\n<span\nclass=x>\n\nx\n\n</span>"], True),
    ('<img alt="Kim Lowe">', ['\n\n<img alt="Kim Lowe">\n\nKim Lowe\n\n\n\nKim Lowe'], True),
    ("<div>\nKi<!-- -->m Lowe\n</div>", ["\n\n Kim Lowe \n\n\n\n"], True),
    # Hard breaks, blockquotes, list items, headings: lines joined by a line break.
    ("Kim\\\nLowe", ["Kim\nLowe"], True),
    ("> We met Kim\n> Lowe", ["We met Kim\nLowe"], True),
    ("* Kim\n  Lowe", ["* Kim\n  Lowe"], True),
    ("* Kim\n* Lowe", [" Kim\n Lowe"], False),  # two items, joined: the sketch names more
    ("# **Kim** Lowe", ["# Kim Lowe"], True),
    ("**Kim** Lowe\n===", ["Kim Lowe\n==="], True),
    ("**Kim**\nLowe", ["Kim\nLowe"], True),
    ("| **Kim** | Lowe |\n|---|---|", ["| Kim | Lowe |\n|---|---|"], False),  # cells apart, joined
    # Fenced and indented code is not rendered.
    ("```\nKim **Lowe**\n```", [""], False),
    ("    code *Kim*\n\n**Kim** Lowe", ["code Kim", "Kim Lowe"], True),  # a chunk alone: not code
]


@pytest.mark.parametrize(("text", "sketches", "named"), SKETCHED, ids=[text for text, _, _ in SKETCHED])
def test_a_sketch_holds_what_the_rendered_view_shows(text: str, sketches: list[str], named: bool) -> None:
    assert sketch_chunks(text) == sketches
    assert any(NAMES_ANYONE(view.text) for view in rendered(text)) is named
    if named:
        assert any(NAMES_ANYONE(sketch) for sketch in sketches)


# What the sketch does not read as markdown-it does: the chunk is rendered.
RENDERED = [
    "Ki**m** Lo*we*",  # emphasis inside a word: kept or dropped, as it pairs
    "Kim **Lowe**s",
    "Kim*Lowe and *more*",
    "x.*kim@example.org*",  # dropped beside a character that continues an address
    "AB-*7731*",
    "(_kim_) *a*",  # a `_` between two characters that are not blanks
    "[a\n# b](c)",  # a link across a heading's line
    "`Kim\n# Lowe`",  # a code span across a heading's line
    "| Ki`m | Lowe` |\n|---|---|",  # a code span across a table's cells
    "> Kim\n> <div>\n> Lowe",  # an HTML block in a blockquote
    "```a | b\n```\nKim Lowe\n|---|---|",  # a fence, or a table's first row
    "<![CDATA[Kim]]> Lowe",
    "[" * 18 + "Kim" + "]" * 18 + "(x)",  # brackets nested deeper than the sketch reads
    "Kim \x1e Lowe *x*",  # a character the sketch marks with
]


@pytest.mark.parametrize("text", RENDERED)
def test_what_the_sketch_cannot_tell_is_rendered(text: str) -> None:
    assert sketch_chunks(text) == [None]
    views, _ = content_views("post.md", text, names_anyone=NAMES_ANYONE)
    assert views[:2] == markdown_views(text)[:2]


def test_a_document_that_names_no_one_is_not_rendered() -> None:
    text = "---\ntitle: Kim Lowe\n---\n\nOur **open day**: [photos](/days/Kim%20Lowe) and `code`.\n\nThanks, *team*!\n"
    sketched, _ = content_views("post.md", text, names_anyone=NAMES_ANYONE)
    assert [view.text for view in sketched] == [
        "title\n\nKim Lowe",  # the front matter, read as YAML
        "Our open day: photos and code.\n\nThanks, team!",
        "/days/Kim Lowe",
        text.replace("%20", " "),  # percent-decoded
    ]
    nobody = text.replace("Kim%20Lowe", "x").replace("Kim Lowe", "x")
    unrendered, _ = content_views("post.md", nobody, names_anyone=NAMES_ANYONE)
    assert [view.text for view in unrendered] == ["title\n\nx", "", ""]


def test_markdown_it_is_not_imported_for_a_post_whose_sketch_names_no_one() -> None:
    script = (
        "import functools, sys\n"
        "from gate.extract import content_views\n"
        "content_views('a.md', 'Thanks **team**, `see` *you*!', names_anyone=lambda text: False)\n"
        "assert 'markdown_it' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True)


# Shapes of Markdown that the sketch reads line by line, or token by token: each checked
# at n and 4n repetitions (CPU time, best of 5), the time may grow 8 times at most (a
# quadratic reader grows 16 times). tests/linear_test.py holds the parsers' shapes.
SHAPES = [
    file_shape("HTML blocks, blank lines between", 1_000, "a.md", "<div>x</div>\n\n*a*\n\n"),
    file_shape("lines that may start HTML blocks", 2_000, "a.md", "<span>\n"),
    file_shape("links across lines", 2_000, "a.md", "[a\n"),
    file_shape("fences not at the left edge", 2_000, "a.md", " ```\n*a*\n"),
    file_shape("links within links", 2_000, "a.md", "[[a](b) "),
    file_shape("HTML in a table", 1_000, "a.md", "<a>|\n|-|\n"),
    file_shape("underscores between stars", 4_000, "a.md", "*_"),
    file_shape("underscore pairs between star pairs", 2_000, "a.md", "**__"),
]


@pytest.mark.parametrize("shape", SHAPES, ids=[shape.name for shape in SHAPES])
def test_the_sketch_grows_with_the_text_and_no_faster(shape: Shape) -> None:
    timing = measure_shape(EXAMPLE_MATCHER, shape, runs=5, growth=True)
    assert timing.ratio <= 8, f"{shape.name}: {timing.seconds:.3f} s at n, {timing.seconds_4n:.3f} s at 4n"
