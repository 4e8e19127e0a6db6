"""A file read in a second encoding is a view of the text read in the first: each of its
characters points at the text's character that holds its first byte, and ends at the one
that holds its last byte."""

from __future__ import annotations

import bisect

from hypothesis import given, settings
from hypothesis import strategies as st

from gate.content import _aligned, _read

ENCODINGS = ("cp1252", "cp1250", "latin-1", "gb2312", "big5", "cp932", "euc_kr", "gb18030", "utf-16-le")
# Mostly ASCII with some high bytes, as mail in a legacy encoding is; or any bytes.
BYTES = st.one_of(
    st.lists(st.one_of(st.integers(0x20, 0x7E), st.integers(0x80, 0xFF)), max_size=300).map(bytes),
    st.binary(max_size=300),
)


def holder(text_starts: list[int] | None, size: int, byte: int) -> int:
    """The text's character that holds `byte`: the last one that starts at or before it
    (each byte is a character where `text_starts` is None)."""
    return bisect.bisect_right(range(size) if text_starts is None else text_starts, byte) - 1


@settings(max_examples=1000, deadline=None)
@given(BYTES, st.sampled_from(ENCODINGS), st.sampled_from(ENCODINGS))
def test_each_character_of_a_reading_points_at_the_characters_that_hold_its_bytes(
    data: bytes, encoding: str, other: str
) -> None:
    _, text_starts = _read(data, encoding)
    reading, starts = _read(data, other)
    view = _aligned(reading, starts, text_starts, len(data))
    firsts = list(range(len(data))) if starts is None else starts
    lasts = [*firsts[1:], len(data)]
    for index in range(len(reading)):
        assert view.starts.source(index) == holder(text_starts, len(data), firsts[index])
        assert view.ends.source(index) == holder(text_starts, len(data), lasts[index] - 1)
