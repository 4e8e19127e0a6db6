"""Hostile inputs: the shapes that made a reader or the matcher super-linear (issue 11),
each at n and 4n repetitions, with the time of each and MB/s at 4n.

Any author can write a post, so the time of a check must grow with its size and nothing
faster: tests/linear_test.py asserts the ratio of each shape, this module records the
figures in BENCHMARKS.md and the time of a 1 MB worst-case post.
"""

from __future__ import annotations

import dataclasses
import datetime
import gc
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from bench.data import generate_identifiers
from gate.adapters.cache import load_matcher
from gate.check import check_contents
from gate.content import Content
from gate.extract import content_format
from gate.matcher import Matcher
from gate.normalize import Normalizer
from gate.post import check_post

TODAY = datetime.date(2026, 1, 1)
Work = Callable[[], object]
# Hangul syllables decompose into two or three letters: thousands of distinct characters
# whose folded form is longer than one character.
HANGUL = [chr(code) for code in range(0xAC00, 0xD7A4)]


class Shape(NamedTuple):
    name: str
    size: int  # n: repetitions of the hostile unit at 1x
    build: Callable[[Matcher, int], tuple[Work, int]]  # (the timed work, characters checked)
    unit: str = ""  # what is repeated, where a post can be made of it
    text_format: str = ""  # the post's format for it


class Timing(NamedTuple):
    shape: str
    characters: int  # at 4n
    seconds: float  # at n
    seconds_4n: float

    @property
    def ratio(self) -> float:
        return self.seconds_4n / self.seconds

    @property
    def megabytes_per_second(self) -> float:
        return self.characters / 1e6 / self.seconds_4n


def fresh(matcher: Matcher) -> Matcher:
    """The matcher with an empty normaliser cache, as a new worker has it."""
    return dataclasses.replace(matcher, normalizer=Normalizer())


def file_shape(name: str, size: int, path: str, unit: str) -> Shape:
    """`unit` repeated in a file named `path`, through check_contents."""

    def build(matcher: Matcher, n: int) -> tuple[Work, int]:
        text = unit * n
        return lambda: check_contents(fresh(matcher), [Content(path, text)], today=TODAY), len(text)

    return Shape(name, size, build, unit, content_format(path))


def post_shape(name: str, size: int, unit: str, text_format: str) -> Shape:
    """`unit` repeated in a post's text, through check_post."""

    def build(matcher: Matcher, n: int) -> tuple[Work, int]:
        post = {"id": "p1", "text": unit * n, "format": text_format}
        return lambda: check_post(fresh(matcher), post, today=TODAY), len(unit) * n

    return Shape(name, size, build, unit, text_format)


def wrapped(path: str, head: str, unit: str, tail: str) -> Callable[[Matcher, int], tuple[Work, int]]:
    def build(matcher: Matcher, n: int) -> tuple[Work, int]:
        text = head * n + unit + tail * n
        return lambda: check_contents(fresh(matcher), [Content(path, text)], today=TODAY), len(text)

    return build


def enclosed(path: str, start: str, unit: str, end: str) -> Callable[[Matcher, int], tuple[Work, int]]:
    def build(matcher: Matcher, n: int) -> tuple[Work, int]:
        text = start + unit * n + end
        return lambda: check_contents(fresh(matcher), [Content(path, text)], today=TODAY), len(text)

    return build


def many_fields(matcher: Matcher, n: int) -> tuple[Work, int]:
    """A post of n short fields, each with a character whose fold is uneven: one call of
    the normaliser per field."""
    post = {"id": "p1", "text": "x", "tags": [HANGUL[index % len(HANGUL)] + "a" for index in range(n)]}
    return lambda: check_post(fresh(matcher), post, today=TODAY), 2 * n


def after_a_filling_post(matcher: Matcher, n: int) -> tuple[Work, int]:
    """Ordinary posts checked by a worker whose cache a hostile post of n distinct
    characters filled first: their time must not depend on n."""
    worker = fresh(matcher)
    check_post(
        worker,
        {"id": "hostile", "text": " ".join(HANGUL[index % len(HANGUL)] + chr(0x4E00 + index) for index in range(n))},
        today=TODAY,
    )
    post = {"id": "p1", "text": "Straße in Zürich: café Ålesund, ﬁnal ½ ⅓. " * 4}
    return lambda: [check_post(worker, post, today=TODAY) for _ in range(300)], 0


def block_yaml(matcher: Matcher, n: int) -> tuple[Work, int]:
    """Mappings nested 100 deep, again and again."""
    text = "".join(" " * (2 * depth) + "a:\n" for depth in range(min(n, 100))) * max(n // 100, 1)
    return lambda: check_contents(fresh(matcher), [Content("a.yaml", text)], today=TODAY), len(text)


SHAPES = (
    # The shapes of issue 11.
    file_shape("HTML: unterminated tags `<a b c d `", 4_000, "a.html", "<a b c d "),
    file_shape("Markdown: long tag name without `>`", 4_000, "a.md", "<" + "a" * 40 + " b"),
    file_shape("HTML: JSON-LD openings without a close", 4_000, "a.html", "<script type=application/ld+json>x "),
    file_shape("HTML: script openings without `>`", 4_000, "a.html", "<script type=application/ld+json "),
    file_shape("text: digit runs apart by spaces", 15_000, "a.txt", "1 "),
    post_shape("post: digit runs apart by dots and parentheses", 8_000, "12.(3) ", "text"),
    Shape("YAML: flow nesting (refused)", 200_000, wrapped("a.yaml", "[", "x", "]")),
    file_shape("YAML: flow nesting at the limit", 300, "a.yaml", "- " + "[" * 31 + "x" + "]" * 31 + "\n"),
    Shape("YAML: block nesting", 5_000, block_yaml),
    Shape("post: many fields, each an uneven character", 1_500, many_fields),
    Shape("posts after one that filled the cache", 2_000, after_a_filling_post),
    # Other shapes tried (see BENCHMARKS.md).
    file_shape("HTML: unterminated quoted attributes", 4_000, "a.html", '<a title="x '),
    file_shape("HTML: attributes in both quotes", 4_000, "a.html", "<a b=\"<a c='"),
    file_shape("Markdown: comment openings", 20_000, "a.md", "<!-- "),
    file_shape("Markdown: emphasis markers and escapes", 10_000, "a.md", "**\\*~~`"),
    file_shape("Markdown: entities", 10_000, "a.md", "K&#105;m "),
    file_shape("text: percent-encoding", 6_000, "a.txt", "Kim%20Lowe%E2 "),
    file_shape("text: many non-ASCII runs", 20_000, "a.txt", "é ß "),
    file_shape("text: Greek and Cyrillic names", 10_000, "a.txt", "Κιμ Λοωε Кім Лоwе "),
    file_shape("text: one long line of names", 6_000, "a.txt", "Kim Lowe "),
    file_shape("text: many line breaks", 400_000, "a.txt", "\n \n"),
    file_shape("text: many spaces", 2_000_000, "a.txt", "  "),
    file_shape("text: one long word", 600_000, "a.txt", "kimlowe"),
    Shape("JSON: many escaped strings", 20_000, enclosed("a.json", "[", '"K\\u0069m L\\u00f6we", ', '""]')),
    file_shape("YAML: many quoted keys", 2_000, "a.yaml", '"K\\x69m": Lowe\n'),
    file_shape("text: letters spaced out", 20_000, "a.txt", "x "),
    file_shape("HTML: a name and letters spaced out, rendered", 5_000, "a.html", "<p>Kim Lowe x y z</p>"),
    file_shape("text: one long phone in words", 10_000, "a.txt", "five five "),
    file_shape("text: number words and digits", 8_000, "a.txt", "oh one 2 "),
    file_shape("text: pairs of number words apart", 4_000, "a.txt", "one two. And "),
    file_shape("text: number words among letters written without spaces", 4_000, "a.txt", "漢five five漢"),
)


def best_of(runs: int, work: Work) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)


def growth_seconds(runs: int, work: Work) -> float:
    """The best of `runs` CPU times of `work`, the collector paused: what a test of growth
    compares. Other processes on a shared machine do not inflate CPU time, and a full
    collection owed by a large heap (a test suite's, hours into its run) falls on the run
    at 4n more often than on the run at n, which would read as work growing faster than
    the input."""
    timings = []
    enabled = gc.isenabled()
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            work()
            timings.append(time.process_time() - start)
        finally:
            if enabled:
                gc.enable()
    return min(timings)


def measure_shape(matcher: Matcher, shape: Shape, *, runs: int = 3, scale: int = 1, growth: bool = False) -> Timing:
    """Seconds at n and at 4n, best of `runs`: the wall's for the bench, or with `growth`
    the CPU's without collections (`growth_seconds`), for a test on a shared machine."""

    def timed(work: Work) -> float:
        return growth_seconds(runs, work) if growth else best_of(runs, work)

    work, _ = shape.build(matcher, shape.size * scale)
    seconds = timed(work)
    work, characters = shape.build(matcher, 4 * shape.size * scale)
    return Timing(shape.name, characters, seconds, timed(work))


def measure_worst(matcher: Matcher, shapes: Sequence[Shape] = SHAPES, *, runs: int = 3) -> list[Timing]:
    return [measure_shape(matcher, shape, runs=runs) for shape in shapes]


class WorstCase(NamedTuple):
    timings: list[Timing]
    identifiers: int  # in the list the 1 MB post was checked against
    post_shape: str  # the slowest shape a post can be made of
    post_characters: int
    post_seconds: float


ONE_MB = 1_000_000


def write_worst_wordlist(folder: Path, generated: int) -> Path:
    """The example organisation's list plus `generated` identifiers of the bench's own."""
    example = Path(__file__).resolve().parent.parent / "wordlists" / "example"
    shutil.copytree(example, folder)
    rows = "".join(f"{client},{kind},{value},\n" for client, kind, value in generate_identifiers(generated))
    with (folder / "clients.csv").open("a", encoding="utf-8") as clients:
        clients.write(rows)
    return folder


def measure_worst_case(folder: Path, *, generated: int, runs: int) -> WorstCase:
    """Every shape's figures, and a 1 MB post of the slowest one a post can be made of."""
    matcher = load_matcher(write_worst_wordlist(folder / "worst-wordlist", generated), cache_directory=None)
    timings = measure_worst(matcher, runs=runs)
    postable = [(timing, shape) for timing, shape in zip(timings, SHAPES, strict=True) if shape.unit]
    _, slowest = min(postable, key=lambda pair: pair[0].megabytes_per_second)
    text = slowest.unit * (ONE_MB // len(slowest.unit.encode()))
    post = {"id": "worst", "text": text, "format": slowest.text_format}
    seconds = best_of(runs, lambda: check_post(fresh(matcher), post, today=TODAY))
    return WorstCase(timings, len(matcher.client_numbers), slowest.name, len(text), seconds)
