"""Every scan is linear in its input (issue 11): any author can write a post, so no
shape of text may make a check grow faster than its size.

Each shape of bench/worst.py is checked at n and 4n repetitions, best of 3 runs each, and
the time may grow at most 6 times: a ratio, never a number of seconds, so that a slow
machine does not fail it (a quadratic reader grows 16 times, and did, by far).
"""

from __future__ import annotations

import functools
import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from bench.worst import HANGUL, SHAPES, Shape, file_shape, growth_seconds, measure_shape, wrapped
from gate.adapters.cache import load_matcher
from gate.check import check_contents
from gate.content import Content
from gate.extract import MAX_YAML_CHARACTERS, YAML_TOO_DEEP, YAML_TOO_LARGE, content_views
from gate.matcher import Matcher
from gate.normalize import MAX_CACHED_CHARS, MAX_CACHED_RUNS, Normalizer
from tests.support.reading import decoded
from tests.support.wordlists import TODAY

EXAMPLE = Path(__file__).resolve().parent.parent / "wordlists" / "example"
# Time at 4n over time at n: 4 for linear work, 16 for quadratic. Linear work on inputs of
# tens of megabytes measured up to 6.3 (the 4n copies no longer fit the caches), so the
# bound leaves that room and still stops anything quadratic.
MAX_RATIO = 8
# The shapes that tried the Markdown and HTML parsers (html.parser, markdown-it), sized to
# take some milliseconds at n: markdown-it reads `[` and `![` at 35-70 KB/s.
MARKUP_SHAPES = (
    file_shape("HTML: unclosed inline tags", 4_000, "a.html", "<b>Kim "),
    file_shape("HTML: many `<`", 8_000, "a.html", "<"),
    Shape("HTML: deep nesting", 2_000, wrapped("a.html", "<div><span>", "Kim Lowe", "</span></div>")),
    file_shape("HTML: one long line of markup", 1_000, "a.html", "Kim <b>Lowe</b> <a href=x>y</a> "),
    file_shape("HTML: references without digits or `;`", 4_000, "a.html", "&#x;&#;K&#105m &eacutex "),
    file_shape("HTML: CDATA openings", 40_000, "a.html", "<![CDATA[Kim "),
    file_shape("HTML: marked sections Python does not know", 40_000, "a.html", "<![x Kim "),
    file_shape("HTML: abrupt comments", 4_000, "a.html", "<!-->Kim "),
    file_shape("HTML: script openings", 16_000, "a.html", "<script>Kim "),
    file_shape("HTML: text element openings", 8_000, "a.html", "<title><textarea>Kim <!-- "),
    file_shape("HTML: script ends Python does not know", 16_000, "a.html", "<script>x</script y>Kim --!> "),
    file_shape("HTML: srcdoc pages", 2_000, "a.html", '<iframe srcdoc="&lt;p&gt;Kim <b>Lowe</b>">'),
    file_shape("Markdown: many `<`", 4_000, "a.md", "<"),
    file_shape("Markdown: emphasis delimiters `*a`", 2_000, "a.md", "*a"),
    file_shape("Markdown: many `[`", 1_000, "a.md", "["),
    file_shape("Markdown: many `![`", 500, "a.md", "!["),
    file_shape("Markdown: links without an end", 500, "a.md", "[a]("),
    file_shape("Markdown: code spans across lines", 1_000, "a.md", "`a\n"),
    file_shape("Markdown: one long line of markup", 250, "a.md", "Kim **Lowe** [x](y) "),
    file_shape("Markdown: many paragraphs to parse", 500, "a.md", "Kim **Lowe**\n\n"),
    file_shape("Markdown: comments", 2_000, "a.md", "Kim <!-- x --> "),
    Shape("Markdown: deep nesting", 100_000, wrapped("a.md", "> - ", "Kim", "")),
    Shape("Markdown: reference links", 250, wrapped("a.md", "[Kim][1] Lowe ", "\n\n", "[1]: /x\n")),
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return load_matcher(EXAMPLE, cache_directory=None)


@pytest.mark.parametrize("shape", [*SHAPES, *MARKUP_SHAPES], ids=[shape.name for shape in (*SHAPES, *MARKUP_SHAPES)])
def test_time_grows_with_the_input_and_no_faster(matcher: Matcher, shape: Shape) -> None:
    timing = measure_shape(matcher, shape, runs=5, growth=True)
    assert timing.ratio <= MAX_RATIO, f"{shape.name}: {timing.seconds:.3f} s at n, {timing.seconds_4n:.3f} s at 4n"


def test_the_normaliser_caches_stay_bounded() -> None:
    normalizer = Normalizer()
    pairs = " ".join(first + chr(0x4E00 + index % 20_000) for index, first in enumerate(HANGUL * 6))
    normalizer.normalize(pairs)
    runs, chars = normalizer.cached()
    assert runs <= MAX_CACHED_RUNS and chars <= MAX_CACHED_CHARS
    assert normalizer.text("Straße ½ ﬁ") == Normalizer().text("Straße ½ ﬁ")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[" * 33 + "]" * 33, YAML_TOO_DEEP),
        ("".join(" " * depth + f"k{depth}:\n" for depth in range(33)) + " " * 33 + "v\n", YAML_TOO_DEEP),
        ("- Kim\n" * (MAX_YAML_CHARACTERS // 6 + 1), YAML_TOO_LARGE),
    ],
    ids=["flow", "block", "size"],
)
def test_yaml_past_a_limit_is_refused_and_blocks(matcher: Matcher, text: str, reason: str) -> None:
    assert content_views("post.yaml", text)[1][0].blocks
    verdict = check_contents(matcher, [Content("post.yaml", text)], today=TODAY)
    assert verdict.decision == "block"
    assert [(item.reason, item.blocks) for item in verdict.not_scanned] == [(reason, True)]


def test_yaml_at_the_limits_is_read() -> None:
    nested = "[" * 32 + "Kim" + "]" * 32
    views, problems = content_views("post.yaml", nested)
    assert problems == [] and "Kim" in views[0].text
    invalid = content_views("post.yaml", "a: [")[1]
    assert [(problem.blocks) for problem in invalid] == [False]  # unparsable is not a limit


def empty_paragraphs(count: int) -> bytes:
    """A Word file of `count` empty paragraphs: 15 KB unpacks to 10 MB at 1,700,000."""
    body = "<w:p/>" * count
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<Types xmlns="urn:types"/>')
        archive.writestr("word/document.xml", f'<w:document xmlns:w="urn:w"><w:body>{body}</w:body></w:document>')
    return out.getvalue()


def test_reading_a_document_of_empty_paragraphs_grows_with_it_and_no_faster() -> None:
    small, large = empty_paragraphs(25_000), empty_paragraphs(100_000)
    seconds, seconds_4n = (
        growth_seconds(3, functools.partial(decoded, "report.docx", data)) for data in (small, large)
    )
    assert seconds_4n / seconds <= MAX_RATIO, f"{seconds:.3f} s at n, {seconds_4n:.3f} s at 4n"


def test_reading_a_document_keeps_no_tree_of_its_markup() -> None:
    """ElementTree's tree of 10 MB of `<w:p/>` took 850 MB; read as it is parsed, what is
    kept is the unpacked member and a chunk of events."""
    data = empty_paragraphs(300_000)  # 1.8 MB unpacked
    tracemalloc.start()
    try:
        decoded("report.docx", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 12_000_000, f"{peak:,} bytes at the peak"
