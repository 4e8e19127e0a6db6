"""Content formats: a name hidden by markup, escapes or encodings is still found, at the
line and column where it was written."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gate.check import check_text
from gate.extract import CONTENT_FORMATS, SUFFIX_FORMATS, Problem, content_views, yaml_views
from tests.support.wordlists import TODAY, compile_rows

ROWS = "C1,name,Kim Lowe,\nC2,name,André Dufresne,\nC3,email,kim@example.org,\nC4,id,AB-7731,\n"


@pytest.fixture(scope="module")
def matcher():  # type: ignore[no-untyped-def]
    return compile_rows(ROWS)


def found(matcher, path: str, text: str) -> list[tuple[str, int, int, int, int]]:  # type: ignore[no-untyped-def]
    views, _ = content_views(path, text)
    findings, _ = check_text(matcher, text, path=path, today=TODAY, views=views)
    return [(item.client_id, item.line, item.column, item.end_line, item.end_column) for item in findings]


CASES = [
    # Markdown: emphasis, strike-through and code markers do not split words
    ("post.md", "Thanks **Kim** Lowe!", [("C1", 1, 10, 1, 19)]),
    ("post.md", "Thanks *Kim* _Lowe_", [("C1", 1, 9, 1, 18)]),
    ("post.md", "~~Kim~~ Lowe", [("C1", 1, 3, 1, 12)]),
    ("post.md", "`Kim` Lowe", [("C1", 1, 2, 1, 10)]),
    ("post.md", "K**im** Lowe", [("C1", 1, 1, 1, 12)]),
    ("post.md", "Kim \\*Lowe", []),
    # link text and targets, image alt text and titles, autolinks
    ("post.md", "[our story](/stories/kim-lowe)", [("C1", 1, 22, 1, 29)]),
    ("post.md", '![Kim Lowe at the garden](a.jpg "photo")', [("C1", 1, 3, 1, 10)]),
    ("post.md", '![photo](a.jpg "Kim Lowe")', [("C1", 1, 17, 1, 24)]),
    ("post.md", "Mail <kim@example.org>", [("C3", 1, 7, 1, 21)]),
    ("post.md", "[x](https://example.org/Kim%20Lowe)", [("C1", 1, 25, 1, 34)]),
    # inline HTML and entities in Markdown
    ("post.md", "Kim <em>Lowe</em>", [("C1", 1, 1, 1, 12)]),
    ("post.md", "K&#105;m Lowe", [("C1", 1, 1, 1, 13)]),
    ("post.md", "Andr&eacute; Dufresne", [("C2", 1, 1, 1, 21)]),
    ("post.md", "Kim&nbsp;Lowe", [("C1", 1, 1, 1, 13)]),
    # tables, code blocks and front matter are scanned
    ("post.md", "| who | where |\n|---|---|\n| Kim Lowe | garden |", [("C1", 3, 3, 3, 10)]),
    ("post.md", "```\nclient: Kim Lowe\n```", [("C1", 2, 9, 2, 16)]),
    ("post.md", "---\ntitle: A day with Kim Lowe\n---\nBody", [("C1", 2, 19, 2, 26)]),
    # front matter is published: YAML's scalars and TOML's quoted strings, escapes decoded
    ("post.md", '---\ntitle: "K\\u0069m Lowe"\n---\nBody', [("C1", 2, 8, 2, 22)]),
    ("post.md", '---\ntitle: "K\\u0069m Lowell"\n---\nBody', []),
    ("post.md", 'Intro\n---\ntitle: "K\\u0069m Lowe"\n---\nBody', []),
    ("post.md", '+++\ntitle = "K\\u0069m Lowe"\n+++\nBody', [("C1", 2, 10, 2, 22)]),
    ("post.md", '+++\ntitle = "K\\u0069m Lowell"\n+++\nBody', []),
    # block structure still breaks a name
    ("post.md", "Kim\n\nLowe", []),
    # HTML: text joined across inline tags; entities; attributes; comments
    ("page.html", "<p>Kim <b>Lowe</b></p>", [("C1", 1, 4, 1, 14)]),
    ("page.html", "<p>Kim</p><p>Lowe</p>", []),
    ("page.html", "<p>Kim<br>Lowe</p>", [("C1", 1, 4, 1, 14)]),
    ("page.html", "<p>K&#x69;m Lowe</p>", [("C1", 1, 4, 1, 16)]),
    ("page.html", '<img alt="Kim&#32;Lowe" src="a.png">', [("C1", 1, 11, 1, 22)]),
    ("page.html", '<div data-client="AB&#45;7731"></div>', [("C4", 1, 19, 1, 29)]),
    ("page.html", "<meta content='Kim Lowe'>", [("C1", 1, 16, 1, 23)]),
    ("page.html", '<a href="/stories/kim-lowe">story</a>', [("C1", 1, 19, 1, 26)]),
    ("page.html", "<!-- draft: Kim Lowe -->", [("C1", 1, 13, 1, 20)]),
    ("page.html", '<script type="application/ld+json">{"name": "Kim\\u0020Lowe"}</script>', [("C1", 1, 46, 1, 58)]),
    ("logo.svg", '<svg><text x="1">Kim</text><text><tspan>Lowe</tspan></text></svg>', []),
    ("logo.svg", "<svg><text>Kim <tspan>Lowe</tspan></text></svg>", [("C1", 1, 12, 1, 26)]),
    # flat OpenDocument is XML: paragraphs apart, spans and spaces within one
    ("report.fodt", "<text:p>Kim <text:span>Lowe</text:span></text:p>", [("C1", 1, 9, 1, 27)]),
    ("report.fodt", "<text:p>Kim</text:p>\n<text:p>Lowe</text:p>", []),
    (
        "sheet.fods",
        "<table:table-cell><text:p>Kim<text:s/>L&#111;we</text:p></table:table-cell>",
        [("C1", 1, 27, 1, 47)],
    ),
    ("sheet.fods", "<table:table-cell><text:p>Kim</text:p></table:table-cell><table:table-cell>Lowe", []),
    ("deck.fodp", "<text:p>Kim <text:span>Lowe</text:span></text:p>", [("C1", 1, 9, 1, 27)]),
    ("drawing.fodg", "<text:p>Kim<text:line-break/>Lowe</text:p>", [("C1", 1, 9, 1, 33)]),
    # templates and components publish HTML
    *[
        (f"page.{suffix}", "<p>Kim <b>Lowe</b></p>", [("C1", 1, 4, 1, 14)])
        for suffix in ("njk", "liquid", "astro", "vue", "php", "erb", "hbs", "jsx", "svelte", "twig")
    ],
    ("page.rmd", "Thanks **Kim** Lowe!", [("C1", 1, 10, 1, 19)]),
    # Markdown, each way: link text is inline; soft breaks join, blocks do not
    ("post.md", "Thanks [Kim](https://example.org) Lowe!", [("C1", 1, 9, 1, 38)]),
    ("post.md", "Thanks [Kim](https://example.org), Lowe!", []),
    ("post.md", "Kim [](#) Lowe", [("C1", 1, 1, 1, 14)]),
    ("post.md", "Kim [x](#) Lowe", []),
    ("post.md", "> We met Kim\n> Lowe", [("C1", 1, 10, 2, 6)]),
    ("post.md", "> We met Kim\n>\n> Lowe", []),
    ("post.md", "- Kim\n  Lowe", [("C1", 1, 3, 2, 6)]),
    # (not "- Kim\n- Lowe": as written, "-" and one line break are spaces, and it matches)
    ("post.md", "* Kim\n* Lowe", []),
    ("post.md", "**Kim Lo**we", [("C1", 1, 3, 1, 12)]),
    ("post.md", "**Kim Lo** we", []),
    ("post.md", "[Kim][1] Lowe\n\n[1]: /x", [("C1", 1, 2, 1, 13)]),
    ("post.md", "[Kim][1] Lowe\n\n[2]: /x", []),
    ("post.md", "[Kim][1] Lowe\n\nAnd more.\n\n[1]: /x", [("C1", 1, 2, 1, 13)]),
    ("post.md", "- intro\n\n  **Kim** Lowe", [("C1", 3, 5, 3, 14)]),
    ("post.md", "- intro\n\n  **Kim**\n\n  Lowe", []),
    ("post.md", "Kim <!-- x --> Lowe", [("C1", 1, 1, 1, 19)]),
    ("post.md", "Kim\n\n<!-- x -->\n\nLowe", []),
    # CommonMark decodes an entity only with its ";"; the text is still checked as written
    ("post.md", "Andr&eacute Dufresne and Kim Lowe", [("C1", 1, 26, 1, 33)]),
    ("post.md", "Andr&eacute Dufresne", []),
    # HTML, each way: text runs across inline and unknown elements and comments, not
    # across blocks; references decoded as a browser does, without ";" too
    ("page.html", "Kim <!-- x --> Lowe", [("C1", 1, 1, 1, 19)]),
    ("page.html", "<p>Kim</p><!-- x --><p>Lowe</p>", []),
    ("page.html", "Kim <x-tag>Lowe</x-tag>", [("C1", 1, 1, 1, 15)]),
    ("page.html", "<div>Kim</div><x-tag>Lowe</x-tag>", []),
    ("page.html", 'Kim <a href="#"></a>Lowe', [("C1", 1, 1, 1, 24)]),
    ("page.html", 'Kim <a href="#">x</a>Lowe', []),
    ("page.html", "<li>Kim <b>Lowe</b></li>", [("C1", 1, 5, 1, 15)]),
    ("page.html", "<li>Kim</li><li>Lowe</li>", []),
    ("page.html", "K&#0000105;m Lowe", [("C1", 1, 1, 1, 17)]),
    ("page.html", "K&#0000105m Lowe", [("C1", 1, 1, 1, 16)]),
    ("page.html", "K&#0000106m Lowe", []),
    ("page.html", "Andr&eacute Dufresne", [("C2", 1, 1, 1, 20)]),
    ("page.html", "Andr&eacutes Dufresne", []),
    # HTML that Python's parser reads otherwise than a browser, each way
    ("page.html", "&#x; Kim <b>Lowe</b>", [("C1", 1, 6, 1, 16)]),
    ("page.html", "<!--> Kim <b>Lowe</b>", [("C1", 1, 7, 1, 17)]),
    ("page.html", "<![if x]> Kim <b>Lowe</b>", [("C1", 1, 11, 1, 21)]),
    ("feed.rss", "<description><![CDATA[<p>Kim <b>Lowe</b></p>]]></description>", [("C1", 1, 26, 1, 36)]),
    ("feed.rss", "<description><![CDATA[<p>Kim</p><p>Lowe</p>]]></description>", []),
    ("page.html", "<p>Kim <b>Lowe</b> <a title='x", [("C1", 1, 4, 1, 14)]),
    ("page.html", "<p>Kim</p> <a title='x <b>Lowe</b>", []),
    ("page.html", "<script>Kim <b>Lowe</b></script>", []),
    ("page.html", "<style>Kim <b>Lowe</b></style>", []),
    # a comment ends at `--!>`, in a page and in Markdown's inline HTML
    ("page.html", "<p>hello <!-- x --!>Kim <b>Lowe</b> <!-- y --></p>", [("C1", 1, 21, 1, 31)]),
    ("page.html", "<p>hello <!-- x --!Kim <b>Lowe</b> <!-- y --></p>", []),
    ("post.md", "hello <!-- x --!>Kim <b>Lowe</b> <!-- y -->", [("C1", 1, 18, 1, 28)]),
    ("post.md", "hello <!-- x --!Kim <b>Lowe</b> <!-- y -->", []),
    # a `<script>` in an element read as text hides nothing; nor does one never closed
    ("page.html", "<textarea><script></textarea><p>Kim <b>Lowe</b></p>", [("C1", 1, 33, 1, 43)]),
    ("page.html", "<textarea><script></textarea><p>Kim</p><p>Lowe</p>", []),
    ("page.html", "<title><style></title>Kim <b>Lowe</b>", [("C1", 1, 23, 1, 33)]),
    ("page.html", "<xmp><script></xmp>Kim <b>Lowe</b>", [("C1", 1, 20, 1, 30)]),
    ("feed.rss", "<item><title><![CDATA[Kim <b>Lowe</b>]]></title></item>", [("C1", 1, 23, 1, 33)]),
    ("feed.rss", "<item><title><![CDATA[Kim</title><title>Lowe]]></title></item>", []),
    ("page.html", "<noscript><script></noscript><p>Kim <b>Lowe</b></p>", [("C1", 1, 33, 1, 43)]),
    ("page.html", "<script>x</p><p>Kim <b>Lowe</b></p>", [("C1", 1, 17, 1, 27)]),
    ("page.html", "<style>x</p><p>Kim</p><p>Lowe</p>", []),
    ("page.html", "<!-- x <p>Kim <b>Lowe</b></p>", [("C1", 1, 11, 1, 21)]),
    ("page.html", "<script>x</script x><p>Kim <b>Lowe</b></p><script>y</script>", [("C1", 1, 24, 1, 34)]),
    ("page.html", "<script>x</scripts><p>Kim <b>Lowe</b></p></script>", []),
    # an iframe's srcdoc is a page: its references decoded, then shown as HTML
    ("page.html", '<iframe srcdoc="<p>Ki<b>m</b> Lowe</p>">', [("C1", 1, 20, 1, 34)]),
    ("page.html", '<iframe srcdoc="&lt;p&gt;Ki&lt;b&gt;m&lt;/b&gt; Lowe">', [("C1", 1, 26, 1, 52)]),
    ("page.html", '<iframe srcdoc="<p>Ki</p><p>m Lowe</p>">', []),
    ("page.html", "<iframe srcdoc='<img alt=\"Kim&amp;#32;Lowe\">'>", [("C1", 1, 27, 1, 42)]),
    # Markdown written with Windows line ends, and a code span across lines
    ("post.md", "Thanks **Kim**\r\nLowe!", [("C1", 1, 10, 2, 4)]),
    ("post.md", "Thanks **Kim**\r\n\r\nLowe!", []),
    # JSON: every string, keys too, escapes decoded
    ("posts.json", '{"body": "Thanks Andr\\u00e9 Dufresne"}', [("C2", 1, 18, 1, 36)]),
    ("posts.json", '{"Kim Lowe": 1}', [("C1", 1, 3, 1, 10)]),
    ("posts.json", '["Kim\\nLowe"]', [("C1", 1, 3, 1, 11)]),
    ("posts.json", '{"first": "Kim", "last": "Lowe"}', []),
    # YAML: every scalar
    ("post.yaml", "title: >\n  A day with Kim\n  Lowe\n", [("C1", 1, 8, 3, 7)]),
    ("post.yaml", 'title: "Andr\\xe9 Dufresne"\n', [("C2", 1, 8, 1, 26)]),
    ("post.yml", "- Kim Lowe\n", [("C1", 1, 3, 1, 10)]),
    # CSV cells and plain text as they are; percent-encoding decoded
    ("list.csv", 'name,note\n"Kim Lowe",x\n', [("C1", 2, 2, 2, 9)]),
    ("list.csv", "Kim,Lowe\n", []),
    ("notes.txt", "see https://example.org/?q=Kim%20Lowe", [("C1", 1, 28, 1, 37)]),
]


@pytest.mark.parametrize(("path", "text", "expected"), CASES)
def test_content_formats(matcher, path: str, text: str, expected: list[tuple[str, int, int, int, int]]) -> None:  # type: ignore[no-untyped-def]
    assert found(matcher, path, text) == expected


PROBLEMS = [
    ("a.json", '{"a": ', "not valid JSON (line 1); its strings were read"),
    ("a.json", "[" * 100_000 + "]" * 100_000, "JSON nested too deeply to parse; its strings were read"),
    ("a.yaml", "a: [b\n", "not valid YAML (line 2); its double-quoted strings were read"),
]


@pytest.mark.parametrize(("path", "text", "problem"), PROBLEMS)
def test_unparsable_files_are_reported(path: str, text: str, problem: str) -> None:
    _, problems = content_views(path, text)
    assert problems == [Problem(problem)]


# A file that does not parse still has its quoted strings' escapes decoded, as a less
# strict reader would: both ways.
UNPARSABLE = [
    ("a.json", '{"who": "K\\u0069m Lowe", ', [("C1", 1, 10, 1, 22)]),
    ("a.json", "[" * 2000 + '"K\\u0069m Lowe"' + "]" * 2000, [("C1", 1, 2002, 1, 2014)]),
    ("a.json", '{"who": "K\\q Lowe", ', []),
    ("a.yaml", 'who: "K\\x69m Lowe"\nbroken: [\n', [("C1", 1, 7, 1, 17)]),
    ("a.yaml", 'who: "K\\U00000069m Lowe"\nbroken: [\n', [("C1", 1, 7, 1, 23)]),
    ("a.yaml", "who: 'K\\x69m Lowe'\nbroken: [\n", []),
]


@pytest.mark.parametrize(("path", "text", "expected"), UNPARSABLE)
def test_escapes_in_a_file_that_does_not_parse_are_decoded(  # type: ignore[no-untyped-def]
    matcher, path: str, text: str, expected: list[tuple[str, int, int, int, int]]
) -> None:
    assert found(matcher, path, text) == expected


def test_broken_json_is_still_checked_as_text(matcher) -> None:  # type: ignore[no-untyped-def]
    assert found(matcher, "a.json", '{"who": "Kim Lowe", ') == [("C1", 1, 10, 1, 17)]


def test_yaml_alias_bomb_is_not_expanded(matcher) -> None:  # type: ignore[no-untyped-def]
    bomb = "a: &a [Kim Lowe, Kim Lowe]\n" + "".join(
        f"{chr(98 + level)}: &{chr(98 + level)} [*{chr(97 + level)}, *{chr(97 + level)}]\n" for level in range(20)
    )
    assert found(matcher, "bomb.yaml", bomb) == [("C1", 1, 8, 1, 15), ("C1", 1, 18, 1, 25)]


MARKUP_ALPHABET = st.sampled_from(list("<>/=\"'&#;%*~`\\[]()!:-_ abKLmw\n0123456789xX{}"))


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(st.text(), st.text(MARKUP_ALPHABET)),
    path=st.sampled_from(["a.md", "a.html", "a.json", "a.yaml", "a.txt"]),
)
def test_views_never_raise_and_point_inside_the_file(text: str, path: str) -> None:
    views, problems = content_views(path, text)
    assert all(isinstance(problem, Problem) for problem in problems)
    for view in views:
        for index in range(len(view.text)):
            assert 0 <= view.starts.source(index) <= view.ends.source(index) < max(len(text), 1)


def test_every_suffix_names_a_content_format_and_every_format_has_a_suffix_or_is_text() -> None:
    assert set(SUFFIX_FORMATS.values()) | {"text"} == set(CONTENT_FORMATS)


# YAML small enough that it cannot nest past the limit is parsed by LibYAML (a Markdown
# file's front matter): its views are the pure-Python parser's, character for character.
SMALL_YAML = [
    'title: "Ødegård é"\nname: Kim Lowe\nlist: [a, "b\\u00e9"]\n',
    "---\ntitle: Open day\ntags: [garden, 'Kim Lowe']\nsummary: >\n  Kim\n  Lowe\n",
    "a: &x Kim\nb: *x\nc: {d: [e, {f: Lowe}]}\n",
    "key: 'it''s'\nother: \"tab\\tand\\x41\"\n",
    "a: [unclosed\n",  # not YAML: both read its double-quoted strings, and say so
    "- Kim\n- Lowe\n- 2026-12-03\n",
]


@pytest.mark.parametrize("text", SMALL_YAML)
def test_small_yaml_reads_alike_through_libyaml_and_python(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert yaml.__with_libyaml__
    fast, fast_problems = yaml_views(text)
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    slow, slow_problems = yaml_views(text)
    assert [(view.text, [view.starts.source(i) for i in range(len(view.text))]) for view in fast] == [
        (view.text, [view.starts.source(i) for i in range(len(view.text))]) for view in slow
    ]
    assert fast_problems == slow_problems
